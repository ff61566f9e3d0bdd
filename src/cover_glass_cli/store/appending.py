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
import re
import sqlite3
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING

from ..domain.facts import Facts, FactsError, Record, Unusable
from .curation import Target, replace

if TYPE_CHECKING:
    from .cache_update import Update

_VERSION = re.compile(r"^schema_version[ \t]*=[ \t]*([0-9]+)[ \t]*(?:#[^\n]*)?\r?$", re.M)
_HEADER = re.compile(rb"^[ \t]*\[", re.M)


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
    """The target's file read once and its chain's cache opened for one change, when the
    cache is fresh and was made from those very bytes (else None: the whole check).

    One freshness check serves every question asked of `Quick.facts`, the change and
    the claims note after it. A cache that fails under a question before anything is
    written is removed and the block's exception swallowed: the code after the block
    then goes the whole way."""
    from . import cache_update
    from .reading import read_bytes

    if not _quick_target(target):
        yield None
        return
    with cache_update.updating(target.chain, based=target.path) as update:
        quick = None
        if update is not None:
            try:
                current = read_bytes(target.path)
            except FactsError:
                current = None
            if current is not None and update.based_on(target.path, current):
                quick = Quick(target, update, current)
        try:
            yield quick
        except (sqlite3.Error, Unusable, ValueError, TypeError, KeyError, IndexError):
            # what Facts takes for tables failing under a question (see Facts._ask)
            if quick is None or quick.wrote or update is None:
                raise
            update.spoil()


class Quick:
    """The facts of a fresh cache inside the transaction of one change (see `session`)."""

    def __init__(self, target: Target, update: Update, current: bytes) -> None:
        self.target, self.update, self.current = target, update, current
        self.facts = update.facts()
        self.wrote = False

    def append(
        self, kind: str, record: Record, before: tuple[int, int] | None, command: str
    ) -> bool:
        """Append RECORD (of KIND, its id already settled by claim_id) to the target's
        file and to the cache, when it is checked here valid; False (nothing done) when
        the whole check must say."""
        from .paths import max_bytes
        from .tomltext import toml_records

        current, target = self.current, self.target
        if current.startswith(b"\xef\xbb\xbf"):
            return False  # a BOM, which the whole check drops when it writes the file
        preamble = preamble_of(current)
        if preamble is None:
            return False
        block = toml_records(kind, [record])
        checked = _checked(kind, record, block, preamble, self.facts)
        if checked is None:
            return False
        # The text as `current.rstrip("\n") + "\n\n" + block`, without copying the file:
        # the bytes read, then what follows them (their hash extended, not taken again).
        end = len(current)
        while end and current[end - 1] == 0x0A:
            end -= 1
        blank = len(current) - end
        head: bytes | memoryview = current if blank <= 2 else memoryview(current)[:end]
        tail = b"\n" * (2 - min(blank, 2)) + block.encode("utf-8")
        if len(head) + len(tail) > max_bytes():
            return False
        self.update.put(kind, checked, len(target.chain) - 1)
        replace(target.path, [head, tail], before, command)
        self.wrote = True
        self.update.written(target.path, head, tail)
        return True

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
        if columns[f].folded and isinstance(record.get(f), str) and record[f].strip()
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
