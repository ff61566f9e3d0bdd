"""Statements: what the companies and their people said, in our words."""

from __future__ import annotations

from ..registry import Col, Field, Kind, Record, derived, reference
from .companies import KIND as COMPANIES
from .people import KIND as PEOPLE


def _speaker(row: Record) -> str:
    """The speaker's name, marked when the source does not name the speaker."""
    name = str(row.get("speaker_name") or row["speaker"])
    return f"{name} (speaker inferred)" if "speaker" in (row.get("inferred") or ()) else name


def _detail(row: Record) -> tuple[str, str]:
    return _speaker(row), row["summary"]


def _cited_as(row: Record) -> str:
    """Who said what: 'Ashok Kumar Gupta, on goal: ...'."""
    return f"{_speaker(row)}, on {row['topic']}: {row['summary']}"


KIND = Kind(
    "statements",
    30,
    (
        reference(
            "speaker",
            "str",
            True,
            "Id of the person or company.",
            PEOPLE.name,
            COMPANIES.name,
            indexed=True,
        ),
        Field("topic", "str", True, "What it is about."),
        Field("summary", "str", True, "What was said, in our words.", long_text=True),
    ),
    derived=(derived("speaker_name", "str", "Name of the speaker.", names_of="speaker"),),
    doc="What the companies and their people said, in our words.",
    columns=(Col("Speaker", "speaker_name"), Col("Topic"), Col("Summary")),
    detail=_detail,
    cited_as=_cited_as,
    related=5,
    examples=(
        "cgcli statements",
        "cgcli statements --fields speaker_name,summary --format markdown",
    ),
)
