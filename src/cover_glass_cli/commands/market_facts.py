"""cgcli market-facts"""

from __future__ import annotations

import click

from ..app import App
from ..domain.query import listing
from ..options import kind_examples, kind_fields, output_options
from ..ui.output import Output
from . import Command


@click.command(
    cls=Command,
    epilog=kind_examples("market_facts"),
)
@output_options(
    kind_fields("market_facts"), what="see `cgcli fields market-facts`", sources=True, claims=True
)
@click.pass_obj
def market_facts(app: App, out: Output) -> None:
    """Other facts about the market: challenges, goals, forecasts.

    Ranks among exporters and producers are `cgcli rankings`, each with what it ranks.
    """
    app.show(
        "market_facts",
        listing(app.load(), "market_facts", all_claims=out.all_claims),
        out,
        empty="no market facts in the data",
    )
