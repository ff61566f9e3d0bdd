"""cgcli verify [--sources-dir DIR] [--source ID=PATH ...] [--require-evidence] [--json]"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from ..app import App
from ..options import DocumentOptions, document_options, examples, jq_option
from . import Command

if TYPE_CHECKING:
    pass


@click.command(
    cls=Command,
    epilog=examples(
        "cgcli verify",
        "cgcli verify --sources-dir ~/reports",
        "cgcli verify --source jv-report=report.txt --json",
        "cgcli --facts my-facts.toml verify --require-evidence",
    ),
)
@click.option(
    "--require-evidence",
    is_flag=True,
    help="Also report claims that state a figure or a name but carry no evidence.",
)
@click.option("--json", "as_json", is_flag=True, help="Print {ok, problems, checked} as JSON.")
@jq_option
@document_options
@click.pass_obj
def verify(
    app: App, require_evidence: bool, as_json: bool, jq: Any, documents: DocumentOptions
) -> None:
    """Check every claim's evidence against the words of its source.

    Offline, for each claim with evidence: the source document's sha256, each span's
    sha256, and that every figure and name of the claim is written in its spans. One
    line per problem, as ID: message, then a summary on stderr.

    Exits 0 when all verify, 1 when some do not, 3 when a document cannot be read
    (it says which, and how to point at it).
    """
    from ..domain.evidence import verify as check
    from ..store.documents import DocumentError
    from ..ui.formats import write_json
    from ..ui.terminal import clean

    facts = app.load()
    found = documents.documents(facts)
    records = facts.all()
    from ..domain.registry import kinds, source_kind

    cited = [k.name for k in kinds().values() if k.cited]
    with_evidence = [record for kind in cited for record in records.get(kind, ())]
    with_evidence = [r for r in with_evidence if r.get("evidence")]
    needed = {str(r.get("source")) for r in with_evidence}
    texts: dict[str, str | None] = {}
    errors: dict[str, DocumentError] = {}
    for sid in found.source_ids():
        try:
            texts[sid] = found.text(sid)
        except DocumentError as e:
            texts[sid] = None
            if sid in needed:
                errors[sid] = e
    findings = check(records, texts, require_evidence=require_evidence)
    checked = sum(1 for r in with_evidence if texts.get(str(r.get("source"))) is not None)

    def message(kind: str, key: str, text: str) -> str:
        error = errors.get(key) if kind == source_kind() else None
        return f"{text}: {error.reason}. {error.hint()}" if error else text

    if as_json or jq is not None:
        problems = [
            {"id": f.key, "kind": f.kind, "message": message(f.kind, f.key, f.message)}
            for f in findings
        ]
        write_json({"ok": not problems, "problems": problems, "checked": checked}, jq=jq)
    else:
        for finding in findings:
            click.echo(clean(str(finding)))
        for error in errors.values():
            for line in error.lines():
                click.echo(clean(f"cgcli: {line}" if line == error.lines()[0] else line), err=True)
        used = len({sid for sid in needed if texts.get(sid) is not None})
        against = f"against {used} source document{'s' * (used != 1)}"
        if findings:
            count = len(findings)
            summary = f"{count} problem{'s' * (count != 1)} found; {checked} claims checked"
        else:
            summary = f"ok: {checked} claim{'s' * (checked != 1)} verified"
        click.echo(clean(f"{summary} {against}"), err=True)
    if errors:
        raise click.exceptions.Exit(3)
    if findings:
        raise click.exceptions.Exit(1)
