"""cgcli statements"""

from __future__ import annotations

import click

from ..app import App
from ..domain.query import listing
from ..options import kind_examples, kind_fields, output_options
from ..ui.output import Output
from . import Command


@click.command(
    cls=Command,
    epilog=kind_examples("statements"),
)
@output_options(
    kind_fields("statements"), what="see `cgcli fields statements`", sources=True, claims=True
)
@click.pass_obj
def statements(app: App, out: Output) -> None:
    """What the companies and their people said, in our words."""
    app.show(
        "statements",
        listing(app.load(), "statements", all_claims=out.all_claims),
        out,
        empty="no statements in the data",
    )
