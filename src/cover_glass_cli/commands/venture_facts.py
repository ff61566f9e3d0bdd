"""cgcli venture-facts"""

from __future__ import annotations

import click

from ..app import App
from ..domain.kinds.venture_facts import KIND, MEASURES
from ..domain.query import listing
from ..options import examples, kind_fields, output_options, single
from ..ui.output import Output
from . import Command


@click.command(cls=Command, epilog=examples(*KIND.examples, "cgcli venture-facts --json"))
@single(
    "--measure",
    type=click.Choice(MEASURES, case_sensitive=False),
    help="Only this measure: " + ", ".join(MEASURES) + ".",
)
@output_options(
    kind_fields(KIND.name), what="see `cgcli fields venture-facts`", sources=True, claims=True
)
@click.pass_obj
def venture_facts(app: App, measure: str | None, out: Output) -> None:
    """The venture's name, stakes, investment, jobs and capacity, as the sources say them.

    A row shows each measure's best claim (rank preferred, else normal), marked when
    the best ones disagree; --all-claims lists every source's claim side by side:
    jobs of 500-700, over 500 and 840, with the preferred one marked.
    """
    facts = app.load()
    selected = facts[KIND.name]
    if measure:
        selected = [r for r in selected if r["measure"] == measure.lower()]
    rows = listing(facts, KIND.name, selected, all_claims=out.all_claims)
    app.show(KIND.name, rows, out, empty="no venture facts match")
