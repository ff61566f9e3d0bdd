"""cgcli customers"""

from __future__ import annotations

from typing import Any

import click

from ..app import App
from ..domain.query import of_company, rows
from ..options import company_option, examples, output_options, resolve_output
from . import Command


@click.command(
    cls=Command, epilog=examples("cgcli customers", "cgcli customers --company optiemus --json")
)
@company_option("Only the customers of this supplier")
@output_options("customers")
@click.pass_obj
def customers(app: App, /, company: str | None, **params: Any) -> None:
    """List the customers the sources name for each supplier."""
    out = resolve_output("customers", params)
    facts = app.load()
    selected = of_company(facts, "customers", "supplier", company)
    app.show("customers", rows(facts, "customers", selected), out, empty="no customers match")
