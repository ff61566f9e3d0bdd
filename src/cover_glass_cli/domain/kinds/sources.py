"""Sources: where the facts come from, as a reader knows them (publisher, address, date,
the voice the page speaks in, and the origin of what it repeats). Every claim of the
other kinds cites one.

Several outlets often print one wire text, or report one body's statement: such sources
are one origin, and a confirmation or a disagreement is counted between origins only
(claims.disagree). A source's `origin` names who made the statement it repeats; `via`
the agency that carried it.
"""

from __future__ import annotations

from typing import Any

from ..registry import Col, Field, Kind, Record, derived

VOICES = (
    "news report",
    "wire copy",
    "industry body",
    "government",
    "academic study",
    "research firm",
    "company",
)


def _derive(facts: Any, records: list[Record]) -> object:
    """Each source's citing records (the first few and a count, from an index), its origin
    as people read it, and the other sources of the same origin."""
    from ..claims import origin_key, origin_label

    by_origin: dict[str, list[str]] = {}
    for r in facts[KIND.name]:
        by_origin.setdefault(origin_key(r), []).append(r["id"])

    def derive(r: Record) -> Record:
        same = by_origin.get(origin_key(r), [r["id"]])
        return {
            "cited_by": facts.cited_by(r["id"]),
            "cited_by_count": facts.cited_count(r["id"]),
            "origin_label": origin_label(r),
            "origin_reports": len(same),
            "same_origin": [i for i in same if i != r["id"]],
        }

    return derive


def _detail(row: Record) -> tuple[str, str]:
    what = ", ".join(str(row[f]) for f in ("publisher", "published") if row.get(f))
    title = f"[{row['title']}]" if "title" in (row.get("inferred") or ()) else row["title"]
    where = row.get("url") or row.get("location")
    return row["id"], f"{title} ({what or row['kind']}){f' [{where}]' if where else ''}"


def notes_of(rows: list[Record]) -> list[str]:
    """A line for each origin that several of the sources shown share, and what a bracketed
    title means: "3 reports, 1 origin: ICEA (via PTI: 2)"."""
    from ..claims import origin_key

    groups: dict[str, list[Record]] = {}
    for row in rows:
        groups.setdefault(origin_key(row), []).append(row)
    notes = []
    for group in groups.values():
        if len(group) < 2:
            continue
        vias: dict[str, int] = {}
        for row in group:
            if row.get("via"):
                vias[str(row["via"])] = vias.get(str(row["via"]), 0) + 1
        carried = ", ".join(f"via {via}: {n}" for via, n in vias.items())
        origin = str(group[0].get("origin") or group[0]["id"])
        ids = ", ".join(str(r["id"]) for r in group)
        tail = f" ({carried})" if carried else ""
        notes.append(f"{len(group)} reports, 1 origin: {origin}{tail}: {ids}")
    if notes:
        notes.append(
            "Reports of one origin count once: they confirm or dispute a figure together, "
            "not one another."
        )
    if any(r.get("inferred") for r in rows):
        notes.append(
            "* a detail read rather than printed on the page (a title of ours where the page "
            "shows no headline, a date from the address, the agency): each source's `inferred` "
            "and note say which (cgcli sources --fields id,title,inferred,note)."
        )
    return notes


KIND = Kind(
    "sources",
    0,
    (
        Field(
            "title",
            "str",
            True,
            "The page's headline; where the page shows none, a title of ours (then listed "
            "in `inferred`, and shown in brackets).",
        ),
        Field("kind", "str", True, "News report, data analysis, filing, dataset ..."),
        Field("publisher", "str", False, "Who published it: the outlet."),
        Field("published", "str", False, "Publication date, YYYY-MM-DD, when known."),
        Field(
            "voice",
            "str",
            False,
            "The voice the page speaks in: the outlet's own news report, a wire copy printed "
            "as it came, or the words of an industry body, a government, an academic study, "
            "a research firm or a company printed as given.",
            choices=VOICES,
        ),
        Field(
            "origin",
            "str",
            False,
            "Who made the statement the page repeats (ICEA, CDS study, a ministry): sources "
            "of one origin (any case) count once; none given, the source is its own origin.",
        ),
        Field("via", "str", False, "The agency that carried it: PTI, IANS ..."),
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
        derived("origin_label", "str", "Its origin as people read it: ICEA via PTI."),
        derived(
            "origin_reports",
            "int",
            "How many sources in the data share its origin (itself included).",
        ),
        derived("same_origin", "strlist", "Ids of the other sources of the same origin."),
    ),
    derive=_derive,  # type: ignore[arg-type]
    title="Sources, by origin",
    doc="Where the facts come from, and the origin each repeats. Every other table links here.",
    columns=(
        Col("Origin", "origin_label"),
        Col("ID"),
        Col("Published", cell="published"),
        Col("Voice"),
        Col("Cited by", cell="count", numeric=True),
    ),
    notes_of=notes_of,
    detail=_detail,
    examples=(
        "cgcli sources",
        "cgcli sources --fields id,title,inferred,note",
        "cgcli sources --json | jq '.[] | {id, origin_label, same_origin}'",
        "cgcli sources --cited-by jv-report --page 2",
    ),
)
