"""cgcli customers"""

from __future__ import annotations

import click

from ..domain.selection import of_company
from ..options import company_option, kind_examples, kind_output
from ..ui.output import Output
from . import App, Command


@click.command(cls=Command, epilog=kind_examples("customers"))
@company_option("Only the customers of this supplier")
@kind_output("customers")
@click.pass_obj
def customers(app: App, company: str | None, out: Output) -> None:
    """List the customers the sources name for each supplier."""
    selected = of_company(app.load(), "customers", "supplier", company)
    app.listing("customers", out, records=selected, empty="no customers match")
