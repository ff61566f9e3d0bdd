"""Companies: who makes what, and their part in the story."""

from __future__ import annotations

from ..registry import Col, Field, Kind

KIND = Kind(
    "companies",
    10,
    (
        Field("name", "str", True, "Name as the source gives it.", evidence="names"),
        Field("aliases", "strlist", False, "Other names the source uses."),
        Field(
            "founded",
            "int",
            False,
            "Year founded.",
            bounds=(1000, 2100),
            bounds_message="is not a plausible year",
            evidence="amount",
            label="founded ",
        ),
        Field("business", "str", True, "What the company does.", long_text=True),
        Field("specialties", "strlist", False, "Fields of expertise."),
        Field("products", "strlist", False, "Named products.", evidence="name"),
        Field("role", "str", False, "Its part in the story."),
    ),
    doc="The companies named in the sources.",
    columns=(Col("ID"), Col("Name"), Col("Founded", numeric=True), Col("Business"), Col("Role")),
    named=True,
    examples=(
        "cgcli companies",
        "cgcli companies --json | jq -r '.[].name'",
        "cgcli companies --fields id,name,founded --csv",
    ),
)
