"""Output shaped as gh and sqlite-utils users expect: --jq, --sort, --limit, --no-headers,
--tsv, --nl, the plain format, CGCLI_FORMAT; Indian digit grouping; the formula guard."""

from __future__ import annotations

import csv
import io
import json

import pytest

from .test_spellings import PIB


def test_jq_filters_json_and_prints_strings_raw(run):
    result = run("companies", "--jq", ".[].id")
    assert result.exit_code == 0, result.output
    assert result.stdout == "optiemus\ncorning\n"


def test_jq_prints_other_values_as_json(run):
    result = run("exports", "--fy", "2023", "--jq", ".[0] | {id, value}")
    assert json.loads(result.stdout) == {"id": "exports-fy2023", "value": 90000}


@pytest.mark.parametrize(
    "line",
    [
        ("company", "corning", "--jq", ".name"),
        ("venture", "--jq", ".[0].id"),
        ("fields", "--jq", "keys[0]"),
        ("facts", "path", "--jq", ".files[0].origin"),
        ("export", "--jq", ".schema_version"),
        ("search", "gorilla", "--jq", "length"),
    ],
)
def test_jq_on_every_json_output(run, line):
    result = run(*line)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


def test_jq_errors_are_usage_errors(run):
    bad = run("companies", "--jq", ".[")
    assert bad.exit_code == 2 and "syntax error" in bad.stderr and bad.stdout == ""
    runtime = run("companies", "--jq", ".foo")
    assert runtime.exit_code == 2 and "Cannot index array" in runtime.stderr
    assert run("companies", "--jq", ".", "--csv").exit_code == 2


def test_sort_and_limit(run, report_only):
    rows = run.json("exports", "--sort", "-value", "--limit", "2", "--json", "--fields", "id")
    assert rows == [{"id": "exports-fy2023"}, {"id": "exports-fy2022"}]
    rows = run.json("value-addition", "--sort", "country", "--json", "--fields", "country")
    assert [r["country"] for r in rows] == ["Brazil", "China", "India", "Vietnam"]


def test_sort_puts_empty_values_last_both_ways(run):
    for order in ("growth_pct", "-growth_pct"):
        rows = run.json("exports", "--sort", order, "--json", "--fields", "id,growth_pct")
        assert rows[-1]["growth_pct"] is None


def test_sort_and_limit_shape_the_table_too(run, report_only):
    out = run.wide("exports", "--sort", "-value", "--limit", "1").stdout
    assert "FY2023" in out and "FY2022" not in out


def test_sort_typo_gets_a_suggestion(run):
    result = run("exports", "--sort", "-valeu")
    assert result.exit_code == 2 and "did you mean value?" in result.stderr


def test_limit_is_an_option_now_not_a_near_miss_of_unit(run):
    result = run("companies", "--limit", "1", "--json")
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 1
    assert run("companies", "--limit", "0").exit_code == 2


def test_tsv_and_nl_are_aliases(run):
    assert run("companies", "--tsv").stdout == run("companies", "--format", "tsv").stdout
    lines = run("companies", "--nl").stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["optiemus", "corning"]
    assert run("companies", "--tsv", "--json").exit_code == 2


def test_no_headers(run):
    with_headers = run("companies", "--csv", "--fields", "id").stdout
    assert with_headers.splitlines() == ["id", "optiemus", "corning"]
    assert (
        run("companies", "--csv", "--fields", "id", "--no-headers").stdout == "optiemus\ncorning\n"
    )
    assert run("companies", "--tsv", "--fields", "id,founded", "--no-headers").stdout.startswith(
        "optiemus\t1993\n"
    )
    plain = run("value-addition", "--format", "plain", "--no-headers").stdout
    assert not plain.startswith("Country")
    assert run("companies", "--json", "--no-headers").exit_code == 2


def test_plain_format_aligns_columns_without_box_drawing(run, report_only):
    result = run("exports", "--format", "plain")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Period", "Exports", "Status", "Growth", "Computed", "Check"]
    assert "> ₹90,000 crore" in result.stdout  # figures keep qualifier and unit
    assert not set("┏┃━│└") & set(result.stdout)
    assert "\x1b" not in result.stdout
    assert "cannot confirm" in result.stderr  # the table's notes go to stderr
    widths = {len(line) for line in lines}
    assert max(widths) < 120  # one line a row


def test_plain_for_a_document_command(run):
    result = run("company", "corning", "--format", "plain", "--fields", "id,name")
    assert result.stdout.splitlines() == [
        "id       name",
        "corning  Corning International Corporation",
    ]


def test_cgcli_format_sets_the_default(run):
    plain = run("value-addition", env={"CGCLI_FORMAT": "plain"})
    assert plain.stdout.splitlines()[0].split()[:1] == ["Country"]
    as_json = run("value-addition", env={"CGCLI_FORMAT": "json"})
    assert json.loads(as_json.stdout)[0]["country"] == "India"
    # an explicit format wins
    assert run("value-addition", "--csv", env={"CGCLI_FORMAT": "json"}).stdout.startswith("id,")
    bad = run("value-addition", env={"CGCLI_FORMAT": "yaml"})
    assert bad.exit_code == 2 and "CGCLI_FORMAT" in bad.stderr


# --- Indian grouping --------------------------------------------------------------------------


def test_rupee_amounts_are_grouped_the_indian_way_for_people(run):
    out = run.wide("exports", "--fy", "2023", "--unit", "lakh").stdout
    assert "> ₹90,00,000 lakh" in out


@pytest.mark.parametrize(
    ("args", "env"),
    [(("--numbers", "international"), {}), ((), {"CGCLI_NUMBERS": "international"})],
)
def test_international_grouping(run, args, env):
    result = run(*args, "exports", "--fy", "2023", "--unit", "lakh", env={"COLUMNS": "250", **env})
    assert "> ₹9,000,000 lakh" in result.stdout


def test_machine_formats_keep_raw_numbers(run):
    rows = run.json(
        "exports",
        "--fy",
        "2023",
        "--unit",
        "lakh",
        "--fields",
        "value,converted_value,unit,converted_unit",
        "--json",
    )
    assert rows == [
        {
            "value": 90000,
            "converted_value": 9000000.0,
            "unit": "INR crore",
            "converted_unit": "INR lakh",
        }
    ]
    cells = run("exports", "--fy", "2023", "--unit", "lakh", "--csv", "--fields", "converted_value")
    assert cells.stdout.splitlines()[1] == "9000000.0"


# --- the formula guard ------------------------------------------------------------------------


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_formula_guard_leaves_cgclis_own_figures_alone(run, user_file):
    for line in PIB:
        assert run(*line).exit_code == 0
    result = run("exports", "--all-claims", "--csv", "--fields", "id,growth_computed_text")
    # the press release's own figure has no FY2022 of its source: across sources, +101.3%
    assert ["exports-fy2023-pib", "+101.3%"] in _cells(result.stdout)
    assert ["exports-fy2023", "> 100%"] in _cells(result.stdout)


def test_the_formula_guard_still_guards_data(run, tmp_path):
    from conftest import write_facts

    facts = write_facts(
        tmp_path / "f.toml",
        """
        [[sources]]
        id = "src"
        title = "=HYPERLINK(\\"http://x\\")"
        kind = "test"
        """,
    )
    guarded = run("--facts", str(facts), "sources", "--csv", "--fields", "title")
    assert _cells(guarded.stdout)[1] == ['\'=HYPERLINK("http://x")']
    for args, env in ((("--no-formula-guard",), {}), ((), {"CGCLI_FORMULA_GUARD": "0"})):
        raw = run("--facts", str(facts), "sources", "--csv", "--fields", "title", *args, env=env)
        assert _cells(raw.stdout)[1] == ['=HYPERLINK("http://x")']


def test_csv_help_says_the_guard_is_on(run):
    text = " ".join(run("companies", "--help").stdout.split())
    assert "formula" in text.split("--csv", 1)[1][:120]
