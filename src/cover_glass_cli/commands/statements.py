"""cgcli statements"""

from __future__ import annotations

import click

from ..app import App
from ..options import kind_examples, kind_output
from ..ui.output import Output
from . import Command


@click.command(cls=Command, epilog=kind_examples("statements"))
@kind_output("statements")
@click.pass_obj
def statements(app: App, out: Output) -> None:
    """What the companies and their people said, in our words."""
    app.listing("statements", out, empty="no statements in the data")
