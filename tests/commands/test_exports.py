"""cgcli exports: fiscal years in every spelling, ranges, units, growth and the chart."""

from __future__ import annotations

import pytest

FY2023_SPELLINGS = [
    "2023",
    "FY23",
    "fy23",
    "FY2023",
    "2022-23",
    "2022-2023",
    "FY2022-23",
    "fy 2023",
]


@pytest.mark.parametrize("spelling", FY2023_SPELLINGS)
def test_every_fy_spelling_prints_exactly_the_same(run, spelling):
    reference = run("exports", "--fy", "2023", "--json")
    result = run("exports", "--fy", spelling, "--json")
    assert result.exit_code == 0
    assert result.stdout == reference.stdout
    table = run("exports", "--fy", spelling)
    assert table.stdout == run("exports", "--fy", "2023").stdout


def test_exports_fy2023_machine_form(run):
    (record,) = run.json("exports", "--fy", "2023", "--json")
    assert record["value"] == 90000 and isinstance(record["value"], int)
    assert record["unit"] == "INR crore"
    assert record["qualifier"] == "over"
    assert record["growth_pct"] == 100
    assert record["period"] == "FY2023"
    assert record["months"] == "Apr 2022 - Mar 2023"
    # "over 90,000" against 45,000 is more than 100 per cent, with no upper bound: no one
    # number, so no growth_computed_pct; the stated 100% fits but cannot be confirmed
    assert record["compared_with"] == "exports-fy2022"
    assert record["growth_computed_pct"] is None
    assert record["growth_computed_qualifier"] == "over"
    assert (record["growth_computed_low"], record["growth_computed_high"]) == (100.0, None)
    assert record["growth_computed_text"] == "> 100%"
    assert record["growth_check"] == "cannot tell"
    assert record["growth_basis"] == "same source"
    # FY2023 from the report, PTI's and FE's copies of ICEA, and ICEA's earlier estimate:
    # 4 claims from 2 origins that agree
    assert (record["claims"], record["origins"], record["disputed"], record["best"]) == (
        4,
        2,
        False,
        True,
    )
    assert (record["status"], record["stated"]) == ("recorded", "2023-09-01")


def test_exports_table_human_form(run):
    out = run.wide("exports").stdout
    assert "> ₹90,000 crore" in out
    assert "₹45,000 crore" in out
    assert "> ₹30,000 crore" in out
    assert "inferred" in out  # the quarter's fiscal year is inferred, and says so


def test_exports_range(run):
    data = run.json("exports", "--fy", "2022..2023", "--json")
    assert [r["fy"] for r in data] == [2022, 2023]


def test_exports_year_without_data_exits_1_and_lists_years(run):
    result = run("exports", "--fy", "FY2030")
    assert result.exit_code == 1
    assert "FY2030" in result.stderr
    assert "FY2022" in result.stderr and "FY2023" in result.stderr


@pytest.mark.parametrize("bad", ["20x3", "2022-24", "FY", "", "１２３４", "3023"])
def test_unparsable_fy_is_a_usage_error(run, bad):
    result = run("exports", "--fy", bad)
    assert result.exit_code == 2
    # says which forms are accepted (or the right spelling, or the years it may be)
    assert "2022-23" in result.stderr or "(1950-2100)" in result.stderr
    assert result.stdout == ""


def test_repeated_fy_is_refused_not_the_last_one_silently(run):
    result = run("exports", "--fy", "2022", "--fy", "2023")
    assert result.exit_code == 2 and "given 2 times" in result.stderr
    assert "2021..2023" in result.stderr  # says how to ask for several years


def test_open_fy_ranges(run):
    years = [r["fy"] for r in run.json("exports", "--fy", "..2023", "--json")]
    assert years == [2015, 2018, 2021, 2022, 2023]
    periods = [r["period"] for r in run.json("exports", "--fy", "2024..", "--json")]
    assert periods == ["FY2024", "Q1 FY2024", "FY2025"]
    result = run("exports", "--fy", "..1999")
    assert result.exit_code == 1 and "no exports data for ..FY1999" in result.stderr


def test_backwards_fy_range_is_a_usage_error(run):
    result = run("exports", "--fy", "2023..2021")
    assert result.exit_code == 2
    assert "write 2021..2023" in result.stderr


def test_exports_unit_conversion(run):
    (record,) = run.json("exports", "--fy", "2023", "--unit", "billion", "--json")
    assert record["value"] == 90000 and record["unit"] == "INR crore"  # raw kept
    assert record["converted_value"] == 900  # 90,000 crore = 900,000 million = 900 billion
    assert record["converted_unit"] == "INR billion"
    (lakh,) = run.json("exports", "--fy", "2022", "--unit", "lakh", "--json")
    assert lakh["converted_value"] == 4_500_000
    assert "> ₹900 billion" in run.wide("exports", "--fy", "2023", "--unit", "billion").stdout


def test_unit_column_follows_the_unit_asked_for(run):
    """--unit million converts the figure; the unit shown beside it must say so too."""
    table = run.wide("exports", "--fy", "2023", "--unit", "million", "--fields", "value,unit")
    line = next(line for line in table.stdout.splitlines() if "million" in line)
    assert "> ₹9,00,000 million" in line and "INR million" in line and "INR crore" not in line


def test_the_fiscal_year_convention_is_said_where_periods_are_shown(run):
    out = run.wide("exports").stdout
    assert "Indian fiscal years, April to March" in out and "Q1 is April-June" in out
    assert "not their words" in out


def test_estimate_and_recorded_figure_side_by_side(run):
    """FY2024: ICEA's estimate of 2024-03-07 and the figure recorded after the year ended,
    the recorded one preferred, each with its status and the date it was stated."""
    rows = run.json("exports", "--fy", "2024", "--all-claims", "--json")
    fy = {r["id"]: r for r in rows if r["quarter"] is None}
    est = fy["exports-fy2024-newsdrum-2024-03-07"]
    rec = fy["exports-fy2024-mpost-2025-04-11"]
    assert (est["status"], est["stated"], est["best"]) == ("estimate", "2024-03-07", False)
    assert (rec["status"], rec["rank"], rec["best"]) == ("recorded", "preferred", True)
    (shown,) = [r for r in run.json("exports", "--fy", "2024", "--json") if r["quarter"] is None]
    assert shown["id"] == rec["id"] and not shown["disputed"]
    table = run.wide("exports", "--fy", "2024", "--all-claims").stdout
    assert "estimate, 2024-03-07" in table and "recorded, 2025-04-11" in table


def test_a_figure_stated_before_its_year_ended_must_be_an_estimate(run, tmp_path):
    from conftest import SOURCE, write_facts

    body = SOURCE + EXPORT_2024.replace("{status}", "recorded")
    path = write_facts(tmp_path / "f.toml", body, version=2)
    result = run("validate", "--alone", str(path))
    assert result.exit_code == 1
    assert "stated 2024-03-07, before FY2024 ended (2024-03-31)" in result.stdout + result.stderr
    ok = write_facts(tmp_path / "g.toml", SOURCE + EXPORT_2024.replace("{status}", "estimate"))
    assert run("validate", "--alone", str(ok)).exit_code == 0
    bad_day = SOURCE + EXPORT_2024.replace("{status}", "estimate").replace(
        "2024-03-07", "2024-13-01"
    )
    assert (
        "is not a day"
        in run("validate", "--alone", str(write_facts(tmp_path / "h.toml", bad_day))).output
    )


EXPORT_2024 = """
[[exports]]
id = "e"
country = "India"
product = "phones"
fy = 2024
value = 120000
unit = "INR crore"
qualifier = "exact"
status = "{status}"
stated = "2024-03-07"
source = "src"
"""


def test_growth_disagreement_is_shown_not_hidden(run, tmp_path):
    from conftest import SOURCE, write_facts

    path = write_facts(
        tmp_path / "f.toml",
        SOURCE
        + """
        [[exports]]
        id = "a"
        country = "India"
        product = "phones"
        fy = 2022
        value = 100
        unit = "INR crore"
        qualifier = "exact"
        source = "src"

        [[exports]]
        id = "b"
        country = "India"
        product = "phones"
        fy = 2023
        value = 150
        unit = "INR crore"
        qualifier = "exact"
        growth_pct = 80
        growth_qualifier = "exact"
        source = "src"
    """,
    )
    (row,) = run.json("--facts", str(path), "exports", "--fy", "2023", "--json")
    assert row["growth_computed_pct"] == 50.0
    assert row["growth_check"] == "differs"
    table = run.wide("--facts", str(path), "exports").stdout
    assert "DIFFERS" in table and "differs" in table


@pytest.mark.parametrize("width", [50, 120])
def test_export_chart_bars_and_labels(run, width):
    out = run("exports", "--chart", "--fy", "2022..2023", env={"COLUMNS": str(width)}).stdout
    bars = {
        line.split()[0] + (" " + line.split()[1] if line.startswith("Q") else ""): line.count("█")
        for line in out.splitlines()
        if "█" in line
    }
    assert set(bars) == {"FY2022", "FY2023"}
    assert abs(bars["FY2023"] / bars["FY2022"] - 2) < 0.15  # 90,000 is twice 45,000
    assert "> ₹90,000 crore" in out and "₹45,000 crore" in out
    assert all(len(line) <= width for line in out.splitlines() if "█" in line)
