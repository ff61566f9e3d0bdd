"""`facts remove` and the in-place `facts rank` of a record of the user's own file, in
time proportional to that record, not to the facts (as appending.py is for `facts add`).

Inside one `appending.session` (a fresh cache made from the very bytes read under the
lock), the record is found by index; its table is found in those bytes by a search for
its id line and the table header above it, and taken only when it reads back, on its
own, as the record the cache holds; the file is written with only those lines removed
or rewritten (atomically, as every write), and the cache changed in the same
transaction. Anything this cannot settle cheaply is left to the whole check
(records.remove, records.rank), whose messages are those the user sees: a record that
others refer to, one that hides an earlier file's record of the same id, a file with
multi-line strings (in which a line may look like a table header and not be one).
This path only ever says yes, or "ask the whole check".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ..domain.facts import Facts, Record
from .appending import Quick
from .curation import replace

if TYPE_CHECKING:
    from .writer import Part

_BOM = b"\xef\xbb\xbf"
_PLAIN_ID = re.compile(r"[^\"'\\\x00-\x1f\x7f]+")  # an id written as it is, between quotes
_KEY_LINE = rb"[ \t]*(?:#[^\n]*)?\r?$"
_OPENS = re.compile(rb"[ \t]*\[")  # a line that opens a table (in a valid file)


def own(facts: Facts, ref: str) -> list[tuple[str, Record]]:
    """The records REF (ID or KIND:ID) names in the chain's last file, by index, in the
    order records.remove lists them (the order of the kinds)."""
    from ..domain.registry import kind_name, kinds

    wanted_kind, _, wanted_id = ref.rpartition(":")
    last = len(facts.files) - 1
    found = []
    for kind in kinds():
        if wanted_kind and kind_name(wanted_kind) != kind:
            continue
        located = facts.origin_of(kind, wanted_id)
        if located is not None and located[1] == last:
            found.append((kind, located[0]))
    return found


def remove(quick: Quick, kind: str, rid: str, before: tuple[int, int] | None, command: str) -> bool:
    """Take KIND's record RID out of the target's file and out of the cache; False (and
    nothing done) when the whole check must say."""
    from . import max_bytes

    if _referred(quick.facts, kind, rid) or _hidden(quick, rid):
        return False
    found = _located(quick, kind, rid)
    if found is None:
        return False
    head, tail, _, _ = found
    if len(head) + len(tail) > max_bytes():
        return False
    quick.update.delete(kind, rid)
    _write(quick, [head, tail], before, command)
    return True


def rewrite(
    quick: Quick,
    kind: str,
    rid: str,
    change: Callable[[Record], Record],
    before: tuple[int, int] | None,
    command: str,
) -> Record | None:
    """Write KIND's record RID anew in the target's file as CHANGE makes it of the record
    as written there (its keys in the curator's order), and put it in the cache: the
    record written, or None (nothing done) when the whole check must say. CHANGE may
    not change the record's id or its references (the chain is not checked again)."""
    from . import max_bytes
    from .tomltext import toml_records

    found = _located(quick, kind, rid)
    if found is None:
        return None
    head, tail, raw, start = found
    record = change(raw)
    block = toml_records(kind, [record]).encode("utf-8")
    checked = _record_of(kind, block, start)
    if checked is None or checked[0] != record or checked[1]["id"] != rid:
        return None
    if len(head) + len(block) + len(tail) > max_bytes():
        return None
    quick.update.put(kind, checked[1], len(quick.target.chain) - 1)
    _write(quick, [head, block, tail], before, command)
    return record


def _write(quick: Quick, parts: list[Part], before: tuple[int, int] | None, command: str) -> None:
    path = quick.target.path
    replace(path, parts, before, command)
    quick.wrote = True
    quick.update.written(path, *parts)


# --- what the cache cannot tell -----------------------------------------------------


def _referred(facts: Facts, kind: str, rid: str) -> bool:
    """Whether any record of the chain may refer to KIND's record RID (by index; a list
    that merely holds the quoted id counts too: the whole check then says)."""
    import json

    from ..domain import tables
    from ..domain.registry import kinds

    for other in kinds().values():
        types = {c.name: c.type for c in tables.columns(other.name)}
        for field in other.fields:
            if not field.ref or kind not in field.ref:
                continue
            if field.name == "source":  # counted per source, in the cache's own table
                if facts.cited_count(rid):
                    return True
                continue
            if types.get(field.name) == "str":
                hits = facts.select(other.name, f'"{field.name}" = ?', [rid])
            else:
                quoted = json.dumps(rid, ensure_ascii=False)
                hits = facts.select(other.name, f'instr("{field.name}", ?)', [quoted])
            if hits:
                return True
    return False


def _hidden(quick: Quick, rid: str) -> bool:
    """Whether an earlier file of the chain may hold a record with id RID, which removing
    the last file's would put in use again (the cache holds only the record in use). Its
    bytes must then hold RID as it is, unless escapes spell it otherwise."""
    from ..domain.problems import FactsError
    from .reading import read_bytes

    wanted = rid.encode("utf-8")
    for path in quick.target.chain[:-1]:
        try:
            data = read_bytes(path)
        except FactsError:
            return True
        if wanted in data or b"\\u" in data or b"\\U" in data:
            return True
    return False


# --- the record's lines ----------------------------------------------------------------

_END = 256 * 1024  # the end of the file, searched first (a record just added is there)


class _Partial(Exception):
    """The end of the file searched does not settle where the record lies."""


def _located(quick: Quick, kind: str, rid: str) -> tuple[Part, memoryview, Record, bytes] | None:
    """KIND's table RID in the target's file, looked for in its last bytes, then (when
    they do not settle it) in the whole file: the file's bytes before the table (copied
    as they are where they were not read) and after it, the record as written, and the
    file's first bytes (its schema version); None when the whole check must say."""
    opened, start = quick.opened, quick.start()
    if start is None:
        return None
    for whole in (opened.size <= _END, True):
        text, offset = (quick.whole(), 0) if whole else _end_of(quick)
        if text is None and not whole:
            continue
        if text is None:
            return None
        try:
            found = _table(text, offset, start, kind, rid, quick.facts)
        except _Partial:
            continue
        if found is None:
            return None
        first, end, raw = found
        return opened.part(offset + first), memoryview(text)[end:], raw, start
    return None


def _end_of(quick: Quick) -> tuple[bytes | None, int]:
    """The last bytes of the target's file from the start of a line, and where they start
    (None when they cannot be read, or hold no line's start)."""
    try:
        text = quick.opened.tail(_END)
    except OSError:
        return None, 0
    cut = text.find(b"\n") + 1
    if not cut:
        return None, 0
    return text[cut:], quick.opened.size - len(text) + cut


def _table(
    current: bytes, offset: int, start: bytes, kind: str, rid: str, facts: Facts
) -> tuple[int, int, Record] | None:
    """Where KIND's table with id RID lies in CURRENT, the bytes of a valid fact file (the
    cache was made from it) from OFFSET to its end, whose first bytes are START: its
    first byte, the byte after its last key (comments and blank lines after it are left
    to what follows, as tomltext.remove_record does), and the record as written. None
    unless those bytes read back, on their own, as the record FACTS holds; _Partial when
    the bytes before CURRENT (when it is not the whole file) may tell otherwise."""
    if start.startswith(_BOM) or not _PLAIN_ID.fullmatch(rid):
        return None
    written = re.escape(rid.encode("utf-8"))
    id_line = re.compile(
        rb"[ \t]*id[ \t]*=[ \t]*(?:\"" + written + rb"\"|'" + written + rb"')" + _KEY_LINE, re.M
    )
    header = re.compile(
        rb"[ \t]*\[\[[ \t]*" + re.escape(kind.encode()) + rb"[ \t]*\]\]" + _KEY_LINE, re.M
    )
    quotes = (b'"',) if offset else (b'"', b"'")  # the file's own quote, tomli_w's, first
    for line in _lines_holding(current, rid.encode("utf-8"), quotes):
        first = _header_above(current, line, offset) if id_line.match(current, line) else None
        if first is not None and header.match(current, first):
            break  # ids are unique within a kind in a valid file: the first is the one
    else:
        if offset:
            raise _Partial  # it may be in the bytes before, or written between ' quotes
        return None
    end = _table_end(current, first, kind)
    if not _outside_strings(current, first, end, offset):
        return None
    checked = _record_of(kind, current[first:end], start)
    if checked is None:
        return None
    raw, record = checked
    located = facts.origin_of(kind, rid)
    if located is None or located[0] != record or raw.get("id") != rid:
        return None
    return first, end, raw


def _lines_holding(
    current: bytes, rid: bytes, quotes: tuple[bytes, ...], most: int = 64
) -> Iterator[int]:
    """The starts of the lines of CURRENT that hold RID between QUOTES, the last first (a
    record just added is at the end), found by a search for the bytes rather than a look
    at every line; no more than MOST of them (the whole check says after that)."""
    for quote in quotes:
        needle = quote + rid + quote
        at = current.rfind(needle)
        while at >= 0 and most > 0:
            most -= 1
            yield current.rfind(b"\n", 0, at) + 1
            at = current.rfind(needle, 0, at)


def _outside_strings(current: bytes, start: int, end: int, offset: int = 0) -> bool:
    """Whether the lines from START to END of CURRENT (a valid file from OFFSET on) are
    surely outside any multi-line string, where a line may look like a table header and
    not be one: no such string in them, and no quote of one on the shorter side of them
    (a string around them would need one on each side). Two searches of the bytes, no
    parse; _Partial when the shorter side starts before CURRENT."""
    side = (0, start) if offset + start <= len(current) - end else (end, len(current))
    if side[0] == 0 and offset:
        raise _Partial
    return not any(
        current.find(quote, start, end) >= 0 or current.find(quote, *side) >= 0
        for quote in (b'"""', b"'''")
    )


def _header_above(current: bytes, line: int, offset: int = 0) -> int | None:
    """The start of the nearest line at or above the one starting at LINE that opens a
    table (its first character `[`), or None; _Partial when it would be above CURRENT
    (the bytes of a file from OFFSET on)."""
    while True:
        if _OPENS.match(current, line):
            return line
        if line == 0:
            if offset:
                raise _Partial
            return None
        line = current.rfind(b"\n", 0, line - 1) + 1


def _table_end(current: bytes, start: int, kind: str) -> int:
    """The byte after the last key line of the table opened at START: its sub-tables
    ([[kind.evidence]]) are its own, any other table ends it."""
    sub = re.compile(rb"[ \t]*\[\[?[ \t]*" + re.escape(kind.encode()) + rb"[ \t]*\.")
    end = line = start
    while True:
        newline = current.find(b"\n", line)
        after = len(current) if newline < 0 else newline + 1
        text = current[line:after].strip()
        if line != start and text[:1] == b"[" and not sub.match(current, line):
            return end
        if text and not text.startswith(b"#"):
            end = after
        if after >= len(current):
            return end
        line = after


def _record_of(kind: str, block: bytes, start: bytes) -> tuple[Record, Record] | None:
    """BLOCK, one [[KIND]] table of the file whose first bytes (up to its first table at
    least) are START, read on its own: the record as written and as validated (upgraded
    from the file's schema version), or None when it is not one valid record of KIND."""
    from copy import deepcopy as copy_of

    from ..domain.problems import FactsError
    from ..domain.records import validate_document
    from .appending import schema_version_of
    from .reading import parse

    version = schema_version_of(start)
    if version is None:
        return None
    try:
        text = block.decode("utf-8")
        doc = parse(text, "-")
    except (UnicodeDecodeError, FactsError):
        return None
    items = doc.get(kind)
    if list(doc) != [kind] or not isinstance(items, list) or len(items) != 1:
        return None
    raw = items[0]
    copy = copy_of(raw)  # an upgrade may change what it is given
    records, problems = validate_document({"schema_version": version, kind: [copy]}, "-", text)
    if problems or len(records.get(kind, [])) != 1:
        return None
    return raw, records[kind][0]
