"""cgcli exports"""

from __future__ import annotations

import click

from ..app import App
from ..domain.fiscal import span_label
from ..domain.query import convert_rows, listing
from ..options import (
    FiscalYearSpan,
    complete_from,
    examples,
    kind_fields,
    output_options,
    single,
)
from ..ui.output import Output, fits_a_table
from . import Command


@click.command(
    cls=Command,
    epilog=examples(
        "cgcli exports",
        "cgcli exports --fy 2023            # also FY23, 2022-23, 2022-2023",
        "cgcli exports --fy 2022..2024 --unit billion",
        "cgcli exports --all-claims        # every source's figure, with its rank",
        "cgcli exports --fy 2023 --json | jq '.[0].value'",
        'cgcli exports --country india --product "mobile phones" --csv',
    ),
)
@single(
    "--fy",
    "span",
    type=FiscalYearSpan(),
    help="Indian fiscal year (April-March): 2023, FY23, 2022-23 ... or a range 2021..2023.",
)
@single(
    "--country",
    shell_complete=complete_from("exports", "country"),
    help="Only exports from this country (case-insensitive).",
)
@single(
    "--product",
    shell_complete=complete_from("exports", "product"),
    help="Only exports of this product (case-insensitive).",
)
@output_options(
    kind_fields("exports"),
    what="see `cgcli fields exports`",
    sources=True,
    claims=True,
    charts=True,
    units=True,
)
@click.pass_obj
def exports(
    app: App,
    span: tuple[int, int] | None,
    country: str | None,
    product: str | None,
    out: Output,
) -> None:
    """Exports by fiscal year and quarter, with stated and computed growth.

    The bundled data holds India's mobile phone exports. Growth is computed wherever
    the year-ago figure is in the data too, from the best claims of both years, and
    checked against the growth the source states.

    Figures of one period from several sources are claims side by side: a row shows
    the best one (rank preferred, else normal) and is marked when the best ones
    disagree; --all-claims lists every claim with its source and rank.
    """
    facts = app.load()
    first, last = span or (None, None)
    selected = facts.exports(first, last, country=country, product=product)
    empty = "no exports match"
    if not selected and span:
        years = ", ".join(f"FY{fy}" for fy in facts.export_years()) or "none"
        empty = f"no exports data for {span_label(*span)}; the data has: {years}"
    fits_a_table(out, len(selected))
    ordered = sorted(selected, key=lambda r: (r["fy"], r.get("quarter") or 0))
    result = listing(facts, "exports", ordered, all_claims=out.all_claims)
    if out.unit:
        result = convert_rows(result, out.unit)
    app.show("exports", result, out, empty=empty)
