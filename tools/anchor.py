"""Anchor a record to the words of its source: print the `evidence = [...]` line to paste.

    python tools/anchor.py ID "QUOTE" ["QUOTE" ...]     # one span per quote
    python tools/anchor.py --document FILE --hash      # the source's sha256 = "..." line

Each QUOTE is found in the document whitespace-insensitively (curly and straight quote
marks, and the dashes, count as equal); an absent or ambiguous quote is an error that
lists the candidates. The record's figures and names are then checked against the spans,
and the line is printed only if they all stand (--force prints it anyway).

The record is looked up in --facts (default: the repository's facts.toml); the document is
--document, or else found as `cgcli verify` finds it: in CGCLI_SOURCES_DIR, or the source's
`location` beside the fact file or in a folder above it.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path
from typing import Any

from cover_glass_cli.domain.evidence import (
    QuoteError,
    Span,
    check_claim,
    document_text,
    evidence_toml,
    find_quote,
    names_by_id,
    sha256_text,
)

REPO = Path(__file__).resolve().parent.parent


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("record_id", nargs="?", metavar="ID")
    parser.add_argument("quotes", nargs="*", metavar="QUOTE")
    parser.add_argument("--facts", type=Path, default=REPO / "facts.toml")
    parser.add_argument("--document", type=Path)
    parser.add_argument("--hash", action="store_true", help="print the document's sha256 line")
    parser.add_argument("--force", action="store_true", help="print even if a figure is missing")
    args = parser.parse_args(argv)

    if args.hash:
        if args.document is None:
            parser.error("--hash needs --document")
        print(f'sha256 = "{sha256_text(document_text(args.document.read_bytes()))}"')
        return 0
    if not args.record_id or not args.quotes:
        parser.error("give a record ID and at least one QUOTE")

    facts = tomllib.loads(args.facts.read_text(encoding="utf-8"))
    kind, record = find_record(facts, args.record_id)
    path = args.document or locate(args.facts, facts, str(record.get("source")))
    document = document_text(path.read_bytes())
    spans = []
    for quote in args.quotes:
        try:
            start, end = find_quote(document, quote)
        except QuoteError as exc:
            print(f"anchor: {exc}", file=sys.stderr)
            return 1
        spans.append(Span.of(document, start, end))
    problems = check_claim(kind, record, document, spans, names_by_id(facts))
    for problem in problems:
        print(f"anchor: {args.record_id}: {problem}", file=sys.stderr)
    if problems and not args.force:
        return 1
    print(evidence_toml(spans))
    return 0


if __name__ == "__main__":
    sys.exit(main())
