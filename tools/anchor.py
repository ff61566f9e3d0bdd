"""Anchor a claim to the words of its source: print the evidence span to paste into a fact file.

    python tools/anchor.py ID "QUOTE" ["QUOTE" ...]          # a record of --facts, checked
    python tools/anchor.py --document PAGE "QUOTE"            # any passage or figure of a page
    python tools/anchor.py --document PAGE --sentence "₹1,003 crore" --url URL
    python tools/anchor.py --document FILE --hash             # the source's sha256 = "..." line
    python tools/anchor.py --migrate                          # re-anchor every span of --facts

PAGE is a saved copy of a web page (HTML: its article's text is used) or a text file
(UTF-8, UTF-16, cp1252), read as `cgcli verify --source` reads it. Each QUOTE is found
normalised (spaces, quote marks, dashes, ₹/Rs/INR and digit grouping aside; case counts),
in time linear in the page; an absent or ambiguous quote is an error that says where it
parts from the page, or lists each occurrence. --sentence widens the passage to its whole
sentence (give a figure, get the sentence that states it). --url prints, as a comment,
the link that opens the page at the passage (#:~:text=).

With a record ID, the record is looked up in --facts (default: the repository's
facts.toml) and its figures and names are checked against the spans: the line is printed
only if they all stand (--force prints it anyway). The document is --document, or else
found as `cgcli verify` finds it.

--migrate rewrites every span of --facts found exactly in its document into the current
span format (fingerprints of the normalised passage and its context, its figures).
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

from cover_glass_cli.domain.checking import check_passages
from cover_glass_cli.domain.evidence import names_by_id
from cover_glass_cli.domain.normalise import Normalised
from cover_glass_cli.domain.quotes import QuoteError, find_quote
from cover_glass_cli.domain.spans import Span, evidence_toml, sha256_text, spans_of
from cover_glass_cli.store.documents import DocumentError, read_document
from cover_glass_cli.ui.links import fragment_link

REPO = Path(__file__).resolve().parent.parent
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*(?=\s)|\n\s*\n")


def find_record(facts: dict[str, Any], record_id: str) -> tuple[str, dict[str, Any]]:
    for kind, records in facts.items():
        if isinstance(records, list):
            for record in records:
                if isinstance(record, dict) and record.get("id") == record_id:
                    return kind, record
    raise SystemExit(f"anchor: no record has id {record_id!r}")


def locate(facts_path: Path, facts: dict[str, Any], source_id: str) -> Path:
    """The source's document, found as `cgcli verify` finds it (store/documents.py)."""
    from cover_glass_cli.store.documents import candidates, sources_dir_from

    for source in facts.get("sources", []):
        if source.get("id") == source_id:
            for path in candidates(source, facts_path, sources_dir=sources_dir_from(None)):
                if path.is_file():
                    return path
    raise SystemExit(f"anchor: cannot find the document of source {source_id!r}; use --document")


def sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """START-END widened to the sentence (or paragraph) that holds it."""
    begin = 0
    for m in _SENTENCE_END.finditer(text, max(0, start - 2000), start):
        begin = m.end()
    while begin < start and text[begin].isspace():
        begin += 1
    m = _SENTENCE_END.search(text, end)
    stop = m.end() if m and m.group().strip() else (m.start() if m else len(text))
    return begin, max(stop, end)


def read(path: Path) -> str:
    try:
        return read_document(path, path.name)
    except DocumentError as e:
        raise SystemExit(f"anchor: {e.lines()[0]}") from None


def migrate(facts_path: Path) -> int:
    """Rewrite each span of FACTS_PATH in the current format (text substitution of the
    lines the tool itself wrote: the file is not re-serialised, so comments stay)."""
    text = facts_path.read_text(encoding="utf-8")
    facts = tomllib.loads(text)
    documents: dict[str, Normalised] = {}
    done = 0
    for records in facts.values():
        for record in records if isinstance(records, list) else []:
            if not isinstance(record, dict) or not record.get("evidence"):
                continue
            sid = str(record.get("source"))
            if sid not in documents:
                documents[sid] = Normalised(read(locate(facts_path, facts, sid)))
            doc = documents[sid]
            for old in spans_of(record):
                if sha256_text(doc.raw[old.start : old.end]) != old.sha256:
                    print(f"anchor: {record['id']}: span {old.label} is not exact; skipped")
                    continue
                new = Span.of(doc, old.start, old.end)
                was = evidence_toml([old]).splitlines()[1].strip().rstrip(",")
                now = evidence_toml([new]).splitlines()[1].strip().rstrip(",")
                if was in text:
                    text = text.replace(was, now)
                    done += 1
    facts_path.write_text(_one_span_a_line(text), encoding="utf-8")
    print(f"anchor: {done} spans written in the current format", file=sys.stderr)
    return 0


def _one_span_a_line(text: str) -> str:
    """`evidence = [{ ... }]` on one line made `evidence = [\\n    { ... },\\n]`."""
    return re.sub(r"^evidence = \[(\{[^\n]*\})\]$", r"evidence = [\n    \1,\n]", text, flags=re.M)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("words", nargs="*", metavar="ID QUOTE", help="a record id, then quotes")
    parser.add_argument("--facts", type=Path, default=REPO / "facts.toml")
    parser.add_argument("--document", type=Path, help="the saved page or text file")
    parser.add_argument("--sentence", action="store_true", help="widen to the whole sentence")
    parser.add_argument("--url", help="the page's address: print a link to the passage")
    parser.add_argument("--hash", action="store_true", help="print the document's sha256 line")
    parser.add_argument("--migrate", action="store_true", help="re-anchor every span of --facts")
    parser.add_argument("--force", action="store_true", help="print even if a figure is missing")
    args = parser.parse_args(argv)

    if args.migrate:
        return migrate(args.facts)
    if args.hash:
        if args.document is None:
            parser.error("--hash needs --document")
        print(f'sha256 = "{sha256_text(read(args.document))}"')
        return 0
    record: dict[str, Any] | None = None
    kind = ""
    quotes = list(args.words)
    facts: dict[str, Any] = {}
    if args.document is None or (quotes and _is_record(args.facts, quotes[0])):
        if len(quotes) < 2:
            parser.error("give a record ID and at least one QUOTE (or --document PAGE QUOTE)")
        facts = tomllib.loads(args.facts.read_text(encoding="utf-8"))
        kind, record = find_record(facts, quotes.pop(0))
    if not quotes:
        parser.error("give at least one QUOTE")
    path = args.document or locate(args.facts, facts, str(record.get("source") if record else ""))
    doc = Normalised(read(path))
    spans = []
    for quote in quotes:
        try:
            start, end = find_quote(doc, quote)
        except QuoteError as exc:
            print(f"anchor: {exc}", file=sys.stderr)
            return 1
        if args.sentence:
            start, end = sentence(doc.raw, start, end)
        spans.append(Span.of(doc, start, end))
    if record is not None:
        passages = [(f"evidence span {s.label}", doc.raw[s.start : s.end]) for s in spans]
        problems = check_passages(kind, record, passages, names_by_id(facts))
        for problem in problems:
            print(f"anchor: {record['id']}: {problem}", file=sys.stderr)
        if problems and not args.force:
            return 1
    print(evidence_toml(spans))
    if args.url:
        for span in spans:
            print(f"# link: {fragment_link(args.url, doc.raw, span.start, span.end)}")
    return 0


def _is_record(facts_path: Path, word: str) -> bool:
    try:
        facts = tomllib.loads(facts_path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return False
    return any(
        isinstance(r, dict) and r.get("id") == word
        for records in facts.values()
        if isinstance(records, list)
        for r in records
    )


if __name__ == "__main__":
    sys.exit(main())
