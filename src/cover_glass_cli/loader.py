"""Reading fact files: safely, then parsed, validated and merged, or every problem told.

Fact files are untrusted. Reading refuses what is not a regular file or is too
large, parsing never executes anything, and every problem comes back as a `Problem`
naming the file and line, never a traceback.
"""

from __future__ import annotations

import itertools
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .model import KINDS, Problem
from .store import Facts, FactsError, max_bytes
from .validation import check_references, line_map, validate_document, validate_record


def read_bytes(path: Path) -> bytes:
    """The whole file, or FactsError (see read_chunks)."""
    return b"".join(read_chunks(path))


def read_chunks(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    """The file in pieces of SIZE bytes, or FactsError: never blocks on a FIFO, never reads
    /dev/zero forever, refuses a file over the size limit or changed while being read."""
    name = str(path)

    def fail(message: str) -> FactsError:
        return FactsError([Problem(name, None, "", message)])

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        if path.is_symlink():
            return_error = fail("is a symbolic link to a file that does not exist")
        else:
            return_error = fail("no such file")
        raise return_error from None
    except IsADirectoryError:
        raise fail("is a directory, not a fact file") from None
    except PermissionError:
        raise fail("permission denied: cannot read the file") from None
    except OSError as e:
        raise fail(f"cannot open: {e.strerror or e}") from None
    limit = max_bytes()
    try:
        before = os.fstat(fd)
        if stat.S_ISDIR(before.st_mode):
            raise fail("is a directory, not a fact file")
        if not stat.S_ISREG(before.st_mode):
            raise fail("is not a regular file (a pipe, socket or device); give a file")
        if before.st_size > limit:
            raise fail(
                f"is {before.st_size:,} bytes, over the {limit:,}-byte limit "
                "(raise it with CGCLI_MAX_FACTS_BYTES)"
            )
        total = 0
        while chunk := os.read(fd, size):
            total += len(chunk)
            if total > limit:
                raise fail(f"grew past the {limit:,}-byte limit while being read")
            yield chunk
        after = os.fstat(fd)
    except OSError as e:
        raise fail(f"cannot read: {e.strerror or e}") from None
    finally:
        os.close(fd)
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns) or (
        total != after.st_size
    ):
        raise fail("changed while it was being read; try again")


def decode(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise FactsError(
            [Problem(name, line, "", "not UTF-8 text (is this a fact file?)")]
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise FactsError([Problem(name, line, "", "contains a NUL byte; not a TOML text file")])
    return text.removeprefix("\ufeff")


def parse(text: str, name: str) -> dict[str, Any]:
    """TOML text to a document, or FactsError naming the line and column."""
    import tomllib

    from .tomlstream import loads

    try:
        return loads(text)
    except tomllib.TOMLDecodeError as e:
        raise FactsError([_syntax_problem(str(e), text, name)]) from None
    except RecursionError:
        raise FactsError([Problem(name, None, "", "arrays or tables nested too deeply")]) from None
    except (ValueError, OverflowError, MemoryError) as e:
        raise FactsError([Problem(name, None, "", f"cannot be parsed: {e}")]) from None


def _syntax_problem(message: str, text: str, name: str) -> Problem:
    import re

    m = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if m:
        bare = message[: m.start()].strip()
        return Problem(name, int(m.group(1)), "", f"TOML syntax: {bare} (column {m.group(2)})")
    m = re.search(r"\(at end of document\)", message)
    line = text.count("\n") + 1 if m else None
    return Problem(name, line, "", f"TOML syntax: {message}")


def check_file(path: Path, text: str | None = None) -> tuple[dict[str, list[dict[str, Any]]], str]:
    """Read (unless TEXT is given), parse and validate one file on its own.

    Returns the records by kind and the text (for line numbers later);
    FactsError lists every problem.
    """
    name = str(path)
    if text is None:
        text = decode(read_bytes(path), name)
    doc = parse(text, name)
    records, problems = validate_document(doc, name, text)
    if problems:
        raise FactsError(problems)
    return records, text


def merge(paths: list[Path], texts: dict[Path, str] | None = None) -> Facts:
    """Validate each file, overlay them in order (same kind and id replaces), check references.

    TEXTS stands in for the content of some paths: a version not yet written.
    """
    records: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in KINDS}
    origin: dict[str, dict[str, int]] = {kind: {} for kind in KINDS}  # kind -> id -> file index
    sources: list[str] = []  # each file's text, for line numbers in messages
    problems: list[Problem] = []
    for index, path in enumerate(paths):
        try:
            found, text = check_file(path, (texts or {}).get(path))
        except FactsError as e:
            problems.extend(e.problems)
            sources.append("")
            continue
        sources.append(text)
        for kind, items in found.items():
            ids = [record["id"] for record in items]
            records[kind].update(zip(ids, items, strict=True))  # a later file's id replaces
            origin[kind].update(dict.fromkeys(ids, index))
    if problems:
        raise FactsError(problems)
    merged = {kind: list(items.values()) for kind, items in records.items()}
    line_maps: dict[int, dict[tuple[Any, ...], int]] = {}
    positions: dict[int, dict[tuple[str, str], int]] = {}

    def locate(kind: str, rid: str, field: str) -> tuple[str, int | None]:
        index = origin[kind][rid]
        if index not in line_maps:
            line_maps[index] = line_map(sources[index])
            positions[index] = _positions(sources[index])
        position = positions[index].get((kind, rid), -1)
        lines = line_maps[index]
        return str(paths[index]), lines.get((kind, position, field)) or lines.get((kind, position))

    problems = check_references(merged, locate)
    if problems:
        raise FactsError(problems)
    origins = {kind: [origin[kind][r["id"]] for r in items] for kind, items in merged.items()}
    return Facts([str(p) for p in paths], merged, origins)


def _positions(text: str) -> dict[tuple[str, str], int]:
    """(kind, id) -> index in that kind's array of the file TEXT (for error messages only)."""
    doc = parse(text, "")
    return {
        (kind, record["id"]): i
        for kind in KINDS
        for i, record in enumerate(doc.get(kind, []))
        if isinstance(record, dict) and isinstance(record.get("id"), str)
    }


# --- large files: a record at a time ------------------------------------------------


class Unstreamable(Exception):
    """The files need the whole-document path (merge), which explains any problem."""


class Streamed:
    """What stream() keeps once the exports have gone to their sink: every other kind
    merged (id -> record, id -> index of its file), and for the exports, each id's place
    of first appearance and the ids a later file replaced (id -> that file's index)."""

    __slots__ = ("order", "origins", "records", "replaced")

    def __init__(self) -> None:
        kinds = [kind for kind in KINDS if kind != "exports"]
        self.records: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in kinds}
        self.origins: dict[str, dict[str, int]] = {kind: {} for kind in kinds}
        self.order: dict[str, int] = {}
        self.replaced: dict[str, int] = {}


def stream(paths: list[Path], add_export: Callable[[dict[str, Any], int], None]) -> Streamed:
    """Read, check and merge PATHS as merge() does, a record at a time, so that memory
    holds a batch of blocks and the ids, never a whole file: each export goes to
    ADD_EXPORT(record, index of its file) once checked; the other kinds, small, are kept.

    Raises Unstreamable at the first thing merge() must do instead: a problem to explain
    with its line, or text tomlstream cannot vouch for.
    """
    from .tomlstream import NotPlain, records

    merged = Streamed()
    refs = [(f.name, f.ref) for f in KINDS["exports"] if f.ref]
    named: dict[str, set[Any]] = {name: set() for name, _ in refs}  # ids the exports name
    for index, path in enumerate(paths):
        first = len(merged.order)  # export ids first seen from here on are this file's
        again: set[str] = set()  # export ids this file replaced
        seen: dict[str, set[str]] = {}  # this file's ids of the other kinds
        try:
            items = records(_text_chunks(path))
            _, top = next(items)
            inline, problems = validate_document(top, str(path), "")
            if problems:
                raise Unstreamable
            found = ((kind, r) for kind, rs in inline.items() for r in rs)  # `kind = [...]`
            for kind, record in itertools.chain(found, items):
                if kind not in KINDS or validate_record(kind, record):
                    raise Unstreamable
                rid = record["id"]
                if kind != "exports":
                    ids = seen.setdefault(kind, set())
                    if rid in ids:
                        raise Unstreamable  # a duplicate id
                    ids.add(rid)
                    merged.records[kind][rid] = record  # a later file's id replaces
                    merged.origins[kind][rid] = index
                    continue
                place = merged.order.get(rid)
                if place is None:
                    merged.order[rid] = len(merged.order)
                elif place >= first or rid in again:
                    raise Unstreamable  # a duplicate id in this file
                else:
                    again.add(rid)  # a later file's id replaces
                    merged.replaced[rid] = index
                for name, _ in refs:
                    value = record.get(name)
                    named[name].update(value if type(value) is list else (value,))
                add_export(record, index)
        except (NotPlain, FactsError):
            raise Unstreamable from None
    small = {kind: list(items.values()) for kind, items in merged.records.items()}
    if check_references({**small, "exports": []}, lambda *where: ("", None)):
        raise Unstreamable
    for name, kinds in refs:
        known = set().union(*(merged.records.get(k, {}) for k in kinds))
        if not (named[name] - {None}) <= known:
            raise Unstreamable
    return merged


def _text_chunks(path: Path) -> Iterator[str]:
    """The file as text in pieces that end at line ends; Unstreamable where decode()
    would refuse it (merge() then says where)."""
    rest, start = b"", True
    for data in read_chunks(path, 1 << 17):  # small pieces: 128 KiB kept peak memory at 2x the file
        data = rest + data if rest else data
        cut = data.rfind(b"\n") + 1
        rest, data = data[cut:], data[:cut]
        if data:
            yield _text(data, start)
            start = False
    if rest:
        yield _text(rest, start)


def _text(data: bytes, start: bool) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Unstreamable from None
    if "\x00" in text:
        raise Unstreamable
    return text.removeprefix("\ufeff") if start else text
