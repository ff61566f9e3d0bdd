"""Human forms never drop what the source said: human_cell keeps qualifiers and units,
footnote marks match the rows shown."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from cover_glass_cli.domain.numbers import group
from cover_glass_cli.ui.views import footnotes, human_cell, human_rows, table_view

Row = dict[str, Any]

FY2023: Row = {
    "id": "exports-fy2023",
    "period": "FY2023",
    "country": "India",
    "product": "mobile phones",
    "value": 90000,
    "unit": "INR crore",
    "qualifier": "over",
    "growth_pct": 100,
    "growth_qualifier": "exact",
    "growth_computed_pct": None,
    "growth_computed_qualifier": "over",
    "growth_computed_low": 100.0,
    "growth_computed_high": None,
    "growth_computed_text": "> 100%",
    "growth_check": "cannot tell",
    "compared_with": "exports-fy2022",
    "claims": 1,
    "disputed": False,
    "best": True,
    "inferred": [],
}


def test_the_issues_cells() -> None:
    assert human_cell(FY2023, "value") == "> ₹90,000 crore"
    assert human_cell(FY2023, "growth_pct") == "+100%"
    assert human_cell(FY2023, "growth_computed_pct") == "> 100%"
    assert human_cell(FY2023, "growth_computed_low") == "100%"
    assert human_cell(FY2023, "growth_computed_high") == "no bound"
    assert human_cell(FY2023, "period") == "FY2023"
    assert human_cell({**FY2023, "growth_qualifier": "over"}, "growth_pct") == "> 100%"
    brazil = {"low": 20, "high": 22, "value": None, "unit": "percent", "qualifier": "range"}
    assert human_cell(brazil, "value") == "20–22%" and human_cell(brazil, "low") == "20%"


def test_converted_values_keep_the_qualifier() -> None:
    row = {**FY2023, "converted_value": 900, "converted_unit": "INR billion"}
    assert human_cell(row, "converted_value") == "> ₹900 billion"


def test_human_rows_are_for_markdown() -> None:
    (row,) = human_rows([FY2023], ["period", "value", "growth_pct"])
    assert row == {"period": "FY2023", "value": "> ₹90,000 crore", "growth_pct": "+100%"}


QUALIFIERS = {"over": "> ", "under": "< ", "approximate": "≈", "exact": ""}


@given(
    st.integers(min_value=1, max_value=10**12),
    st.sampled_from(sorted(QUALIFIERS)),
    st.sampled_from(["INR crore", "INR lakh", "INR billion"]),
)
def test_a_figure_cell_always_carries_its_qualifier_and_unit(
    value: int, qualifier: str, unit: str
) -> None:
    row = {**FY2023, "value": value, "qualifier": qualifier, "unit": unit}
    cell = human_cell(row, "value")
    assert cell.startswith(QUALIFIERS[qualifier] + "₹") and cell.endswith(unit[4:])
    assert group(value, "indian") in cell  # rupee amounts are grouped the Indian way


def test_dispute_marks_match_footnotes() -> None:
    disputed = {**FY2023, "disputed": True, "claims": 2, "dispute": "sources disagree: a; b"}
    view = table_view("exports", [disputed])
    cells = [c.cell(disputed) for c in view.columns]
    assert "> ₹90,000 crore ≠" in cells
    assert "≠ FY2023: sources disagree: a; b" in view.footnotes
    assert any(n.startswith("? exports-fy2023:") and "cannot confirm" in n for n in view.footnotes)
    assert "cannot tell" in cells
    plain = table_view("exports", [FY2023])
    assert not any(n.startswith("≠") for n in plain.footnotes)


def test_more_claims_are_mentioned_only_in_the_one_row_view() -> None:
    row = {**FY2023, "claims": 2, "origins": 2, "also": "₹90,600 crore (pib, normal)"}
    assert any(
        n.startswith("+ FY2023: 2 claims, 2 origins; also ₹90,600 crore (pib, normal)")
        for n in footnotes([row])
    )
    other = {**row, "id": "exports-fy2023-pib", "best": False}
    assert not any(n.startswith("+") for n in footnotes([row, other]))
    headers = [c.header for c in table_view("exports", [row, other]).columns]
    assert headers[-3:] == ["Source", "Rank", "Best"]


def test_best_column_only_when_rows_repeat_a_subject_of_their_own_kind() -> None:
    """Two sites of different operators in one country are two subjects: a listing of
    one row each has no Best column (it is not every claim)."""
    from cover_glass_cli.ui.views import claim_columns

    rows = [
        {"id": "a", "operator": "x", "country": "India", "makes": "glass", "claims": 2},
        {"id": "b", "operator": "y", "country": "India", "makes": "glass", "claims": 2},
    ]
    for row in rows:
        row["best"] = True
    assert "Best" not in [c.header for c in claim_columns(rows, "sites")]
    same = [{**row, "operator": "x"} for row in rows]
    assert [c.header for c in claim_columns(same, "sites")][-1] == "Best"


def test_ids_and_dates_stay_whole_under_their_field_names_too() -> None:
    from cover_glass_cli.ui.views import Column

    for header in ("ID", "id", "Date", "date", "Period", "period"):
        assert Column(header, str).whole, header
    assert not Column("summary", str).whole
