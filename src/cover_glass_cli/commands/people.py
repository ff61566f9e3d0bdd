"""cgcli people"""

from __future__ import annotations

import click

from ..app import App
from ..domain.query import listing
from ..options import kind_examples, kind_fields, output_options
from ..ui.output import Output
from . import Command


@click.command(
    cls=Command,
    epilog=kind_examples("people"),
)
@output_options(kind_fields("people"), what="see `cgcli fields people`", sources=True, claims=True)
@click.pass_obj
def people(app: App, out: Output) -> None:
    """List the people named in the sources and their positions."""
    app.show(
        "people",
        listing(app.load(), "people", all_claims=out.all_claims),
        out,
        empty="no people in the data",
    )
