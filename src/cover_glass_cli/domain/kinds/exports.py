"""Exports by Indian fiscal year and quarter, with the growth the sources state and the
growth computed from the figures (intervals.py): what is particular to exports is here."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ..registry import QUALIFIERS, Col, Field, Kind, Record, derived, figure

_GROWTH = "growth_computed"


def _growth_field(suffix: str, type: str, doc: str) -> Field:
    return derived(f"{_GROWTH}_{suffix}", type, doc, best_only=True, exported=suffix in _KEPT)


_KEPT = ("pct", "qualifier")  # of the computed growth, the columns of the SQLite export

DERIVED: tuple[Field, ...] = (
    derived("period", "str", "FY2023, or Q1 FY2024 for a quarter.", searched=True, exported=True),
    derived("months", "str", "Calendar months covered.", searched=True, exported=True),
    derived(
        "compared_with",
        "str",
        "Id of the year-ago record shown (its subject's best claim), when in the data.",
        exported=True,
        links="exports",
    ),
    _growth_field(
        "pct",
        "number",
        "Growth computed from the best claims, when the figures fix it to one number.",
    ),
    _growth_field(
        "qualifier",
        "str",
        "Kind of computed growth: exact, over, under, approximate, range or unknown.",
    ),
    _growth_field(
        "low", "number", "Lowest growth the figures allow, in per cent; null when there is none."
    ),
    _growth_field(
        "high", "number", "Highest growth the figures allow, in per cent; null when unbounded."
    ),
    _growth_field(
        "text", "str", "The computed growth as people read it: +100%, > 100%, ≈ 42%, unknown."
    ),
    _growth_field(
        "note", "str", "Why the computed growth is unknown, or that a figure behind it is disputed."
    ),
    derived(
        "growth_check",
        "str",
        "Stated growth against computed: agrees, differs, or cannot tell (they fit, but the "
        "figures leave growth open-ended); null when either is missing.",
        best_only=True,
        exported=True,
    ),
    derived("converted_value", "number", "The figure in the unit --unit asks for."),
    derived("converted_unit", "str", "That unit; null without --unit."),
)


def _label(row: Record) -> str:
    from ..fiscal import label

    return label(row["fy"], row.get("quarter"))


def _default_id(record: Record) -> str | None:
    """exports-fy2023, exports-fy2024-q1."""
    fy, quarter = record.get("fy"), record.get("quarter")
    if not isinstance(fy, int):
        return None
    return f"exports-fy{fy}" + (f"-q{quarter}" if isinstance(quarter, int) else "")


def _cited_as(row: Record) -> str:
    """India's exports of mobile phones, FY2023."""
    return f"{row['country']}'s exports of {row['product']}, {_label(row)}"


def _search_text(record: Record) -> list[str]:
    """What search finds an export by besides its fields: its period and months."""
    from ..fiscal import label, months

    return [label(record["fy"], record.get("quarter")), months(record["fy"], record.get("quarter"))]


def _derive(facts: Any, records: list[Record]) -> Callable[[Record], Record]:
    """Period, months, claim fields and growth computed from best claims (intervals.py):
    each subject's records and the year-ago ones are fetched at once (facts.exports_of)."""
    from .. import fiscal
    from ..claims import Key, group, growth_between, subject_key
    from ..intervals import Growth
    from ..query import claim_fields

    years: dict[tuple[str, str], list[int]] = {}
    for r in records:
        years.setdefault((r["country"].casefold(), r["product"].casefold()), []).append(r["fy"])
    pool = facts.exports_of({key: (min(fys) - 1, max(fys)) for key, fys in years.items()})
    by_key = {subject.key: subject for subject in group(KIND.name, pool)}
    growths: dict[Key, Growth | None] = {}

    def derive(r: Record) -> Record:
        quarter = r.get("quarter")
        key = subject_key(KIND.name, r)
        subject = by_key.get(key)
        out: Record = {
            "period": fiscal.label(r["fy"], quarter),
            "months": fiscal.months(r["fy"], quarter),
            **claim_fields(subject, r),
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


def growth_fields(growth: Any) -> Record:
    """The computed growth as row fields: a number in growth_computed_pct only when the
    figures fix the growth to one number; the allowed span (null for an open end); the
    text people read; the reason it is unknown and any caveats."""
    from ..intervals import format_growth

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


def growth_check(r: Record, growth: Any) -> str | None:
    """R's stated growth against GROWTH: agrees, differs or cannot tell; None without one."""
    from ..intervals import compare, stated_growth

    pct = r.get("growth_pct")
    if pct is None:
        return None
    try:
        stated = stated_growth(pct, r.get("growth_qualifier") or "exact")
    except ValueError:
        return None
    return str(compare(stated, growth))


def title_of(rows: list[Record]) -> str:
    """What the exports shown are: "India's exports of mobile phones" when the rows share
    one country and product, plain "Exports" when they differ in both."""
    countries = {r["country"] for r in rows}
    products = {r["product"] for r in rows}
    if len(countries) == 1 and len(products) == 1:
        what = f"{next(iter(countries))}'s exports of {next(iter(products))}"
    elif len(countries) == 1:
        what = f"{next(iter(countries))}'s exports"
    elif len(products) == 1:
        what = f"Exports of {next(iter(products))}"
    else:
        what = "Exports"
    return f"{what}, by Indian fiscal year (April-March)"


KIND = Kind(
    "exports",
    70,
    (
        Field("country", "str", True, "Exporting country.", indexed=True, casefold=True),
        Field("product", "str", True, "What was exported.", indexed=True, casefold=True),
        Field(
            "fy",
            "int",
            True,
            "Indian fiscal year, by its end: 2023 is April 2022 - March 2023.",
            bounds=(1950, 2100),
            bounds_message="is not a plausible fiscal year (1950-2100)",
            indexed=True,
            evidence="fiscal_year",
            ungrouped=True,
        ),
        Field(
            "quarter",
            "int",
            False,
            "Quarter of the fiscal year, 1 (Apr-Jun) to 4 (Jan-Mar).",
            bounds=(1, 4),
            bounds_message="is not a quarter; use 1 to 4",
            indexed=True,
            evidence="quarter",
            ungrouped=True,
        ),
        Field("value", "number", True, "The figure.", evidence="figure"),
        *figure(QUALIFIERS[:-1]),
        Field(
            "growth_pct",
            "number",
            False,
            "Growth as stated, in per cent.",
            evidence="amount",
            unit="percent",
            qualifier="growth_qualifier",
            label="growth ",
        ),
        Field(
            "growth_qualifier",
            "str",
            False,
            "How the growth is stated.",
            choices=QUALIFIERS[:-1],
        ),
    ),
    derived=DERIVED,
    derive=_derive,
    pooled=True,
    figures=True,
    subject=("country", "product", "fy", "quarter"),
    indexes=(("fy", "quarter"), ("country", "product", "fy")),
    title="Exports, by Indian fiscal year (April-March)",
    title_of=title_of,
    doc="Exports by Indian fiscal year (and quarter), with stated and computed growth.",
    columns=(
        Col("Period", "period"),
        Col("Months", "months"),
        Col("Exports", cell="figure", numeric=True),
        Col("Growth", cell="growth", numeric=True),
        Col("Computed", cell="computed", numeric=True),
        Col("Check", cell="check"),
    ),
    varying=("country", "product"),
    label=_label,
    cited_as=_cited_as,
    search_text=_search_text,
    # What `facts add` fills in when not given: the subject of the bundled data.
    defaults={"country": "India", "product": "mobile phones"},
    default_id=_default_id,
    examples=(
        "cgcli exports",
        "cgcli exports 2023                 # also FY23, 'FY 2023', 2022-23, 2022-2023",
        "cgcli exports --fy 'Q1 FY24'       # a quarter; also --fy 2024 --quarter 1",
        "cgcli exports --fy 2022..2024 --unit billion",
        "cgcli exports --all-claims        # every source's figure, with its rank",
        "cgcli exports --fy 2023 --json | jq '.[0].value'",
        'cgcli exports --country india --product "mobile phones" --csv',
    ),
)
