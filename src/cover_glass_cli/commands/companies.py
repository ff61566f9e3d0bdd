"""cgcli companies"""

from __future__ import annotations

import click

from ..app import App
from ..domain.query import listing
from ..options import kind_examples, kind_fields, output_options
from ..ui.output import Output
from . import Command


@click.command(
    cls=Command,
    epilog=kind_examples("companies"),
)
@output_options(
    kind_fields("companies"), what="see `cgcli fields companies`", sources=True, claims=True
)
@click.pass_obj
def companies(app: App, out: Output) -> None:
    """List the companies: when founded, what they do, their role."""
    app.show(
        "companies",
        listing(app.load(), "companies", all_claims=out.all_claims),
        out,
        empty="no companies in the data",
    )
