"""Indian fiscal years: every common spelling, ranges, labels; property tests on open input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cover_glass_cli.domain.fiscal import FiscalYearError, label, months, parse_span, parse_year


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2023", 2023),
        ("FY23", 2023),
        ("fy23", 2023),
        ("FY2023", 2023),
        ("2022-23", 2023),
        ("2022-2023", 2023),
        ("FY2022-23", 2023),
        ("fy 2022-23", 2023),
        ("2022/23", 2023),
        ("23", 2023),
        ("1999-00", 2000),
        ("  FY24 ", 2024),
    ],
)
def test_spellings(text, year):
    assert parse_year(text) == year


@pytest.mark.parametrize(
    "text", ["2022-24", "2023-22", "FY", "abc", "20233", "..", "-2023", "٢٠٢٣"]
)
def test_rejects(text):
    with pytest.raises(FiscalYearError):
        parse_span(text)


def test_range():
    assert parse_span("2021..FY23") == (2021, 2023)
    assert parse_span("2023") == (2023, 2023)


def test_labels_and_months():
    assert label(2023) == "FY2023"
    assert label(2024, 1) == "Q1 FY2024"
    assert months(2023) == "Apr 2022 - Mar 2023"
    assert months(2024, 1) == "Apr-Jun 2023"
    assert months(2024, 3) == "Oct-Dec 2023"
    assert months(2024, 4) == "Jan-Mar 2024"  # the last quarter falls in the year the FY ends


@given(st.integers(min_value=1901, max_value=2198))
def test_every_spelling_of_a_year_agrees(year):
    start = year - 1
    forms = [
        str(year),
        f"FY{year}",
        f"fy{year}",
        f"{start}-{str(year)[2:]}",
        f"{start}-{year}",
        f"FY{start}-{str(year)[2:]}",
    ]
    if 1969 <= year <= 2068:  # two digits alone pivot as %y does
        forms.append(f"FY{str(year)[2:]}")
    assert {parse_year(f) for f in forms} == {year}


@given(st.text(max_size=30))
def test_any_text_parses_or_raises_fiscal_year_error(text):
    try:
        first, last = parse_span(text)
    except FiscalYearError as e:
        assert "fiscal year" in str(e) or "write" in str(e) or "range" in str(e)
    else:
        assert 1900 <= first <= last <= 2199


@pytest.mark.parametrize(
    ("text", "year"),
    [("99", 1999), ("FY99", 1999), ("69", 1969), ("68", 2068), ("00", 2000), ("FY23", 2023)],
)
def test_two_digit_years_pivot_like_strptime(text, year):
    assert parse_year(text) == year


def test_two_digit_spans_across_the_century():
    assert parse_year("1999-00") == 2000 and parse_year("98-99") == 1999


@pytest.mark.parametrize(
    ("text", "span"),
    [("..2023", (1900, 2023)), ("2021..", (2021, 2199)), ("FY21..FY23", (2021, 2023))],
)
def test_open_ranges(text, span):
    assert parse_span(text) == span


def test_a_range_with_no_year_explains_itself():
    with pytest.raises(FiscalYearError, match="names no year"):
        parse_span("..")
