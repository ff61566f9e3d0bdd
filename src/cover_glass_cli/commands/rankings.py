"""cgcli rankings"""

from __future__ import annotations

import click

from ..app import App
from ..domain.query import listing
from ..options import complete_from, kind_examples, kind_fields, output_options, single
from ..ui.output import Output
from . import Command


@click.command(
    cls=Command,
    epilog=kind_examples("rankings"),
)
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
@output_options(
    kind_fields("rankings"), what="see `cgcli fields rankings`", sources=True, claims=True
)
@click.pass_obj
def rankings(app: App, among: str | None, product: str | None, out: Output) -> None:
    """A country's place among exporters or producers, with what each rank ranks.

    Each rank says what it ranks: among exporters or producers, of smartphones or all
    mobile phones, which year (calendar or fiscal), and the share behind it. Ranks of different
    scopes are shown side by side, never as a contradiction; ranks of one scope from
    different origins that differ are marked.
    """
    facts = app.load()
    selected = [
        r
        for r in facts["rankings"]
        if (among is None or r["among"] == among)
        and (product is None or r["product"].casefold() == product.strip().casefold())
    ]
    app.show(
        "rankings",
        listing(facts, "rankings", selected, all_claims=out.all_claims),
        out,
        empty="no rankings match",
    )
