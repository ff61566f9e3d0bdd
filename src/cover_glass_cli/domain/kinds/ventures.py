"""Ventures: joint ventures and partnerships, their partners, place and goal."""

from __future__ import annotations

from ..registry import Col, Field, Kind, derived, reference
from .companies import KIND as COMPANIES

KIND = Kind(
    "ventures",
    40,
    (
        Field("name", "str", True, "Name, or a description where it has none."),
        Field("kind", "str", True, "Joint venture, partnership ..."),
        reference("partners", "strlist", True, "Ids of the partner companies.", COMPANIES.name),
        reference("announced_by", "str", False, "Id of the announcing company.", COMPANIES.name),
        Field("announced", "str", False, "When it was announced."),
        Field("country", "str", True, "Where it will operate.", evidence="name"),
        Field("products", "strlist", False, "What it will make."),
        Field("distinction", "str", False, "What sets it apart."),
        Field("goal", "str", False, "Its goal, as its speaker stated it (the note says who)."),
        Field(
            "goal_years",
            "int",
            False,
            "Years in which to reach the goal.",
            bounds=(1, 100),
            bounds_message="is not a number of years; use 1 to 100",
            evidence="amount",
            unit="years",
        ),
    ),
    derived=(
        derived("partner_names", "strlist", "Names of the partners.", names_of="partners"),
        derived(
            "announced_by_name",
            "str",
            "Name of the company that announced it.",
            names_of="announced_by",
        ),
    ),
    doc="Joint ventures and partnerships.",
    columns=(Col("ID"), Col("Name"), Col("Partners", "partner_names"), Col("Country"), Col("Goal")),
    related=2,
    listed=False,
    examples=(
        "cgcli venture",
        "cgcli venture --json | jq '.[0].partner_names'",
    ),
)
