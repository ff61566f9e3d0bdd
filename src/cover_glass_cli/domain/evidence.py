"""Evidence: what each claim asserts that the words of its source must show.

The evidence machinery is split by job: spans.py (the span format: fingerprints, never
copies of the source), normalise.py (text as any copy of a page gives it), locate.py (the
ladder that finds a span in a user's copy), wording.py (reading figures and names in
text), quotes.py (finding a curator's quote), checking.py (verify and anchor); the links
that scroll a browser to a passage are ui/links.py's. This module says what a claim
asserts: figures_of.

A figure is present only where its exact number is written: 9000 is not found in
"90,000", and "Rs 900 billion" is not 90,000 crore.

What each kind of claim must show in its evidence (fields listed in `inferred` are skipped,
being implied rather than stated; names match whole words, case and runs of whitespace
aside only where noted):

    companies       name or one of its aliases; founded (a bare number); each of products
    people          name; title (any case); the company's name or an alias (given `refs`)
    statements      the speaker's name or an alias (given `refs`)
    ventures        each partner's and announced_by's name or an alias (given `refs`);
                    country; goal_years ("five years", "5 years")
    sites           operator's name or an alias (given `refs`; a venture has no name of its
                    own in the source, so it is not checked); country; makes (any case)
    customers       name; the supplier's name or an alias (given `refs`)
    exports         fy ("FY23", "FY2023", "FY 2022-23", "2022-23", "2022–2023"); quarter
                    ("April-June quarter", "Apr–Jun", and "Q1"/"first quarter" only when a
                    fiscal year follows: "Q1 FY24"); value with unit and qualifier;
                    growth_pct with growth_qualifier. Country and product are not checked:
                    the report gives them only by context.
    value_addition  country; value, or low and high, with unit and qualifier
    market_facts    subject; rank (an ordinal: "second", "2nd")

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

from .schema import QUALIFIERS
from .wording import UNIT_NAMES as _UNIT_NAMES
from .wording import Figure

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
    """For each company and person, the names the source may use for it: the `refs` that
    figures_of and the checks take to check a speaker, partner, supplier or employer."""
    refs: dict[str, tuple[str, ...]] = {}
    for kind in ("companies", "people"):
        for record in records_by_kind.get(kind, ()):
            if not isinstance(record, Mapping):
                continue
            refs[str(record.get("id"))] = tuple(_strings([record.get("name")])) + tuple(
                _strings(record.get("aliases"))
            )
    return refs


def figures_of(
    kind: str, record: Record, refs: Mapping[str, Sequence[str]] | None = None
) -> list[Figure]:
    """What the claim RECORD (of KIND) asserts that must be seen in its evidence: see the
    module's docstring for the fields of each kind. REFS (names_by_id) lets references to
    companies and people be checked by name; without it they are not checked."""
    skip = set(_strings(record.get("inferred")))
    figures: list[Figure] = []

    def text(field: str) -> str | None:
        value = record.get(field)
        return value if field not in skip and isinstance(value, str) and value.strip() else None

    def name(field: str, *, any_case: bool = False) -> None:
        value = text(field)
        if value is not None:
            figures.append(Figure(field, "term" if any_case else "name", value, names=(value,)))

    def ref(field: str, target: Any) -> None:
        names = tuple(refs.get(target, ())) if refs is not None and isinstance(target, str) else ()
        if names:
            figures.append(Figure(field, "name", f"{names[0]} ({target})", names=names))

    def amount(field: str, label: str, unit: str | None, qualifier: Any) -> None:
        value = _number(record.get(field)) if field not in skip else None
        if value is not None:
            q = qualifier if qualifier in QUALIFIERS else "exact"
            figures.append(Figure(field, "amount", label + _plain(value), (value,), unit, q))

    if kind == "companies":
        if "name" not in skip:
            names = tuple(_strings([record.get("name"), *_strings(record.get("aliases"))]))
            if names:
                figures.append(Figure("name", "name", names[0], names=names))
        amount("founded", "founded ", None, "exact")
        if "products" not in skip:
            for product in _strings(record.get("products")):
                figures.append(Figure("products", "name", product, names=(product,)))
    elif kind == "people":
        name("name")
        name("title", any_case=True)
        if "company" not in skip:
            ref("company", record.get("company"))
    elif kind == "statements":
        if "speaker" not in skip:
            ref("speaker", record.get("speaker"))
    elif kind == "ventures":
        if "partners" not in skip:
            for partner in _strings(record.get("partners")):
                ref("partners", partner)
        if "announced_by" not in skip:
            ref("announced_by", record.get("announced_by"))
        name("country")
        amount("goal_years", "", "years", "exact")
    elif kind == "sites":
        if "operator" not in skip:
            ref("operator", record.get("operator"))
        name("country")
        name("makes", any_case=True)
    elif kind == "customers":
        name("name")
        if "supplier" not in skip:
            ref("supplier", record.get("supplier"))
    elif kind == "exports":
        fy = _number(record.get("fy")) if "fy" not in skip else None
        if fy is not None:
            figures.append(Figure("fy", "fiscal_year", f"FY{_plain(fy)}", (fy,)))
        quarter = _number(record.get("quarter")) if "quarter" not in skip else None
        if quarter is not None:
            figures.append(Figure("quarter", "quarter", f"Q{_plain(quarter)}", (quarter,)))
        amount("value", "", _unit(record.get("unit")), record.get("qualifier"))
        amount("growth_pct", "growth ", "percent", record.get("growth_qualifier"))
    elif kind == "value_addition":
        name("country")
        unit = _unit(record.get("unit"))
        low, high = _number(record.get("low")), _number(record.get("high"))
        if record.get("qualifier") == "range" and low is not None and high is not None:
            if not {"low", "high"} & skip:
                label = f"{_plain(low)}-{_plain(high)}"
                figures.append(Figure("low/high", "range", label, (low, high), unit, "range"))
        else:
            amount("value", "", unit, record.get("qualifier"))
    elif kind == "market_facts":
        name("subject")
        position = _number(record.get("position")) if "position" not in skip else None
        if position is not None:
            figures.append(
                Figure("position", "ordinal", f"position {_plain(position)}", (position,))
            )
    return figures


def _unit(unit: Any) -> str | None:
    return unit if isinstance(unit, str) and unit in _UNIT_NAMES else None
