"""Selecting records and shaping them into rows: the stable shape of each kind,
plus the fields derived from the data (periods, computed growth, names behind ids).

Knows nothing of click or rich.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from . import fiscal
from .claims import (
    Key,
    Subject,
    best,
    dispute_note,
    group,
    growth_between,
    subject_fields,
    subject_key,
)
from .facts import Facts, NoMatch
from .intervals import Growth, compare, format_growth, stated_growth
from .schema import FIELD_MAP, KINDS, Field, empty_record, kind_name

CLAIMS: tuple[Field, ...] = (
    Field("claims", "int", False, "How many claims the data holds about this row's subject."),
    Field("disputed", "bool", False, "Whether the subject's best claims disagree (see dispute)."),
    Field(
        "best",
        "bool",
        False,
        "Whether this claim is one its subject's best: preferred, else normal, rank.",
    ),
    Field("dispute", "str", False, "When disputed: each best claim's figure and source."),
    Field("also", "str", False, "The subject's other claims: figure, source and rank."),
)
"""Derived fields of every kind but sources: a record is a claim about a subject
(claims.SUBJECT_FIELDS), and a listing shows one row per subject unless asked for all."""

_EXPORTS: tuple[Field, ...] = (
    Field("period", "str", False, "FY2023, or Q1 FY2024 for a quarter."),
    Field("months", "str", False, "Calendar months covered."),
    Field(
        "compared_with",
        "str",
        False,
        "Id of the year-ago record shown (its subject's best claim), when in the data.",
    ),
    Field(
        "growth_computed_pct",
        "number",
        False,
        "Growth computed from the best claims, when the figures fix it to one number.",
    ),
    Field(
        "growth_computed_qualifier",
        "str",
        False,
        "Kind of computed growth: exact, over, under, approximate, range or unknown.",
    ),
    Field(
        "growth_computed_low",
        "number",
        False,
        "Lowest growth the figures allow, in per cent; null when there is none.",
    ),
    Field(
        "growth_computed_high",
        "number",
        False,
        "Highest growth the figures allow, in per cent; null when unbounded.",
    ),
    Field(
        "growth_computed_text",
        "str",
        False,
        "The computed growth as people read it: +100%, > 100%, ≈ 42%, unknown.",
    ),
    Field(
        "growth_computed_note",
        "str",
        False,
        "Why the computed growth is unknown, or that a figure behind it is disputed.",
    ),
    Field(
        "growth_check",
        "str",
        False,
        "Stated growth against computed: agrees, differs, or cannot tell (they fit, but the "
        "figures leave growth open-ended); null when either is missing.",
    ),
    Field("converted_value", "number", False, "The figure in the unit --unit asks for."),
    Field("converted_unit", "str", False, "That unit; null without --unit."),
)

Record = dict[str, Any]

DERIVED: dict[str, tuple[Field, ...]] = {
    "sources": (
        Field("cited_by", "strlist", False, "The first 50 records citing it, as kind:id."),
        Field("cited_by_count", "int", False, "How many records cite it (all: --cited-by ID)."),
    ),
    "people": (Field("company_name", "str", False, "Name of the company."), *CLAIMS),
    "statements": (Field("speaker_name", "str", False, "Name of the speaker."), *CLAIMS),
    "ventures": (Field("partner_names", "strlist", False, "Names of the partners."), *CLAIMS),
    "sites": (Field("operator_name", "str", False, "Name of the operator."), *CLAIMS),
    "customers": (Field("supplier_name", "str", False, "Name of the supplier."), *CLAIMS),
    "exports": (*_EXPORTS, *CLAIMS),
    "companies": CLAIMS,
    "value_addition": CLAIMS,
    "market_facts": CLAIMS,
}


def fields_of(kind: str) -> tuple[Field, ...]:
    """Every field a row of KIND has, in output order."""
    return KINDS[kind] + DERIVED.get(kind, ())


def rows(
    facts: Facts, kind: str, records: Iterable[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Records of KIND in their stable output shape: every field present, derived ones added."""
    records = facts[kind] if records is None else list(records)
    derive = _DERIVERS.get(kind)
    extra = derive(facts, records) if derive else None
    claimed = None
    if kind != "sources" and kind != "exports":  # exports' deriver gives its claim fields
        claimed = _claims(kind, facts[kind] if subject_fields(kind) != ("id",) else records)
    out = []
    for record in records:
        row = empty_record(kind)
        row.update(record)
        for field in DERIVED.get(kind, ()):
            row[field.name] = None
        if extra:
            row.update(extra(record))
        if claimed:
            row.update(claimed(record))
        out.append(row)
    return out


# The computed-growth fields, empty: what a claim that is not among its subject's best
# carries in an all-claims listing (the growth belongs to the best claims).
_NO_GROWTH = {
    "growth_computed_pct": None,
    "growth_computed_qualifier": None,
    "growth_computed_low": None,
    "growth_computed_high": None,
    "growth_computed_text": None,
    "growth_computed_note": None,
    "growth_check": None,
}


def listing(
    facts: Facts,
    kind: str,
    records: Iterable[Record] | None = None,
    *,
    all_claims: bool = False,
) -> list[Record]:
    """Rows of KIND for a listing: one per subject, from its first best claim (its first
    claim when all are deprecated, so that no subject vanishes), in the order subjects
    first appear; with ALL_CLAIMS, every claim's row, each saying whether it is best."""
    shaped = rows(facts, kind, records)
    if kind == "sources":
        return shaped
    if all_claims and kind == "exports":  # growth comes from the best claims: on those rows
        return [row if row["best"] else {**row, **_NO_GROWTH} for row in shaped]
    if all_claims:
        return shaped
    chosen: dict[Key, Record] = {}
    for row in shaped:
        key = subject_key(kind, row)
        if key not in chosen or (row["best"] and not chosen[key]["best"]):
            chosen[key] = row
    return list(chosen.values())


def _claims(kind: str, pool: list[Record]) -> Callable[[Record], Record]:
    """The claim fields of records of KIND, their subjects formed from POOL (every record
    of the kind, or the records themselves where each is its own subject)."""
    by_key = {subject.key: subject for subject in group(kind, pool)}

    def derive(r: Record) -> Record:
        subject = by_key.get(subject_key(kind, r))
        return _claim_fields(subject, r)

    return derive


def _claim_fields(subject: Subject | None, r: Record) -> Record:
    if subject is None:  # not in the pool: a subject of its own
        subject = group_one(r)
    best_ids = {c.get("id") for c in subject.best}
    return {
        "claims": len(subject.claims),
        "disputed": subject.disputed,
        "best": r.get("id") in best_ids,
        "dispute": dispute_note(subject) if subject.disputed else None,
        "also": "; ".join(_claim_label(c) for c in subject.claims if c.get("id") != r.get("id"))
        or None,
    }


def _claim_label(claim: Record) -> str:
    """'₹90,600 crore (pib, preferred)': a claim named for a footnote."""
    from . import figures

    what = figures.figure(claim) if claim.get("unit") else claim.get("id", "")
    rank = claim.get("rank") or "normal"
    return f"{what} ({claim.get('source') or claim.get('id')}, {rank})"


def group_one(record: Record) -> Subject:
    """A record as a subject of its own (kinds without figures never dispute)."""
    return Subject("", (), [record], best([record]), False)


def _names(facts: Facts, *kinds: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for kind in kinds:
        for r in facts[kind]:
            names.setdefault(r["id"], r.get("name") or r["id"])
    return names


Deriver = Callable[[Facts, list[Record]], Callable[[Record], Record]]


def _sources(facts: Facts, records: list[Record]) -> Callable[[Record], Record]:
    """The records citing each source: the first few and a count, from an index."""
    return lambda r: {
        "cited_by": facts.cited_by(r["id"]),
        "cited_by_count": facts.cited_count(r["id"]),
    }


def _people(facts: Facts, records: list[Record]) -> Callable[[Record], Record]:
    names = _names(facts, "companies")
    return lambda r: {"company_name": names.get(r["company"])}


def _statements(facts: Facts, records: list[Record]) -> Callable[[Record], Record]:
    names = _names(facts, "people", "companies")
    return lambda r: {"speaker_name": names.get(r["speaker"])}


def _ventures(facts: Facts, records: list[Record]) -> Callable[[Record], Record]:
    names = _names(facts, "companies")
    return lambda r: {"partner_names": [names.get(p, p) for p in r["partners"]]}


def _sites(facts: Facts, records: list[Record]) -> Callable[[Record], Record]:
    names = _names(facts, "companies", "ventures")
    return lambda r: {"operator_name": names.get(r["operator"])}


def _customers(facts: Facts, records: list[Record]) -> Callable[[Record], Record]:
    names = _names(facts, "companies")
    return lambda r: {"supplier_name": names.get(r["supplier"])}


def _exports(facts: Facts, records: list[Record]) -> Callable[[Record], Record]:
    """Period, months, claim fields and growth computed from best claims (intervals.py):
    each subject's records and the year-ago ones are fetched at once (facts.exports_of)."""
    years: dict[tuple[str, str], list[int]] = {}
    for r in records:
        years.setdefault((r["country"].casefold(), r["product"].casefold()), []).append(r["fy"])
    pool = facts.exports_of({key: (min(fys) - 1, max(fys)) for key, fys in years.items()})
    by_key = {subject.key: subject for subject in group("exports", pool)}
    growths: dict[Key, Growth | None] = {}

    def derive(r: Record) -> Record:
        quarter = r.get("quarter")
        key = subject_key("exports", r)
        subject = by_key.get(key)
        out: Record = {
            "period": fiscal.label(r["fy"], quarter),
            "months": fiscal.months(r["fy"], quarter),
            **_claim_fields(subject, r),
        }
        previous = by_key.get((*key[:2], r["fy"] - 1, *key[3:]))
        if subject is None or previous is None or previous.shown is None:
            return out
        out["compared_with"] = previous.shown["id"]
        if key not in growths:
            growths[key] = growth_between(subject, previous)
        growth = growths[key]
        if growth is None:
            return out
        out.update(growth_fields(growth))
        out["growth_check"] = growth_check(r, growth)
        return out

    return derive


def growth_fields(growth: Growth) -> Record:
    """The computed growth as row fields: a number in growth_computed_pct only when the
    figures fix the growth to one number; the allowed span (null for an open end); the
    text people read; the reason it is unknown and any caveats."""
    iv = growth.interval
    notes = [n for n in (growth.reason, *growth.notes) if n]
    return {
        "growth_computed_pct": round(iv.low, 1) if iv.degenerate else None,
        "growth_computed_qualifier": growth.qualifier,
        "growth_computed_low": _finite(iv.low),
        "growth_computed_high": _finite(iv.high),
        "growth_computed_text": format_growth(growth),
        "growth_computed_note": "; ".join(notes) or None,
    }


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) and abs(x) < 1e300 else None


def growth_check(r: Record, growth: Growth) -> str | None:
    """R's stated growth against GROWTH: agrees, differs or cannot tell; None without one."""
    pct = r.get("growth_pct")
    if pct is None:
        return None
    try:
        stated = stated_growth(pct, r.get("growth_qualifier") or "exact")
    except ValueError:
        return None
    return compare(stated, growth)


_DERIVERS: dict[str, Deriver] = {
    "sources": _sources,
    "people": _people,
    "statements": _statements,
    "ventures": _ventures,
    "sites": _sites,
    "customers": _customers,
    "exports": _exports,
}


# --- selection ---------------------------------------------------------------------


def _keys(record: dict[str, Any]) -> list[str]:
    keys = [record["id"]]
    if isinstance(record.get("name"), str):
        keys.append(record["name"])
    keys.extend(a for a in record.get("aliases", []) if isinstance(a, str))
    return [k.casefold() for k in keys]


def find(records: list[dict[str, Any]], text: str, what: str) -> dict[str, Any]:
    """One record by id, name or alias: exact (case-insensitive) first, then a unique prefix."""
    needle = text.strip().casefold()
    if not needle:
        raise NoMatch(f"no {what} given")
    exact = [r for r in records if needle in _keys(r)]
    if len(exact) == 1:
        return exact[0]
    matches = exact or [r for r in records if any(k.startswith(needle) for k in _keys(r))]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise NoMatch(f"{text!r} matches more than one {what}:\n{_listing(matches)}")
    raise NoMatch(f"no {what} matches {text!r}; known:\n{_listing(records)}")


def find_record(facts: Facts, ref: str, *, claims_only: bool = False) -> tuple[str, dict[str, Any]]:
    """The record REF names: its id, or KIND:ID where two kinds share an id (every kind,
    or only those that make claims, i.e. not sources). NoMatch when none or several."""
    wanted_kind, _, wanted_id = ref.rpartition(":")
    what = "claim" if claims_only else "record"
    if wanted_kind:
        kind = kind_name(wanted_kind)
        if kind is None:
            raise NoMatch(f"{wanted_kind!r} is not a kind of record; kinds: {', '.join(KINDS)}")
        kinds = [kind]
    else:
        kinds = [k for k in KINDS if not (claims_only and k == "sources")]
    found = facts.with_id(wanted_id, kinds)
    if not found:
        raise NoMatch(f"no {what} has id {ref!r}; try `cgcli search`")
    if len(found) > 1:
        choices = ", ".join(f"{k}:{r['id']}" for k, r in found)
        raise NoMatch(f"{ref!r} names more than one {what}: {choices}")
    return found[0]


def _listing(records: list[dict[str, Any]]) -> str:
    return "\n".join(f"  {r['id']}  {r.get('name', '')}".rstrip() for r in records)


def company_ids(facts: Facts, text: str) -> set[str]:
    """Ids a filter such as --company X stands for: the company and its ventures."""
    company = find(facts["companies"], text, "company")
    ventures = {v["id"] for v in facts["ventures"] if company["id"] in v["partners"]}
    return {company["id"], *ventures}


def of_company(facts: Facts, kind: str, field: str, company: str | None) -> list[dict[str, Any]]:
    """Records of KIND whose FIELD names COMPANY (or one of its ventures); all when None."""
    if not company:
        return facts[kind]
    return facts.where(kind, field, company_ids(facts, company))


def related(facts: Facts, ids: set[str]) -> dict[str, list[dict[str, Any]]]:
    """Rows of the records that name any of IDS (a company and its ventures, or a venture),
    by kind: people, ventures, sites, customers, statements, and the sources they cite."""
    people = facts.where("people", "company", ids)
    speakers = ids | {p["id"] for p in people}
    found = {
        "people": people,
        "ventures": [v for v in facts["ventures"] if ids & {v["id"], *v["partners"]}],
        "sites": facts.where("sites", "operator", ids),
        "customers": facts.where("customers", "supplier", ids),
        "statements": facts.where("statements", "speaker", speakers),
    }
    return {kind: rows(facts, kind, records) for kind, records in found.items()}


def cited_sources(facts: Facts, *groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of the sources that the records in GROUPS cite."""
    cited = {r["source"] for records in groups for r in records if r.get("source")}
    return rows(facts, "sources", [s for s in facts["sources"] if s["id"] in cited])


def matches_text(value: Any, needle: str) -> bool:
    if isinstance(value, str):
        return needle in value.casefold()
    if isinstance(value, list):
        return any(matches_text(v, needle) for v in value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return needle == str(value)
    return False


# What search looks in: every stored field, the names behind ids, and an export's period
# and months; not the other derived fields (other records' ids, computed figures, claims),
# so that the cache's search index, built from the same, holds all it needs.
SEARCHED_DERIVED = frozenset(
    {
        "company_name",
        "speaker_name",
        "partner_names",
        "operator_name",
        "supplier_name",
        "period",
        "months",
    }
)


def search(facts: Facts, text: str) -> list[dict[str, Any]]:
    """Every record in which each word of TEXT appears in some field, whatever its kind."""
    words = [w.casefold() for w in text.split()]
    found: list[dict[str, Any]] = []
    if not words:
        return found
    candidates = facts.candidates(words)
    for kind in KINDS:
        if kind not in candidates:
            continue
        for row in rows(facts, kind, candidates[kind]):
            searched = {
                k: v for k, v in row.items() if k in FIELD_MAP[kind] or k in SEARCHED_DERIVED
            }
            fields = [k for k, v in searched.items() if any(matches_text(v, w) for w in words)]
            if not words or not all(any(matches_text(row[f], w) for f in fields) for w in words):
                continue
            found.append(
                {
                    "kind": kind,
                    "id": row["id"],
                    "label": label(kind, row),
                    "matched_fields": fields,
                    "record": row,
                }
            )
    return found


def label(kind: str, row: dict[str, Any]) -> str:
    """A short human name for any record."""
    for name in ("name", "title", "statement", "summary", "period"):
        if isinstance(row.get(name), str):
            return str(row[name])
    if kind == "exports":
        return fiscal.label(row["fy"], row.get("quarter"))
    if kind == "value_addition":
        return str(row["country"])
    if kind == "sites":
        return f"{row['makes']}, {row['country']} ({row['status']})"
    if kind == "sites":
        return f"{row['makes']}, {row['country']} ({row['status']})"
    return str(row["id"])


def convert_rows(rows: list[dict[str, Any]], target: str) -> list[dict[str, Any]]:
    """Add converted_value and converted_unit (INR TARGET) to rows whose unit is in rupees."""
    from .figures import RUPEE_FACTORS, convert

    out = []
    for row in rows:
        row = dict(row)
        if row.get("unit") in RUPEE_FACTORS and row.get("value") is not None:
            row["converted_value"] = round(convert(row["value"], row["unit"], target), 6)
            row["converted_unit"] = f"INR {target}"
        out.append(row)
    return out


# --- layered files ---------------------------------------------------------------------


def overrides(files: list[tuple[str, dict[str, list[Record]]]]) -> list[Record]:
    """Which records a later file replaces, given each file of a chain (name, records by
    kind) in order: the merge overlays a record of the same kind and id, so an earlier
    one is hidden. One entry per hidden record: kind, id, file (the one that wins) and
    replaces (the file whose record it hides), in chain order."""
    seen: dict[tuple[str, str], str] = {}
    found: list[Record] = []
    for name, records in files:
        for kind, items in records.items():
            for record in items:
                key = (kind, record["id"])
                if key in seen:
                    found.append(
                        {"kind": kind, "id": record["id"], "file": name, "replaces": seen[key]}
                    )
                seen[key] = name
    return found
