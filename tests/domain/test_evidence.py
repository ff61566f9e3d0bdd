"""Evidence: spans of the source's words, their hashes, and the figures they must show."""

from __future__ import annotations

import hashlib
import importlib.util
import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from conftest import REPORT
from hypothesis import example, given
from hypothesis import strategies as st

from cover_glass_cli.domain.checking import check_claim, check_passages, highlight_ranges, verify
from cover_glass_cli.domain.evidence import figures_of, names_by_id
from cover_glass_cli.domain.quotes import QuoteError, find_quote
from cover_glass_cli.domain.spans import EvidenceError, Span, evidence_toml, sha256_text, spans_of
from cover_glass_cli.ui.links import fragment_link, text_fragment

REPO = Path(__file__).resolve().parents[2]


def check_span(kind, record, text, refs=None):
    """Problems of a claim against one passage of text, not yet a span of a document."""
    return check_passages(kind, record, [("the quoted passage", text)], refs)


@pytest.fixture(scope="module")
def report() -> str:
    if not REPORT.is_file():
        pytest.skip(f"the source report is not beside the repository ({REPORT})")
    return REPORT.read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def all_facts() -> dict[str, Any]:
    return tomllib.loads((REPO / "facts.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def facts(all_facts: dict[str, Any]) -> dict[str, Any]:
    """The bundled facts of the report (the document at hand), and its source."""
    return {
        kind: [r for r in records if r.get("source", r["id"]) == "jv-report"]
        if isinstance(records, list)
        else records
        for kind, records in all_facts.items()
    }


def test_every_claim_of_a_web_page_carries_evidence_and_waits_for_a_copy(
    all_facts: dict[str, Any],
) -> None:
    """cgcli ships no copy of the later pages: each of their claims carries fingerprints
    that a user's saved copy is checked against, and, without one, waits (not a problem)."""
    pages = {s["id"] for s in all_facts["sources"] if "location" not in s}
    claims = [
        r
        for kind, records in all_facts.items()
        if kind != "sources" and isinstance(records, list)
        for r in records
        if r["source"] in pages
    ]
    assert len(claims) > 30 and all(spans_of(r) for r in claims)
    assert all(s.get("url", "").startswith("https://") for s in all_facts["sources"])
    result = verify(all_facts, {"jv-report": None}, web=frozenset(pages))
    assert [f.key for f in result.findings] == ["jv-report"]  # the report's copy is missing
    assert sum(result.waiting.values()) == len(claims)


def record_of(facts: dict[str, Any], record_id: str) -> tuple[str, dict[str, Any]]:
    for kind, records in facts.items():
        if isinstance(records, list):
            for record in records:
                if record["id"] == record_id:
                    return kind, record
    raise KeyError(record_id)


# An independent statement of what "modulo whitespace, quote marks and dashes" means.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_QUOTES = {**dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'")}
_QUOTES |= dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"')


def loose(text: str) -> str:
    text = "".join(_QUOTES.get(c, "-" if c in _DASHES else c) for c in text)
    return " ".join(text.split())


# --- hashes and spans -------------------------------------------------------------


def test_sha256_text_is_the_hash_of_the_utf8_bytes() -> None:
    assert sha256_text("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert sha256_text("₹") == hashlib.sha256("₹".encode()).hexdigest()


def test_decoding_keeps_crlf_so_offsets_match_the_file() -> None:
    from cover_glass_cli.store.pages import TextError, decode

    assert decode(b"a\r\nb") == ("a\r\nb", "utf-8")
    assert decode(b"\xff") == ("\u00ff", "cp1252")
    with pytest.raises(TextError):
        decode(b"\x00\x01binary")


def test_span_toml_round_trip_and_line() -> None:
    span = Span.of("Exports surpassed Rs 90,000 crore.", 8, 33)
    assert span.sha256 == sha256_text("surpassed Rs 90,000 crore")
    assert Span.from_toml(span.as_toml()) == span
    line = evidence_toml([span])
    assert tomllib.loads(line) == {"evidence": [span.as_toml()]}
    two = tomllib.loads(evidence_toml([span, Span.of("abc", 0, 1)]))
    assert [Span.from_toml(t) for t in two["evidence"]] == [span, Span.of("abc", 0, 1)]


@pytest.mark.parametrize(
    "data",
    [
        [1, 2],
        {"start": 3, "end": 3, "sha256": "0" * 64},
        {"start": -1, "end": 3, "sha256": "0" * 64},
        {"start": True, "end": 3, "sha256": "0" * 64},
        {"start": 1.0, "end": 3, "sha256": "0" * 64},
        {"start": 1, "end": 3, "sha256": "0" * 63},
        {"start": 1, "end": 3, "sha256": "A" * 64},
        {"start": 1, "end": 3},
        {"start": 1, "end": 3, "sha256": "0" * 64, "text": "copied words"},
    ],
)
def test_malformed_evidence_is_refused(data: Any) -> None:
    with pytest.raises(EvidenceError):
        Span.from_toml(data)
    problems = check_claim("exports", {"id": "x", "evidence": [data]}, "some text").problems
    assert len(problems) == 1 and problems[0].startswith("evidence[0]: ")


# --- finding quotes ---------------------------------------------------------------

DOC = (
    "Mobile phone exports crossed the Rs 30,000 crore mark during the April-June quarter.\n"
    "In FY23, mobile phone exports  surpassed\tRs 90,000 crore, an increase of 100 per cent.\n"
    "The company said \u201cMade in India\u201d parts \u2013 soon.\n"
)


def test_find_quote_ignores_whitespace_quote_marks_and_dashes() -> None:
    start, end = find_quote(DOC, "exports surpassed\n Rs 90,000 crore")
    assert DOC[start:end] == "exports  surpassed\tRs 90,000 crore"
    start, end = find_quote(DOC, ' said "Made in India" parts - soon ')
    assert DOC[start:end] == "said \u201cMade in India\u201d parts \u2013 soon"


def test_find_quote_is_case_sensitive() -> None:
    with pytest.raises(QuoteError):
        find_quote(DOC, "EXPORTS SURPASSED")


def test_an_absent_quote_lists_the_closest_passages() -> None:
    with pytest.raises(QuoteError) as caught:
        find_quote(DOC, "exports surpassed Rs 95,000 crore")
    assert "not in the document" in str(caught.value)
    start = DOC.index("exports  surpassed")
    assert any(s <= start + 3 and e > start + 20 for s, e in caught.value.candidates)
    assert f"{caught.value.candidates[0][0]}-" in str(caught.value)


def test_an_ambiguous_quote_lists_every_occurrence_with_context() -> None:
    with pytest.raises(QuoteError) as caught:
        find_quote(DOC, "phone  exports")
    message = str(caught.value)
    assert "2 times" in message
    where = [(m.start(), m.end()) for m in re.finditer("phone exports", DOC)]
    assert len(where) == 2 and caught.value.candidates == where
    assert all(f"{s}-{e}: " in message for s, e in where)
    assert "Mobile [phone exports] crossed" in message  # the match, marked in its context


def test_quote_messages_are_one_line_per_candidate_and_escaped() -> None:
    hostile = "Rs 9 crore\x1b[31m here. Rs 9 crore\u202e there."
    with pytest.raises(QuoteError) as caught:
        find_quote(hostile, "Rs 9 crore")
    message = str(caught.value)
    assert "\x1b" not in message and "\u202e" not in message
    assert "\\x1b" in message and "\\u202e" in message
    assert len(message.splitlines()) == 3


def test_an_empty_quote_is_an_error() -> None:
    with pytest.raises(QuoteError, match="empty"):
        find_quote(DOC, " \n\t")


_ALPHABET = "ab -\u2013'\u2019\n\t\u00a0"
_RUNS = [" ", "\n", "\t ", "\u2003", "\r\n  "]


@given(data=st.data(), document=st.text(alphabet=_ALPHABET, min_size=1, max_size=60))
def test_find_quote_finds_a_whitespace_mangled_substring(data: Any, document: str) -> None:
    i = data.draw(st.integers(0, len(document) - 1))
    j = data.draw(st.integers(i + 1, len(document)))
    original = document[i:j]
    if not original.strip():
        return
    quote = re.sub(r"\s+", lambda _: data.draw(st.sampled_from(_RUNS)), original)
    quote = data.draw(st.sampled_from(["", " ", "\n"])) + quote
    wanted = loose(original)
    try:
        start, end = find_quote(document, quote)
    except QuoteError as exc:
        # Only ambiguity is possible, and then the text really occurs more than once.
        assert "times" in str(exc)
        doc = loose(document)
        occurrences = [k for k in range(len(doc)) if doc.startswith(wanted, k)]
        assert len(occurrences) > 1
        shown = min(len(occurrences), 10)  # the error names the first ten
        assert [loose(document[s:e]) for s, e in exc.candidates] == [wanted] * shown
    else:
        assert loose(document[start:end]) == wanted
        assert start == i + len(original) - len(original.lstrip())


# --- figures in their spellings ---------------------------------------------------


def export(**fields: Any) -> dict[str, Any]:
    return {"id": "e", "country": "India", "product": "mobile phones", "source": "s"} | fields


def share(**fields: Any) -> dict[str, Any]:
    return {"id": "v", "country": "Brazil", "unit": "percent", "source": "s"} | fields


RUPEES = export(value=90000, unit="INR crore", qualifier="exact")
OVER = export(value=90000, unit="INR crore", qualifier="over")
GROWTH = export(growth_pct=100, growth_qualifier="exact")
RANGE = share(low=20, high=22, qualifier="range")
ABOUT = share(value=15, qualifier="approximate")


@pytest.mark.parametrize(
    ("kind", "record", "text"),
    [
        ("exports", RUPEES, "Rs 90,000 crore"),
        ("exports", RUPEES, "₹90,000 crore"),
        ("exports", RUPEES, "Rs. 90,000 crore"),
        ("exports", RUPEES, "INR 90,000 crores"),
        ("exports", RUPEES, "Rs90,000 crore"),
        ("exports", RUPEES, "90000 crore"),
        ("exports", RUPEES, "Rs 90,000-crore mark"),
        ("exports", export(value=100000, unit="INR crore", qualifier="exact"), "Rs 1,00,000 crore"),
        ("exports", export(value=12.5, unit="INR lakh", qualifier="exact"), "Rs 12.5 lakh"),
        ("exports", OVER, "exports surpassed Rs 90,000 crore"),
        ("exports", OVER, "exports crossed the Rs 90,000 crore mark"),
        ("exports", OVER, "an over Rs 90,000 crore haul"),
        ("exports", OVER, "more than ₹90,000 crore"),
        ("exports", OVER, "Rs 90,000 crore or more"),
        ("exports", GROWTH, "an increase of 100 per cent"),
        ("exports", GROWTH, "grew 100 percent"),
        ("exports", GROWTH, "grew 100%"),
        ("exports", export(growth_pct=100, growth_qualifier="over"), "an over 100 per cent growth"),
        ("exports", export(fy=2023), "In FY23, exports"),
        ("exports", export(fy=2023), "In FY2023, exports"),
        ("exports", export(fy=2023), "in 2022-23"),
        ("exports", export(fy=2023), "in 2022\u20132023"),
        ("exports", export(fy=2023), "in FY 2022-23"),
        ("exports", export(quarter=1), "during the April-June quarter"),
        ("exports", export(quarter=1), "in Apr\u2013Jun"),
        ("exports", export(quarter=1), "in Q1 FY24"),
        ("exports", export(quarter=1), "in Q1FY24"),
        ("exports", export(quarter=1), "in the first quarter of FY24"),
        ("exports", export(quarter=4), "in the January to March quarter"),
        ("value_addition", RANGE, "Brazil (20\u201322 per cent)"),
        ("value_addition", RANGE, "Brazil (20-22%)"),
        ("value_addition", RANGE, "Brazil, 20 to 22 per cent"),
        ("value_addition", RANGE, "Brazil, between 20 and 22 per cent"),
        ("value_addition", ABOUT, "Brazil remains at around 15 per cent"),
        ("value_addition", ABOUT, "Brazil at about 15%"),
        ("value_addition", ABOUT, "Brazil at 15 per cent or so"),
        ("companies", {"id": "o", "name": "Optiemus Infracom", "founded": 1993}, "Founded in 1993, Optiemus Infracom"),
        ("ventures", {"id": "j", "country": "India", "goal_years": 5}, "in India within the next five years"),
        ("ventures", {"id": "j", "country": "India", "goal_years": 5}, "India's plan: 5 years"),
        ("market_facts", {"id": "m", "subject": "India", "rank": 2}, "India, the world's second-largest"),
        ("market_facts", {"id": "m", "subject": "India", "rank": 2}, "India ranks 2nd"),
        ("sites", {"id": "s", "country": "United States", "makes": "Gorilla Glass"}, "in the United\nStates it makes gorilla glass"),
    ],
)  # fmt: skip
def test_every_spelling_is_recognised(kind: str, record: dict[str, Any], text: str) -> None:
    assert figures_of(kind, record), "the record must assert something"
    assert check_span(kind, record, text) == []
    assert highlight_ranges(kind, record, text), "what was found is marked"


@pytest.mark.parametrize(
    ("kind", "record", "text", "problem"),
    [
        ("exports", export(value=9000, unit="INR crore", qualifier="exact"), "Rs 90,000 crore", "figure 9000 not in"),
        ("exports", export(value=9000, unit="INR crore", qualifier="exact"), "Rs 19000 crore", "figure 9000 not in"),
        ("exports", export(value=1000, unit="INR crore", qualifier="exact"), "Rs 1,00,000 crore", "figure 1000 not in"),
        ("exports", export(value=90, unit="INR crore", qualifier="exact"), "Rs 90.5 crore", "figure 90 not in"),
        ("exports", export(value=90, unit="INR crore", qualifier="exact"), "Rs 90,00 crore", "figure 90 not in"),
        ("exports", export(value=2345, unit="INR crore", qualifier="exact"), "Rs 1,2345 crore", "figure 2345 not in"),
        ("exports", export(value=45, unit="INR crore", qualifier="exact"), "the X45 crore", "figure 45 not in"),
        ("companies", {"id": "o", "name": "O", "founded": 19}, "O, since 19,93", "figure founded 19 not in"),
        ("companies", {"id": "o", "name": "O", "founded": 19}, "O, since 19.93", "figure founded 19 not in"),
        ("exports", RUPEES, "Rs 900 billion", "figure 90000 not in"),
        ("exports", RUPEES, "Rs 90,000 lakh", "figure 90000 not in"),
        ("exports", RUPEES, "90,000 per cent", "figure 90000 not in"),
        ("exports", RUPEES, "surpassed Rs 90,000 crore", "figure 90000 is exact but the quoted passage gives it as over"),
        ("exports", OVER, "an increase to Rs 90,000 crore", "is over but the quoted passage gives it as exact"),
        ("exports", OVER, "around Rs 90,000 crore", "gives it as approximate"),
        ("exports", OVER, "crossed the mark. Rs 90,000 crore", "gives it as exact"),
        ("exports", GROWTH, "100 crore", "figure growth 100 not in"),
        ("exports", export(fy=2023), "in FY22 and 2023", "figure FY2023 not in"),
        ("exports", export(fy=2023), "in 2021-23", "figure FY2023 not in"),
        ("exports", export(quarter=1), "in Q1", "figure Q1 not in"),
        ("exports", export(quarter=1), "in the first quarter", "figure Q1 not in"),
        ("exports", export(quarter=1), "in the July-September quarter", "figure Q1 not in"),
        ("value_addition", RANGE, "Brazil (20 per cent)", "figure 20-22 is range but the quoted passage gives it as exact"),
        ("value_addition", RANGE, "Brazil (20\u201323 per cent)", "figure 20-22 not in"),
        ("value_addition", share(value=20, qualifier="exact"), "Brazil (20\u201322 per cent)", "gives it as range"),
        ("value_addition", ABOUT, "Brazil at 15 per cent", "figure 15 is approximate but"),
        ("value_addition", ABOUT, "Brazilian at about 15 per cent", 'name "Brazil" not in'),
        ("companies", {"id": "o", "name": "Optiemus Infracom", "founded": 1993}, "Founded in 1993, Optiemus", 'name "Optiemus Infracom" not in'),
        ("market_facts", {"id": "m", "subject": "India", "position": 2}, "India ranks 12th", "figure position 2 not in"),
        ("customers", {"id": "c", "name": "LG"}, "brands like LGE", 'name "LG" not in'),
        ("customers", {"id": "c", "name": "Jio"}, "brands like jio", 'name "Jio" not in'),
    ],
)  # fmt: skip
def test_what_is_not_written_is_not_found(
    kind: str, record: dict[str, Any], text: str, problem: str
) -> None:
    problems = check_span(kind, record, text)
    assert any(problem in p for p in problems), problems


def test_inferred_fields_are_not_looked_for() -> None:
    record = export(fy=2024, quarter=1, inferred=["fy"])
    assert check_span("exports", record, "the April-June quarter") == []
    assert check_span("exports", record | {"inferred": []}, "the April-June quarter") == [
        "figure FY2024 not in the quoted passage"
    ]


def test_references_are_checked_by_the_names_of_what_they_name() -> None:
    facts = {
        "companies": [{"id": "optiemus", "name": "Optiemus Infracom", "aliases": ["Optiemus"]}],
        "people": [{"id": "akg", "name": "Ashok Kumar Gupta"}],
    }
    refs = names_by_id(facts)
    speech = {"id": "s", "speaker": "akg"}
    assert check_span("statements", speech, "said Ashok Kumar Gupta", refs) == []
    assert check_span("statements", speech, "said a spokesman", refs) == [
        'name "Ashok Kumar Gupta (akg)" not in the quoted passage'
    ]
    customer = {"id": "c", "name": "Oppo", "supplier": "optiemus"}
    assert check_span("customers", customer, "Oppo buys from Optiemus", refs) == []
    assert check_span("customers", customer, "Oppo buys from Corning", refs) != []


def indian(n: int) -> str:
    digits = str(n)
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    groups = []
    while len(head) > 2:
        head, groups = head[:-2], [head[-2:], *groups]
    return ",".join([head, *groups, tail])


SPELLINGS = [str, lambda n: f"{n:,}", indian]
PREFIXES = ["", "Rs ", "Rs. ", "₹", "INR "]


@given(
    wanted=st.integers(1, 10**8),
    written=st.integers(1, 10**8),
    spell=st.sampled_from(SPELLINGS),
    prefix=st.sampled_from(PREFIXES),
)
@example(wanted=9000, written=90000, spell=SPELLINGS[1], prefix="Rs ")
@example(wanted=9000, written=19000, spell=str, prefix="")
@example(wanted=100000, written=100000, spell=indian, prefix="₹")
def test_a_figure_is_found_exactly_when_its_own_number_is_written(
    wanted: int, written: int, spell: Any, prefix: str
) -> None:
    text = f"In FY23, exports were {prefix}{spell(written)} crore, the report says."
    record = export(value=wanted, unit="INR crore", qualifier="exact")
    assert (check_span("exports", record, text) == []) == (wanted == written)


def test_indian_grouping_helper_is_right() -> None:
    assert indian(100000) == "1,00,000"
    assert indian(12345678) == "1,23,45,678"
    assert indian(999) == "999"


# --- verifying claims and documents ---------------------------------------------


def test_every_bundled_claim_is_anchored_and_stands(facts: dict[str, Any], report: str) -> None:
    assert facts["sources"][0]["sha256"] == hashlib.sha256(REPORT.read_bytes()).hexdigest()
    assert verify(facts, {"jv-report": report}, require_evidence=True).findings == []
    refs = names_by_id(facts)
    anchored = [
        (kind, r)
        for kind, records in facts.items()
        if kind != "sources" and isinstance(records, list)
        for r in records
        if spans_of(r)
    ]
    assert len(anchored) == sum(
        len(v) for k, v in facts.items() if k != "sources" and isinstance(v, list)
    )
    for kind, record in anchored:
        # a claim whose named fields are all inferred (the "company said" statements) has
        # evidence for the reader but nothing the check may require of the words
        assert figures_of(kind, record, refs) or record.get("inferred"), record["id"]


def test_the_fact_file_holds_offsets_not_the_reports_sentences(
    facts: dict[str, Any], report: str
) -> None:
    text = " ".join((REPO / "facts.toml").read_text(encoding="utf-8").split())
    for kind, records in facts.items():
        for record in records if isinstance(records, list) else ():
            for span in spans_of(record):
                words = " ".join(report[span.start : span.end].split())
                assert words not in text, (kind, record["id"])


def test_a_changed_word_inside_a_span_is_reported_as_changed(
    facts: dict[str, Any], report: str
) -> None:
    at = report.index("Gorilla Glass")
    changed = report[:at] + "Gorilla Glaze" + report[at + len("Gorilla Glass") :]
    result = verify(facts, {"jv-report": changed})
    assert [str(n) for n in result.notes] == [
        "jv-report: not the copy anchored, byte for byte: claims are found by fingerprints"
    ]
    findings = [str(f) for f in result.findings]
    covering = {
        r["id"]
        for records in facts.values()
        if isinstance(records, list)
        for r in records
        if any(s.start <= at < s.end for s in spans_of(r))
    }
    assert covering == {
        "corning",
        "corning-gorilla-us",
        "corning-gorilla-japan",
        "corning-gorilla-taiwan",
    }
    assert {f.split(":")[0] for f in findings} == covering
    for key in covering:
        assert any(re.match(rf"{key}: evidence span \d+-\d+ changed: ", f) for f in findings)
        assert any(
            f.startswith(f'{key}: name "Gorilla Glass" not in evidence span') for f in findings
        )
    assert {c.key for c in result.checks if c.rung == "changed"} == covering
    assert {c.rung for c in result.checks if c.key not in covering} == {"exact"}


def test_a_changed_figure_in_a_record_fails_naming_the_claim(
    facts: dict[str, Any], report: str
) -> None:
    _, record = record_of(facts, "exports-fy2023")
    (span,) = spans_of(record)
    edited = {
        **facts,
        "exports": [r if r is not record else {**r, "value": 9000} for r in facts["exports"]],
    }
    findings = [str(f) for f in verify(edited, {"jv-report": report}).findings]
    assert findings == [f"exports-fy2023: figure 9000 not in evidence span {span.start}-{span.end}"]


def test_a_missing_document_is_reported_once(facts: dict[str, Any]) -> None:
    findings = verify(facts, {"jv-report": None}).findings
    assert [f.key for f in findings] == ["jv-report"]
    assert "not available" in findings[0].message


def test_a_claim_without_evidence_is_reported_only_when_required() -> None:
    facts = {"sources": [{"id": "s"}], "exports": [RUPEES | {"fy": 2023}]}
    assert verify(facts, {"s": "text"}).findings == []
    (finding,) = verify(facts, {"s": "text"}, require_evidence=True).findings
    assert str(finding) == "e: no evidence for FY2023, 90000"


def test_a_span_of_the_first_format_is_found_only_where_it_was() -> None:
    record = RUPEES | {"evidence": [{"start": 0, "end": 99, "sha256": "0" * 64}]}
    check = check_claim("exports", record, "Rs 90,000 crore")
    assert check.rung == "not found"
    assert check.problems == [
        "evidence span 0-99 is not in this copy of the document; a span with only start, "
        "end and sha256 is found only where it was (re-anchor it with tools/anchor.py to "
        "find it in any copy)"
    ]
    old = {"start": 0, "end": 15, "sha256": sha256_text("Rs 90,000 crore")}
    assert check_claim("exports", RUPEES | {"evidence": [old]}, "Rs 90,000 crore").ok


def test_figures_are_checked_per_span_never_across_a_seam() -> None:
    document = "exports rose to Rs 90,000 | crore was the unit"
    first = Span.of(document, 0, 25)
    second = Span.of(document, 28, len(document))
    assert check_claim("exports", RUPEES, document, [first, second]).problems == [
        "figure 90000 not in evidence spans 0-25, 28-46"
    ]


def test_highlights_mark_the_figures_and_their_qualifiers(
    facts: dict[str, Any], report: str
) -> None:
    _, record = record_of(facts, "exports-fy2023")
    (span,) = spans_of(record)
    text = report[span.start : span.end]
    marked = [text[a:b] for a, b in highlight_ranges("exports", record, text)]
    assert marked == ["FY23", "surpassed Rs 90,000 crore", "100 per cent"]


# --- text fragments ---------------------------------------------------------------


def first_match(document: str, fragment: str) -> tuple[int, int]:
    """Where a browser would land: a simple reading of the text directive (whitespace
    collapsed, case-insensitive), as offsets into the collapsed document."""
    assert fragment.startswith("#:~:text=")
    parts = fragment[len("#:~:text=") :].split(",")
    assert all(re.fullmatch(r"[A-Za-z0-9_.~%]*-?", p) for p in parts), "syntax encoded"
    prefix = unquote(parts.pop(0)[:-1]) + " " if parts[0].endswith("-") else ""
    start = unquote(parts[0])
    end = unquote(parts[1]) if len(parts) > 1 else None
    hay = " ".join(document.split()).casefold()
    at = hay.find((prefix + start).casefold()) + len(prefix)
    stop = at + len(start)
    if end is not None:
        stop = hay.find(end.casefold(), stop) + len(end)
    return at, stop


def test_text_fragments_encode_the_directive_syntax() -> None:
    document = "Intro. Sales rose 20-22 per cent, A&B said; the rest ₹ follows."
    start = document.index("Sales")
    fragment = text_fragment(document, start, document.index(" the rest"))
    assert fragment == "#:~:text=Sales%20rose%2020%2D22%20per%20cent%2C%20A%26B%20said%3B"


def test_text_fragments_land_on_every_bundled_span(facts: dict[str, Any], report: str) -> None:
    collapsed = " ".join(report.split())
    for records in facts.values():
        for record in records if isinstance(records, list) else ():
            for span in spans_of(record):
                at, stop = first_match(report, text_fragment(report, span.start, span.end))
                assert " ".join(report[span.start : span.end].split()) in collapsed[at:stop]
                assert stop - at < len(" ".join(report[span.start : span.end].split())) + 20


def test_a_repeated_passage_gets_a_prefix() -> None:
    document = "One: total sales. Two: total sales."
    start = document.rindex("total sales")
    fragment = text_fragment(document, start, start + len("total sales"))
    assert fragment == "#:~:text=Two%3A-,total%20sales"
    assert first_match(document, fragment) == (start, start + len("total sales"))


def test_fragment_link_keeps_the_page_and_element() -> None:
    document = "Alpha beta gamma."
    assert fragment_link("https://x.test/a?b=1#top", document, 0, 5) == (
        "https://x.test/a?b=1#top:~:text=Alpha"
    )
    assert fragment_link("https://x.test/a#:~:text=old", document, 6, 10).endswith("#:~:text=beta")


# --- the curator's tool -------------------------------------------------------------


def load_anchor() -> Any:
    spec = importlib.util.spec_from_file_location("anchor", REPO / "tools" / "anchor.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_anchor_prints_the_line_and_refuses_what_the_words_do_not_show(
    report: str, capsys: pytest.CaptureFixture[str]
) -> None:
    anchor = load_anchor()
    args = ["--document", str(REPORT), "exports-fy2024-q1"]
    quote = "crossed the Rs 30,000 crore mark during the April-June quarter, registering an over 100 per cent growth"
    assert anchor.main([*args, quote]) == 0
    out = capsys.readouterr().out
    (span,) = [Span.from_toml(t) for t in tomllib.loads(out)["evidence"]]
    assert span.sha256 == sha256_text(report[span.start : span.end])
    assert anchor.main([*args, "crossed the Rs 30,000 crore mark"]) == 1
    assert "figure growth 100 not in evidence span" in capsys.readouterr().err
    assert anchor.main([*args, "Optiemus"]) == 1
    assert "4 times" in capsys.readouterr().err


_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.lists(st.text(max_size=10), max_size=3),
)
_FIELDS = st.sampled_from(
    ["name", "aliases", "founded", "products", "title", "company", "speaker", "partners",
     "country", "goal_years", "operator", "makes", "supplier", "fy", "quarter", "value",
     "unit", "qualifier", "growth_pct", "growth_qualifier", "low", "high", "subject", "rank",
     "inferred", "evidence"]
)  # fmt: skip


@given(
    kind=st.sampled_from(["companies", "people", "statements", "ventures", "sites", "customers",
                          "exports", "value_addition", "market_facts", "nonsense"]),
    record=st.dictionaries(_FIELDS, _VALUES, max_size=8),
    text=st.text(max_size=80),
)  # fmt: skip
@example(kind="exports", record={"quarter": float("inf"), "fy": float("nan")}, text="Q1 FY24")
@example(kind="market_facts", record={"rank": float("inf")}, text="second")
def test_hostile_records_and_text_give_problems_never_exceptions(
    kind: str, record: dict[str, Any], text: str
) -> None:
    refs = {"optiemus": ("Optiemus",)}
    assert isinstance(check_span(kind, record, text, refs), list)
    assert isinstance(highlight_ranges(kind, record, text, refs), list)
    facts = {"sources": [{"id": "s", "sha256": 5}], kind: [record | {"id": "r", "source": "s"}]}
    result = verify(facts, {"s": text}, require_evidence=True)
    assert all(isinstance(str(f), str) for f in result.findings)


# --- anchor(): what `facts add --quote` stores, and what it refuses -----------------------

FY23 = {
    "id": "x",
    "country": "India",
    "product": "mobile phones",
    "fy": 2023,
    "value": 90000,
    "unit": "INR crore",
    "qualifier": "over",
    "source": "jv-report",
}


def test_anchor_gives_spans_that_verify_and_hash_the_quoted_words(report: str) -> None:
    from cover_glass_cli.domain.checking import anchor

    quote = "In FY23, mobile phone\n   exports surpassed Rs 90,000 crore"
    evidence, problems = anchor("exports", FY23, quote, report)
    assert problems == []
    (span,) = evidence
    assert report[span["start"] : span["end"]] == " ".join(quote.split())
    assert (
        span["sha256"] == hashlib.sha256(report[span["start"] : span["end"]].encode()).hexdigest()
    )
    assert check_claim("exports", {**FY23, "evidence": evidence}, report).problems == []


@pytest.mark.parametrize(
    ("change", "quote", "expected"),
    [
        ({"value": 9000}, "In FY23, mobile phone exports surpassed Rs 90,000 crore", "9000"),
        ({"fy": 2024}, "In FY23, mobile phone exports surpassed Rs 90,000 crore", "FY2024"),
        ({"qualifier": "exact"}, "In FY23, mobile phone exports surpassed Rs 90,000 crore", "over"),
        ({}, "mobile phone exports surpassed Rs 90,000 crore", "FY2023"),
        ({}, "In FY24, mobile phone exports", "not in the document"),
        ({}, "per cent", "occurs"),
    ],
)
def test_anchor_refuses_words_that_do_not_state_the_claim(
    report: str, change: dict[str, Any], quote: str, expected: str
) -> None:
    from cover_glass_cli.domain.checking import anchor

    evidence, problems = anchor("exports", {**FY23, **change}, quote, report)
    assert evidence == []
    assert problems and expected in " ".join(problems)


def test_anchor_takes_several_quotes_for_a_speaker_named_a_sentence_away(
    facts: dict[str, Any], report: str
) -> None:
    from cover_glass_cli.domain.checking import anchor

    kind, record = record_of(facts, "goal-top-maker")
    record = {k: v for k, v in record.items() if k != "evidence"}
    words = "we intend to emerge as one of the top manufacturers"
    refs = names_by_id(facts)
    assert anchor(kind, record, [words], report, refs)[1]  # the speaker is not named there
    evidence, problems = anchor(kind, record, [words, "said Ashok Kumar Gupta"], report, refs)
    assert problems == [] and len(evidence) == 2


# --- validation of the `evidence` field agrees with Span.from_toml ------------------------

_span_value = st.one_of(
    st.integers(-3, 3000),
    st.booleans(),
    st.text(alphabet="0123456789abcdefABCDEF", min_size=63, max_size=65),
    st.sampled_from(["a" * 64, "0" * 64]),
    st.none(),
    st.floats(allow_nan=True),
)
_span_table = st.dictionaries(
    st.sampled_from(["start", "end", "sha256", "extra"]), _span_value, max_size=4
) | st.fixed_dictionaries(
    {
        "start": st.integers(0, 3000),
        "end": st.integers(0, 3000),
        "sha256": st.sampled_from(["a" * 64, "A" * 64, "a" * 63]),
    }
)


@given(st.lists(_span_table | st.integers() | st.text(max_size=3), max_size=3))
def test_validation_accepts_evidence_exactly_when_span_from_toml_does(entries: Any) -> None:
    from cover_glass_cli.domain.records import validate_record

    record = {**FY23, "evidence": entries}
    try:
        spans_of(record)
        readable = True
    except EvidenceError:
        readable = False
    problems = validate_record("exports", record)
    assert (problems == []) == readable, problems
    assert all(field == "evidence" for field, _ in problems)


def test_validation_names_what_is_wrong_with_a_span() -> None:
    from cover_glass_cli.domain.records import validate_record

    def problem(entry: Any) -> str:
        ((field, message),) = validate_record("exports", {**FY23, "evidence": [entry]})
        assert field == "evidence"
        return message

    good = {"start": 1, "end": 2, "sha256": "a" * 64}
    assert validate_record("exports", {**FY23, "evidence": [good]}) == []
    assert "unknown key(s) text" in problem({**good, "text": "copied words"})
    assert "missing sha256" in problem({"start": 1, "end": 2})
    assert "0 <= start < end" in problem({**good, "start": 5, "end": 5})
    assert "0 <= start < end" in problem({**good, "start": True})
    assert "64 lower-case hex" in problem({**good, "sha256": "A" * 64})
    assert "must be a table" in problem(7)


# --- the words of later pages: lakh crore, present-tense bounds, inferred parts ----------------


@pytest.mark.parametrize(
    ("record", "text"),
    [
        (
            export(value=120000, unit="INR crore", qualifier="exact"),
            "an estimated Rs 1.2 lakh crore",
        ),
        (export(value=200000, unit="INR crore", qualifier="exact"), "rose to ₹2 lakh crore"),
        (OVER, "expected to surpass Rs 90,000 crore"),
        (OVER, "set to cross Rs 90,000 crore"),
        (OVER, "Crossing Rs 90,000 crore in sales"),
    ],
)
def test_later_pages_words_are_read(record: dict[str, Any], text: str) -> None:
    assert check_span("exports", record, text) == [], text


def test_an_inferred_unit_or_qualifier_is_not_looked_for() -> None:
    """A page that writes "Rs 22,500" without "crore" (the unit read from beside it), or
    "doubled to Rs 90,000 crore" for a figure read as a round one: the words lack what
    the record infers, so only the number is looked for."""
    bare = export(value=22500, unit="INR crore", qualifier="exact")
    assert check_span("exports", bare, "were worth Rs 22,500") != []
    assert check_span("exports", {**bare, "inferred": ["unit"]}, "were worth Rs 22,500") == []
    rounded = export(value=90000, unit="INR crore", qualifier="approximate")
    assert check_span("exports", rounded, "rose to Rs 90,000 crore") != []
    assert (
        check_span("exports", {**rounded, "inferred": ["qualifier"]}, "rose to Rs 90,000 crore")
        == []
    )
