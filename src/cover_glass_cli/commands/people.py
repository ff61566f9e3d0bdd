"""cgcli people"""

from __future__ import annotations

import click

from ..app import App
from ..options import kind_examples, kind_output
from ..ui.output import Output
from . import Command


@click.command(cls=Command, epilog=kind_examples("people"))
@kind_output("people")
@click.pass_obj
def people(app: App, out: Output) -> None:
    """List the people named in the sources and their positions."""
    app.listing("people", out, empty="no people in the data")
