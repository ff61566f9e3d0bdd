"""Checking claims against the words of their sources: each figure and name of a claim
must be written, with a qualifier its words allow, in one of its evidence spans; verify
runs the ladder (locate.py) for every claim and says which rung each reached."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress
from typing import Any

from .evidence import figures_of, names_by_id
from .locate import RUNGS, Location, Locator
from .normalise import Normalised
from .quotes import QuoteError, find_quote, one_line
from .registry import source_kind
from .spans import EvidenceError, Span, sha256_text, spans_of
from .wording import ANY, Figure, fold, hits

Record = Mapping[str, Any]


def _check(figures: Sequence[Figure], spans: Sequence[tuple[str, str]]) -> list[str]:
    """Problems of FIGURES against SPANS, (label, text) pairs: each figure must be written,
    with a qualifier its words allow, in at least one span."""
    problems = []
    folded = [(label, fold(text)) for label, text in spans]
    where_all = _where([label for label, _ in spans])
    for figure in figures:
        seen: dict[str, set[str]] = {}
        consistent = False
        for label, text in folded:
            for hit in hits(figure, text):
                seen.setdefault(label, set()).update(hit.says)
                consistent = consistent or figure.qualifier in (*hit.says, ANY)
        what = "name" if figure.kind in ("name", "term") else "figure"
        shown = f'"{figure.label}"' if what == "name" else figure.label
        if not seen:
            problems.append(f"{what} {shown} not in {where_all}")
        elif not consistent:
            says = " or ".join(sorted(set().union(*seen.values())))
            problems.append(
                f"figure {shown} is {figure.qualifier} but {_where(list(seen))} gives it as {says}"
            )
    return problems


def _where(labels: Sequence[str]) -> str:
    if len(labels) == 1 and not labels[0][:1].isdigit():
        return labels[0]
    return ("evidence span " if len(labels) == 1 else "evidence spans ") + ", ".join(labels)


def check_passages(
    kind: str,
    record: Record,
    passages: Sequence[tuple[str, str]],
    refs: Mapping[str, Sequence[str]] | None = None,
) -> list[str]:
    """Problems of one claim against PASSAGES, (label, text) pairs, each read alone."""
    return _check(figures_of(kind, record, refs), passages)


OK_RUNGS = frozenset(("exact", "moved", "reformatted"))


class ClaimCheck:
    """What verify found for one claim: the rung its evidence reached (the lowest of its
    spans'), where each span is in the document read, and its problems."""

    __slots__ = ("key", "kind", "locations", "problems", "rung", "source")

    def __init__(
        self,
        kind: str,
        key: str,
        source: str,
        rung: str,
        locations: list[Location],
        problems: list[str],
    ) -> None:
        self.kind, self.key, self.source, self.rung = kind, key, source, rung
        self.locations, self.problems = locations, problems

    @property
    def ok(self) -> bool:
        return self.rung in OK_RUNGS and not self.problems

    def __repr__(self) -> str:
        return f"ClaimCheck({self.kind!r}, {self.key!r}, {self.rung!r}, {self.problems!r})"


def check_claim(
    kind: str,
    record: Record,
    document: str | Locator,
    spans: Sequence[Span] | None = None,
    refs: Mapping[str, Sequence[str]] | None = None,
) -> ClaimCheck:
    """Check one claim against its evidence in DOCUMENT (its text, or a Locator over it):
    each span climbs the ladder (locate.py); then every figure and name of the claim is
    read again from the passages found. SPANS default to the record's own."""
    key, source = str(record.get("id")), str(record.get("source"))
    if spans is None:
        try:
            spans = spans_of(record)
        except EvidenceError as exc:
            return ClaimCheck(kind, key, source, "not found", [], [str(exc)])
    locator = document if isinstance(document, Locator) else Locator(document)
    locator.prepare(spans)
    locations = [locator.locate(span) for span in spans]
    problems: list[str] = []
    texts: list[tuple[str, str]] = []
    for loc in locations:
        span = loc.span
        if loc.start is None or loc.end is None:
            problems.append(_not_found(span))
            continue
        moved = (loc.start, loc.end) != (span.start, span.end)
        label = f"{span.label} (now {loc.start}-{loc.end})" if moved else span.label
        text = locator.raw[loc.start : loc.end]
        texts.append((label, text))
        if loc.rung == "changed":
            problems.append(_changed(label, text, loc))
    if texts:
        problems += _check(figures_of(kind, record, refs), texts)
    rung = max((loc.rung for loc in locations), key=RUNGS.index, default="not found")
    return ClaimCheck(kind, key, source, rung, locations, problems)


def _not_found(span: Span) -> str:
    if span.norm is None:
        return (
            f"evidence span {span.label} is not in this copy of the document; a span with "
            "only start, end and sha256 is found only where it was (re-anchor it with "
            "tools/anchor.py to find it in any copy)"
        )
    return f"evidence span {span.label} not found in this copy of the document, even reformatted"


def _changed(label: str, text: str, loc: Location) -> str:
    what = []
    if loc.missing:
        what.append("recorded " + ", ".join(loc.missing))
    if loc.extra:
        what.append("found " + ", ".join(loc.extra))
    figures = f"; figures {'; '.join(what)}" if what else ""
    return (
        f"evidence span {label} changed: the passage found by the words around it reads "
        f"{one_line(text, 160)}{figures}"
    )


def highlight_ranges(
    kind: str,
    record: Record,
    span_text: str,
    refs: Mapping[str, Sequence[str]] | None = None,
) -> list[tuple[int, int]]:
    """Where in SPAN_TEXT the claim's figures (with their qualifying words) and names are
    written, as sorted, non-overlapping (start, end) offsets: what `evidence` marks."""
    folded = fold(span_text)
    ranges = sorted(
        (hit.start, hit.end)
        for figure in figures_of(kind, record, refs)
        for hit in hits(figure, folded)
    )
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class Finding:
    """One problem verify found: the record (KIND, KEY = its id) and what is wrong."""

    __slots__ = ("key", "kind", "message")

    def __init__(self, kind: str, key: str, message: str) -> None:
        self.kind, self.key, self.message = kind, key, message

    def __str__(self) -> str:
        return f"{self.key}: {self.message}"

    def __repr__(self) -> str:
        return f"Finding({self.kind!r}, {self.key!r}, {self.message!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Finding) and (self.kind, self.key, self.message) == (
            other.kind,
            other.key,
            other.message,
        )

    def __hash__(self) -> int:
        return hash((self.kind, self.key, self.message))


class Report:
    """verify's result: CHECKS, one per claim with evidence whose document was read;
    FINDINGS, the problems (of those claims, of sources without a document, of claims
    without evidence); NOTES, what is said but is no problem (a copy that is not the
    anchored document, byte for byte)."""

    __slots__ = ("checks", "findings", "notes", "waiting")

    def __init__(self) -> None:
        self.checks: list[ClaimCheck] = []
        self.findings: list[Finding] = []
        self.notes: list[Finding] = []
        self.waiting: dict[str, int] = {}  # web source -> its claims, waiting for a copy


def verify(
    records_by_kind: Mapping[str, Sequence[Record]],
    documents: Mapping[str, str | None],
    *,
    require_evidence: bool = False,
    web: frozenset[str] = frozenset(),
) -> Report:
    """Check every claim with evidence against its source's document.

    WEB names sources that are web pages cgcli holds no copy of (no `location`, none
    given): their claims wait for the user's saved copy, counted in `waiting`, not a
    problem.

    DOCUMENTS maps a source id to its text, or None when it cannot be read. A source
    whose `sha256` differs from its document's gets a note: the claims are then found by
    their fingerprints. A source without a document is reported once, with the number of
    claims left unchecked. With REQUIRE_EVIDENCE, a claim that asserts figures or names
    but has no evidence is reported."""
    report = Report()
    sources = source_kind()
    refs = names_by_id(records_by_kind)
    for source in records_by_kind.get(sources, ()):
        sid, want = str(source.get("id")), source.get("sha256")
        document = documents.get(sid)
        if document is not None and want is not None and sha256_text(document) != want:
            note = "not the copy anchored, byte for byte: claims are found by fingerprints"
            report.notes.append(Finding(sources, sid, note))
    claims: list[tuple[str, Record]] = []
    unchecked: dict[str, int] = {}
    for kind, records in records_by_kind.items():
        if kind == sources or not isinstance(records, list):
            continue  # a raw TOML table also holds schema_version
        for record in records:
            if not isinstance(record, Mapping):
                continue
            key = str(record.get("id"))
            if not record.get("evidence"):
                figures = figures_of(kind, record, refs) if require_evidence else []
                if figures:
                    labels = ", ".join(f.label for f in figures)
                    report.findings.append(Finding(kind, key, f"no evidence for {labels}"))
                continue
            sid = str(record.get("source"))
            if documents.get(sid) is None:
                unchecked[sid] = unchecked.get(sid, 0) + 1
                continue
            claims.append((kind, record))
    locators: dict[str, Locator] = {}
    for _, record in claims:
        sid = str(record.get("source"))
        if sid not in locators:
            locators[sid] = Locator(str(documents[sid]))
        with suppress(EvidenceError):  # reported by check_claim
            locators[sid].prepare(spans_of(record))
    for kind, record in claims:
        check = check_claim(kind, record, locators[str(record.get("source"))], None, refs)
        report.checks.append(check)
        report.findings += [Finding(kind, check.key, m) for m in check.problems]
    for sid in [s for s in unchecked if s in web]:
        report.waiting[sid] = unchecked.pop(sid)
    for sid, count in unchecked.items():
        claims_word = "claim" if count == 1 else "claims"
        report.findings.append(
            Finding(
                sources,
                sid,
                f"document not available; {count} {claims_word} with evidence not checked",
            )
        )
    return report


def anchor(
    kind: str,
    record: Record,
    quotes: str | Sequence[str],
    document: str,
    refs: Mapping[str, Sequence[str]] | None = None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """The `evidence` value for RECORD (of KIND) from QUOTES (one or several passages
    of DOCUMENT), and the problems that forbid storing it: a quote absent, ambiguous or
    longer than the document, or a figure or name of the record that the quoted spans do
    not show. Evidence is returned only when there is no problem: a claim is never stored
    with words that do not support it. Time is linear in the document and the quotes."""
    problems: list[str] = []
    spans: list[Span] = []
    doc = Normalised(document)
    for quote in [quotes] if isinstance(quotes, str) else quotes:
        try:
            start, end = find_quote(doc, quote)
        except QuoteError as exc:
            problems.append(f"quote {one_line(quote, 80)}: {exc}")
            continue
        spans.append(Span.of(doc, start, end))
    if not spans and not problems:
        problems.append("no quote given")
    if problems:
        return [], problems
    texts = [(s.label, document[s.start : s.end]) for s in spans]
    problems = _check(figures_of(kind, record, refs), texts)
    return ([] if problems else [s.as_toml() for s in spans]), problems
