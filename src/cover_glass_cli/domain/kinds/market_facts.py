"""Market facts: challenges, goals and forecasts about the market (ranks are rankings)."""

from __future__ import annotations

from ..registry import Col, Field, Kind

MAX_POSITION = 1_000_000

KIND = Kind(
    "market_facts",
    90,
    (
        Field("subject", "str", True, "Who or what the fact is about.", evidence="name"),
        Field("topic", "str", True, "What it concerns."),
        Field(
            "position",
            "int",
            False,
            "Position in a ranking (schema 1 called it rank).",
            bounds=(1, MAX_POSITION),
            bounds_message=f"is not a position; use 1 to {MAX_POSITION:,}",
            evidence="ordinal",
        ),
        Field("statement", "str", True, "The fact, in our words.", long_text=True),
    ),
    subject=("subject", "topic"),
    doc="Facts about the market: challenges, goals, forecasts.",
    columns=(Col("Subject"), Col("Topic"), Col("Position", numeric=True), Col("Fact", "statement")),
    # Schema 2 gave every kind `rank` as the claim's rank: schema 1's ranking position,
    # a whole number, is read as `position`.
    renamed={1: {"rank": "position"}},
    examples=(
        "cgcli market-facts",
        "cgcli market-facts --json",
    ),
)
