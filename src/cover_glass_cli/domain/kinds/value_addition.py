"""Local value addition in phone manufacturing: a share, or a range of shares, by country."""

from __future__ import annotations

from ..registry import QUALIFIERS, Col, Field, Kind, Record, figure


def _label(row: Record) -> str:
    return str(row["country"])


KIND = Kind(
    "value_addition",
    80,
    (
        Field("country", "str", True, "Country.", indexed=True, casefold=True, evidence="name"),
        Field("value", "number", False, "The share, when one figure is given.", evidence="figure"),
        Field("low", "number", False, "Low end, when a range is given."),
        Field("high", "number", False, "High end, when a range is given."),
        *figure(QUALIFIERS),
        Field("scope", "str", False, "What the share measures."),
    ),
    figures=True,
    subject=("country", "scope"),
    title="Local value addition in phone manufacturing, by country",
    doc="Local value addition in phone manufacturing, by country.",
    columns=(
        Col("Country", "country"),
        Col("Local value addition", cell="figure", numeric=True),
        Col("Scope", "scope"),
    ),
    label=_label,
    examples=(
        "cgcli value-addition",
        "cgcli value-addition --chart",
        "cgcli value-addition --json | jq '.[] | {country, low, high, value}'",
    ),
)
