"""cgcli search TEXT"""

from __future__ import annotations

from typing import Any

import click

from ..app import App
from ..domain.query import search as find_records
from ..options import complete_kinds
from . import Command

_FORMATS = ("table", "json", "ndjson", "csv", "tsv", "markdown")


@click.command(
    cls=Command,
    epilog="\b\nExamples:\n  cgcli search gorilla\n  cgcli search 'value addition' --json\n"
    "  if cgcli search jio >/dev/null; then echo named; fi",
)
@click.argument("text", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_FORMATS),
    default="table",
    help="Output format. Default: table.",
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    shell_complete=complete_kinds,
    help="Only records of this kind (repeatable).",
)
@click.pass_obj
def search(
    app: App, text: tuple[str, ...], fmt: str, as_json: bool, kinds: tuple[str, ...]
) -> None:
    """Find every record, of any kind, in which each word of TEXT appears (case-insensitive).

    Exits 1 when nothing matches, like grep.
    """
    from ..domain.schema import kind_name

    wanted = set()
    for kind in kinds:
        name = kind_name(kind)
        if name is None:
            from ..domain.schema import KINDS

            raise click.BadParameter(
                f"{kind!r}; kinds are: {', '.join(KINDS)}", param_hint="--kind"
            )
        wanted.add(name)
    found = [
        r for r in find_records(app.load(), " ".join(text)) if not wanted or r["kind"] in wanted
    ]
    fmt = "json" if as_json else fmt
    if fmt == "table":
        if found:
            _draw(found)
    else:
        from ..ui.formats import write_rows

        if fmt == "json" or found:
            if fmt in ("json", "ndjson"):
                write_rows(found, fmt, [])
            else:
                fields = ["kind", "id", "label", "matched_fields"]
                write_rows(found, fmt, fields)
    if not found:
        click.echo(f"cgcli: nothing matches {' '.join(text)!r}", err=True)
        raise click.exceptions.Exit(1)


def _draw(found: list[dict[str, Any]]) -> None:
    from ..ui.tables import draw_table
    from ..ui.views import Column, TableView, plain

    columns = [
        Column("Kind", lambda r: r["kind"]),
        Column("ID", lambda r: r["id"]),
        Column("Record", lambda r: r["label"]),
        Column("Matched in", lambda r: plain(r["matched_fields"])),
    ]
    draw_table(TableView(f"{len(found)} matching records", columns, found, []))
