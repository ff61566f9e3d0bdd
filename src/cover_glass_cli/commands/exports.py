"""cgcli exports"""

from __future__ import annotations

from typing import Any

import click

from ..app import App
from ..domain.query import rows
from ..options import FiscalYearSpan, examples, output_options, resolve_output
from . import Command


@click.command(
    cls=Command,
    epilog=examples(
        "cgcli exports",
        "cgcli exports --fy 2023            # also FY23, 2022-23, 2022-2023",
        "cgcli exports --fy 2022..2024 --unit billion",
        "cgcli exports --fy 2023 --json | jq '.[0].value'",
    ),
)
@click.option(
    "--fy",
    "span",
    type=FiscalYearSpan(),
    help="Indian fiscal year (April-March): 2023, FY23, 2022-23 ... or a range 2021..2023.",
)
@output_options("exports", charts=True, units=True)
@click.pass_obj
def exports(app: App, /, span: tuple[int, int] | None, **params: Any) -> None:
    """India's mobile phone exports by fiscal year and quarter, with stated and computed growth.

    Growth is computed wherever the year-ago figure is in the data too, and
    checked against the growth the source states.
    """
    out = resolve_output("exports", params)
    facts = app.load()
    if span:
        selected = facts.exports(*span)
        if not selected:
            years = ", ".join(f"FY{fy}" for fy in facts.export_years()) or "none"
            wanted = f"FY{span[0]}" if span[0] == span[1] else f"FY{span[0]}..FY{span[1]}"
            app.show(
                "exports", [], out, empty=f"no exports data for {wanted}; the data has: {years}"
            )
    else:
        selected = facts.exports()
    result = rows(
        facts, "exports", sorted(selected, key=lambda r: (r["fy"], r.get("quarter") or 0))
    )
    if out.unit:
        from ..domain.query import convert_rows

        result = convert_rows(result, out.unit)
    app.show("exports", result, out, empty="no exports data")
