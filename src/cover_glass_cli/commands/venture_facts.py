"""cgcli venture-facts"""

from __future__ import annotations

import click

from ..domain.kinds.venture_facts import KIND, MEASURES
from ..options import examples, kind_output, single
from ..ui.output import Output
from . import App, Command


@click.command(cls=Command, epilog=examples(*KIND.examples, "cgcli venture-facts --json"))
@single(
    "--measure",
    type=click.Choice(MEASURES, case_sensitive=False),
    help="Only this measure: " + ", ".join(MEASURES) + ".",
)
@kind_output(KIND.name)
@click.pass_obj
def venture_facts(app: App, measure: str | None, out: Output) -> None:
    """The venture's name, stakes, investment, jobs and capacity, as the sources say them.

    A row shows each measure's best claim (rank preferred, else normal), marked when
    the best ones disagree; --all-claims lists every source's claim side by side:
    jobs of 500-700, over 500 and 840, with the preferred one marked.
    """
    selected = app.load()[KIND.name]
    if measure:
        selected = [r for r in selected if r["measure"] == measure.lower()]
    app.listing(KIND.name, out, records=selected, empty="no venture facts match")
