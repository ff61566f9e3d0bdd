"""Statements: what the companies and their people said, in our words."""

from __future__ import annotations

from ..registry import Col, Field, Kind, Record, derived
from .companies import KIND as COMPANIES
from .people import KIND as PEOPLE


def _detail(row: Record) -> tuple[str, str]:
    return row.get("speaker_name") or row["speaker"], row["summary"]


KIND = Kind(
    "statements",
    30,
    (
        Field(
            "speaker",
            "str",
            True,
            "Id of the person or company.",
            ref=(PEOPLE.name, COMPANIES.name),
            indexed=True,
            evidence="ref",
        ),
        Field("topic", "str", True, "What it is about."),
        Field("summary", "str", True, "What was said, in our words.", long_text=True),
    ),
    derived=(
        derived("speaker_name", "str", "Name of the speaker.", names_of="speaker", searched=True),
    ),
    title="Statements",
    doc="What the companies and their people said, in our words.",
    columns=(Col("Speaker", "speaker_name"), Col("Topic", "topic"), Col("Summary", "summary")),
    detail=_detail,
    related=5,
    examples=(
        "cgcli statements",
        "cgcli statements --fields speaker_name,summary --format markdown",
    ),
)
