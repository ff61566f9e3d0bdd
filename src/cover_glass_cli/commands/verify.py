"""cgcli verify [--sources-dir DIR] [--source ID=PATH ...] [--require-evidence] [--json] [--update]"""

from __future__ import annotations

from typing import Any

import click

from ..document_options import DocumentOptions, document_options
from ..options import examples, jq_option
from . import App, Command


@click.command(
    cls=Command,
    epilog=examples(
        "cgcli verify",
        "cgcli verify --source jv-report=saved-page.html",
        "cgcli verify --source jv-report=report.txt --json",
        "cgcli --facts my-facts.toml verify --source jv-report=copy.txt --update",
    ),
)
@click.option(
    "--require-evidence",
    is_flag=True,
    help="Also report claims that state a figure or a name but carry no evidence.",
)
@click.option("--json", "as_json", is_flag=True, help="Print {ok, claims, problems, checked}.")
@click.option(
    "--update",
    is_flag=True,
    help="Write the offsets found in this copy into your own fact file (a backup is kept).",
)
@jq_option
@document_options
@click.pass_obj
def verify(
    app: App,
    require_evidence: bool,
    as_json: bool,
    update: bool,
    jq: Any,
    documents: DocumentOptions,
) -> None:
    """Check every claim's evidence against the words of its source.

    Your copy of the source may be the page as your browser saved it (HTML) or its text (UTF-8,
    UTF-16, cp1252; any line ends). Each claim reaches a rung: exact (same place, same
    words), moved (same words elsewhere), reformatted (same words once spaces, quote
    marks, dashes, ₹/Rs and digit grouping are set aside), changed (found by the words
    around it, but different: its figures are compared) or not found. Its figures and
    names are then read again from the passage found. One line per claim on stdout,
    then each problem as ID: message, and a summary on stderr.

    Exits 0 when every claim is exact, moved or reformatted with its figures in place,
    1 when one is changed, not found or lacks a figure, 3 when a document cannot be read
    (it says which, and how to point at it).
    """
    from ..domain.checking import verify as check
    from ..store.documents import DocumentError
    from ..ui.output import write_json
    from ..ui.terminal import clean

    facts = app.load()
    found = documents.documents(facts)
    records = facts.all()
    from ..domain.registry import kinds, source_kind

    cited = [k.name for k in kinds().values() if k.cited]
    with_evidence = [r for kind in cited for r in records.get(kind, ()) if r.get("evidence")]
    needed = {str(r.get("source")) for r in with_evidence}
    texts: dict[str, str | None] = {}
    errors: dict[str, DocumentError] = {}
    # A web page cgcli ships no copy of (no `location`) waits for the user's saved copy:
    # not an error, unless they named one (--source) that cannot be read.
    pages = {
        str(s["id"])
        for s in records.get(source_kind(), ())
        if not s.get("location") and s.get("url") and str(s["id"]) not in found.given
    }
    for sid in found.source_ids():
        try:
            texts[sid] = found.text(sid) if sid in needed else None
        except DocumentError as e:
            texts[sid] = None
            if sid not in pages:
                errors[sid] = e
    web = frozenset(pages - set(errors))
    report = check(records, texts, require_evidence=require_evidence, web=web)
    findings = report.findings

    def message(kind: str, key: str, text: str) -> str:
        error = errors.get(key) if kind == source_kind() else None
        return f"{text}: {error.reason}. {error.hint()}" if error else text

    if update and not errors:
        from ..store.relocate import relocate

        app.say(*relocate(facts, report.checks))
    if as_json or jq is not None:
        write_json(
            {
                "ok": not findings,
                "claims": [_claim_json(c) for c in report.checks],
                "problems": [
                    {"id": f.key, "kind": f.kind, "message": message(f.kind, f.key, f.message)}
                    for f in findings
                ],
                "checked": len(report.checks),
                "waiting": report.waiting,
            },
            jq=jq,
        )
    else:
        width = max((len(c.key) for c in report.checks), default=0)
        for c in report.checks:
            moves = [
                f"{loc.span.label} -> {loc.start}-{loc.end}"
                for loc in c.locations
                if loc.start is not None and (loc.start, loc.end) != (loc.span.start, loc.span.end)
            ]
            where = f"  ({', '.join(moves)})" if moves else ""
            status = c.rung if c.ok or c.rung not in ("exact", "moved", "reformatted") else "wrong"
            click.echo(clean(f"{c.key:<{width}}  {status:<11}{where}".rstrip()))
        for finding in findings:
            click.echo(clean(str(finding)))
        app.say(*(f"cgcli: {note}" for note in report.notes))
        if report.waiting:
            app.say(_waiting(report.waiting))
        for error in errors.values():
            app.say(*error.lines())
        app.say(_summary(report, needed, texts))
    if errors:
        raise click.exceptions.Exit(3)
    if findings:
        raise click.exceptions.Exit(1)


def _claim_json(check: Any) -> dict[str, Any]:
    return {
        "id": check.key,
        "kind": check.kind,
        "source": check.source,
        "rung": check.rung,
        "ok": check.ok,
        "spans": [
            {
                "recorded_start": loc.span.start,
                "recorded_end": loc.span.end,
                "start": loc.start,
                "end": loc.end,
                "rung": loc.rung,
            }
            for loc in check.locations
        ],
        "problems": list(check.problems),
    }


def _waiting(waiting: dict[str, int]) -> str:
    """The web pages whose claims wait for the user's saved copy, said once."""
    pages, claims = len(waiting), sum(waiting.values())
    return (
        f"cgcli: {claims} claim{'s' * (claims != 1)} of {pages} web page{'s' * (pages != 1)} "
        "not checked: cgcli holds no copy of a web page; save one and give "
        "--source ID=FILE (or put the copies in --sources-dir DIR, named ID.html or ID.txt)"
    )


def _summary(report: Any, needed: set[str], texts: dict[str, str | None]) -> str:
    checked = len(report.checks)
    used = len({sid for sid in needed if texts.get(sid) is not None})
    against = f"against {used} source document{'s' * (used != 1)}"
    from ..domain.locate import RUNGS

    rungs = [(sum(1 for c in report.checks if c.rung == rung), rung) for rung in RUNGS]
    counts = ", ".join(f"{n} {rung}" for n, rung in rungs if n)
    counts = f" ({counts})" if counts else ""
    if report.findings:
        count = len(report.findings)
        return (
            f"{count} problem{'s' * (count != 1)} found; {checked} claims checked {against}{counts}"
        )
    return f"ok: {checked} claim{'s' * (checked != 1)} verified {against}{counts}"
