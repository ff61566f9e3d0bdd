"""cgcli fields [KIND]"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from ..domain.registry import kind_of, kinds
from ..options import examples, output_options
from ..ui.output import Output, show
from . import Command

if TYPE_CHECKING:
    from rich.console import Console

FIELDS = [
    ("kind", "Kind of record."),
    ("name", "Field name."),
    ("type", "str, int, number or strlist."),
    ("required", "Whether a fact file must give it."),
    ("derived", "Computed by cgcli, not stored."),
    ("choices", "The values it may take, when fixed."),
    ("references", "Kinds of record whose ids it holds."),
    ("doc", "What it means."),
]


@click.command(
    cls=Command, epilog=examples("cgcli fields exports", "cgcli fields --json | jq 'keys'")
)
@click.argument(
    "kind",
    required=False,
    metavar="[KIND]",
    # with "-" or "_" between words, as facts add and search --kind take them
    type=click.Choice([*(k.command for k in kinds().values()), *kinds()], case_sensitive=False),
)
@output_options(lambda: FIELDS, what="of: " + ", ".join(name for name, _ in FIELDS), listing=False)
def fields(kind: str | None, out: Output) -> None:
    """List the fields of each kind of record, for --fields and scripts.

    Shows name, type, whether the fact file needs it, and what it means. Fields marked
    'derived' are computed, not stored. JSON gives {kind: [field, ...]}; the other
    machine formats a row per field.
    """
    shown = [kind_of(kind.replace("-", "_"))] if kind else list(kinds().values())
    spec: dict[str, list[dict[str, Any]]] = {
        k.name: [
            {
                "name": f.name,
                "type": f.type,
                "required": f.required,
                "derived": derived,
                "choices": list(f.choices),
                "references": list(f.ref),
                "doc": f.doc,
            }
            for fs, derived in ((k.fields, False), (k.derived, True))
            for f in fs
        ]
        for k in shown
    }
    flat = [{"kind": k, **f} for k, items in spec.items() for f in items]

    def draw(console: Console) -> None:
        from ..ui.tables import draw_table
        from ..ui.views import Column, TableView

        columns = [
            Column("Field", lambda f: f["name"], whole=True),
            Column("Type", lambda f: f["type"]),
            Column(
                "In the file",
                lambda f: (
                    "derived" if f["derived"] else "required" if f["required"] else "optional"
                ),
            ),
            Column(
                "Meaning",
                lambda f: (
                    f["doc"] + (f" One of: {', '.join(f['choices'])}." if f["choices"] else "")
                ),
            ),
        ]
        for k, items in spec.items():
            draw_table(TableView(k, columns, items, []), console)

    names = [name for name, _ in FIELDS]
    show(out, flat, names, draw=draw, empty="no fields", document=spec)
