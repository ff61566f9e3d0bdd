"""cgcli venture [NAME]"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from ..domain.claims import subject_key
from ..domain.kinds.people import KIND as PEOPLE
from ..domain.kinds.sites import KIND as SITES
from ..domain.kinds.statements import KIND as STATEMENTS
from ..domain.query import rows
from ..domain.registry import source_kind
from ..domain.selection import cited_sources, find, related
from ..options import complete_from, kind_examples, kind_fields, output_options
from ..ui.output import Output, show
from . import App, Command

if TYPE_CHECKING:
    from rich.console import Console


def best_rows(kind: str, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Of rows of KIND, the first best claim of each subject, in their order."""
    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in found:
        if row.get("best", True):
            seen.setdefault(subject_key(kind, row), row)
    return list(seen.values())


@click.command(cls=Command, epilog=kind_examples("ventures"))
@click.argument("name", required=False, shell_complete=complete_from("ventures", "id", "name"))
@output_options(kind_fields("ventures"), what="see `cgcli fields ventures`", listing=False)
@click.pass_obj
def venture(app: App, name: str | None, out: Output) -> None:
    """Show the joint venture: partners, products, place, goal.

    With several ventures in the data, NAME (an id or name, or a unique prefix) picks
    one. The sections show each subject's best claim: its plant, its timeline (see
    `cgcli timeline`) and what later sources say of its name, stakes, investment, jobs
    and capacity. JSON gives an array of ventures, each with every claim about its sites.
    """
    facts = app.load()
    records = [find(facts["ventures"], name, "venture")] if name else facts["ventures"]
    Rows = list[dict[str, Any]]
    shown: list[tuple[dict[str, Any], dict[str, Rows], Rows]] = []
    for row in rows(facts, "ventures", records):
        linked = related(facts, {row["id"]})
        partners = set(row["partners"])
        people = {p["id"] for p in facts.where(PEOPLE.name, "company", partners)}
        statements = facts.where(STATEMENTS.name, "speaker", people | partners)
        sections = {
            SITES.name: best_rows(SITES.name, linked[SITES.name]),
            STATEMENTS.name: rows(facts, STATEMENTS.name, statements),
        }
        # its timeline and what later sources say of it: each subject's first best claim
        sections |= {
            kind: best_rows(kind, found)
            for kind, found in linked.items()
            if kind not in sections and kind != "ventures" and found
        }
        sections[source_kind()] = cited_sources(facts, [row], *sections.values())
        shown.append((row, sections, linked[SITES.name]))

    def draw(console: Console) -> None:
        from ..ui.tables import draw_detail
        from ..ui.views import detail_pairs, detail_sections

        for row, sections, _ in shown:
            pairs = [("partners", ", ".join(row["partner_names"]))]
            if row.get("announced_by_name"):
                pairs.append(("announced by", row["announced_by_name"]))
            skip = ("name", "partners", "announced_by", "partner_names", "announced_by_name")
            pairs += detail_pairs(row, skip=skip)
            draw_detail(row["name"], [("", pairs), *detail_sections(sections)], console)

    show(
        out,
        [row for row, _, _ in shown],
        [name for name, _ in kind_fields("ventures")()],
        draw=draw,
        empty="no ventures in the data",
        document=[{**row, SITES.name: sites} for row, _, sites in shown],
    )
