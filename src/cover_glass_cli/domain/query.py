"""Selecting records and shaping them into rows: the stable shape of each kind,
plus the fields derived from the data (periods, computed growth, names behind ids).

Knows nothing of click or rich.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from . import fiscal
from .facts import Facts, NoMatch
from .figures import computed_growth, growth_agrees
from .schema import KINDS, Field, empty_record

DERIVED: dict[str, tuple[Field, ...]] = {
    "sources": (Field("cited_by", "strlist", False, "Records citing it, as kind:id."),),
    "people": (Field("company_name", "str", False, "Name of the company."),),
    "statements": (Field("speaker_name", "str", False, "Name of the speaker."),),
    "ventures": (Field("partner_names", "strlist", False, "Names of the partners."),),
    "sites": (Field("operator_name", "str", False, "Name of the operator."),),
    "customers": (Field("supplier_name", "str", False, "Name of the supplier."),),
    "exports": (
        Field("period", "str", False, "FY2023, or Q1 FY2024 for a quarter."),
        Field("months", "str", False, "Calendar months covered."),
        Field("compared_with", "str", False, "Id of the year-ago record, when in the data."),
        Field("growth_computed_pct", "number", False, "Growth computed from the data."),
        Field("growth_computed_qualifier", "str", False, "Qualifier of the computed growth."),
        Field(
            "growth_check",
            "str",
            False,
            "agrees or differs: stated growth against computed; null when either is missing.",
        ),
        Field("converted_value", "number", False, "The figure in the unit --unit asks for."),
        Field("converted_unit", "str", False, "That unit; null without --unit."),
    ),
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
    out = []
    for record in records:
        row = empty_record(kind)
        row.update(record)
        if extra:
            row.update(extra(record))
        else:
            for field in DERIVED.get(kind, ()):
                row.setdefault(field.name, None)
        out.append(row)
    return out


def _names(facts: Facts, *kinds: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for kind in kinds:
        for r in facts[kind]:
            names.setdefault(r["id"], r.get("name") or r["id"])
    return names


Record = dict[str, Any]
Deriver = Callable[[Facts, list[Record]], Callable[[Record], Record]]


def _sources(facts: Facts, records: list[Record]) -> Callable[[Record], Record]:
    cited: dict[str, list[str]] = {}
    for kind in KINDS:
        for r in facts[kind]:
            if "source" in r:
                cited.setdefault(r["source"], []).append(f"{kind}:{r['id']}")
    return lambda r: {"cited_by": cited.get(r["id"], [])}


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
    subjects: dict[tuple[str, str], list[int]] = {}
    for r in records:
        subjects.setdefault((r["country"].casefold(), r["product"].casefold()), []).append(r["fy"])
    index = {
        (r["country"].casefold(), r["product"].casefold(), r["fy"], r.get("quarter")): r
        for (country, product), years in subjects.items()
        for r in facts.exports(min(years) - 1, max(years), country=country, product=product)
    }

    def derive(r: dict[str, Any]) -> dict[str, Any]:
        quarter = r.get("quarter")
        out: dict[str, Any] = {
            "period": fiscal.label(r["fy"], quarter),
            "months": fiscal.months(r["fy"], quarter),
            "compared_with": None,
            "growth_computed_pct": None,
            "growth_computed_qualifier": None,
            "growth_check": None,
            "converted_value": None,
            "converted_unit": None,
        }
        key = (r["country"].casefold(), r["product"].casefold(), r["fy"] - 1, quarter)
        previous = index.get(key)
        if previous is None:
            return out
        out["compared_with"] = previous["id"]
        computed = computed_growth(r, previous)
        if computed is None:
            return out
        pct, qualifier, allowed = computed
        out["growth_computed_pct"] = pct
        out["growth_computed_qualifier"] = qualifier
        if r.get("growth_pct") is not None:
            agrees = growth_agrees(r["growth_pct"], r.get("growth_qualifier") or "exact", allowed)
            out["growth_check"] = "agrees" if agrees else "differs"
        return out

    return derive


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


# Derived fields that search does not look in: other records' ids and computed figures.
# It looks in every stored field, the names behind ids, and an export's period and months.
UNSEARCHED = frozenset(
    {
        "cited_by",
        "compared_with",
        "growth_computed_pct",
        "growth_computed_qualifier",
        "growth_check",
        "converted_value",
        "converted_unit",
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
            searched = {k: v for k, v in row.items() if k not in UNSEARCHED}
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
