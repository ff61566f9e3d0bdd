"""cgcli sources [--cited-by ID [--page N]]"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ..domain.query import rows
from ..domain.selection import by_origin
from ..options import kind_examples, kind_fields, output_options
from ..ui.output import Output
from . import App, Command

if TYPE_CHECKING:
    from ..domain.facts import Facts


@click.command(cls=Command, epilog=kind_examples("sources"))
@click.option(
    "--cited-by",
    "cited_by",
    metavar="ID",
    help="List the records citing source ID (a row shows the first 50), a page at a time.",
)
@click.option(
    "--page",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="With --cited-by: which page of 50 records.",
)
@output_options(kind_fields("sources"), what="see `cgcli fields sources`", sources=True)
@click.pass_obj
def sources(app: App, cited_by: str | None, page: int, out: Output) -> None:
    """Where the facts come from, grouped by origin, and which records cite each source.

    A source's origin is who made the statement it repeats (ICEA, a ministry, a study):
    reports of one origin, such as one wire text printed by several outlets, are listed
    together and count once when figures are confirmed or disputed.
    """
    facts = app.load()
    if cited_by is None:
        shown = by_origin(rows(facts, "sources"))
        app.show("sources", shown, out, empty="no sources in the data")
        return
    _cited(facts, cited_by, page, out)


PAGE = 50


def _cited(facts: Facts, source: str, page: int, out: Output) -> None:
    """One page of the records citing SOURCE: kind:id lines, or with --json an object
    saying the count and the page. Exit 1 when the source is unknown or the page empty."""
    from ..domain.problems import NotShown
    from ..ui.output import write_json

    if not facts.with_id(source, ["sources"]):
        raise NotShown(f"no source has id {source!r}; see `cgcli sources`")
    count = facts.cited_count(source)
    ids = facts.cited_by(source, PAGE, (page - 1) * PAGE)
    pages = max(1, -(-count // PAGE))
    if out.format == "json":
        document = {"source": source, "count": count, "page": page, "pages": pages, "cited_by": ids}
        write_json(document)
    else:
        for rid in ids:
            click.echo(rid)
    if not ids:
        raise NotShown(f"page {page} of the records citing {source!r} is empty ({pages} pages)")
