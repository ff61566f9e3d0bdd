"""The listing commands: each loads the facts, selects rows, and shows them."""

from __future__ import annotations

from typing import Any

import click

from ..app import App
from ..options import FiscalYearSpan, complete_from, output_options, resolve_output
from ..query import company_ids, rows


def _examples(*lines: str) -> str:
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def _simple(
    kind: str, name: str, help_text: str, *examples: str, charts: bool = False
) -> click.Command:
    """A command that lists every record of KIND."""

    @click.command(name, help=help_text, epilog=_examples(*examples))
    @output_options(kind, charts=charts)
    @click.pass_obj
    def command(app: App, /, **params: Any) -> None:
        out = resolve_output(kind, params)
        app.show(
            kind, rows(app.load(), kind), out, empty=f"no {kind.replace('_', ' ')} in the data"
        )

    return command


companies = _simple(
    "companies",
    "companies",
    "List the companies: when founded, what they do, their role.",
    "cgcli companies",
    "cgcli companies --json | jq -r '.[].name'",
    "cgcli companies --fields id,name,founded --csv",
)
people = _simple(
    "people",
    "people",
    "List the people named in the sources and their positions.",
    "cgcli people",
    "cgcli people --json",
)
statements = _simple(
    "statements",
    "statements",
    "What the companies and their people said, in our words.",
    "cgcli statements",
    "cgcli statements --fields speaker_name,summary --format markdown",
)
market_facts = _simple(
    "market_facts",
    "market-facts",
    "Rankings and other facts about the market.",
    "cgcli market-facts",
    "cgcli market-facts --json",
)
sources = _simple(
    "sources",
    "sources",
    "Where the facts come from, and which records cite each source.",
    "cgcli sources",
    "cgcli sources --json | jq '.[].cited_by'",
)
value_addition = _simple(
    "value_addition",
    "value-addition",
    "Local value addition in phone manufacturing by country (a share of the phone's value).",
    "cgcli value-addition",
    "cgcli value-addition --chart",
    "cgcli value-addition --json | jq '.[] | {country, low, high, value}'",
    charts=True,
)


@click.command(
    epilog=_examples(
        "cgcli sites",
        "cgcli sites --company corning --status operating",
        "cgcli sites --country india --json",
    )
)
@click.option(
    "--company",
    shell_complete=complete_from("companies", "id", "name"),
    help="Only this company's sites (id or name, a unique prefix will do); its ventures' too.",
)
@click.option(
    "--country",
    shell_complete=complete_from("sites", "country"),
    help="Only sites in this country (case-insensitive).",
)
@click.option(
    "--status",
    type=click.Choice(("planned", "operating"), case_sensitive=False),
    help="Only planned or only operating sites.",
)
@output_options("sites")
@click.pass_obj
def sites(
    app: App, /, company: str | None, country: str | None, status: str | None, **params: Any
) -> None:
    """List manufacturing sites, planned and operating."""
    out = resolve_output("sites", params)
    facts = app.load()
    selected = facts["sites"]
    if company:
        ids = company_ids(facts, company)
        selected = [s for s in selected if s["operator"] in ids]
    if country:
        selected = [s for s in selected if s["country"].casefold() == country.strip().casefold()]
    if status:
        selected = [s for s in selected if s["status"] == status.lower()]
    app.show("sites", rows(facts, "sites", selected), out, empty="no sites match")


@click.command(epilog=_examples("cgcli customers", "cgcli customers --company optiemus --json"))
@click.option(
    "--company",
    shell_complete=complete_from("companies", "id", "name"),
    help="Only the customers of this supplier (id or name, a unique prefix will do).",
)
@output_options("customers")
@click.pass_obj
def customers(app: App, /, company: str | None, **params: Any) -> None:
    """List the customers the sources name for each supplier."""
    out = resolve_output("customers", params)
    facts = app.load()
    selected = facts["customers"]
    if company:
        ids = company_ids(facts, company)
        selected = [c for c in selected if c["supplier"] in ids]
    app.show("customers", rows(facts, "customers", selected), out, empty="no customers match")


@click.command(
    epilog=_examples(
        "cgcli exports",
        "cgcli exports --fy 2023            # also FY23, 2022-23, 2022-2023",
        "cgcli exports --fy 2022..2024 --unit billion",
        "cgcli exports --fy 2023 --json | jq '.[0].value'",
    )
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
    selected = facts["exports"]
    if span:
        selected = [r for r in selected if span[0] <= r["fy"] <= span[1]]
        if not selected:
            years = ", ".join(sorted({f"FY{r['fy']}" for r in facts["exports"]})) or "none"
            wanted = f"FY{span[0]}" if span[0] == span[1] else f"FY{span[0]}..FY{span[1]}"
            app.show(
                "exports", [], out, empty=f"no exports data for {wanted}; the data has: {years}"
            )
    result = rows(
        facts, "exports", sorted(selected, key=lambda r: (r["fy"], r.get("quarter") or 0))
    )
    if out.unit:
        from ..query import convert_rows

        result = convert_rows(result, out.unit)
    app.show("exports", result, out, empty="no exports data")
