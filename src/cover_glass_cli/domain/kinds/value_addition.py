"""Local value addition: a share, or a range of shares, by country and year, as each
source measures it. Different measures (the CDS study's domestic value added, direct and
indirect) are different scopes, shown side by side, never compared."""

from __future__ import annotations

from ..registry import QUALIFIERS, Col, Field, Kind, Record, figure


def _label(row: Record) -> str:
    year = row.get("year")
    return f"{row['country']} {year}" if year else str(row["country"])


def notes_of(rows: list[Record]) -> list[str]:
    """What the rows shown compare, and what they do not."""
    scopes = {str(r.get("scope") or "") for r in rows}
    if len(scopes) < 2:
        return []
    return [
        "Each scope is its own measure: a share of one scope is never compared with "
        "another's (the CDS study's domestic value added counts indirect value too)."
    ]


KIND = Kind(
    "value_addition",
    80,
    (
        Field("country", "str", True, "Country.", indexed=True, casefold=True, evidence="name"),
        Field(
            "year",
            "int",
            False,
            "The year the share describes (a fiscal year by its end, as the note says); "
            "for 'currently', the year it was said.",
            bounds=(1950, 2100),
            bounds_message="is not a plausible year (1950-2100)",
        ),
        Field("value", "number", False, "The share, when one figure is given.", evidence="figure"),
        Field("low", "number", False, "Low end, when a range is given."),
        Field("high", "number", False, "High end, when a range is given."),
        *figure(QUALIFIERS),
        Field("scope", "str", False, "What the share measures, in the source's terms."),
    ),
    figures=True,
    subject=("country", "scope", "year"),
    title="Local value addition, by country and year, as each source measures it",
    doc="Local value addition in making mobile phones, by country and year, as each source "
    "measures it.",
    columns=(Col("Country"), Col("Year"), Col("Share", cell="figure", numeric=True), Col("Scope")),
    notes_of=notes_of,
    label=_label,
    examples=(
        "cgcli value-addition",
        "cgcli value-addition --chart",
        "cgcli value-addition --country india",
        "cgcli value-addition --json | jq '.[] | {country, low, high, value}'",
    ),
)
