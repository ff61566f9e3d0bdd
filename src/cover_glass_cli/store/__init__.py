"""Reading, caching and writing fact files.

`load()` answers from the SQLite cache when every file of the chain is unchanged
(cache.py); otherwise reading.py reads, parses, validates and merges the files, and
the cache is rebuilt from the result.

Here too, since every command that reads facts asks them: where things are (the
bundled facts, the user's file, the cache, the chain in use), and what a fact file was
when it was read (its Stamp, taken by reading.py and curation, compared by the cache to
tell whether the file changed since).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .. import env_flag
from ..domain.facts import Facts

__all__ = [
    "Facts",
    "Stamp",
    "bundled_path",
    "cache_dir",
    "chain_paths",
    "fact_paths",
    "load",
    "max_bytes",
    "stamp",
    "user_path",
]


# --- where things are ------------------------------------------------------------

DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def bundled_path() -> Path:
    """facts.toml inside the installed package, or at the repo root for an editable install.
    (Made absolute, not resolved: following every link of the path costs a lookup 0.3 M
    instructions, and the path only names the file.)"""
    package = Path(os.path.abspath(__file__)).parent.parent
    packaged = package / "facts.toml"
    if packaged.exists():
        return packaged
    # A source checkout: its package folder may be reached through a link, so the repo
    # root is found from the real path.
    return Path(os.path.realpath(package)).parent.parent / "facts.toml"


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


# --- what a file was when it was read -------------------------------------------

# A file changed within one timestamp tick of its reading may change again without
# changing its stamp (a "racy" stamp, as git calls it), so its hash is kept. The tick:
# where times are whole seconds (FAT: 2 s, ext3, HFS+, many network shares), RACY_NS;
# where they are finer, a clock tick (Linux: at most 10 ms; Windows: 15.6 ms), FINE_NS.
RACY_NS = 2_000_000_000
FINE_NS = 25_000_000


def tick(mtime_ns: int, ctime_ns: int) -> int:
    """The timestamp granularity to allow for a file with these times: whole seconds
    (either time a round second, a chance of one in a billion on a finer system) are
    taken for a coarse file system."""
    second = 1_000_000_000
    return RACY_NS if mtime_ns % second == 0 or ctime_ns % second == 0 else FINE_NS


def racy(stamp: dict[str, Any]) -> bool:
    """Whether STAMP (see Stamp) was read within a tick of its file's change."""
    return is_racy(stamp["mtime_ns"], stamp["ctime_ns"], stamp["read_ns"])


def is_racy(mtime_ns: int, ctime_ns: int, read_ns: int) -> bool:
    """Whether a file with these times, read at READ_NS, could still change unseen."""
    return max(mtime_ns, ctime_ns) >= read_ns - tick(mtime_ns, ctime_ns)


def settled(stamp: dict[str, Any]) -> dict[str, Any]:
    """STAMP as if read once its file's tick had passed: for a file cgcli has just written
    under its lock, from bytes it holds. The one risk accepted: another program writing the
    same number of bytes in place within that tick (at most FINE_NS on a file system with
    fine times; a coarse one keeps the stamp racy, hashed by the next run)."""
    if tick(stamp["mtime_ns"], stamp["ctime_ns"]) != FINE_NS:
        return stamp
    changed = max(stamp["mtime_ns"], stamp["ctime_ns"])
    return {**stamp, "read_ns": max(stamp["read_ns"], changed + FINE_NS + 1)}


def named(path: str | os.PathLike[str]) -> str:
    """How a stamp names its file: by its absolute path, as the cache's database name does,
    so that `facts.toml`, `./facts.toml` and `/home/me/facts.toml` are one file to it."""
    return os.path.abspath(path)


# What a file was when it was read: enough to tell later whether it changed. Device,
# inode, size, modification and status-change times (ns), when they were read, and the
# SHA-256 of the bytes read when the file had changed within a tick of the read. A file
# replaced, touched or edited changes its inode, mtime or ctime; an edit within the file
# system's timestamp granularity of the read (a "racy" stamp, as git calls it) is caught
# by the hash. Kept as the plain dict the cache's key stores (a class would cost every
# lookup its making, and a lookup only compares stored stamps).
Stamp = dict[str, Any]


def stamp(path: str, st: os.stat_result, sha256: str | None, read_ns: int) -> Stamp:
    """The Stamp of the file at PATH, whose stat was ST when it was read at READ_NS."""
    return {
        "path": named(path),
        "dev": st.st_dev,
        "ino": st.st_ino,
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "ctime_ns": st.st_ctime_ns,
        "read_ns": read_ns,
        "sha256": sha256,
    }


# --- the facts in use -------------------------------------------------------------


def load(explicit: tuple[str, ...] = (), *, use_cache: bool = True) -> Facts:
    """The facts in use: from the cache when every file is unchanged, else parsed anew."""
    paths = chain_paths(explicit)
    if [str(p) for p in paths].count("-") > 1:
        from ..domain.problems import FactsError, Problem

        raise FactsError([Problem("-", None, "", "standard input can be read only once")])
    no_cache = env_flag("CGCLI_NO_CACHE")
    if not use_cache or no_cache or any(str(p) == "-" for p in paths):
        from .reading import merge

        return merge(paths)
    from . import cache

    return cache.load(paths)
