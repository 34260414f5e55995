"""Links reversed once per process: `{% url %}` reverses on every render, ~40 µs each, and the
top bar, a region's trail and its download links are some fifteen of them on every page. The
URLconf does not change while a process runs; the script prefix is part of the key."""

import functools

from django.urls import get_script_prefix, reverse


def link(name: str, *args) -> str:
    """reverse(name, args=args), from memory after the first time."""
    return _link(name, args, get_script_prefix())


@functools.lru_cache(maxsize=8192)
def _link(name: str, args: tuple, prefix: str) -> str:
    return reverse(name, args=args)
