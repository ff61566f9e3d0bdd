"""cgcli sources"""

from __future__ import annotations

import click

from ..app import App
from ..domain.query import rows
from ..options import kind_examples, kind_fields, output_options
from ..ui.output import Output
from . import Command


@click.command(
    cls=Command,
    epilog=kind_examples("sources"),
)
@output_options(kind_fields("sources"), what="see `cgcli fields sources`", sources=True)
@click.pass_obj
def sources(app: App, out: Output) -> None:
    """Where the facts come from, and which records cite each source."""
    app.show("sources", rows(app.load(), "sources"), out, empty="no sources in the data")
