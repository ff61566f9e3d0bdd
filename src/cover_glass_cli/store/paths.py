"""Where things are: the bundled facts, the user's file, the cache, the chain in use."""

from __future__ import annotations

import os
from pathlib import Path

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
