"""Digit grouping for people (domain/numbers.py), checked against Babel's en_IN and en."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cover_glass_cli.domain.figures import figure, grouping, set_grouping
from cover_glass_cli.domain.numbers import group

babel_numbers = pytest.importorskip("babel.numbers")


@pytest.mark.parametrize(
    ("value", "indian", "international"),
    [
        (0, "0", "0"),
        (999, "999", "999"),
        (1000, "1,000", "1,000"),
        (90000, "90,000", "90,000"),
        (129000, "1,29,000", "129,000"),
        (10000000, "1,00,00,000", "10,000,000"),
        (-129000, "-1,29,000", "-129,000"),
        (129000.5, "1,29,000.5", "129,000.5"),
    ],
)
def test_examples(value, indian, international):
    assert group(value, "indian") == indian
    assert group(value, "international") == international


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_whole_numbers_agree_with_babel(n):
    assert group(n, "indian") == babel_numbers.format_decimal(n, locale="en_IN")
    assert group(n, "international") == babel_numbers.format_decimal(n, locale="en")


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=1, max_value=99))
def test_fractions_agree_with_babel(whole, cents):
    value = whole + cents / 100
    expected = babel_numbers.format_decimal(value, format="#,##,##0.##", locale="en_IN")
    assert group(value, "indian") == expected


def test_rupee_figures_follow_the_setting():
    before = grouping()
    try:
        record = {"value": 129000, "unit": "INR crore", "qualifier": "over"}
        set_grouping("indian")
        assert figure(record) == "> ₹1,29,000 crore"
        set_grouping("international")
        assert figure(record) == "> ₹129,000 crore"
        pct = {"value": 150000, "unit": "percent", "qualifier": "exact"}
        assert figure(pct) == "150,000%"  # only rupee amounts are grouped the Indian way
    finally:
        set_grouping(before)
