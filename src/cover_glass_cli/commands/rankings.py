"""cgcli rankings"""

from __future__ import annotations

import click

from ..options import complete_from, kind_examples, kind_output, single
from ..ui.output import Output
from . import App, Command


@click.command(cls=Command, epilog=kind_examples("rankings"))
@single(
    "--among",
    type=click.Choice(("exporters", "producers")),
    help="Only ranks among exporters, or among producers.",
)
@single(
    "--product",
    shell_complete=complete_from("rankings", "product"),
    help="Only ranks of this product: smartphones, mobile phones (case-insensitive).",
)
@kind_output("rankings")
@click.pass_obj
def rankings(app: App, among: str | None, product: str | None, out: Output) -> None:
    """A country's place among exporters or producers, with what each rank ranks.

    Each rank says what it ranks: among exporters or producers, of smartphones or all
    mobile phones, which year (calendar or fiscal), and the share behind it. Ranks of different
    scopes are shown side by side, never as a contradiction; ranks of one scope from
    different origins that differ are marked.
    """
    selected = [
        r
        for r in app.load()["rankings"]
        if (among is None or r["among"] == among)
        and (product is None or r["product"].casefold() == product.strip().casefold())
    ]
    app.listing("rankings", out, records=selected, empty="no rankings match")
