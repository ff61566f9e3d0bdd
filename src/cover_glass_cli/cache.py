"""A cache of parsed and validated facts, so that a query need not parse TOML again.

Layout, in platformdirs.user_cache_path("cgcli"): one folder per version of the
fact files in use, named after a checksum of their paths and of their key (each
file's resolved path, size, mtime_ns and a CRC of its bytes, with the program's
version and schema version):

    facts-<chain>-<key>/meta.json           the key, the files, the export years
    facts-<chain>-<key>/kinds.json          every kind but exports, with origins
    facts-<chain>-<key>/exports-<fy>.json   the exports of one fiscal year

Only JSON, never pickle or marshal: a cache folder must not be a way to run code.
A folder is written whole under a temporary name, then renamed into place, so a
reader sees all of it or none. Anything unreadable, corrupt or foreign is ignored
and rebuilt; a read-only or full cache folder only costs speed.
"""

from __future__ import annotations

import os
import stat
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import __version__, jsonio
from .model import KINDS, SCHEMA_VERSION
from .store import Facts, cache_dir, max_bytes

CACHE_FORMAT = 2


class _Stale(Exception):
    """A part of a cache folder is missing or not what meta.json promised."""


def load(paths: list[Path], build: Callable[[], Facts]) -> Facts:
    """The facts of PATHS from the cache when fresh, else BUILD() them and cache the result."""
    try:
        key = _key(paths)
    except OSError:
        return build()  # a missing or odd file: let the loader explain
    root = cache_dir()
    chain = f"facts-{_crc(jsonio.dumps([str(p) for p in paths]))}"
    folder = root / f"{chain}-{_crc(key)}"
    cached = _open(folder, key, build)
    if cached is not None:
        return cached
    facts = build()
    _discard(folder)  # corrupt or foreign: make room for a good one
    _write(root, chain, folder, key, facts)
    return facts


def _discard(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


def _crc(text: str) -> str:
    return f"{zlib.crc32(text.encode('utf-8', 'surrogateescape')):08x}"


def _key(paths: list[Path]) -> str:
    """Each file's resolved path, size, mtime_ns and a CRC of its bytes.

    The CRC catches an edit that keeps the size within the file system's timestamp
    granularity; reading bytes costs little next to parsing them.
    """
    parts: list[Any] = [CACHE_FORMAT, SCHEMA_VERSION, __version__]
    for path in paths:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes():
                raise OSError("not a cacheable file")
            crc = zlib.crc32(f.read())
        parts.append([str(path.resolve()), st.st_size, st.st_mtime_ns, crc])
    return jsonio.dumps(parts)


def _read(path: Path) -> Any:
    with open(path, encoding="utf-8") as f:
        return jsonio.loads(f.read())


def _open(folder: Path, key: str, build: Callable[[], Facts]) -> Facts | None:
    try:
        meta = _read(folder / "meta.json")
        if type(meta) is not dict or meta.get("key") != key:
            return None
        files, years = meta["files"], meta["export_years"]
        kinds = _read(folder / "kinds.json")
        records = {kind: kinds[kind]["records"] for kind in KINDS if kind != "exports"}
        origins = {kind: kinds[kind]["origins"] for kind in KINDS if kind != "exports"}
        if not all(type(v) is list for v in records.values()) or type(years) is not list:
            return None
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None  # missing, corrupt or foreign: rebuild
    fallback: list[Facts] = []

    def loader(kind: str, fy: int | None) -> tuple[list[dict[str, Any]], list[int]]:
        """Exports, a year at a time; on any surprise, parse the files after all."""
        try:
            if kind != "exports":
                raise _Stale(kind)
            wanted = years if fy is None else [fy]
            out: list[dict[str, Any]] = []
            out_origins: list[int] = []
            for year in wanted:
                part = _read(folder / f"exports-{int(year)}.json")
                out.extend(part["records"])
                out_origins.extend(part["origins"])
            return out, out_origins
        except (OSError, ValueError, KeyError, TypeError, RecursionError, _Stale):
            if not fallback:
                fallback.append(build())
                _discard(folder)  # the next run writes a whole one again
            facts = fallback[0]
            selected = facts["exports"] if fy is None else facts.exports_in(fy, fy)
            return selected, facts.origins(kind) if fy is None else []

    return Facts(files, records, origins, loader=loader, export_years=years)


def _write(root: Path, chain: str, folder: Path, key: str, facts: Facts) -> None:
    """Write FOLDER whole under a temporary name, rename it into place, drop older versions."""
    import shutil
    import tempfile

    try:
        root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{chain}-", dir=root))
    except OSError:
        return
    try:
        exports: dict[int, tuple[list[Any], list[int]]] = {}
        for record, origin in zip(facts["exports"], facts.origins("exports"), strict=True):
            part = exports.setdefault(record["fy"], ([], []))
            part[0].append(record)
            part[1].append(origin)
        for fy, (records, origins) in exports.items():
            _dump(tmp / f"exports-{fy}.json", {"records": records, "origins": origins})
        kinds = {
            kind: {"records": facts[kind], "origins": facts.origins(kind)}
            for kind in KINDS
            if kind != "exports"
        }
        _dump(tmp / "kinds.json", kinds)
        meta = {"key": key, "files": facts.files, "export_years": sorted(exports)}
        _dump(tmp / "meta.json", meta)  # last: a folder without it is never used
        try:
            os.rename(tmp, folder)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)  # another process won the race
            return
        for old in root.glob(f"{chain}-*"):
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)


def _dump(path: Path, data: Any) -> None:
    import json  # its C encoder, for a large one-off write (see jsonio)

    # json.dumps, not json.dump: dump() streams through the pure-Python encoder (~8x slower).
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
