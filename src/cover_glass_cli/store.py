"""The facts in use: which files, the merged records, and where they come from.

`load()` answers from the cache when every file is unchanged (cache.py); otherwise
loader.py reads, parses, validates and merges the files. This module is on every
lookup's path, so it holds only what a cached lookup needs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .model import KINDS, Problem

DEFAULT_MAX_BYTES = 64 * 1024 * 1024


class FactsError(Exception):
    """The fact files could not be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__("\n".join(map(str, self.problems)))


Loader = Callable[[str, "int | None"], tuple[list[dict[str, Any]], list[int]]]


class Facts:
    """The merged records by kind, and the index (in `files`) of the file each came from.

    Built whole by `merge()`, or lazily from the cache: then a kind is read when first
    asked for, and exports a fiscal year at a time (`exports_in`), so that a query on a
    large file reads only what it shows.
    """

    def __init__(
        self,
        files: list[str],
        records: dict[str, list[dict[str, Any]]],
        origins: dict[str, list[int]],
        *,
        loader: Loader | None = None,
        export_years: list[int] | None = None,
    ) -> None:
        self.files = files
        self._records = records
        self._origins = origins
        self._loader = loader
        self._export_years = export_years
        self._partitions: dict[int, list[dict[str, Any]]] = {}

    def __getitem__(self, kind: str) -> list[dict[str, Any]]:
        if kind not in self._records and self._loader is not None:
            self._records[kind], self._origins[kind] = self._loader(kind, None)
        return self._records.get(kind, [])

    def by_id(self, kind: str) -> dict[str, dict[str, Any]]:
        return {r["id"]: r for r in self[kind]}

    def origins(self, kind: str) -> list[int]:
        """For each record of KIND, in order, the index of its file in `files`."""
        self[kind]
        return self._origins.get(kind, [])

    def export_years(self) -> list[int]:
        if self._export_years is None or "exports" in self._records:
            return sorted({r["fy"] for r in self["exports"]})
        return self._export_years

    def exports_in(self, first: int, last: int) -> list[dict[str, Any]]:
        """Export records of fiscal years FIRST to LAST, reading only those years."""
        if self._loader is None or "exports" in self._records:
            return [r for r in self["exports"] if first <= r["fy"] <= last]
        out: list[dict[str, Any]] = []
        for fy in self.export_years():
            if first <= fy <= last:
                if fy not in self._partitions:
                    self._partitions[fy] = self._loader("exports", fy)[0]
                out.extend(self._partitions[fy])
        return out

    def all(self) -> dict[str, list[dict[str, Any]]]:
        return {kind: self[kind] for kind in KINDS}


# --- which files ------------------------------------------------------------


def bundled_path() -> Path:
    """facts.toml inside the installed package, or at the repo root for an editable install."""
    here = Path(__file__).resolve().parent
    packaged = here / "facts.toml"
    return packaged if packaged.exists() else here.parent.parent / "facts.toml"


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
    if env.strip():
        return [(Path(p), "CGCLI_FACTS") for p in env.split(os.pathsep) if p.strip()]
    chain = [(bundled_path(), "bundled")]
    user = user_path()
    if user.exists():
        chain.append((user, "user"))
    return chain


def max_bytes() -> int:
    """The largest fact file read, in bytes: CGCLI_MAX_FACTS_BYTES, else 64 MiB."""
    text = os.environ.get("CGCLI_MAX_FACTS_BYTES", "")
    try:
        return int(text) if text.strip() else DEFAULT_MAX_BYTES
    except ValueError:
        return DEFAULT_MAX_BYTES


def load(explicit: tuple[str, ...] = (), *, use_cache: bool = True) -> Facts:
    """The facts in use: from the cache when every file is unchanged, else parsed anew."""
    paths = [path for path, _ in fact_paths(explicit)]
    if not use_cache or os.environ.get("CGCLI_NO_CACHE", "").strip() not in ("", "0"):
        return _merge(paths)
    from . import cache

    return cache.load(paths, lambda: _merge(paths))


def _merge(paths: list[Path]) -> Facts:
    from .loader import merge  # only when the cache cannot answer: a cached lookup never parses

    return merge(paths)
