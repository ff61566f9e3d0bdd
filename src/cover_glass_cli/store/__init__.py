"""Reading, caching and writing fact files.

`load()` answers from the SQLite cache when every file of the chain is unchanged
(cache.py); otherwise reading.py reads, parses, validates and merges the files, and
the cache is rebuilt from the result.
"""

from __future__ import annotations

from .. import env_flag
from ..domain.facts import Facts, FactsError
from .paths import bundled_path, cache_dir, chain_paths, fact_paths, max_bytes, user_path

__all__ = [
    "Facts",
    "FactsError",
    "bundled_path",
    "cache_dir",
    "chain_paths",
    "fact_paths",
    "load",
    "max_bytes",
    "user_path",
]


def load(explicit: tuple[str, ...] = (), *, use_cache: bool = True) -> Facts:
    """The facts in use: from the cache when every file is unchanged, else parsed anew."""
    paths = chain_paths(explicit)
    if [str(p) for p in paths].count("-") > 1:
        from ..domain.facts import Problem

        raise FactsError([Problem("-", None, "", "standard input can be read only once")])
    no_cache = env_flag("CGCLI_NO_CACHE")
    if not use_cache or no_cache or any(str(p) == "-" for p in paths):
        from .reading import merge

        return merge(paths)
    from . import cache

    return cache.load(paths)
