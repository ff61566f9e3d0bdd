"""A cache of parsed and validated facts, so that a query need not parse TOML again.

Layout, in platformdirs.user_cache_path("cgcli"): one folder per version of the
fact files in use, named after a checksum of their paths and of their key (each
file's resolved path, size, mtime_ns and a CRC of its bytes, with the program's
version and schema version):

    facts-<chain>-<key>/meta.json           the key, the files, the export years
    facts-<chain>-<key>/kinds.json          every kind but exports, with origins
    facts-<chain>-<key>/exports-<fy>.json   the exports of one fiscal year

Only JSON, never pickle or marshal: a cache folder must not be a way to run code.
A folder is written under a temporary name, then renamed into place, so a reader
sees all of it or none. A new version of the files is streamed into it (exports a
year at a time, as loader.stream reads them), so a large file is never in memory
whole. Anything unreadable, corrupt or foreign is ignored and rebuilt; a read-only
or full cache folder only costs speed (and the memory of reading files whole).
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
    """The facts of PATHS from the cache when fresh, else read anew and cached.

    Reading anew streams the files into a new cache folder, a record at a time, so a
    large file never sits in memory whole; files that need the whole-document path
    (a problem to explain, unusual TOML) and an unwritable cache folder use BUILD().
    """
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
    _discard(folder)  # corrupt or foreign: make room for a good one
    if _stream(paths, root, chain, folder, key):
        cached = _open(folder, key, build)
        if cached is not None:
            return cached
    facts = build()
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
            crc = 0
            while chunk := f.read(1 << 20):  # in pieces: a large file is never in memory whole
                crc = zlib.crc32(chunk, crc)
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


def _stream(paths: list[Path], root: Path, chain: str, folder: Path, key: str) -> bool:
    """Stream PATHS into FOLDER (loader.stream); False when they need the whole path,
    or the cache folder cannot be written."""
    from .loader import Unstreamable, stream

    try:
        with _Folder(root, chain) as out:
            streamed = stream(paths, out.add_export)
            kinds = {
                kind: (list(records.values()), [streamed.origins[kind][rid] for rid in records])
                for kind, records in streamed.records.items()
            }
            files = [str(p) for p in paths]
            out.finish(folder, key, files, kinds, streamed.replaced, streamed.order)
    except (Unstreamable, OSError, ValueError):
        return False
    return True


def _write(root: Path, chain: str, folder: Path, key: str, facts: Facts) -> None:
    """Write the facts read whole (loader.merge) as FOLDER, if the cache folder allows."""
    try:
        with _Folder(root, chain) as out:
            for record, origin in zip(facts["exports"], facts.origins("exports"), strict=True):
                out.add_export(record, origin)
            kinds = {
                kind: (facts[kind], facts.origins(kind)) for kind in KINDS if kind != "exports"
            }
            out.finish(folder, key, facts.files, kinds, {}, {})
    except (OSError, ValueError):
        pass  # a read-only or full cache folder only costs speed


class _Folder:
    """A cache folder written under a temporary name, the exports a fiscal year per file
    as they come, then renamed into place whole: a reader sees all of it or none."""

    FLUSH = 1000  # export records held before they are written (more only costs memory)

    def __init__(self, root: Path, chain: str) -> None:
        import tempfile

        root.mkdir(parents=True, exist_ok=True)
        self.root, self.chain = root, chain
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{chain}-", dir=root))
        self.waiting: dict[int, list[dict[str, Any]]] = {}  # fy -> records not yet written
        self.origins: dict[int, list[int]] = {}  # fy -> the file of each record, in order
        self.count = 0

    def __enter__(self) -> _Folder:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if kind is not None:
            self.discard()  # a full disk, a file to read whole, Ctrl-C: nothing half-written

    def add_export(self, record: dict[str, Any], origin: int) -> None:
        fy = record["fy"]
        self.waiting.setdefault(fy, []).append(record)
        self.origins.setdefault(fy, []).append(origin)
        self.count += 1
        if self.count >= self.FLUSH:
            self._flush()

    def _part(self, fy: int) -> Path:
        return self.tmp / f"exports-{fy}.json"

    def _flush(self) -> None:
        """Append the waiting records to their years' files: {"records":[r1,r2,..."""
        import json  # its C encoder, for a large one-off write (see jsonio)

        for fy, records in self.waiting.items():
            path = self._part(fy)
            text = json.dumps(records, ensure_ascii=False, separators=(",", ":"))[1:-1]
            with open(path, "a", encoding="utf-8") as f:
                f.write(("," if f.tell() else '{"records":[') + text)
        self.waiting.clear()
        self.count = 0

    def finish(
        self,
        folder: Path,
        key: str,
        files: list[str],
        kinds: dict[str, tuple[list[dict[str, Any]], list[int]]],
        replaced: dict[str, int],
        order: dict[str, int],
    ) -> None:
        """Complete the folder and rename it to FOLDER; drop older versions of the chain.

        REPLACED (export id -> the last file giving it) and ORDER (export id -> its first
        appearance) put each replaced export where merge() would: the last file's version,
        at the place of the id's first appearance."""
        import shutil

        self._flush()
        for fy, origins in self.origins.items():
            with open(self._part(fy), "a", encoding="utf-8") as f:
                f.write('],"origins":' + jsonio.dumps(origins) + "}")
        if replaced:
            self._put_in_place(replaced, order)
        _dump(
            self.tmp / "kinds.json",
            {k: {"records": r, "origins": o} for k, (r, o) in kinds.items()},
        )
        meta = {"key": key, "files": files, "export_years": sorted(self.origins)}
        _dump(self.tmp / "meta.json", meta, ascii_only=True)  # last: until then, never used
        try:
            os.rename(self.tmp, folder)
        except OSError:
            self.discard()  # another process won the race
            return
        for old in self.root.glob(f"{self.chain}-*"):
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)

    def _put_in_place(self, replaced: dict[str, int], order: dict[str, int]) -> None:
        for fy in list(self.origins):
            part = _read(self._part(fy))
            pairs = list(zip(part["records"], part["origins"], strict=True))
            if not any(record["id"] in replaced for record, _ in pairs):
                continue
            kept = [(r, o) for r, o in pairs if replaced.get(r["id"], o) == o]
            kept.sort(key=lambda pair: order[pair[0]["id"]])
            if kept:
                _dump(
                    self._part(fy),
                    {"records": [r for r, _ in kept], "origins": [o for _, o in kept]},
                )
            else:
                self._part(fy).unlink()
                del self.origins[fy]

    def discard(self) -> None:
        _discard(self.tmp)


def _dump(path: Path, data: Any, *, ascii_only: bool = False) -> None:
    """DATA as JSON in PATH; ASCII_ONLY for text that may hold a file name that is not
    UTF-8 (a lone surrogate, which only an escape can carry)."""
    import json  # its C encoder, for a large one-off write (see jsonio)

    # json.dumps, not json.dump: dump() streams through the pure-Python encoder (~8x slower).
    text = json.dumps(data, ensure_ascii=ascii_only, separators=(",", ":"))
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
