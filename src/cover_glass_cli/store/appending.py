"""`facts add` in time proportional to the record added, not to the facts.

When the chain's cache is fresh and the target is the chain's last file, the new record
is checked on its own (parsed and validated as the block of TOML appended to the file)
and against the cache by index (its references, its id, the claims on its subject); the
file is written with the block appended (atomically, as every write), and the cache is
updated in the same step (cache_update.py). Anything this cannot settle cheaply, a
problem above all, is left to the whole check (records.add), whose messages are the
ones the user sees: this path only ever says yes, or "ask the whole check".
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
import stat
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.facts import Facts, Record, Unusable
from ..domain.problems import FactsError
from .curation import Target, replace

if TYPE_CHECKING:
    from .cache_update import Update
    from .writer import Part

_VERSION = re.compile(r"^schema_version[ \t]*=[ \t]*([0-9]+)[ \t]*(?:#[^\n]*)?\r?$", re.M)
_HEADER = re.compile(rb"^[ \t]*\[", re.M)
# Whether the target may stay open while the new file is renamed over it: not on Windows,
# where it is then read whole at once and closed (as before the copy in the kernel).
HELD_OPEN = os.name == "posix"
_HEAD = 64 * 1024  # read first, for the text before the first table (more only if it is longer)
_TAIL = 4096  # read last, for the blank lines at the end (more only if they are more)


def cached_facts(target: Target) -> Facts | None:
    """The facts of the target's chain from a fresh cache, when the quick way may be
    tried: the target exists and is the chain's last file."""
    from .cache import cached

    if not _quick_target(target):
        return None
    try:
        return cached(target.chain)
    except (OSError, FactsError):
        return None


def _quick_target(target: Target) -> bool:
    path = target.path
    return target.in_use and target.chain[-1] == path and path.is_file()


@contextlib.contextmanager
def session(target: Target) -> Iterator[Quick | None]:
    """The target's file opened once and its chain's cache opened for one change, when the
    cache is fresh and was made from that very file (else None: the whole check).

    One freshness check serves every question asked of `Quick.facts`, the change and
    the claims note after it. A cache that fails under a question before anything is
    written is removed and the block's exception swallowed: the code after the block
    then goes the whole way."""
    from . import cache_update

    if not _quick_target(target):
        yield None
        return
    with cache_update.updating(target.chain, based=target.path) as update:
        opened = Opened.of(target.path) if update is not None else None
        try:
            quick = None
            if update is not None and opened is not None:
                with contextlib.suppress(OSError):
                    if update.based_on(target.path, opened.st, opened.whole):
                        quick = Quick(target, update, opened)
            try:
                yield quick
            except (sqlite3.Error, Unusable, ValueError, TypeError, KeyError, IndexError):
                # what Facts takes for tables failing under a question (see Facts._ask)
                if quick is None or quick.wrote or update is None:
                    raise
                update.spoil()
        finally:
            if opened is not None:
                opened.close()


class Opened:
    """The target's file, open for one change under the lock: its status as opened, and
    its bytes, read only as far as the change asks (the whole file, or its two ends)."""

    def __init__(self, fd: int, st: os.stat_result) -> None:
        self.fd: int | None = fd
        self.st, self.size = st, st.st_size
        self._whole: bytes | None = None

    @classmethod
    def of(cls, path: Path) -> Opened | None:
        """PATH opened, when it is a regular file within the size limit (else None)."""
        from . import max_bytes

        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
        except (OSError, ValueError):
            return None
        try:
            st = os.fstat(fd)
        except OSError:
            st = None
        if st is None or not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes():
            os.close(fd)
            return None
        opened = cls(fd, st)
        if not HELD_OPEN:
            try:
                opened.whole()
            except OSError:
                return None
            finally:
                opened.close()
        return opened

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def _open(self) -> int:
        if self.fd is None:
            raise OSError(errno.EBADF, "the file is closed")
        return self.fd

    def whole(self) -> bytes:
        """The whole file, read once; OSError when it changed since it was opened."""
        from .writer import Span

        if self._whole is None:
            span = Span(self._open(), self.size, self.st)
            data = b"".join(span.chunks(size=max(self.size, 1)))
            span.check()
            self._whole = data
        return self._whole

    def head(self, size: int) -> bytes:
        """Its first SIZE bytes (fewer in a smaller file)."""
        from .writer import read_at

        if self._whole is not None:
            return self._whole[:size]
        return read_at(self._open(), 0, min(size, self.size))

    def tail(self, size: int) -> bytes:
        """Its last SIZE bytes (fewer in a smaller file)."""
        from .writer import read_at

        start = max(self.size - size, 0)
        if self._whole is not None:
            return self._whole[start:]
        return read_at(self._open(), start, self.size - start)

    def part(self, length: int) -> Part:
        """Its first LENGTH bytes as a part of a new file: from memory when it was read
        whole, else copied from the file itself as it is written (writer.Span)."""
        from .writer import Span

        if self._whole is None:
            return Span(self._open(), length, self.st)
        return self._whole if length == self.size else memoryview(self._whole)[:length]


class Quick:
    """The facts of a fresh cache inside the transaction of one change (see `session`)."""

    def __init__(self, target: Target, update: Update, opened: Opened) -> None:
        self.target, self.update, self.opened = target, update, opened
        self.facts = update.facts()
        self.wrote = False

    def whole(self) -> bytes | None:
        """The target's whole file, read once; None when it changed since it was opened
        (the whole check then says)."""
        try:
            return self.opened.whole()
        except OSError:
            return None

    def append(
        self, kind: str, record: Record, before: tuple[int, int] | None, command: str
    ) -> bool:
        """Append RECORD (of KIND, its id already settled by claim_id) to the target's
        file and to the cache, when it is checked here valid; False (nothing done) when
        the whole check must say."""
        from . import max_bytes
        from .tomltext import toml_records

        opened, target = self.opened, self.target
        ends = self._ends()
        if ends is None:
            return False
        start, blank = ends
        if start.startswith(b"\xef\xbb\xbf"):
            return False  # a BOM, which the whole check drops when it writes the file
        preamble = preamble_of(start)
        if preamble is None:
            return False
        block = toml_records(kind, [record])
        checked = _checked(kind, record, block, preamble, self.facts)
        if checked is None:
            return False
        # The text as `current.rstrip("\n") + "\n\n" + block`, the file's bytes copied as
        # they are (not read here), then what follows them.
        kept = opened.size - max(blank - 2, 0)  # two blank lines of its own at most
        tail = b"\n" * (2 - min(blank, 2)) + block.encode("utf-8")
        if kept + len(tail) > max_bytes():
            return False
        parts = [opened.part(kept), tail]
        self.update.put(kind, checked, len(target.chain) - 1)
        replace(target.path, parts, before, command)
        self.wrote = True
        self.update.written(target.path, *parts)
        return True

    def start(self) -> bytes | None:
        """The file's first bytes, up to its first table at least (all of them when it has
        none); None when they cannot be read (or changed)."""
        opened = self.opened
        try:
            start = opened.head(_HEAD)
            if len(start) < opened.size and not _HEADER.search(start):
                start = opened.whole()  # a long text before the first table, or no table
        except OSError:
            return None
        return start

    def _ends(self) -> tuple[bytes, int] | None:
        """What an append needs of the file: its bytes up to its first table at least,
        and how many newlines end it; None when it cannot be read (or changed)."""
        opened = self.opened
        start = self.start()
        if start is None:
            return None
        try:
            end = opened.tail(_TAIL)
            if len(end) < opened.size and not end.strip(b"\n"):
                end = opened.whole()  # nothing but blank lines at its end
        except OSError:
            return None
        return start, len(end) - len(end.rstrip(b"\n"))

    def claims(self, kind: str, record: Record) -> list[str]:
        """The claims note (claims_lines) once RECORD is in, asked of the same
        transaction; none when the cache fails under it (the file is written by then)."""
        try:
            return claims_lines(self.facts, kind, record)
        except (sqlite3.Error, Unusable):
            return []


def _checked(kind: str, record: Record, block: str, preamble: str, facts: Facts) -> Record | None:
    """RECORD as the file will hold it once BLOCK is appended to the file whose text
    before its first table is PREAMBLE (upgraded as the file's schema version reads it),
    when it is valid there and in the chain; else None."""
    from ..domain.records import validate_document
    from ..domain.registry import kind_of
    from .reading import parse

    version = _VERSION.search(preamble)
    if version is None or not all(
        not line.strip() or line.lstrip().startswith("#") or _VERSION.fullmatch(line)
        for line in preamble.split("\n")
    ):
        # Only comments and a plain schema_version before the first table: KIND given
        # there as an inline array or dotted keys would refuse an appended [[KIND]].
        return None
    text = f"schema_version = {version.group(1)}\n\n{block}"
    try:
        doc = parse(text, "-")
    except FactsError:
        return None
    if doc != {"schema_version": int(version.group(1)), kind: [record]}:
        return None  # the block does not read back as the record
    records, problems = validate_document(doc, "-", text)
    if problems or len(records.get(kind, [])) != 1:
        return None
    checked = records[kind][0]
    found = facts.origin_of(kind, checked["id"])
    if found is not None and found[1] == len(facts.files) - 1:
        return None  # an id of the file itself: the whole check refuses the duplicate
    for name, field in kind_of(kind).field_map.items():
        if not field.ref or name not in checked:
            continue
        value = checked[name]
        for wanted in value if isinstance(value, list) else [value]:
            if not isinstance(wanted, str) or not facts.with_id(wanted, field.ref):
                return None
    return checked


def preamble_of(current: bytes) -> str | None:
    """The text of the file CURRENT before its first table; None when it does not decode."""
    from .reading import decode

    header = _HEADER.search(current)
    try:
        return decode(current[: header.start() if header else len(current)], "-")
    except FactsError:
        return None


def schema_version_of(current: bytes) -> int | None:
    """The schema version the file CURRENT states before its first table, written as a
    plain `schema_version = N` line; None when it is not written so."""
    found = _VERSION.search(preamble_of(current) or "")
    return int(found.group(1)) if found else None


class IdsOf(Collection[str]):
    """The ids of KIND in FACTS, asked one at a time of the index (for claim_suffix)."""

    def __init__(self, facts: Facts, kind: str) -> None:
        self._facts, self._kind = facts, kind

    def __contains__(self, rid: object) -> bool:
        return isinstance(rid, str) and bool(self._facts.with_id(rid, [self._kind]))

    def __iter__(self) -> Iterator[str]:
        return iter(r["id"] for r in self._facts[self._kind])

    def __len__(self) -> int:
        return len(self._facts[self._kind])


def same_subject(facts: Facts, kind: str, record: Record) -> list[Record]:
    """The records of KIND in FACTS about RECORD's subject (claims.subject_key), read by
    index on its whole numbers (a fiscal year) and narrowed on its texts in any case."""
    from ..domain import tables
    from ..domain.claims import subject_fields, subject_key

    columns = {c.name: c for c in tables.columns(kind)}
    fields = [f for f in subject_fields(kind) if f in columns]
    numbers = {
        f: record[f] for f in fields if columns[f].type == "int" and type(record.get(f)) is int
    }
    texts = {
        f: record[f].strip().casefold()
        for f in fields
        if tables.folded(columns[f]) and isinstance(record.get(f), str) and record[f].strip()
    }
    key = subject_key(kind, record)
    return [r for r in facts.about(kind, numbers, texts) if subject_key(kind, r) == key]


def claims_lines(facts: Facts, kind: str, record: Record) -> list[str]:
    """How many claims RECORD's subject has in FACTS, which is shown, and whether they
    disagree, so that a change of the best claim is never silent."""
    from ..domain.claims import dispute_note, group, subject_fields, subject_key
    from ..domain.query import sources_of

    if subject_fields(kind) == ("id",):
        return []
    key = subject_key(kind, record)
    claims = same_subject(facts, kind, record)
    sources = sources_of(facts)  # disputes between origins only
    subject = next((s for s in group(kind, claims, sources) if s.key == key), None)
    if subject is None or len(subject.claims) < 2:
        return []
    ids = ", ".join(c["id"] for c in subject.claims)
    shown = subject.shown["id"] if subject.shown else "none"
    notes = [
        f"cgcli: this subject now has {len(subject.claims)} claims ({ids}); "
        f"shown: {shown} (cgcli {kind.replace('_', '-')} --all-claims lists them)"
    ]
    if subject.disputed:
        notes.append(f"cgcli: {dispute_note(subject)}")
    return notes
