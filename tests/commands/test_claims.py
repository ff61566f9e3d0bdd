"""Several sources for one figure, through the CLI: claims side by side, the best one shown,
disagreements marked, every claim on request, growth computed honestly from best claims."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import run_exe, write_facts

PIB = """
[[sources]]
id = "pib"
title = "Press release on FY2023 exports"
kind = "press release"
"""


def claim(
    value: int, *, rid: str = "exports-fy2023-pib", qualifier: str = "exact", **extra: Any
) -> str:
    lines = [
        "[[exports]]",
        f'id = "{rid}"',
        'country = "India"',
        'product = "mobile phones"',
        "fy = 2023",
        f"value = {value}",
        'unit = "INR crore"',
        f'qualifier = "{qualifier}"',
        'source = "pib"',
        *(f"{k} = {json.dumps(v)}" for k, v in extra.items()),
    ]
    return "\n" + "\n".join(lines) + "\n"


REPORT = """
[[sources]]
id = "jv-report"
title = "The report"
kind = "news report"

[[exports]]
id = "exports-fy2022"
country = "India"
product = "mobile phones"
fy = 2022
value = 45000
unit = "INR crore"
qualifier = "exact"
source = "jv-report"

[[exports]]
id = "exports-fy2023"
country = "India"
product = "mobile phones"
fy = 2023
value = 90000
unit = "INR crore"
qualifier = "over"
growth_pct = 100
growth_qualifier = "exact"
source = "jv-report"
"""
"""The report's own figures, as the bundled data held them before the later sources: a
base on which a second source's claim is the only other one."""


@pytest.fixture
def second(tmp_path: Path):
    """A fact file with the press release and one FY2023 claim, layered on the report's."""

    def make(value: int, **extra: Any) -> list[str]:
        base = write_facts(tmp_path / "report.toml", REPORT, version=2)
        path = write_facts(tmp_path / f"pib-{value}.toml", PIB + claim(value, **extra), version=2)
        return ["--facts", str(base), "--facts", str(path)]

    return make


def fy2023(run, args: list[str], *more: str) -> list[dict[str, Any]]:
    return run.json(*args, "exports", "--fy", "2023", "--json", *more)


# --- agreeing and disagreeing sources ---------------------------------------------------------


def test_an_agreeing_second_source_keeps_one_row_that_counts_both(run, second):
    args = second(95000)  # exact 95,000 is "over 90,000": no dispute
    (row,) = fy2023(run, args)
    assert (row["id"], row["claims"], row["disputed"], row["best"]) == (
        "exports-fy2023",
        2,
        False,
        True,
    )
    assert row["dispute"] is None
    table = run.wide(*args, "exports", "--fy", "2023").stdout
    assert "≠" not in table
    # the other one is not hidden: its figure and source are named under the table
    assert "also ₹95,000 crore (" in table and "--all-claims" in table
    assert row["also"].startswith("₹95,000 crore (")


def test_a_disagreeing_second_source_is_marked_and_named(run, second):
    args = second(85000)  # exact 85,000 is not over 90,000
    (row,) = fy2023(run, args)
    assert row["disputed"] is True and row["claims"] == 2
    assert "> ₹90,000 crore (jv-report)" in row["dispute"]
    assert "₹85,000 crore (pib)" in row["dispute"]
    table = run.wide(*args, "exports", "--fy", "2023").stdout
    assert "> ₹90,000 crore ≠" in table
    assert "≠ FY2023: sources disagree: > ₹90,000 crore (jv-report); ₹85,000 crore (pib)" in table


def test_all_claims_lists_each_with_source_rank_and_best(run, second):
    args = second(85000, rank="preferred", rank_reason="official figure")
    rows = fy2023(run, args, "--all-claims")
    got = {r["id"]: (r["source"], r["rank"], r["best"], r["claims"]) for r in rows}
    assert got == {
        "exports-fy2023": ("jv-report", None, False, 2),
        "exports-fy2023-pib": ("pib", "preferred", True, 2),
    }
    # the preferred claim is the one shown by default; nothing is disputed among best claims
    (shown,) = fy2023(run, args)
    assert (shown["id"], shown["value"], shown["disputed"]) == ("exports-fy2023-pib", 85000, False)
    table = run.wide(*args, "exports", "--fy", "2023", "--all-claims").stdout
    for text in ("Source", "Rank", "Best", "preferred exports-fy2023-pib: official figure"):
        assert text in table


def test_a_deprecated_claim_is_never_shown_as_best(run, second):
    args = second(85000, rank="deprecated", rank_reason="misprint")
    (row,) = fy2023(run, args)
    assert (row["id"], row["disputed"]) == ("exports-fy2023", False)


def test_two_files_giving_fy2023_differently(run, tmp_path):
    base = PIB.replace("pib", "a") + PIB.replace("pib", "b")
    a = write_facts(tmp_path / "a.toml", base, version=2)
    body = claim(45000, rid="fy22", qualifier="exact").replace("fy = 2023", "fy = 2022").replace(
        '"pib"', '"a"'
    ) + claim(90000, rid="fy23-a").replace('"pib"', '"a"')
    a.write_text(a.read_text() + body)
    b = write_facts(
        tmp_path / "b.toml", claim(100000, rid="fy23-b").replace('"pib"', '"b"'), version=2
    )
    args = ["--facts", str(a), "--facts", str(b)]
    rows = run.json(*args, "exports", "--json")
    assert [r["period"] for r in rows] == ["FY2022", "FY2023"]  # one row a year, not two
    fy23 = rows[1]
    assert fy23["disputed"] and fy23["claims"] == 2 and fy23["origins"] == 2
    # growth of a's figure is computed against a's own FY2022: b's figure does not move it
    assert (fy23["growth_computed_pct"], fy23["growth_basis"]) == (100.0, "same source")
    every = run.json(*args, "exports", "--json", "--all-claims")
    assert [r["id"] for r in every] == ["fy22", "fy23-a", "fy23-b"]
    # b gives no FY2022: across sources, against a's, and said so
    fy23_b = every[2]
    assert fy23_b["growth_basis"] == "across sources"
    assert fy23_b["growth_computed_pct"] == pytest.approx(122.2, abs=0.05)
    assert "computed across sources, against FY2022 from a" in fy23_b["growth_computed_note"]


# --- honest growth -------------------------------------------------------------------------------


def test_growth_between_two_lower_bounds_is_unknown(run, tmp_path):
    body = (
        PIB
        + claim(90000, rid="y23", qualifier="over")
        + claim(128000, rid="y24", qualifier="over").replace("fy = 2023", "fy = 2024")
    )
    path = write_facts(tmp_path / "f.toml", body, version=2)
    rows = {r["id"]: r for r in run.json("--facts", str(path), "exports", "--json")}
    y24 = rows["y24"]
    assert y24["growth_computed_qualifier"] == "unknown"
    assert y24["growth_computed_pct"] is None and y24["growth_computed_high"] is None
    assert y24["growth_computed_text"] == "unknown"
    assert "lower bounds" in y24["growth_computed_note"]
    table = run.wide("--facts", str(path), "exports").stdout
    assert "unknown" in table and "42.2" not in table


def test_the_bundled_fy2023_growth_is_cannot_tell(run):
    (row,) = run.json("exports", "--fy", "2023", "--json")
    assert row["growth_check"] == "cannot tell"
    assert row["growth_computed_text"] == "> 100%"
    table = run.wide("exports").stdout
    assert "cannot tell" in table and "> 100%" in table
    assert "cannot confirm it" in table  # the footnote says what "cannot tell" means


# --- qualifiers and units in every human output ------------------------------------------------


def test_fields_table_keeps_qualifier_and_unit(run):
    table = run.wide("exports", "--fields", "period,value,growth_pct,growth_computed_pct").stdout
    line = next(line for line in table.splitlines() if "FY2023" in line)
    assert "> ₹90,000 crore" in line and "+100%" in line and "> 100%" in line
    quarter = next(line for line in table.splitlines() if "Q1 FY2024" in line)
    assert "> ₹30,000 crore" in quarter and "> 100%" in quarter


def test_fields_table_marks_a_dispute_when_no_figure_is_shown(run, second):
    args = second(85000)
    table = run.wide(*args, "exports", "--fy", "2023", "--fields", "period,source").stdout
    assert "FY2023 ≠" in table and "sources disagree" in table


def test_cite_names_the_figure_with_its_qualifier_and_unit(run):
    assert "convention): > ₹90,000 crore" in run("cite", "exports-fy2023").stdout
    assert "Brazil 2023: 20–22%" in run("cite", "va-brazil").stdout
    assert "≈15%" in run("cite", "va-india", "--style", "markdown").stdout


def test_chart_keeps_qualifiers_and_marks_disputes(run, second):
    args = second(85000)
    chart = run.wide(*args, "exports", "--chart").stdout
    assert "> ₹90,000 crore ≠" in chart and "sources disagree" in chart
    assert "jv-report" not in chart.splitlines()[1]  # one bar a year: no source in the label
    va = run.wide("value-addition", "--chart").stdout
    assert "≈15%" in va and "20–22%" in va


def test_value_addition_all_claims(run, tmp_path):
    body = (
        PIB
        + """
[[value_addition]]
id = "va-india-pib"
country = "India"
value = 18
unit = "percent"
qualifier = "exact"
scope = "local value addition"
year = 2016
source = "pib"
"""
    )
    from cover_glass_cli.store import bundled_path

    path = write_facts(tmp_path / "va.toml", body, version=2)
    args = ["--facts", str(bundled_path()), "--facts", str(path)]
    rows = run.json(*args, "value-addition", "--json")
    india = [r for r in rows if r["country"] == "India" and r["year"] == 2016]
    assert len(india) == 1
    assert india[0]["disputed"]  # exactly 5.6 (Counterpoint) against exactly 18
    every = run.json(*args, "value-addition", "--json", "--all-claims")
    ids = sorted(r["id"] for r in every if r["country"] == "India" and r["year"] == 2016)
    assert ids == ["va-india-2016", "va-india-pib"]


def test_schema_1_files_are_still_read(run, tmp_path):
    path = write_facts(
        tmp_path / "old.toml",
        PIB
        + """
[[market_facts]]
id = "m1"
subject = "India"
topic = "exports"
rank = 3
statement = "Third."
source = "pib"
""",
        version=1,
    )
    assert run("validate", "--alone", str(path)).exit_code == 0
    (row,) = run.json("--facts", str(path), "market-facts", "--json")
    assert (row["position"], row["rank"]) == (3, None)


def test_the_installed_command_shows_both_claims(tmp_path, second):
    args = second(85000)
    env = {
        "XDG_CACHE_HOME": str(tmp_path / "c"),
        "XDG_DATA_HOME": str(tmp_path / "d"),
        "COLUMNS": "200",
    }
    done = run_exe(*args, "exports", "--fy", "2023", "--all-claims", env=env)
    assert done.returncode == 0, done.stderr
    assert "₹85,000 crore" in done.stdout and "> ₹90,000 crore ≠" in done.stdout


def test_all_claims_shows_growth_only_on_the_claims_it_is_computed_from(run, second):
    """Growth is computed for each claim in use: a deprecated claim's row carries none."""
    args = second(85000, rank="deprecated")
    rows = run.json(*args, "exports", "--fy", "2023", "--all-claims", "--json")
    best = [r for r in rows if r["best"]]
    others = [r for r in rows if not r["best"]]
    assert best and others
    assert all(r["growth_computed_text"] for r in best)
    assert all(r["growth_computed_text"] is None and r["growth_check"] is None for r in others)
