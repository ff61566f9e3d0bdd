"""cgcli market-facts"""

from __future__ import annotations

import click

from ..app import App
from ..options import kind_examples, kind_output
from ..ui.output import Output
from . import Command


@click.command(cls=Command, epilog=kind_examples("market_facts"))
@kind_output("market_facts")
@click.pass_obj
def market_facts(app: App, out: Output) -> None:
    """Other facts about the market: challenges, goals, forecasts.

    Ranks among exporters and producers are `cgcli rankings`, each with what it ranks.
    """
    app.listing("market_facts", out, empty="no market facts in the data")
