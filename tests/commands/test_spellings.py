"""Commands as people guess them: periods and figures in search, the year as an argument,
--quarter, `cgcli help CMD`, "did you mean" across commands, facts add values in rupees."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

PIB = [
    (
        "facts",
        "add",
        "sources",
        "id=pib",
        "title=Mobile phone exports in FY2023",
        "kind=press release",
    ),
    (
        "facts",
        "add",
        "exports",
        "fy=2023",
        "value=₹90,600",
        "unit=crore",
        "qualifier=exact",
        "source=pib",
    ),
]


@pytest.fixture(autouse=True)
def _the_report(report_only):
    """These spellings are of the report's own figures: the data holds the report alone."""
    return report_only


def ids(run, *args: str) -> list[str]:
    result = run(*args, "--json")
    assert result.exit_code in (0, 1), result.output
    return [row["id"] for row in json.loads(result.stdout)]


@pytest.mark.parametrize("text", ["FY23", "fy23", "FY 2023", "FY2022-23", "2022-23", "FY2023"])
def test_search_finds_a_fiscal_year_in_any_spelling(run, text):
    found = run.json("search", text, "--json")
    by_fy = [r["id"] for r in found if "fy" in r["matched_fields"]]
    assert by_fy == ["exports-fy2023"]


def test_search_finds_a_quarter(run):
    assert ids(run, "search", "Q1 FY24") == ["exports-fy2024-q1"]
    assert ids(run, "search", "Q2", "FY24") == []


@pytest.mark.parametrize(
    "text",
    [
        "90,000",
        "90000",
        "₹90,000",
        "Rs 90,000",
        "Rs 90,000 crore",
        "Rs. 90k crore",
        "₹90,000 crore",
        "900 billion",
        "over ₹90,000 crore",
        "9,00,000 million",
    ],
)
def test_search_finds_a_figure_in_any_spelling(run, text):
    assert ids(run, "search", text) == ["exports-fy2023"]


@pytest.mark.parametrize("text", ["9 billion", "under ₹90,000 crore", "$90,000", "91,000"])
def test_search_does_not_confuse_figures(run, text):
    result = run("search", text)
    assert result.exit_code == 1


def test_figures_combine_with_words_and_periods(run):
    assert ids(run, "search", "mobile", "Rs 45,000 crore") == ["exports-fy2022"]
    assert ids(run, "search", "FY22", "45,000") == ["exports-fy2022"]
    assert ids(run, "search", "FY21", "45,000") == []


def test_lakh_crore_and_dollars(run, tmp_path):
    from conftest import write_facts

    facts = write_facts(
        tmp_path / "f.toml",
        """
        [[sources]]
        id = "src"
        title = "A made-up source"
        kind = "test"

        [[exports]]
        id = "big"
        country = "India"
        product = "phones"
        fy = 2025
        value = 129000
        unit = "INR crore"
        qualifier = "exact"
        source = "src"
        note = "Made up: about $15.5 billion at the year's rate."
        """,
    )
    for text in ("1.29 lakh crore", "1,29,000 crore", "₹1,29,000 crore", "$15.5 billion"):
        assert ids(run, "--facts", str(facts), "search", text) == ["big"], text
    assert ids(run, "--facts", str(facts), "search", "$16 billion") == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("2023",), ["exports-fy2023"]),
        (("FY23",), ["exports-fy2023"]),
        (("Q1", "FY24"), ["exports-fy2024-q1"]),
        (("--fy", "Q1 FY24"), ["exports-fy2024-q1"]),
        (("--fy", "2024", "--quarter", "1"), ["exports-fy2024-q1"]),
        (("--quarter", "Q1"), ["exports-fy2024-q1"]),
        (("2021..2023",), ["exports-fy2022", "exports-fy2023"]),
    ],
)
def test_exports_period_as_people_write_it(run, args, expected):
    assert ids(run, "exports", *args) == expected


def test_exports_period_given_two_ways(run):
    assert ids(run, "exports", "2023", "--fy", "FY23") == ["exports-fy2023"]
    clash = run("exports", "2023", "--fy", "2022")
    assert clash.exit_code == 2 and "given twice" in clash.stderr
    quarters = run("exports", "--fy", "Q1 FY24", "--quarter", "2")
    assert quarters.exit_code == 2 and "disagree" in quarters.stderr


def test_exports_of_a_quarter_not_in_the_data(run):
    result = run("exports", "2023", "--quarter", "2")
    assert result.exit_code == 1
    assert "Q2 of FY2023" in result.stderr and "Q1 FY2024" in result.stderr


@pytest.mark.parametrize("bad", [("Q5",), ("--quarter", "5"), ("2200",)])
def test_exports_bad_periods_are_usage_errors(run, bad):
    assert run("exports", *bad).exit_code == 2


def test_help_command(run):
    assert run("help", "exports").stdout == run("exports", "--help").stdout
    assert run("help", "facts", "add").stdout == run("facts", "add", "--help").stdout
    assert run("help").stdout == run("--help").stdout
    wrong = run("help", "expor")
    assert wrong.exit_code == 2 and "Did you mean export or exports?" in wrong.stderr


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        (("compnies",), "Did you mean companies or company? See `cgcli --help`."),
        (("facts", "ad"), "Did you mean add? See `cgcli facts --help`."),
        (("facts", "edt"), "Did you mean edit? See `cgcli facts --help`."),
    ],
)
def test_a_mistyped_command_of_any_group_gets_the_nearest(run, line, hint):
    result = run(*line)
    assert result.exit_code == 2 and hint in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        (("export", "--fy", "2023"), "Did you mean `cgcli exports --fy`?"),
        (("companies", "--quarter", "1"), "`cgcli exports --quarter`"),
        # cgcli's own options after a command, and a command's before it: where they go
        (("exports", "--no-cache"), "give it before the command, as in `cgcli --no-cache exports`"),
        (("exports", "--facts", "x.toml"), "as in `cgcli --facts PATH exports`"),
        (("facts", "add", "--numbers", "indian"), "as in `cgcli --numbers STYLE facts add`"),
        (("--json", "exports"), "option of `cgcli exports`: give it after the command"),
        (("--fy", "2023", "exports"), "as in `cgcli exports --fy YEAR`"),
        (("facts", "--json", "path"), "as in `cgcli facts path --json`"),
        (("--format", "json", "exports"), "as in `cgcli exports --format FMT`"),
    ],
)
def test_did_you_mean_across_commands(run, line, hint):
    result = run(*line)
    assert result.exit_code == 2
    assert hint in result.stderr


def test_fields_typo_gets_a_suggestion(run):
    result = run("exports", "--fields", "id,valeu")
    assert result.exit_code == 2 and "did you mean value?" in result.stderr


def test_facts_add_takes_rupee_values(run, report_only):
    for line in PIB:
        result = run(*line)
        assert result.exit_code == 0, result.output
    assert "value = 90600" in report_only.read_text(encoding="utf-8")  # CGCLI_FACTS's last


@pytest.mark.parametrize("year", ["2101", "2200"])
def test_one_message_for_an_out_of_range_year(run, user_file, year):
    result = run(
        "facts",
        "add",
        "exports",
        f"fy={year}",
        "value=5",
        "unit=crore",
        "qualifier=exact",
        "source=jv-report",
        "id=x",
    )
    assert result.exit_code != 0
    assert f"{year} is not a plausible fiscal year (1950-2100)" in result.stderr


_PIECES = [
    "FY23",
    "Q1 FY24",
    "2022-23",
    "₹",
    "Rs.",
    "90,000",
    "1,29,000",
    "90k",
    "crore",
    "lakh crore",
    "billion",
    "$",
    "%",
    "over",
    "under",
    "about",
    "gorilla",
    "1e999",
    "9" * 400,
    "FY2200",
    "Q5",
    "-",
    ",",
    ".",
    "..",
    "ज",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6), st.text(max_size=8))
def test_any_search_text_answers_0_or_1_never_a_traceback(pieces, noise):
    from click.testing import CliRunner

    from cover_glass_cli.cli import cli

    text = " ".join(pieces) + noise
    if not text.strip():
        return
    result = CliRunner().invoke(cli, ["search", "--json", "--", text], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    assert isinstance(json.loads(result.stdout), list)


def test_a_nested_command_gets_no_guess_among_top_level_commands(run):
    result = run("facts", "add", "--jsn")
    assert result.exit_code == 2 and "market-facts" not in result.stderr
