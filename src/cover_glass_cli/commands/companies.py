"""cgcli companies"""

from __future__ import annotations

import click

from ..app import App
from ..options import kind_examples, kind_output
from ..ui.output import Output
from . import Command


@click.command(cls=Command, epilog=kind_examples("companies"))
@kind_output("companies")
@click.pass_obj
def companies(app: App, out: Output) -> None:
    """List the companies: when founded, what they do, their role."""
    app.listing("companies", out, empty="no companies in the data")
