"""cgcli sites"""

from __future__ import annotations

import click

from ..domain.query import listing
from ..domain.selection import of_company
from ..options import company_option, complete_from, kind_examples, kind_output, single
from ..ui.output import Output
from . import App, Command


@click.command(cls=Command, epilog=kind_examples("sites"))
@company_option("Only this company's sites, and its ventures'")
@single(
    "--country",
    shell_complete=complete_from("sites", "country"),
    help="Only sites in this country (case-insensitive).",
)
@single(
    "--status",
    type=click.Choice(("planned", "operating"), case_sensitive=False),
    help="Only planned or only operating sites.",
)
@kind_output("sites")
@click.pass_obj
def sites(
    app: App, company: str | None, country: str | None, status: str | None, out: Output
) -> None:
    """List manufacturing sites, planned and operating."""
    facts = app.load()
    selected = of_company(facts, "sites", "operator", company)
    if country:
        selected = [s for s in selected if s["country"].casefold() == country.casefold()]
    rows = listing(facts, "sites", selected, all_claims=out.all_claims)
    if status:  # of the claim shown: a plant whose best claim says it operates is not planned
        rows = [s for s in rows if s["status"] == status.lower()]
    app.show("sites", rows, out, empty="no sites match")
