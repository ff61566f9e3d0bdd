"""cgcli customers"""

from __future__ import annotations

import click

from ..app import App
from ..domain.query import listing, of_company
from ..options import company_option, kind_examples, kind_fields, output_options
from ..ui.output import Output
from . import Command


@click.command(
    cls=Command,
    epilog=kind_examples("customers"),
)
@company_option("Only the customers of this supplier")
@output_options(
    kind_fields("customers"), what="see `cgcli fields customers`", sources=True, claims=True
)
@click.pass_obj
def customers(app: App, company: str | None, out: Output) -> None:
    """List the customers the sources name for each supplier."""
    facts = app.load()
    selected = of_company(facts, "customers", "supplier", company)
    app.show(
        "customers",
        listing(facts, "customers", selected, all_claims=out.all_claims),
        out,
        empty="no customers match",
    )
