"""Evidence: what each claim asserts that the words of its source must show.

The evidence machinery is split by job: spans.py (the span format: fingerprints, never
copies of the source), normalise.py (text as any copy of a page gives it), locate.py (the
ladder that finds a span in a user's copy), wording.py (reading figures and names in
text), quotes.py (finding a curator's quote), checking.py (verify and anchor); the links
that scroll a browser to a passage are ui/links.py's. This module says what a claim
asserts: figures_of.

A figure is present only where its exact number is written: 9000 is not found in
"90,000", and "Rs 900 billion" is not 90,000 crore.

What a claim must show in its evidence is declared field by field in its kind's module
(Field.evidence, see domain/registry.py; fields listed in `inferred` are skipped, being
implied rather than stated). Names match whole words, as written ("name", "names": or an
alias) or in any case ("term"); a reference ("ref") shows the name or an alias of the
record it names (given `refs`; a venture has no name of its own in the source, so it is
not checked); an "amount" is a bare number ("founded 1993", "five years") or a figure with
its unit and qualifier; a "fiscal_year" is "FY23", "FY2023", "FY 2022-23", "2022-23" or
"2022–2023"; a "quarter" is "April-June quarter", "Apr–Jun", and "Q1"/"first quarter" only
when a fiscal year follows ("Q1 FY24"); an "ordinal" is "second" or "2nd".

Numbers are read in Indian and Western grouping ("1,00,000", "90,000"), with or without
"Rs", "Rs.", "₹" or "INR" before them; units are "crore", "lakh", "million", "billion",
"per cent", "percent", "%" and "year(s)"; the words one..twenty and first..tenth count.
A range is "20–22 per cent", "20-22%", "20 to 22 per cent" or "between 20 and 22 per cent".
The qualifier comes from the words just before the figure, in its clause (at most three
words back): "over", "crossed", "surpassed", "more than" ... for over; "under", "below",
"less than" for under; "around", "about", "approximately" ... for approximate; none of
them for exact; a range for range. "or more", "or less", "or so" after a figure count too.

A claim passes when each figure is found, with a consistent qualifier, in one of its spans
(each span alone: spans are never joined, so no figure is made up across a seam).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .registry import QUALIFIERS, Field, find_kind, kinds
from .wording import ANY, Figure
from .wording import UNIT_NAMES as _UNIT_NAMES

Record = Mapping[str, Any]


# --- what a claim asserts ---------------------------------------------------------


def _strings(value: Any) -> list[str]:
    """The non-blank strings of a list field; nothing when it is not a list."""
    items = value if isinstance(value, list | tuple) else ()
    return [item for item in items if isinstance(item, str) and item.strip()]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _plain(value: float) -> str:
    """90000.0 -> '90000', 12.5 -> '12.5': a figure as problems name it."""
    return str(int(value)) if value.is_integer() else repr(value)


def names_by_id(records_by_kind: Mapping[str, Sequence[Record]]) -> dict[str, tuple[str, ...]]:
    """For each record of a named kind (Kind.named: companies, people), the names the
    source may use for it: the `refs` that figures_of and the checks take to check a
    speaker, partner, supplier or employer."""
    refs: dict[str, tuple[str, ...]] = {}
    for kind in kinds().values():
        for record in records_by_kind.get(kind.name, ()) if kind.named else ():
            if not isinstance(record, Mapping):
                continue
            refs[str(record.get("id"))] = tuple(_strings([record.get("name")])) + tuple(
                _strings(record.get("aliases"))
            )
    return refs


def figures_of(
    kind: str, record: Record, refs: Mapping[str, Sequence[str]] | None = None
) -> list[Figure]:
    """What the claim RECORD (of KIND) asserts that must be seen in its evidence: each field
    its kind declares with an `evidence` role (see domain/registry.py). REFS (names_by_id)
    lets references to companies and people be checked by name; without it they are not
    checked."""

    declared = find_kind(kind)
    skip = set(_strings(record.get("inferred")))
    figures: list[Figure] = []
    for field in declared.fields if declared is not None else ():
        if field.evidence is not None and field.name not in skip:
            figures.extend(_shown(field, record, refs, skip))
    return figures


def _shown(
    field: Field, record: Record, refs: Mapping[str, Sequence[str]] | None, skip: set[str]
) -> list[Figure]:
    """What FIELD of RECORD must show in the evidence, by its role (Field.evidence)."""
    name, role, value = field.name, field.evidence, record.get(field.name)
    if role in ("name", "term"):  # a name as written; a term in any case
        kind = "term" if role == "term" else "name"
        return [Figure(name, kind, v, names=(v,)) for v in _strings(_items(value))]
    if role == "names":  # the name or one of the aliases
        names = tuple(_strings([value, *_strings(record.get("aliases"))]))
        return [Figure(name, "name", names[0], names=names)] if names else []
    if role == "ref":  # the name behind each id
        found = []
        for target in _items(value):
            known = (
                tuple(refs.get(target, ())) if refs is not None and isinstance(target, str) else ()
            )
            if known:
                found.append(Figure(name, "name", f"{known[0]} ({target})", names=known))
        return found
    number = _number(value)
    if role == "figure":  # an inferred unit or qualifier is not looked for: the words lack it
        unit = None if "unit" in skip else _unit(record.get("unit"))
        low, high = _number(record.get("low")), _number(record.get("high"))
        if record.get("qualifier") == "range" and low is not None and high is not None:
            if {"low", "high"} & skip:
                return []
            label = f"{_plain(low)}-{_plain(high)}"
            return [Figure("low/high", "range", label, (low, high), unit, "range")]
        qualifier = ANY if "qualifier" in skip else record.get("qualifier")
        return _amount(name, "", number, unit, qualifier)
    if role == "amount":
        qualifier = record.get(field.qualifier) if field.qualifier else "exact"
        if field.qualifier and field.qualifier in skip:
            qualifier = ANY
        return _amount(name, field.label, number, field.unit, qualifier)
    if number is None:
        return []
    if role == "fiscal_year":
        return [Figure(name, "fiscal_year", f"FY{_plain(number)}", (number,))]
    if role == "quarter":
        return [Figure(name, "quarter", f"Q{_plain(number)}", (number,))]
    if role == "ordinal":
        return [Figure(name, "ordinal", f"{name} {_plain(number)}", (number,))]
    raise ValueError(f"{name}: no evidence role {role!r}")  # pragma: no cover - a declaration


def _items(value: Any) -> list[Any]:
    """A list field's items; any other value as a list of one."""
    return value if isinstance(value, list) else [value]


def _amount(
    name: str, label: str, value: float | None, unit: str | None, qualifier: Any
) -> list[Figure]:
    if value is None:
        return []
    q = qualifier if qualifier in (*QUALIFIERS, ANY) else "exact"
    return [Figure(name, "amount", label + _plain(value), (value,), unit, q)]


def _unit(unit: Any) -> str | None:
    """The unit the words must give RECORD's figure in: its own when the reader knows it;
    for a count in a scale ("million pieces") the scale's, as the reader reads "30
    million" whatever follows; else none (a bare number)."""
    if not isinstance(unit, str):
        return None
    if unit in _UNIT_NAMES:
        return unit
    scale = f"INR {unit.split(' ', 1)[0]}"
    return scale if " " in unit and scale in _UNIT_NAMES else None
