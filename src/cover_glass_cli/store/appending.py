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

import re
from collections.abc import Collection, Iterator

from ..domain.facts import Facts, FactsError, Record
from .curation import Target, replace

_VERSION = re.compile(r"^schema_version[ \t]*=[ \t]*([0-9]+)[ \t]*(?:#[^\n]*)?\r?$", re.M)
_HEADER = re.compile(rb"^[ \t]*\[", re.M)


def cached_facts(target: Target) -> Facts | None:
    """The facts of the target's chain from a fresh cache, when the quick way may be
    tried: the target exists and is the chain's last file."""
    from .cache import cached

    path = target.path
    if not target.in_use or target.chain[-1] != path or not path.is_file():
        return None
    try:
        return cached(target.chain)
    except (OSError, FactsError):
        return None


def append(
    target: Target,
    facts: Facts,
    kind: str,
    record: Record,
    before: tuple[int, int] | None,
    command: str,
) -> bool:
    """Append RECORD (of KIND, its id already settled by claim_id) to the target's file
    and to the cache, when it is checked here valid; False (nothing done) when the whole
    check must say."""
    from . import cache_update
    from .paths import max_bytes
    from .reading import decode, read_bytes
    from .tomltext import toml_records

    try:  # as bytes: the cache, fresh, says the file is valid (so UTF-8) as it is
        current = read_bytes(target.path)
        header = _HEADER.search(current)
        preamble = decode(current[: header.start() if header else len(current)], "-")
    except FactsError:
        return False
    if current.startswith(b"\xef\xbb\xbf"):
        return False  # a BOM, which the whole check drops when it writes the file
    block = toml_records(kind, [record])
    checked = _checked(kind, record, block, preamble, facts)
    if checked is None:
        return False
    data = current.rstrip(b"\n") + b"\n\n" + block.encode("utf-8")
    if len(data) > max_bytes():
        return False
    facts.close()  # no reader of ours in the way of the update's commit
    with cache_update.updating(target.chain) as update:
        if update is None:
            return False
        update.put(kind, checked, len(target.chain) - 1)
        replace(target.path, data, before, command)
        update.written(target.path, data)
    return True


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
    index on a whole-number part of it (a fiscal year), else the whole kind."""
    from ..domain.claims import subject_fields, subject_key

    numbers = [f for f in subject_fields(kind) if type(record.get(f)) is int]
    first = numbers[0] if numbers else None
    candidates = facts[kind] if first is None else facts.equal(kind, first, record[first])
    key = subject_key(kind, record)
    return [r for r in candidates if subject_key(kind, r) == key]
