"""Exports by Indian fiscal year and quarter, with the growth the sources state and the
growth computed from the figures (intervals.py): what is particular to exports is here."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

from ..registry import QUALIFIERS, Col, Field, Kind, Record, derived, figure

_GROWTH = "growth_computed"


def _growth_field(suffix: str, type: str, doc: str) -> Field:
    return derived(f"{_GROWTH}_{suffix}", type, doc, exported=suffix in _KEPT)


_KEPT = ("pct", "qualifier")  # of the computed growth, the columns of the SQLite export

DERIVED: tuple[Field, ...] = (
    derived("period", "str", "FY2023, or Q1 FY2024 for a quarter.", searched=True, exported=True),
    derived(
        "months",
        "str",
        "Calendar months covered, by the Indian fiscal-year convention (April-March; Q1 is "
        "April-June): the sources name the year, the months are ours.",
        searched=True,
        exported=True,
    ),
    derived(
        "compared_with",
        "str",
        "Id of the year-ago claim the growth is computed against: the same source's, else "
        "the year's first best claim.",
        exported=True,
        links="exports",
    ),
    derived(
        "growth_basis",
        "str",
        "What the computed growth compares: 'same source' (this claim's source gives the "
        "year-ago figure too) or 'across sources' (the year-ago best claims of other sources, "
        "only when neither side is an estimate or forecast); null when not computed.",
        exported=True,
    ),
    _growth_field(
        "pct",
        "number",
        "Growth computed from this claim against the year-ago figure (see growth_basis), "
        "when the figures fix it to one number.",
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
    """India's exports of mobile phones, FY2023 (Apr 2022 - Mar 2023, by the Indian
    fiscal-year convention): the months are ours, not the source's."""
    from ..fiscal import months

    when = months(row["fy"], row.get("quarter"))
    return (
        f"{row['country']}'s exports of {row['product']}, {_label(row)} "
        f"({when}, by the Indian fiscal-year convention)"
    )


def _search_text(record: Record) -> tuple[str, str]:
    """What search finds an export by besides its fields: its period and months."""
    return _period_texts(record["fy"], record.get("quarter"))


@functools.lru_cache(maxsize=1024)
def _period_texts(fy: int, quarter: int | None) -> tuple[str, str]:
    """A period's label and months, worked out once per period: a large file repeats
    each a few thousand times, and its first query indexes them all for search."""
    from ..fiscal import label, months

    return label(fy, quarter), months(fy, quarter)


STATUSES = ("forecast", "estimate", "provisional", "recorded", "final")
"""How far a figure is from the period's own record, by when and how it was stated:
forecast (for a period not yet begun), estimate (before the period ended, or called
expected), provisional (after the end, while its origin still calls it estimated),
recorded (after the end, as what the period recorded), final (the source says final or
audited). An estimate or forecast is never compared across sources."""

_GUESSES = frozenset(("forecast", "estimate"))


def years(facts: Any) -> list[int]:
    """The fiscal years of the exports in FACTS (a domain.facts.Facts), in order."""
    return [int(fy) for fy in facts.values(KIND.name, "fy")]


def select(
    facts: Any,
    first: int | None = None,
    last: int | None = None,
    *,
    country: str | None = None,
    product: str | None = None,
) -> list[Record]:
    """Export records of fiscal years FIRST to LAST (either end open when None), of
    COUNTRY and PRODUCT when given (any case), in the order of the files."""
    where, args = [], []
    for clause, value in (
        ("fy >= ?", first),
        ("fy <= ?", last),
        ('"country:folded" = ?', country.casefold() if country is not None else None),
        ('"product:folded" = ?', product.casefold() if product is not None else None),
    ):
        if value is not None:
            where.append(clause)
            args.append(value)
    result: list[Record] = facts.select(KIND.name, " AND ".join(where), args)
    return result


def select_spans(facts: Any, spans: dict[tuple[str, str], tuple[int, int]]) -> list[Record]:
    """Export records of each (country, product) of SPANS (casefolded), of the fiscal
    years its span covers (first, last), in the order of the files."""
    condition = '"country:folded" = ? AND "product:folded" = ? AND fy BETWEEN ? AND ?'
    args = [(country, product, first, last) for (country, product), (first, last) in spans.items()]
    result: list[Record] = facts.select(KIND.name, condition, *args) if args else []
    return result


def _derive(facts: Any, records: list[Record]) -> Callable[[Record], Record]:
    """Period, months, claim fields and growth computed for each claim (intervals.py):
    against the same source's year-ago figure first, else against the year-ago best
    claims of other sources where comparable. Each subject's records and the year-ago
    ones are fetched at once (select_spans)."""
    from .. import fiscal
    from ..claims import group, subject_key
    from ..query import claim_fields, sources_of

    years: dict[tuple[str, str], list[int]] = {}
    for r in records:
        years.setdefault((r["country"].casefold(), r["product"].casefold()), []).append(r["fy"])
    pool = select_spans(facts, {key: (min(fys) - 1, max(fys)) for key, fys in years.items()})
    by_key = {subject.key: subject for subject in group(KIND.name, pool, sources_of(facts, pool))}

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
        if subject is not None and previous is not None and previous.shown is not None:
            out.update(_growth_of(r, previous))
        return out

    return derive


def _growth_of(r: Record, previous: Any) -> Record:
    """R's computed growth against PREVIOUS (the year-ago subject): its source's own
    year-ago claims if any, else the year-ago best claims where comparable; none for a
    deprecated claim."""
    from .. import fiscal
    from ..claims import combined_interval, dispute_note, interval_of, rank_of, unit_of
    from ..intervals import growth_interval

    if rank_of(r) == "deprecated":  # a claim known to be wrong: no growth is computed from it
        return {}
    same = [
        c
        for c in previous.claims
        if c.get("source") == r.get("source") and rank_of(c) != "deprecated"
    ]
    against, basis = same, "same source"
    if not same:
        guesses = [c for c in (r, *previous.best) if c.get("status") in _GUESSES]
        if guesses:
            ids = ", ".join(str(c["id"]) for c in guesses)
            note = f"not computed: an estimate or forecast is not compared across sources ({ids})"
            return {"growth_computed_note": note}
        against, basis = previous.best, "across sources"
    current, before = interval_of(KIND.name, r), combined_interval(KIND.name, against)
    units = {unit_of(KIND.name, c) for c in (r, *against)}
    if current is None or before is None or len(units) > 1:
        return {}
    growth = growth_interval(current, before)
    if basis == "across sources":
        ids = ", ".join(str(c.get("source") or c["id"]) for c in against)
        period = fiscal.label(int(r["fy"]) - 1, r.get("quarter"))
        growth = growth.with_notes(f"computed across sources, against {period} from {ids}")
        if previous.disputed:
            growth = growth.with_notes(f"the earlier figure is disputed: {dispute_note(previous)}")
    return {
        "compared_with": against[0]["id"],
        "growth_basis": basis,
        **growth_fields(growth),
        "growth_check": growth_check(r, growth),
    }


def rules(r: Record) -> list[tuple[str, str]]:
    """A figure stated before its period ended is a forecast or an estimate; `stated` is a
    real day (YYYY-MM-DD). Nothing to do, and no cost, for a record without `stated`."""
    stated = r.get("stated")
    if not isinstance(stated, str):
        return []
    from datetime import date

    from .. import fiscal

    try:
        day = date.fromisoformat(stated) if len(stated) == 10 else None
    except ValueError:
        day = None
    if day is None:
        return [("stated", f"{stated!r} is not a day; write YYYY-MM-DD")]
    fy, quarter, status = r.get("fy"), r.get("quarter"), r.get("status")
    if type(fy) is not int or not (quarter is None or type(quarter) is int):
        return []
    if not fiscal.FIRST_YEAR <= fy <= fiscal.LAST_YEAR:
        return []  # the field's bounds say so (a date of year 999999999999 cannot be made)
    if not isinstance(status, str | None):
        return []  # the field's own check says what is wrong with it
    try:
        ends = fiscal.last_day(fy, quarter)
    except (ValueError, KeyError):
        return []
    if day <= ends and status not in _GUESSES:
        period = fiscal.label(fy, quarter)
        return [
            (
                "status",
                f"stated {stated}, before {period} ended ({ends.isoformat()}): a figure for a "
                'period not yet ended needs status = "estimate" (or "forecast")',
            )
        ]
    return []


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


def notes_of(rows: list[Record]) -> list[str]:
    """Where the months of each period come from: a convention, not the sources."""
    quarter = any(r.get("quarter") for r in rows)
    return [
        "Periods are Indian fiscal years, April to March (FY2023 is April 2022 - March 2023"
        + ("; Q1 is April-June" if quarter else "")
        + "): the convention by which the sources' years are read, not their words. "
        "`--fields period,months,...` shows the months."
    ]


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
        ),
        Field(
            "quarter",
            "int",
            False,
            "Quarter of the fiscal year, 1 (Apr-Jun) to 4 (Jan-Mar), by the Indian "
            "fiscal-year convention.",
            bounds=(1, 4),
            bounds_message="is not a quarter; use 1 to 4",
            indexed=True,
            evidence="quarter",
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
            "growth_qualifier", "str", False, "How the growth is stated.", choices=QUALIFIERS[:-1]
        ),
        Field(
            "status",
            "str",
            False,
            "How settled the figure is: forecast, estimate (stated before the period "
            "ended), provisional, recorded (stated after it ended), final (the source says "
            "final). See docs/claims.md.",
            choices=STATUSES,
            indexed=True,
        ),
        Field(
            "stated",
            "str",
            False,
            "When the source gave the figure, YYYY-MM-DD: before the period ended, the "
            "status must be estimate or forecast.",
        ),
    ),
    derived=DERIVED,
    rules=rules,
    derive=_derive,
    pooled=True,
    figures=True,
    subject=("country", "product", "fy", "quarter"),
    title="Exports, by Indian fiscal year (April-March)",
    title_of=title_of,
    doc="Exports by Indian fiscal year (and quarter), with stated and computed growth.",
    notes_of=notes_of,
    columns=(
        Col("Period"),
        Col("Exports", cell="figure", numeric=True),
        Col("Status", cell="status"),
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
