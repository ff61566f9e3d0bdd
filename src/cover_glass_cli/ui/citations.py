"""The words of a source that support a claim: for `cgcli evidence` and `cgcli cite`.

Spans are shown with a little context, the claim's figures and names marked. All text
comes from data and documents, so it is escaped (terminal.clean) and drawn as rich
`Text` with styles, never as markup. Without colour the marks are visible characters:
the claim's figures and names in «», the span's edges as ⟦ ⟧ (<< >> and [[ ]] where the
terminal cannot show those).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .terminal import clean, unicode_ok

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

CONTEXT = 60  # characters of the document shown either side of a span
_SPACE = re.compile(r"\s+")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")  # backslash-escaped in a block quote
_WEB_URL = re.compile(r"https?://[^\s<>\"'`\\]+")  # linked only when it needs no escaping


@dataclass(slots=True)
class SpanView:
    """One span of a claim's evidence as found in the user's copy of the document: where
    (START-END; the RECORDED offsets when it is not found), the RUNG it reached, its text,
    a little context either side, and where the claim's figures and names are (document
    offsets)."""

    start: int
    end: int
    sha256: str
    text: str
    before: str
    after: str
    marks: list[tuple[int, int]]
    rung: str
    recorded: tuple[int, int]

    @property
    def ok(self) -> bool:
        return self.rung in ("exact", "moved", "reformatted")

    def as_json(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "recorded_start": self.recorded[0],
            "recorded_end": self.recorded[1],
            "sha256": self.sha256,
            "rung": self.rung,
            "unchanged": self.rung == "exact",
            "text": self.text,
            "before": self.before,
            "after": self.after,
            "marks": [
                {"start": s, "end": e, "text": self.text[s - self.start : e - self.start]}
                for s, e in self.marks
            ],
        }


def span_views(
    kind: str,
    record: Mapping[str, Any],
    document: str,
    refs: Mapping[str, Sequence[str]] | None = None,
    context: int = CONTEXT,
    check: Any = None,
) -> list[SpanView]:
    """RECORD's evidence spans as found in DOCUMENT (CHECK: its domain.checking.ClaimCheck,
    made here when not given), each with CONTEXT characters (widened to whole words)
    either side. A span not found shows nothing of the document."""
    from ..domain.checking import check_claim, highlight_ranges

    if check is None:
        check = check_claim(kind, record, document, None, refs)
    views = []
    for loc in check.locations:
        span = loc.span
        recorded = (span.start, span.end)
        if loc.start is None or loc.end is None:
            views.append(SpanView(*recorded, span.sha256, "", "", "", [], loc.rung, recorded))
            continue
        start, end = loc.start, loc.end
        text = document[start:end]
        marks = [(start + s, start + e) for s, e in highlight_ranges(kind, record, text, refs)]
        views.append(
            SpanView(
                start,
                end,
                span.sha256,
                text,
                _before(document, start, context),
                _after(document, end, context),
                marks,
                loc.rung,
                recorded,
            )
        )
    return views


def web_link(source: Mapping[str, Any], document: str, view: SpanView) -> str | None:
    """The link that opens SOURCE's page (its `url`, http or https) at VIEW's passage, or
    None (no web address, or the passage was not found)."""
    from .links import fragment_link

    url = source.get("url")
    if not view.text.strip() or not isinstance(url, str) or not _WEB_URL.fullmatch(url):
        return None
    return fragment_link(url, document, view.start, view.end)


def _before(document: str, start: int, width: int) -> str:
    if width <= 0:
        return ""
    at = max(0, start - width)
    while at > 0 and not document[at - 1].isspace():
        at -= 1  # back to a word's start
        if start - at > width * 2:
            break
    return document[at:start]


def _after(document: str, end: int, width: int) -> str:
    if width <= 0:
        return ""
    at = min(len(document), end + width)
    while at < len(document) and not document[at].isspace():
        at += 1
        if at - end > width * 2:
            break
    return document[end:at]


def _flat(text: str) -> str:
    """Whitespace runs as one space, control and bidi characters escaped: one line."""
    return clean(_SPACE.sub(" ", text), newlines=False)


def marks_shown(colour: bool) -> tuple[str, str, str, str]:
    """(figure open, figure close, span open, span close): empty when colour shows them."""
    if colour:
        return ("", "", "", "")
    if unicode_ok():
        return ("«", "»", "⟦", "⟧")
    return ("<<", ">>", "[[", "]]")


def render(view: SpanView, *, colour: bool) -> Text:
    """VIEW as one paragraph: context dim, the span plain, figures and names bold and
    coloured; without COLOUR, the marks of marks_shown() instead."""
    from rich.text import Text

    fig_open, fig_close, span_open, span_close = marks_shown(colour)
    out = Text()
    if view.before:
        out.append("…" if unicode_ok() else "...", style="dim")
        out.append(_flat(view.before).lstrip(), style="dim")
    out.append(span_open)
    pos = view.start
    for s, e in view.marks:
        out.append(_flat(view.text[pos - view.start : s - view.start]))
        out.append(fig_open)
        out.append(_flat(view.text[s - view.start : e - view.start]), style="bold yellow")
        out.append(fig_close)
        pos = e
    out.append(_flat(view.text[pos - view.start :]))
    out.append(span_close)
    if view.after:
        out.append(_flat(view.after).rstrip(), style="dim")
        out.append("…" if unicode_ok() else "...", style="dim")
    return out


def colour_on(console: Console) -> bool:
    """Whether CONSOLE shows styles (else the marks must be characters)."""
    return console.color_system is not None and not console.no_color


# --- cite -----------------------------------------------------------------------------


def supporting_lines(
    kind: str,
    record: Mapping[str, Any],
    source: Mapping[str, Any],
    style: str,
    document: str | None,
    refs: Mapping[str, Sequence[str]] | None = None,
    missing: str | None = None,
) -> tuple[list[str], list[str]]:
    """What `cite` adds for a claim with evidence: (lines for stdout, notes for stderr).

    With the DOCUMENT at hand, the words of each span ("Words of the source: …", or a
    block quote in markdown) and, for a source with a `url`, a link with a text
    fragment that browsers scroll to. BibTeX gets nothing: the entry stands alone.
    Without the document, or when a span's text changed, a note says so instead."""
    from ..domain.spans import EvidenceError, spans_of
    from .links import fragment_link

    try:
        spans = spans_of(record)
    except EvidenceError:
        return [], []
    if not spans or style == "bibtex":
        return [], []
    if document is None:
        why = missing or "its document was not found"
        return [], [f"cgcli: the words of source {source.get('id')} are not shown: {why} "
                    "(point at it with --source ID=PATH or --sources-dir DIR)"]  # fmt: skip
    lines: list[str] = []
    notes: list[str] = []
    url = source.get("url")
    for view in span_views(kind, record, document, refs, context=0):
        if not view.ok:
            notes.append(
                f"cgcli: evidence span {view.recorded[0]}-{view.recorded[1]} of "
                f"{record.get('id')} is {view.rung} in this copy of the document; "
                "run `cgcli verify`"
            )
            continue
        words = _flat(view.text).strip()
        if style == "markdown":
            lines.append("> " + _MARKDOWN.sub(r"\\\1", words))
        else:
            open_, close = ("“", "”") if unicode_ok() else ('"', '"')
            lines.append(f"Words of the source: {open_}{words}{close}")
        if isinstance(url, str) and _WEB_URL.fullmatch(url):
            link = clean(fragment_link(url, document, view.start, view.end), newlines=False)
            lines.append(f"<{link}>" if style == "markdown" else f"Link: {link}")
    return lines, notes


def cite_words(
    facts: Any,
    kind: str,
    record: Mapping[str, Any],
    source: Mapping[str, Any],
    style: str,
    documents: Any,
) -> None:
    """Print what supporting_lines gives for RECORD, reading its source's document
    through DOCUMENTS (store.documents.Documents) only when there are words to show."""
    import click

    if not record.get("evidence") or style == "bibtex":
        return
    from ..domain.evidence import names_by_id
    from ..store.documents import DocumentError

    document: str | None = None
    missing = None
    try:
        document = documents.text(str(record.get("source")))
    except DocumentError as e:
        missing = e.reason
    refs = names_by_id(facts.all())
    lines, notes = supporting_lines(kind, record, source, style, document, refs, missing)
    for line in lines:
        click.echo(line)
    from .messages import Messages

    Messages().say(*notes)
