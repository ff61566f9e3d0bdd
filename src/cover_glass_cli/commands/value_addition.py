"""cgcli value-addition"""

from __future__ import annotations

import click

from ..options import complete_from, kind_examples, kind_output, single
from ..ui.output import Output
from . import App, Command


@click.command(cls=Command, epilog=kind_examples("value_addition"))
@single("--year", type=int, help="Only the shares of this year.")
@single(
    "--country",
    shell_complete=complete_from("value_addition", "country"),
    help="Only this country's shares (case-insensitive).",
)
@kind_output("value_addition", charts=True)
@click.pass_obj
def value_addition(app: App, year: int | None, country: str | None, out: Output) -> None:
    """Local value addition, by country and year, as each source measures it.

    A per cent in the source's own measure (its scope: the report's "overall local value
    addition", the CDS study's domestic value added, direct and indirect ...); ranges
    are shown as low-high. A row shows the best claim of each country, scope and year,
    marked when sources of different origins disagree; --all-claims lists them all.
    """
    wanted = country.strip().casefold() if country else None
    selected = [
        r
        for r in app.load()["value_addition"]
        if (year is None or r.get("year") == year)
        and (wanted is None or r["country"].casefold() == wanted)
    ]
    app.listing("value_addition", out, records=selected, empty="no value addition matches")
