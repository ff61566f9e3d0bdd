"""Detail commands: one company, or the venture, with everything the data links to it."""

from __future__ import annotations

from typing import Any

import click

from ..app import App
from ..domain.facts import Facts
from ..domain.query import company_ids, find, label, rows
from ..options import complete_from
from . import Command


def _detail_format(f: Any) -> Any:
    f = click.option("--json", "as_json", is_flag=True, help="Same as --format json.")(f)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(("table", "json")),
        default="table",
        help="Output format. Default: table.",
    )(f)


def _related(facts: Facts, ids: set[str]) -> dict[str, list[dict[str, Any]]]:
    """Records that name any of IDS, by kind, and the sources they all cite."""
    people = [p for p in facts["people"] if p["company"] in ids]
    speakers = ids | {p["id"] for p in people}
    found = {
        "people": people,
        "ventures": [v for v in facts["ventures"] if ids & {v["id"], *v["partners"]}],
        "sites": [s for s in facts["sites"] if s["operator"] in ids],
        "customers": [c for c in facts["customers"] if c["supplier"] in ids],
        "statements": [s for s in facts["statements"] if s["speaker"] in speakers],
    }
    return {kind: rows(facts, kind, records) for kind, records in found.items()}


def _with_sources(
    facts: Facts, main: list[dict[str, Any]], related: dict[str, Any]
) -> list[dict[str, Any]]:
    cited = {r["source"] for r in main} | {
        r["source"] for records in related.values() for r in records
    }
    return rows(facts, "sources", [s for s in facts["sources"] if s["id"] in cited])


def _sections(related: dict[str, list[dict[str, Any]]]) -> list[tuple[str, list[tuple[str, str]]]]:
    from ..ui.views import plain

    def line(kind: str, row: dict[str, Any]) -> tuple[str, str]:
        if kind == "sites":
            return row["id"], f"{row['country']}: {row['makes']} ({row['status']})"
        if kind == "people":
            return row["id"], f"{row['name']}, {row['title']}"
        if kind == "statements":
            return row.get("speaker_name") or row["speaker"], row["summary"]
        if kind == "sources":
            where = f" [{row['location']}]" if row.get("location") else ""
            return row["id"], f"{row['title']} ({row['kind']}){where}"
        if kind == "customers":
            return row["name"], plain(row.get("sector"))
        return row["id"], label(kind, row)

    return [
        (kind.capitalize(), [line(kind, row) for row in records])
        for kind, records in related.items()
    ]


@click.command(
    cls=Command,
    epilog="\b\nExamples:\n  cgcli company corning\n  cgcli company opti --json | jq '.customers[].name'",
)
@click.argument("name", shell_complete=complete_from("companies", "id", "name", "aliases"))
@_detail_format
@click.pass_obj
def company(app: App, name: str, fmt: str, as_json: bool) -> None:
    """Show one company in full: its business, people, ventures, sites, customers and sources.

    NAME is an id or a name, in any case; a unique prefix will do.
    """
    from ..ui.views import detail_pairs

    facts = app.load()
    record = find(facts["companies"], name, "company")
    (row,) = rows(facts, "companies", [record])
    related = _related(facts, company_ids(facts, record["id"]))
    related["sources"] = _with_sources(facts, [row], related)
    if fmt == "json" or as_json:
        from ..ui.formats import write_json

        write_json({**row, **related})
        return
    from ..ui.tables import draw_detail

    draw_detail(row["name"], [("", detail_pairs(row, skip=("name",))), *_sections(related)])


@click.command(
    cls=Command,
    epilog="\b\nExamples:\n  cgcli venture\n  cgcli venture --json | jq '.[0].partner_names'",
)
@click.argument("name", required=False, shell_complete=complete_from("ventures", "id", "name"))
@_detail_format
@click.pass_obj
def venture(app: App, name: str | None, fmt: str, as_json: bool) -> None:
    """Show the joint venture: its partners, what it will make, where, and its stated goal.

    With several ventures in the data, NAME (an id or name, or a unique prefix) picks one.
    """
    from ..ui.views import detail_pairs

    facts = app.load()
    records = [find(facts["ventures"], name, "venture")] if name else facts["ventures"]
    shown = []
    for row in rows(facts, "ventures", records):
        related = _related(facts, {row["id"]})
        del related["ventures"], related["customers"], related["people"]
        partner_people = {p["id"] for p in facts["people"] if p["company"] in row["partners"]}
        related["statements"] = rows(
            facts,
            "statements",
            [
                s
                for s in facts["statements"]
                if s["speaker"] in partner_people | set(row["partners"])
            ],
        )
        related["sources"] = _with_sources(facts, [row], related)
        shown.append((row, related))
    if fmt == "json" or as_json:
        from ..ui.formats import write_json

        write_json([{**row, "sites": related["sites"]} for row, related in shown])
    else:
        from ..ui.tables import draw_detail, make_console

        console = make_console()
        for row, related in shown:
            pairs = [("partners", ", ".join(row["partner_names"]))]
            pairs += detail_pairs(row, skip=("name", "partners", "announced_by", "partner_names"))
            draw_detail(row["name"], [("", pairs), *_sections(related)], console)
    if not shown:
        click.echo("cgcli: no ventures in the data", err=True)
        raise click.exceptions.Exit(1)
