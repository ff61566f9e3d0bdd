"""Shaping records into rows: the stable shape of each kind, plus the fields derived from
the data (periods, computed growth, names behind ids, claims). What every listing runs;
finding records (by name, company, relation or words) is selection.py's.

Knows nothing of click or rich.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from . import figures
from .claims import Key, Subject, best, dispute_note, group, origin_label, subject_key
from .facts import Facts
from .registry import Deriver, Field, Kind, empty_record, find_kind, kind_of

Record = dict[str, Any]


def fields_of(kind: str) -> tuple[Field, ...]:
    """Every field a row of KIND has, in output order."""
    return kind_of(kind).all_fields


def rows(
    facts: Facts, kind: str, records: Iterable[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Records of KIND in their stable output shape: every field present, derived ones added."""
    records = facts[kind] if records is None else list(records)
    return list(map(_shaper(facts, kind, records), records))


def _shaper(facts: Facts, kind: str, records: list[Record]) -> Callable[[Record], Record]:
    """What shapes each of RECORDS (of KIND) into its row: the derivers are made once, for
    them all (the claims of their subjects, the names behind their ids)."""
    declared = kind_of(kind)
    derivers = [make(facts, records) for make in _derivers(declared)]
    if declared.cited and not declared.pooled:  # a pooled kind's deriver gives these
        pool = facts[kind] if declared.subject != ("id",) else records
        derivers.append(_claims(kind, pool, sources_of(facts, pool)))

    def shape(record: Record) -> Record:
        row = empty_record(kind)
        row.update(record)
        for field in declared.derived:
            row[field.name] = None
        for derive in derivers:
            row.update(derive(record))
        return row

    return shape


def _derivers(kind: Kind) -> list[Deriver]:
    """What computes KIND's derived fields: the names behind its ids, and its own."""
    found = [_names_of(kind)] if any(f.names_of for f in kind.derived) else []
    return found + ([kind.derive] if kind.derive else [])


def _names_of(kind: Kind) -> Deriver:
    """The derived fields that give the names behind the ids of another field: the name
    of each record named (null when unknown; in a list, the id itself)."""
    named = [(f.name, kind.field_map[f.names_of]) for f in kind.derived if f.names_of]

    def make(facts: Facts, records: list[Record]) -> Callable[[Record], Record]:
        names = {source.name: _names(facts, *source.ref) for _, source in named}

        def derive(r: Record) -> Record:
            out: Record = {}
            for name, source in named:
                value, known = r.get(source.name), names[source.name]
                if source.type == "strlist":
                    out[name] = [known.get(v, v) for v in value or ()]
                else:
                    out[name] = known.get(value) if isinstance(value, str) else None
            return out

        return derive

    return make


def listing(
    facts: Facts,
    kind: str,
    records: Iterable[Record] | None = None,
    *,
    all_claims: bool = False,
) -> list[Record]:
    """Rows of KIND for a listing: one per subject, from its first best claim (its first
    claim when all are deprecated, so that no subject vanishes), in the order subjects
    first appear; with ALL_CLAIMS, every claim's row, each saying whether it is best
    (fields only the best claims carry, such as computed growth, empty on the others)."""
    declared = kind_of(kind)
    if not declared.cited:
        return rows(facts, kind, records)
    if all_claims:
        blank = {f.name: None for f in declared.derived if f.best_only}
        shaped = rows(facts, kind, records)
        return [row if row["best"] or not blank else {**row, **blank} for row in shaped]
    records = facts[kind] if records is None else list(records)
    shape = _shaper(facts, kind, records)
    chosen: dict[Key, Record] = {}
    for record in records:
        key = subject_key(kind, record)  # subject fields are stored ones: the row's key too
        held = chosen.get(key)
        if held is not None and held["best"]:
            continue  # its subject shows an earlier best claim: no need to shape this one
        row = shape(record)
        if held is None or row["best"]:
            chosen[key] = row
    return list(chosen.values())


def sources_of(facts: Facts, claims: Iterable[Record] | None = None) -> dict[str, Record]:
    """The source records by id: what tells each claim's origin (claims.claim_origin);
    given CLAIMS, only the sources they cite, by index, so that a listing of a few rows
    reads a few sources rather than all of them. The kind of the sources is read on its
    own (as a kind that names another imports it), not by reading every kind to find it."""
    from .kinds.sources import KIND as SOURCES

    if claims is None:
        return facts.by_id(SOURCES.name)
    cited = {str(c["source"]) for c in claims if c.get("source")}
    return {r["id"]: r for r in facts.where(SOURCES.name, "id", cited)}


def _claims(
    kind: str, pool: list[Record], sources: dict[str, Record]
) -> Callable[[Record], Record]:
    """The claim fields of records of KIND, their subjects formed from POOL (every record
    of the kind, or the records themselves where each is its own subject)."""
    by_key = {subject.key: subject for subject in group(kind, pool, sources)}

    def derive(r: Record) -> Record:
        subject = by_key.get(subject_key(kind, r))
        return claim_fields(subject, r)

    return derive


def claim_fields(subject: Subject | None, r: Record) -> Record:
    """The claim fields of R, a claim about SUBJECT (None: a subject of its own)."""
    if subject is None:  # not in the pool: a subject of its own
        subject = group_one(r)
    best_ids = {c.get("id") for c in subject.best}
    source_id = str(r.get("source") or "")
    source = (subject.by_id or {}).get(source_id)
    return {
        "source_label": _source_label(source, source_id),
        "origin": origin_label(source, source_id),
        "claims": len(subject.claims),
        "origins": subject.origins,
        "disputed": subject.disputed,
        "best": r.get("id") in best_ids,
        "dispute": dispute_note(subject) if subject.disputed else None,
        "also": "; ".join(
            _claim_label(subject.kind, c) for c in subject.claims if c.get("id") != r.get("id")
        )
        or None,
    }


def _source_label(source: Record | None, fallback: str) -> str:
    """'Millennium Post, 2025-04-11': a source as a reader knows it; its id without either."""
    if not source:
        return fallback
    known = [str(source[f]) for f in ("publisher", "published") if source.get(f)]
    return ", ".join(known) if source.get("publisher") else fallback


def _claim_label(kind: str, claim: Record) -> str:
    """'₹90,600 crore (pib, preferred)': a claim named for a footnote, by its figure (or
    its kind's compared fields, a rank's position), else its id."""
    declared = find_kind(kind)
    compared = declared.compared if declared is not None else ()
    if claim.get("unit") and declared is not None and declared.figures:
        what = figures.figure(claim)
    elif compared:
        what = ", ".join(str(claim.get(f)) for f in compared)
    else:
        what = claim.get("id", "")
    rank = claim.get("rank") or "normal"
    return f"{what} ({claim.get('source') or claim.get('id')}, {rank})"


def group_one(record: Record, sources: dict[str, Record] | None = None) -> Subject:
    """A record as a subject of its own (kinds without figures never dispute)."""
    return Subject("", (), [record], best([record]), False, sources)


def _names(facts: Facts, *named: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for kind in named:
        for r in facts[kind]:
            names.setdefault(r["id"], r.get("name") or r["id"])
    return names


def convert_rows(rows: list[dict[str, Any]], target: str) -> list[dict[str, Any]]:
    """Add converted_value and converted_unit (INR TARGET) to rows whose unit is in rupees."""
    out = []
    for row in rows:
        row = dict(row)
        if row.get("unit") in figures.RUPEE_FACTORS and row.get("value") is not None:
            row["converted_value"] = round(figures.convert(row["value"], row["unit"], target), 6)
            row["converted_unit"] = f"INR {target}"
        out.append(row)
    return out
