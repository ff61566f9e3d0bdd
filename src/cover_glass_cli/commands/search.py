"""cgcli search TEXT"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ..app import App
from ..domain.query import search as find_records
from ..options import complete_kinds, examples, output_options
from ..ui.output import Output, show
from . import Command

if TYPE_CHECKING:
    from rich.console import Console

FIELDS = [
    ("kind", "Kind of the record."),
    ("id", "Its id."),
    ("label", "A short human name for it."),
    ("matched_fields", "The fields in which the words were found."),
    ("record", "The whole record, as its kind's listing shows it."),
]


@click.command(
    cls=Command,
    epilog=examples(
        "cgcli search gorilla",
        "cgcli search 'value addition' --json",
        "if cgcli search jio >/dev/null; then echo named; fi",
    ),
)
@click.argument("text", nargs=-1, required=True)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    shell_complete=complete_kinds,
    help="Only records of this kind (repeatable).",
)
@output_options(lambda: FIELDS, what="of: kind, id, label, matched_fields, record")
@click.pass_obj
def search(app: App, text: tuple[str, ...], kinds: tuple[str, ...], out: Output) -> None:
    """Find every record in which each word of TEXT appears, whatever its kind.

    Words match anywhere in a field, in any case: in every stored field, the names
    behind ids, and an export's period and months. Exits 1 when nothing matches, like
    grep.
    """
    from ..domain.schema import KINDS, kind_name

    wanted = set()
    for kind in kinds:
        name = kind_name(kind)
        if name is None:
            raise click.BadParameter(
                f"{kind!r}; kinds are: {', '.join(KINDS)}", param_hint="--kind"
            )
        wanted.add(name)
    found = [
        r for r in find_records(app.load(), " ".join(text)) if not wanted or r["kind"] in wanted
    ]

    def draw(console: Console) -> None:
        from ..ui.tables import draw_table
        from ..ui.views import Column, TableView, plain

        columns = [
            Column("Kind", lambda r: r["kind"]),
            Column("ID", lambda r: r["id"]),
            Column("Record", lambda r: r["label"]),
            Column("Matched in", lambda r: plain(r["matched_fields"])),
        ]
        draw_table(TableView(f"{len(found)} matching records", columns, found, []), console)

    fields = [name for name, _ in FIELDS]
    show(out, found, fields, draw=draw, empty=f"nothing matches {' '.join(text)!r}")
