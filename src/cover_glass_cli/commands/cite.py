"""cgcli cite ID [--style text|markdown|bibtex]"""

from __future__ import annotations

from typing import Any

import click

from ..document_options import DocumentOptions, document_options
from ..domain.selection import label
from . import App, Command


def _complete_ids(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    from click.shell_completion import CompletionItem

    from ..domain.registry import kinds
    from ..options import facts_for_completion

    facts = facts_for_completion(ctx)
    if facts is None:
        return []
    return [
        CompletionItem(r["id"], help=kind)
        for kind in kinds()
        for r in facts[kind]
        if r["id"].startswith(incomplete)
    ]


@click.command(
    cls=Command,
    epilog="\b\nExamples:\n  cgcli cite exports-fy2023\n  cgcli cite corning --style markdown\n"
    "  cgcli cite va-china --style bibtex >> refs.bib",
)
@click.argument("record_id", metavar="ID", shell_complete=_complete_ids)
@click.option(
    "--style", type=click.Choice(("text", "markdown", "bibtex")), default="text", show_default=True
)
@document_options
@click.pass_obj
def cite(app: App, record_id: str, style: str, documents: DocumentOptions) -> None:
    """Print a citation for one record and its source.

    ID is any record's id, or KIND:ID where two kinds share an id.
    """
    from ..domain.query import rows
    from ..domain.selection import find_record

    facts = app.load()
    kind, record = find_record(facts, record_id)
    (row,) = rows(facts, kind, [record])
    from ..domain.registry import source_kind

    source = facts.by_id(source_kind()).get(record.get("source") or record["id"], {})
    click.echo(format_citation(kind, row, source, style))
    from ..ui.citations import cite_words  # the source's words, when its document is at hand

    cite_words(facts, kind, record, source, style, documents.documents(facts))


def _what(kind: str, row: dict[str, Any]) -> str:
    """What the record says, with its figure as the source gave it (qualifier and unit):
    "India's exports of mobile phones, FY2023: > ₹90,000 crore", never a bare 90,000."""
    from ..domain import figures
    from ..domain.registry import kind_of

    declared = kind_of(kind)
    what = declared.cited_as(row) if declared.cited_as else label(kind, row)
    figure = figures.figure(row) if declared.figures else ""
    return f"{what}: {figure}" if figure else what


def _inferred(row: dict[str, Any]) -> str:
    """'; fy inferred, not stated: NOTE' for a record that infers fields, else ''."""
    inferred = [str(f) for f in row.get("inferred") or ()]
    if not inferred:
        return ""
    note = f": {row['note']}" if row.get("note") else ""
    return f" [{', '.join(inferred)} inferred, not stated{note}]"


def format_citation(kind: str, row: dict[str, Any], source: dict[str, Any], style: str) -> str:
    """A citation of ROW from SOURCE, escaped for its target: BibTeX fields cannot be
    closed early by a brace, Markdown shows data as text and links only http(s) and mail
    addresses, plain text shows control characters escaped."""
    from ..ui.escape import bibtex_entry, markdown_link, markdown_text
    from ..ui.terminal import clean

    what = _what(kind, row) + _inferred(row)
    ours = "title" in (source.get("inferred") or ())
    title = str(source.get("title", "unknown source"))
    if ours:  # a title we made, where the page shows no headline: bracketed, as catalogues do
        title = f"[{title}]"
    publisher = source.get("publisher") or "publisher not given"
    date = source.get("published") or "date not given"
    location = source.get("url") or source.get("location") or ""
    ref = f"{kind}:{row['id']}"
    if style == "markdown":
        linked = markdown_link(title, location) if location else markdown_text(title)
        rest = markdown_text(f"{source.get('kind', '')}; {publisher}; {date}.")
        return f"**{markdown_text(what)}** ({markdown_text(ref)}). Source: {linked}, {rest}"
    if style == "bibtex":
        fields = {
            "title": title,
            "howpublished": source.get("kind", ""),
            "publisher": source.get("publisher", ""),
            "date": source.get("published", ""),
            "url": location,
            "note": f"cgcli record {ref}: {what}"
            + ("; the title is cgcli's, the page shows no headline" if ours else ""),
        }
        return bibtex_entry("misc", f"cgcli-{row['id']}", fields)
    where = f" {location}." if location else ""
    text = f"{what} ({ref}). Source: {title}. {source.get('kind', '')}; {publisher}; {date}.{where}"
    return clean(text)
