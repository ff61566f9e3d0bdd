"""cgcli value-addition"""

from __future__ import annotations

import click

from ..app import App
from ..domain.query import listing
from ..options import kind_examples, kind_fields, output_options
from ..ui.output import Output
from . import Command


@click.command(
    cls=Command,
    epilog=kind_examples("value_addition"),
)
@output_options(
    kind_fields("value_addition"),
    what="see `cgcli fields value-addition`",
    sources=True,
    claims=True,
    charts=True,
)
@click.pass_obj
def value_addition(app: App, out: Output) -> None:
    """Local value addition in phone manufacturing, by country.

    A share of the phone's value; ranges are shown as low-high. A row shows each
    country's best claim, marked when sources disagree; --all-claims lists them all.
    """
    app.show(
        "value_addition",
        listing(app.load(), "value_addition", all_claims=out.all_claims),
        out,
        empty="no value addition in the data",
    )
