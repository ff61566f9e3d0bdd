"""cgcli fields [KIND]"""

from __future__ import annotations

import click

from ..domain.schema import KINDS
from . import Command


@click.command(
    cls=Command, epilog="\b\nExamples:\n  cgcli fields exports\n  cgcli fields --json | jq 'keys'"
)
@click.argument("kind", required=False, type=click.Choice([k.replace("_", "-") for k in KINDS]))
@click.option("--json", "as_json", is_flag=True, help="As JSON: {kind: [{name, type, ...}]}.")
def fields(kind: str | None, as_json: bool) -> None:
    """List the fields of each kind of record: name, type, whether the fact file needs
    it, and what it means. Fields marked 'derived' are computed, not stored."""
    from ..domain.query import DERIVED

    kinds = [kind.replace("-", "_")] if kind else list(KINDS)
    spec = {
        k: [
            {
                "name": f.name,
                "type": f.type,
                "required": f.required,
                "derived": derived,
                "choices": list(f.choices),
                "references": list(f.ref),
                "doc": f.doc,
            }
            for fs, derived in ((KINDS[k], False), (DERIVED.get(k, ()), True))
            for f in fs
        ]
        for k in kinds
    }
    if as_json:
        from ..ui.formats import write_json

        write_json(spec)
        return
    from ..ui.tables import draw_table
    from ..ui.views import Column, TableView

    columns = [
        Column("Field", lambda f: f["name"]),
        Column("Type", lambda f: f["type"]),
        Column("", lambda f: "derived" if f["derived"] else "required" if f["required"] else ""),
        Column(
            "Meaning",
            lambda f: f["doc"] + (f" One of: {', '.join(f['choices'])}." if f["choices"] else ""),
        ),
    ]
    for k, items in spec.items():
        draw_table(TableView(k, columns, items, []))
