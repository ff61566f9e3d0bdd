"""Rankings: a country's place among the world's exporters or producers, with what is
ranked said in full: among exporters or producers, of smartphones or all mobile phones,
which year and whether calendar or fiscal, and the share or amount behind the place.

A rank is a claim about that whole scope. "Second" (smartphone exports, no year given),
"seventh in 2022" (smartphone exports, by share) and "third in calendar 2024" (mobile
phone exports) are three subjects, shown side by side, never a contradiction; two ranks
of one scope from different origins that differ are disputed.
"""

from __future__ import annotations

from ..registry import QUALIFIERS, UNITS, Col, Field, Kind, Record, derived

AMONG = ("exporters", "producers")
BASES = ("calendar", "fiscal")


def _ranked(r: Record) -> str:
    """'exporters of smartphones', 'producers of mobile phones'."""
    return f"{r.get('among') or 'ranked'} of {r.get('product') or 'goods'}"


def _period(r: Record) -> str:
    """'2022 (calendar year)', 'FY2024', or 'no year given (as of 2023-09)'."""
    year, basis = r.get("year"), r.get("basis")
    if isinstance(year, int):
        if basis == "fiscal":
            return f"FY{year}"
        return f"{year} (calendar year)" if basis == "calendar" else str(year)
    as_of = r.get("as_of")
    return f"no year given (as of {as_of})" if as_of else "no year given"


def _share(r: Record) -> str | None:
    """'> 2.5%': the share with its qualifier, as people read it."""
    from ..figures import figure

    share = r.get("share")
    if not isinstance(share, int | float) or isinstance(share, bool):
        return None
    return figure({"value": share, "unit": "percent", "qualifier": r.get("share_qualifier")})


def _derive(facts: object, records: list[Record]) -> object:
    return lambda r: {"ranked": _ranked(r), "period": _period(r), "share_text": _share(r)}


def _label(row: Record) -> str:
    return f"{row['subject']}: {row['position']} in {_ranked(row)}, {_period(row)}"


def _search_text(record: Record) -> list[str]:
    return [_ranked(record), _period(record)]


def rules(r: Record) -> list[tuple[str, str]]:
    """An amount needs its unit and qualifier; a share is a per cent; a year or a date."""
    out: list[tuple[str, str]] = []
    if "value" in r:
        for name in ("unit", "qualifier"):
            if name not in r:
                out.append((name, "missing: the amount (value) needs a unit and a qualifier"))
    elif "unit" in r or "qualifier" in r:
        out.append(("value", "missing: unit and qualifier go with an amount (value)"))
    share = r.get("share")
    if isinstance(share, int | float) and not isinstance(share, bool) and not 0 <= share <= 100:
        out.append(("share", f"{share} is outside 0-100 per cent"))
    if "basis" in r and "year" not in r:
        out.append(("basis", "given without year"))
    as_of = r.get("as_of")
    if isinstance(as_of, str) and not _is_month_or_day(as_of):
        out.append(("as_of", f"{as_of!r} is not a month or a day; write YYYY-MM or YYYY-MM-DD"))
    return out


def _is_month_or_day(text: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(text if len(text) == 10 else f"{text}-01")
    except ValueError:
        return False
    return len(text) in (7, 10)


def notes_of(rows: list[Record]) -> list[str]:
    """What a reader must not do with the rows: compare ranks of different scopes."""
    scopes = {(r.get("among"), r.get("product"), r.get("year"), r.get("basis")) for r in rows}
    if len(scopes) < 2:
        return []
    return [
        "Each row ranks its own scope: a rank among exporters is not one among producers, "
        "smartphones are not all mobile phones, and one year is not another; different "
        "places in different scopes are not a contradiction."
    ]


KIND = Kind(
    "rankings",
    85,
    (
        Field(
            "subject",
            "str",
            True,
            "Who is ranked: a country.",
            indexed=True,
            casefold=True,
            evidence="name",
        ),
        Field(
            "position",
            "int",
            True,
            "Its place: 1 for the first.",
            bounds=(1, 1_000_000),
            bounds_message="is not a position; use 1 to 1,000,000",
            evidence="ordinal",
        ),
        Field(
            "among",
            "str",
            True,
            "Among whom: exporters (a rank of exports) or producers (of production).",
            choices=AMONG,
            indexed=True,
        ),
        Field(
            "product",
            "str",
            True,
            "Of what: smartphones, or mobile phones (smartphones and others).",
            indexed=True,
            casefold=True,
        ),
        Field(
            "year",
            "int",
            False,
            "The year ranked, when the source gives one.",
            bounds=(1950, 2100),
            bounds_message="is not a plausible year (1950-2100)",
        ),
        Field("basis", "str", False, "The year's kind: calendar or fiscal.", choices=BASES),
        Field(
            "as_of",
            "str",
            False,
            "With no year given, when the rank was said to hold: YYYY-MM or YYYY-MM-DD.",
        ),
        Field(
            "share",
            "number",
            False,
            "Its share of the world's total, in per cent, when given.",
            evidence="amount",
            unit="percent",
            qualifier="share_qualifier",
            label="share ",
        ),
        Field(
            "share_qualifier",
            "str",
            False,
            "How the source states the share.",
            choices=QUALIFIERS[:-1],
        ),
        Field("value", "number", False, "The amount ranked (the exports' worth), when given."),
        Field("unit", "str", False, "Unit of that amount.", choices=UNITS),
        Field("qualifier", "str", False, "How the source states it.", choices=QUALIFIERS[:-1]),
    ),
    derived=(
        derived(
            "ranked", "str", "What is ranked, in words: exports of smartphones.", searched=True
        ),
        derived(
            "period",
            "str",
            "The year ranked and its kind, or that none is given (and as of when).",
            searched=True,
        ),
        derived("share_text", "str", "The share as people read it: > 2.5%."),
    ),
    derive=_derive,  # type: ignore[arg-type]
    subject=("subject", "among", "product", "year", "basis"),
    compared=("position",),
    rules=rules,
    title="Places among the world's exporters and producers",
    doc="A country's place among the world's exporters or producers, with what is ranked: "
    "exports or production, which product, which year.",
    title_of=lambda rows: (
        f"{rows[0]['subject']}'s place among the world's exporters and producers"
        if len({r["subject"] for r in rows}) == 1
        else "Places among the world's exporters and producers"
    ),
    varying=("subject",),
    columns=(
        Col("Position", numeric=True),
        Col("What is ranked", "ranked"),
        Col("Year", "period"),
        Col("Share", "share_text", numeric=True),
        Col("Amount", cell="figure", numeric=True),
    ),
    notes_of=notes_of,
    label=_label,
    search_text=_search_text,
    examples=(
        "cgcli rankings",
        "cgcli rankings --among exporters --all-claims",
        "cgcli rankings --json | jq '.[] | {position, ranked, period}'",
    ),
)
