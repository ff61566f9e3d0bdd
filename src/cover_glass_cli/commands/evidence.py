"""cgcli evidence ID [--context N] [--json] [--sources-dir DIR] [--source ID=PATH ...]"""

from __future__ import annotations

from typing import Any

import click

from ..document_options import DocumentOptions, document_options
from ..options import examples, jq_option
from . import App, Command


@click.command(
    cls=Command,
    epilog=examples(
        "cgcli evidence exports-fy2023",
        "cgcli evidence va-china --context 0",
        "cgcli evidence corning --source jv-report=report.txt --json",
    ),
)
@click.argument("record_id", metavar="ID")
@click.option(
    "--context",
    type=click.IntRange(0, 2000),
    default=60,
    show_default=True,
    help="Characters of the source shown either side of each span.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the spans as JSON.")
@jq_option
@document_options
@click.pass_obj
def evidence(
    app: App, record_id: str, context: int, as_json: bool, jq: Any, documents: DocumentOptions
) -> None:
    """Show the words of the source that support a claim, its figures marked.

    ID is any claim's id, or KIND:ID where two kinds share an id. Each span of its
    evidence is found in your copy (a saved page or its text) as `verify` finds it, and
    printed with a little context and the rung it reached; the claim's figures and
    names are bold, or without colour marked «like this», and the span's edges ⟦ ⟧. For
    a source with a web address, a link opens the page at the passage (#:~:text=).
    JSON gives {id, kind, source, document, rung, spans: [{start, end, recorded_start,
    recorded_end, sha256, rung, unchanged, text, before, after, link, marks: [{start,
    end, text}]}], problems}; offsets count the characters of the copy's text.

    Exits 0 when the words support the claim, 1 when a span changed, is not found or
    lacks a figure (or the claim has no evidence), 3 when the document cannot be read.
    """
    from ..domain.checking import check_claim
    from ..domain.evidence import names_by_id
    from ..domain.problems import NotShown
    from ..domain.registry import source_kind
    from ..domain.selection import find_record
    from ..store.documents import DocumentError
    from ..ui.citations import colour_on, render, span_views, web_link
    from ..ui.output import write_json
    from ..ui.terminal import clean

    facts = app.load()
    kind, record = find_record(facts, record_id, claims_only=True)
    wanted_id = record["id"]
    if not record.get("evidence"):
        raise NotShown(
            f"{kind}:{wanted_id} has no evidence; anchor it to the words of its source with "
            "`cgcli facts add ... --quote TEXT --replace` (same id and fields)"
        )
    sid = str(record.get("source"))
    located = documents.documents(facts)
    try:
        path = located.path(sid)
        document = located.text(sid)
    except DocumentError as e:
        app.say(*e.lines())
        raise click.exceptions.Exit(3) from None
    refs = names_by_id(facts.all())
    check = check_claim(kind, record, document, None, refs)
    views = span_views(kind, record, document, refs, context, check)
    problems = check.problems
    source = next((s for s in facts[source_kind()] if str(s.get("id")) == sid), {})
    links = [web_link(source, document, view) for view in views]

    if as_json or jq is not None:
        data: dict[str, Any] = {
            "id": wanted_id,
            "kind": kind,
            "source": sid,
            "document": str(path),
            "rung": check.rung,
            "spans": [{**v.as_json(), "link": link} for v, link in zip(views, links, strict=True)],
            "problems": problems,
        }
        write_json(data, jq=jq)
    else:
        from rich.text import Text

        from ..ui.tables import make_console

        console = make_console()
        colour = colour_on(console)
        for number, view in enumerate(views, 1):
            head = Text(f"{kind}:{wanted_id}", style="bold")
            head.append(f"  {view.rung.upper()}", style="bold" if view.ok else "bold red")
            head.append(f"  span {number} of {len(views)}: characters {view.start}-{view.end}")
            if view.recorded != (view.start, view.end):
                head.append(f" (recorded {view.recorded[0]}-{view.recorded[1]})")
            head.append(clean(f" of {sid} ({path})", newlines=False), style="dim")
            console.print(head)
            if view.text:
                console.print(render(view, colour=colour))
            if links[number - 1]:
                console.print(Text(clean(f"Link: {links[number - 1]}", newlines=False)))
            if number < len(views):
                console.print()
        app.say(*(f"{wanted_id}: {problem}" for problem in problems))
    if problems:
        raise click.exceptions.Exit(1)
