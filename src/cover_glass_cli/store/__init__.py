"""Reading, caching and writing fact files, and where they are.

`load()` answers from the SQLite cache when every file of the chain is unchanged
(cache.py); otherwise reading.py reads, parses, validates and merges the files, and
the cache is rebuilt from the result. Where things are (the bundled facts, the user's
file, the cache, the chain in use) is told here too, since every command asks.
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import env_flag
from ..domain.facts import Facts, FactsError, Problem

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


# --- where things are ------------------------------------------------------------

DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def bundled_path() -> Path:
    """facts.toml inside the installed package, or at the repo root for an editable install."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "facts.toml"
    return packaged if packaged.exists() else package.parent.parent / "facts.toml"


def user_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("cgcli", appauthor=False) / "facts.toml"


def cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("cgcli", appauthor=False)


def fact_paths(explicit: tuple[str, ...] = ()) -> list[tuple[Path, str]]:
    """The files in use, in order, each with why: later files override earlier ones.

    --facts PATH (repeatable) or CGCLI_FACTS (paths joined by os.pathsep) replace
    the default chain: the bundled file, then the user's file when it exists.
    """
    if explicit:
        return [(Path(p), "--facts") for p in explicit]
    env = os.environ.get("CGCLI_FACTS", "")
    named = [(Path(p), "CGCLI_FACTS") for p in env.split(os.pathsep) if p.strip()]
    if named:
        return named  # (a value that names no file, such as ':', leaves the default chain)
    chain = [(bundled_path(), "bundled")]
    user = user_path()
    if user.exists():
        chain.append((user, "user"))
    return chain


def chain_paths(explicit: tuple[str, ...] = ()) -> list[Path]:
    """The files in use, in order (see fact_paths)."""
    return [path for path, _ in fact_paths(explicit)]


def max_bytes() -> int:
    """The largest fact file read, in bytes: CGCLI_MAX_FACTS_BYTES, else 64 MiB."""
    text = os.environ.get("CGCLI_MAX_FACTS_BYTES", "")
    try:
        return int(text) if text.strip() else DEFAULT_MAX_BYTES
    except ValueError:
        return DEFAULT_MAX_BYTES


# --- the facts in use -------------------------------------------------------------


def load(explicit: tuple[str, ...] = (), *, use_cache: bool = True) -> Facts:
    """The facts in use: from the cache when every file is unchanged, else parsed anew."""
    paths = chain_paths(explicit)
    if [str(p) for p in paths].count("-") > 1:
        raise FactsError([Problem("-", None, "", "standard input can be read only once")])
    no_cache = env_flag("CGCLI_NO_CACHE")
    if not use_cache or no_cache or any(str(p) == "-" for p in paths):
        from .reading import merge

        return merge(paths)
    from . import cache

    return cache.load(paths)
