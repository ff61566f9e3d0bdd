"""Sources: where the facts come from. Every claim of the other kinds cites one."""

from __future__ import annotations

from typing import Any

from ..registry import Col, Field, Kind, Record, derived


def _cited_by(facts: Any, records: list[Record]) -> object:
    """The records citing each source: the first few and a count, from an index."""
    return lambda r: {
        "cited_by": facts.cited_by(r["id"]),
        "cited_by_count": facts.cited_count(r["id"]),
    }


def _detail(row: Record) -> tuple[str, str]:
    where = f" [{row['location']}]" if row.get("location") else ""
    return row["id"], f"{row['title']} ({row['kind']}){where}"


KIND = Kind(
    "sources",
    0,
    (
        Field("title", "str", True, "What the source is about, in our words."),
        Field("kind", "str", True, "News report, filing, dataset ..."),
        Field("publisher", "str", False, "Who published it."),
        Field("published", "str", False, "Publication date, YYYY-MM-DD, when known."),
        Field("location", "str", False, "Where to find it: a path or URL."),
        # What lets the document be checked and linked (see domain/evidence.py).
        Field("url", "str", False, "Web address of the document, for links."),
        Field("accessed", "str", False, "When the document was read, YYYY-MM-DD."),
        Field("sha256", "str", False, "SHA-256 of the document's bytes (64 hex digits)."),
    ),
    cited=False,
    source=True,
    derived=(
        derived("cited_by", "strlist", "The first 50 records citing it, as kind:id."),
        derived("cited_by_count", "int", "How many records cite it (all: --cited-by ID)."),
    ),
    derive=_cited_by,  # type: ignore[arg-type]
    title="Sources",
    doc="Where the facts come from. Every other table links here.",
    columns=(
        Col("ID", "id"),
        Col("Title", "title"),
        Col("Kind", "kind"),
        Col("Location", "location"),
        Col("Cited by", cell="count", numeric=True),
    ),
    detail=_detail,
    examples=(
        "cgcli sources",
        "cgcli sources --json | jq '.[].cited_by_count'",
        "cgcli sources --cited-by jv-report --page 2",
    ),
)
