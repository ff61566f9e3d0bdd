"""cgcli graph"""

from __future__ import annotations

import click

from ..options import company_option, examples
from . import App, Command


@click.command(
    cls=Command,
    epilog=examples(
        "cgcli graph > ties.mmd              # paste into a ```mermaid block on GitHub",
        "cgcli graph --company corning",
        "cgcli graph --format dot | dot -Tsvg -o ties.svg",
    ),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("mermaid", "dot")),
    default="mermaid",
    show_default=True,
    help="Mermaid (renders on GitHub) or Graphviz DOT.",
)
@company_option("Only this company's neighbourhood: its ventures, sites, customers, people")
@click.pass_obj
def graph(app: App, /, fmt: str, company: str | None) -> None:
    """Companies, the venture, sites, customers and people as a relationship graph.

    Edges: partner of (company to venture), operates (company or venture to site),
    supplies (company to customer), works for (person to company).
    """
    from ..ui import graph as g

    facts = app.load()
    built = g.around_company(facts, company) if company else g.build(facts)
    click.echo(g.to_dot(built) if fmt == "dot" else g.to_mermaid(built), nl=False)
