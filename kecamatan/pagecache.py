"""Rendered region pages, kept in the cache until the figures behind them change.

The figures change only when data does: a recompute finishes, a target, an official figure,
a region or an outline is saved. Each of those bumps a generation number (signals below, and
by hand after bulk writes); a page's key holds the generation, so the next request renders
afresh. The key also holds the last finished recompute. Where every process shares the cache
(Redis) the generation already tells of a finished run, and the recompute's status is kept
with it; a process with a cache of its own (no Redis) reads the status on every request, so it
sees a run another process finished at once. The timeout bounds how long any other change can
go unseen there.
"""

import hashlib
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache

GENERATION_KEY = "ikd:pages:generation"
TIMEOUT_SECONDS = 600


def pages_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)  # a cold cache starts a new generation
        generation = cache.get(GENERATION_KEY)
    return generation


def pages_changed(**_signal_arguments) -> None:
    """Every cached page is out of date from now on."""
    with _memo_lock:
        _memo.clear()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there (evicted, or a new cache): any new number will do
        cache.set(GENERATION_KEY, time.time_ns(), None)


def cache_is_shared() -> bool:
    """True when every web and worker process reads the same cache (Redis, or the database on
    the embedded default); the tests' own cache is the one that is not."""
    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


def page_key(generation: int, *parts) -> str:
    """The cache key of a page of `generation` (pages_generation()) and `parts`."""
    raw = "|".join(str(p) for p in (generation, *parts))
    return "ikd:page:" + hashlib.sha256(raw.encode()).hexdigest()


# What every region page reads and only a data change alters (the region's family, the
# segments, the targets): kept in each worker's memory for the generation it was read in, so a
# page not in the cache (a filtered or dated view, another role or language) does not read it
# again. Bounded in count and, as cached pages are, in age.
_MEMO_SIZE = 256  # a family holds its children's simplified outlines: tens of KB
_memo: OrderedDict = OrderedDict()
_memo_lock = threading.Lock()


def generation_memo(name, version, compute):
    """compute() once per `version` (pages_generation() and whatever else the page key holds)
    in this worker, then from memory until the version changes or TIMEOUT_SECONDS pass."""
    key = (name, version)
    now = time.monotonic()
    with _memo_lock:
        found = _memo.get(key)
        if found is not None and found[0] > now:
            _memo.move_to_end(key)
            return found[1]
    value = compute()
    with _memo_lock:
        _memo[key] = (now + TIMEOUT_SECONDS, value)
        while len(_memo) > _MEMO_SIZE:
            _memo.popitem(last=False)
    return value
