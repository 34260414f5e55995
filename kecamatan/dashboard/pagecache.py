"""Rendered region pages, kept in the cache until the figures behind them change.

The figures change only when data does: a recompute finishes, a target, an official figure,
a region or an outline is saved. Each of those bumps a generation number (signals below, and
by hand after bulk writes); a page's key holds the generation, so the next request renders
afresh. The key also holds the last finished recompute, read from the database on every
request, so workers with a cache of their own (no Redis) see new figures at once; the timeout
bounds how long any other change can go unseen there.
"""

import hashlib
import time

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
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there (evicted, or a new cache): any new number will do
        cache.set(GENERATION_KEY, time.time_ns(), None)


def page_key(*parts) -> str:
    raw = "|".join(str(p) for p in (pages_generation(), *parts))
    return "ikd:page:" + hashlib.sha256(raw.encode()).hexdigest()
