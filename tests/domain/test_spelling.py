"""Figures and periods as people write them (domain/spelling.py): every spelling the issue
names, and property tests that any grouping of a number reads back as that number."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cover_glass_cli.domain.numbers import group
from cover_glass_cli.domain.spelling import (
    Amount,
    NumberError,
    SpellingError,
    amount_fields,
    amounts_in,
    parse_amount,
    parse_number,
    period_fields,
    read_query,
)

EXPORT = {
    "id": "e1",
    "fy": 2023,
    "quarter": None,
    "value": 90000,
    "unit": "INR crore",
    "qualifier": "over",
    "note": "",
}


@pytest.mark.parametrize(
    ("text", "number", "scale", "currency"),
    [
        ("90,000", 90000, None, None),
        ("90000", 90000, None, None),
        ("₹90,000", 90000, None, "INR"),
        ("Rs 90,000 crore", 90000, "crore", "INR"),
        ("Rs. 90k crore", 90000, "crore", "INR"),
        ("1,29,000", 129000, None, None),
        ("1.29 lakh crore", 1.29, "lakh crore", None),
        ("2 lakh crore", 2, "lakh crore", None),
        ("$11.12 billion", 11.12, "billion", "USD"),
        ("INR 900 bn", 900, "billion", "INR"),
        ("Rs 90000 cr", 90000, "crore", "INR"),
    ],
)
def test_figures_as_people_write_them(text, number, scale, currency):
    amount = parse_amount(text)
    assert (amount.number, amount.scale, amount.currency) == (number, scale, currency)
    assert amount.qualifier == "exact" and not amount.percent


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("over ₹90,000 crore", "over"),
        ("surpassed Rs 90,000 crore", "over"),
        ("more than 90,000", "over"),
        ("> 90,000", "over"),
        ("under 5%", "under"),
        ("about 15 per cent", "approximate"),
        ("≈15%", "approximate"),
        ("upwards of 5 crore", "over"),  # every qualifier word evidence reads (wording.py)
        ("close to 5 crore", "approximate"),
        ("nearly 5 crore", "approximate"),  # evidence allows under too; search reads one
    ],
)
def test_qualifiers_are_kept(text, qualifier):
    assert parse_amount(text).qualifier == qualifier


def test_commas_that_group_neither_way_are_named():
    with pytest.raises(SpellingError, match="or the Indian way"):
        parse_amount("1,23,45")


def test_a_qualifier_is_a_word_of_its_own():
    assert [a.qualifier for a in amounts_in("the handover 5 crore; across 20%")] == [
        "exact",
        "exact",
    ]


def test_percentages():
    assert parse_amount("20 per cent").percent and parse_amount("15%").number == 15


@pytest.mark.parametrize("text", ["1,2,3", "abc", "₹", "90,00", "Rs crore"])
def test_not_figures(text):
    with pytest.raises(SpellingError):
        parse_amount(text)


@pytest.mark.parametrize(
    ("text", "absolute"),
    [
        ("1.29 lakh crore", 1.29e12),
        ("1,29,000 crore", 1.29e12),
        ("1290 billion", 1.29e12),
        ("Rs. 90k crore", 9e11),
        ("900 billion", 9e11),
    ],
)
def test_one_amount_in_every_scale(text, absolute):
    assert parse_amount(text).absolute == pytest.approx(absolute)


def test_in_unit():
    assert parse_amount("₹90,000 crore").in_unit("INR billion") == pytest.approx(900)
    assert parse_amount("$11 billion").in_unit("INR billion") is None  # dollars are not rupees
    assert parse_amount("₹90,000").in_unit("INR crore") is None  # no scale: as stated


def test_a_query_split_into_periods_figures_and_words():
    query = read_query("exports FY23 over Rs 90,000 crore")
    assert query.words == ["exports"]
    assert query.periods == [(2023, None)]
    assert query.amounts == [
        Amount(90000, scale="crore", currency="INR", qualifier="over", text="")
    ]
    assert read_query("Q1 FY24").periods == [(2024, 1)]
    assert read_query("gorilla 2023").words == ["gorilla", "2023"]  # a bare year is a word


@pytest.mark.parametrize(
    "text",
    ["90,000", "90000", "₹90,000", "Rs 90,000", "Rs 90,000 crore", "Rs. 90k crore", "900 billion"],
)
def test_an_export_states_its_figure_in_any_spelling(text):
    assert amount_fields(EXPORT, parse_amount(text)) == ["value"]


@pytest.mark.parametrize("text", ["9 billion", "under ₹90,000 crore", "$90,000", "90,000%"])
def test_other_figures_do_not_match(text):
    assert amount_fields(EXPORT, parse_amount(text)) == []


def test_a_dollar_figure_matches_where_the_record_states_both():
    record = {**EXPORT, "note": "about ₹90,000 crore ($11.12 billion) by our reckoning"}
    assert amount_fields(record, parse_amount("$11.12 billion")) == ["note"]
    assert amount_fields(EXPORT, parse_amount("$11.12 billion")) == []


def test_periods_match_the_year_or_the_quarter():
    assert period_fields(EXPORT, (2023, None)) == ["fy"]
    assert period_fields(EXPORT, (2024, None)) == []
    quarter = {**EXPORT, "fy": 2024, "quarter": 1}
    assert period_fields(quarter, (2024, 1)) == ["fy", "quarter"]
    assert period_fields(quarter, (2024, 2)) == []
    assert period_fields(quarter, (2024, None)) == ["fy"]


def test_amounts_in_text_skip_bare_numbers():
    found = list(amounts_in("In 2023 exports were Rs 90,000 crore, up 100 per cent"))
    assert [(a.number, a.percent) for a in found] == [(90000, False), (100, True)]


# --- property tests: any number, grouped either way, with any rupee prefix ------------------


@given(st.integers(min_value=0, max_value=10**14), st.sampled_from(["indian", "international"]))
def test_any_grouping_reads_back(n, style):
    text = group(n, style)
    assert parse_amount(text).number == n
    assert parse_number(text) == n


@given(
    st.integers(min_value=0, max_value=10**12),
    st.sampled_from(["₹", "Rs ", "Rs. ", "INR ", "rs"]),
    st.sampled_from(["indian", "international"]),
)
def test_rupee_prefixes_are_accepted_by_facts_add(n, prefix, style):
    assert parse_number(prefix + group(n, style)) == n


@given(st.text(max_size=40))
def test_any_text_is_a_figure_or_a_spelling_error(text):
    try:
        amount = parse_amount(text)
    except SpellingError as e:
        assert "figure" in str(e) or "commas" in str(e) or "finite" in str(e)
    else:
        assert amount.number >= 0


@given(st.text(max_size=60))
def test_any_query_reads_without_error(text):
    query = read_query(text)
    assert all(isinstance(w, str) for w in query.words)


def test_facts_add_values_with_a_scale_say_how():
    with pytest.raises(NumberError, match="unit=crore"):
        parse_number("₹90,600 crore")


def test_rupee_units_agree_with_figures():
    from cover_glass_cli.domain import figures, spelling

    assert spelling.RUPEE_FACTORS == figures.RUPEE_FACTORS


@pytest.mark.parametrize("text", ["INR. 500", "USD. 5", "Rs.500", "rs500", "US$ 5 bn"])
def test_currency_words_with_a_dot_or_none_before_the_number(text):
    assert parse_amount(text).currency in ("INR", "USD")
