"""cgcli company NAME"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ..domain.kinds.companies import KIND as COMPANIES
from ..domain.query import rows
from ..domain.selection import cited_sources, company_ids, find, related
from ..options import complete_from, examples, kind_fields, output_options
from ..ui.output import Output, show
from . import App, Command

if TYPE_CHECKING:
    from rich.console import Console


@click.command(
    cls=Command,
    epilog=examples("cgcli company corning", "cgcli company opti --json | jq '.customers[].name'"),
)
@click.argument("name", shell_complete=complete_from(COMPANIES.name, "id", "name", "aliases"))
@output_options(
    kind_fields(COMPANIES.name),
    what="of the company itself; see `cgcli fields companies`",
    listing=False,
)
@click.pass_obj
def company(app: App, name: str, out: Output) -> None:
    """Show one company in full: people, ventures, sites, customers, sources.

    NAME is an id or a name, in any case; a unique prefix will do. JSON gives one
    object: the company's fields and a list of each kind of related record; the other
    machine formats give the company's own row.
    """
    facts = app.load()
    from ..domain.registry import source_kind

    record = find(facts[COMPANIES.name], name, "company")
    (row,) = rows(facts, COMPANIES.name, [record])
    linked = related(facts, company_ids(facts, record["id"]))
    linked[source_kind()] = cited_sources(facts, [row], *linked.values())

    def draw(console: Console) -> None:
        from ..ui.tables import draw_detail
        from ..ui.views import detail_pairs, detail_sections

        sections = [("", detail_pairs(row, skip=("name",))), *detail_sections(linked)]
        draw_detail(row["name"], sections, console)

    fields = [name for name, _ in kind_fields(COMPANIES.name)()]
    show(out, [row], fields, draw=draw, empty="", document={**row, **linked})
