"""The normaliser, the span format and the ladder: properties over made-up text."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from cover_glass_cli.domain.checking import check_claim
from cover_glass_cli.domain.locate import Locator
from cover_glass_cli.domain.normalise import Normalised, normalise
from cover_glass_cli.domain.quotes import QuoteError, find_quote
from cover_glass_cli.domain.spans import Span, span_problem

WORDS = st.sampled_from(
    ["Exports", "crossed", "Rs", "90,000", "crore", "in", "FY23", "the", "company", "said",
     '"world-class"', "plant", "1,00,000", "per", "cent", "India", "Gorilla", "Glass", "-",
     "it's", "2023", "Optiemus", "Corning", "5.5", "(20-22", "per", "cent)", "and", "a"]
)  # fmt: skip
TEXTS = st.lists(WORDS, min_size=1, max_size=60).map(" ".join)

_SPACES = ["  ", "\n", "\r\n", "\t", "\u00a0", " \n ", "\u2009", "\n\n"]
_ONE_FOR_ONE = {'"': ["\u201c", "\u201d"], "'": ["\u2019"], "-": ["\u2013", "\u2014", "\u2212"]}


@st.composite
def mangled(draw: st.DrawFn, text: str) -> str:
    """TEXT as a copy might give it: whitespace, quote marks, dashes, ₹ and grouping."""
    out = []
    for char in text:
        if char == " " and draw(st.booleans()):
            out.append(draw(st.sampled_from(_SPACES)))
        elif char in _ONE_FOR_ONE and draw(st.booleans()):
            out.append(draw(st.sampled_from(_ONE_FOR_ONE[char])))
        else:
            out.append(char)
    copy = "".join(out)
    if draw(st.booleans()):
        rupee = draw(st.sampled_from(["\u20b9", "Rs. ", "INR ", "\u20b9 "]))
        copy = re.sub(r"(?<![A-Za-z])Rs (?=\d)", rupee, copy)
    if draw(st.booleans()):
        copy = copy.replace("90,000", "90000").replace("1,00,000", "100000")
    return copy


@given(data=st.data(), text=TEXTS)
def test_a_mangled_copy_normalises_to_the_same_text(data: st.DataObject, text: str) -> None:
    copy = data.draw(mangled(text))
    assert normalise(copy).strip() == normalise(text).strip()


@given(text=st.text(max_size=200))
@example(text="x \u00a0 y\r\n\r\nz")
@example(text="e\u0301 \ufb01 Rs  9 INR,1,00,000\u00ad")
def test_normalised_text_is_plain_and_maps_back_in_order(text: str) -> None:
    doc = Normalised(text)
    assert "  " not in doc.text
    assert not set(doc.text) & {"\n", "\r", "\t", "\u00a0", "\u201c", "\u2013", "\u00ad"}
    offsets = [doc.to_raw(i) for i in range(len(doc.text) + 1)]
    assert offsets == sorted(offsets)
    assert offsets[0] >= 0 and offsets[-1] <= len(text)
    assert all(0 <= doc.from_raw(i) <= len(doc.text) for i in range(len(text) + 1))


@given(text=st.text(alphabet="abc XYZ.", max_size=80))
def test_text_with_nothing_to_normalise_maps_one_for_one(text: str) -> None:
    assume("  " not in text)
    doc = Normalised(text)
    assert doc.text == text
    assert all(doc.to_raw(i) == i == doc.from_raw(i) for i in range(len(text) + 1))


@st.composite
def passages(draw: st.DrawFn) -> tuple[str, int, int]:
    """A document of made-up sentences and a passage of it that starts at a word."""
    sentences = draw(st.lists(TEXTS, min_size=3, max_size=12, unique=True))
    document = ". ".join(sentences) + "."
    words = [i for i in range(len(document)) if i == 0 or document[i - 1] == " "]
    start = draw(st.sampled_from(words))
    ends = [i for i in range(start + 1, min(len(document), start + 200) + 1)
            if i == len(document) or document[i] == " "]  # fmt: skip
    assume(ends)
    end = draw(st.sampled_from(ends))
    # a quote that ends on a currency before its number ("… Rs.") cannot match: the
    # document normalises "Rs. 5" as "₹5"
    assume(document[start:end].strip() and not document[start:end].endswith(("Rs", "Rs.")))
    return document, start, end


@settings(max_examples=150, deadline=None)
@given(
    data=st.data(), case=passages(), prefix=st.sampled_from(["", "Inserted FY22 note. ", "\n\n"])
)
def test_a_span_is_found_again_in_a_mangled_copy(
    data: st.DataObject, case: tuple[str, int, int], prefix: str
) -> None:
    document, start, end = case
    span = Span.of(document, start, end)
    assert span_problem(span.as_toml()) is None
    assert Locator(document).locate(span).rung == "exact"
    copy = prefix + data.draw(mangled(document))
    location = Locator(copy).locate(span)
    if location.rung == "not found":
        # only when nothing fingerprinted survives: no landmark before, in or after it
        assume(False)
    assert location.rung in ("exact", "moved", "reformatted")
    assert location.start is not None and location.end is not None
    assert (
        normalise(copy[location.start : location.end]).strip()
        == normalise(document[span.start : span.end]).strip()
    )


@settings(max_examples=100, deadline=None)
@given(case=passages())
def test_find_quote_finds_each_unique_passage(case: tuple[str, int, int]) -> None:
    document, start, end = case
    quote = document[start:end]
    try:
        found_start, found_end = find_quote(document, quote)
    except QuoteError as e:
        assert "occurs" in str(e)  # the passage is not unique
        return
    assert normalise(document[found_start:found_end]).strip() == normalise(quote).strip()


def test_a_quote_longer_than_the_document_is_refused_at_once() -> None:
    started = time.process_time()  # CPU: the load of other work does not count
    with pytest.raises(QuoteError, match="longer than the document"):
        find_quote("short document", "x" * 1_000_000)
    assert time.process_time() - started < 0.5


def test_a_long_quote_is_found_in_linear_time() -> None:
    body = " ".join(f"Sentence {i} says Rs {i},000 crore." for i in range(20_000))
    quote = body[100_000:200_000]
    quote = quote[quote.index(". ") + 2 : quote.rindex(".") + 1]
    started = time.process_time()
    start, end = find_quote(body, quote)
    assert time.process_time() - started < 1.0
    assert body[start:end] == quote
    with pytest.raises(QuoteError, match=r"its first \d+ characters are at"):
        find_quote(body, quote[:50_000] + " not in it " + quote[50_000:])


def test_a_changed_passage_is_found_by_its_landmarks_and_its_figures_compared() -> None:
    document = (
        "Market notes. Exports rose in FY23 to Rs 90,000 crore. "
        "The Company said more. Another sentence follows here."
    )
    start = document.index("Exports")
    end = document.index(".", start) + 1
    record = {
        "id": "x",
        "fy": 2023,
        "value": 90000,
        "unit": "INR crore",
        "qualifier": "exact",
        "evidence": [Span.of(document, start, end).as_toml()],
    }
    assert check_claim("exports", record, document).rung == "exact"
    copy = document.replace("90,000", "95,000")
    check = check_claim("exports", record, copy)
    assert check.rung == "changed" and not check.ok
    assert any("figures recorded 90000; found 95000" in p for p in check.problems)
    assert any("figure 90000 not in evidence span" in p for p in check.problems)


_HEX8 = st.text(alphabet="0123456789abcdef", min_size=8, max_size=8)
_BIG = st.integers(0, 10**18)


@settings(max_examples=150, deadline=None)
@given(
    start=_BIG,
    size=st.integers(1, 10**18),
    length=st.integers(1, 10**18),
    pairs=st.lists(st.tuples(_HEX8, _BIG), min_size=3, max_size=3),
    text=TEXTS,
)
def test_any_span_of_the_right_shape_gives_a_rung_never_an_exception(
    start: int, size: int, length: int, pairs: list[tuple[str, int]], text: str
) -> None:
    span = {
        "start": start, "end": start + size, "sha256": "0" * 64, "norm": "1" * 64,
        "length": length, "head": list(pairs[0]), "before": list(pairs[1]),
        "after": list(pairs[2]), "figures": ["1"],
    }  # fmt: skip
    assert span_problem(span) is None
    # the landmarks of the text itself, so that some candidates are found
    doc = Normalised(text)
    real = Span.of(text, 0, len(text))
    span["head"] = [real.head[0], pairs[0][1]] if real.head else span["head"]
    check = check_claim("exports", {"id": "x", "fy": 2023, "evidence": [span]}, text)
    assert check.rung in ("changed", "not found") and doc.text is not None
