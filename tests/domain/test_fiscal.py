"""Indian fiscal years: every common spelling, ranges, labels; property tests on open input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cover_glass_cli.domain.fiscal import (
    FiscalYearError,
    label,
    months,
    parse_period,
    parse_quarter,
    parse_selection,
    parse_span,
    parse_year,
)


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


@given(st.integers(min_value=1951, max_value=2100))
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
        assert 1900 <= first <= last <= 2199  # the open ends of a range are 1900 and 2199


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


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("FY23", (2023, None)),
        ("FY 2023", (2023, None)),
        ("FY2022-23", (2023, None)),
        ("2022-23", (2023, None)),
        ("Q1 FY24", (2024, 1)),
        ("q1fy24", (2024, 1)),
        ("Q1 2023-24", (2024, 1)),
        ("FY24 Q1", (2024, 1)),
        ("FY2024-Q4", (2024, 4)),
        ("Q3, FY2024", (2024, 3)),
    ],
)
def test_periods_as_people_write_them(text, period):
    assert parse_period(text) == period
    assert parse_selection(text) == (period[0], period[0], period[1])


@pytest.mark.parametrize("text", ["Q1", "Q5 FY24", "FY24 Q0", "Q1 FY", "QQ FY24"])
def test_periods_that_name_no_year_or_quarter(text):
    with pytest.raises(FiscalYearError):
        parse_period(text)


def test_a_range_has_no_quarter():
    assert parse_selection("2021..2023") == (2021, 2023, None)


@pytest.mark.parametrize(("text", "quarter"), [("1", 1), ("Q2", 2), ("q4", 4), (" 3 ", 3)])
def test_quarters(text, quarter):
    assert parse_quarter(text) == quarter


@pytest.mark.parametrize("text", ["0", "5", "Q5", "first", ""])
def test_not_quarters(text):
    with pytest.raises(FiscalYearError, match="not a quarter"):
        parse_quarter(text)


@pytest.mark.parametrize("text", ["2101", "2200", "FY2101", "1949", "2199-00"])
def test_one_message_for_every_year_out_of_range(text):
    with pytest.raises(FiscalYearError, match=r"is not a plausible fiscal year \(1950-2100\)"):
        parse_year(text)
