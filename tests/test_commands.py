"""Every lookup command through CliRunner: what a user sees, the JSON contract, exit codes."""

from __future__ import annotations

import json

import pytest

from cover_glass_cli.domain.query import fields_of
from cover_glass_cli.domain.schema import KINDS

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


def test_companies_table_names_both_partners(run):
    result = run.wide("companies")
    assert "Optiemus Infracom" in result.stdout
    assert "Corning International" in result.stdout
    assert "1993" in result.stdout
    assert result.stderr == ""


def test_companies_json_contract(run):
    data = run.json("companies", "--json")
    assert [c["id"] for c in data] == ["optiemus", "corning"]
    names = [f.name for f in fields_of("companies")]
    assert all(list(c) == names for c in data)  # same fields, same order, always present
    optiemus = data[0]
    assert optiemus["founded"] == 1993 and isinstance(optiemus["founded"], int)
    assert data[1]["founded"] is None  # the report gives no year for Corning


@pytest.mark.parametrize(
    "kind_cmd",
    [
        "companies",
        "sites",
        "customers",
        "exports",
        "value-addition",
        "people",
        "statements",
        "market-facts",
        "sources",
    ],
)
def test_every_listing_gives_the_same_fields_in_json(run, kind_cmd):
    kind = kind_cmd.replace("-", "_")
    data = run.json(kind_cmd, "--json")
    assert data, kind
    expected = [f.name for f in fields_of(kind)]
    for record in data:
        assert list(record) == expected


def test_company_detail_by_prefix_and_case(run):
    result = run.wide("company", "CORN")
    for text in (
        "Corning International Corporation",
        "Gorilla Glass",
        "Japan",
        "Taiwan",
        "United States",
    ):
        assert text in result.stdout


def test_years_are_not_grouped_like_figures(run):
    detail = run.wide("company", "optiemus").stdout
    assert "1993" in detail and "1,993" not in detail
    table = run.wide("exports", "--fields", "fy,value").stdout
    assert "2023" in table and "2,023" not in table and "90,000" in table


def test_company_detail_json_holds_related_records(run):
    data = run.json("company", "optiemus", "--json")
    assert data["id"] == "optiemus"
    assert {c["name"] for c in data["customers"]} == {"Oppo", "OnePlus", "LG", "HTC", "Jio"}
    assert [p["name"] for p in data["people"]] == ["Ashok Kumar Gupta"]
    assert [s["id"] for s in data["sources"]] == ["jv-report"]
    assert data["ventures"][0]["partners"] == ["optiemus", "corning"]


def test_company_by_alias(run):
    assert run.json("company", "optiemus infracom limited", "--json")["id"] == "optiemus"


def test_unknown_company_exits_1_listing_candidates(run):
    result = run("company", "samsung")
    assert result.exit_code == 1
    assert "optiemus" in result.stderr and "corning" in result.stderr
    assert result.stdout == ""


def test_ambiguous_prefix_exits_1(run, tmp_path):
    from conftest import SOURCE, write_facts

    path = write_facts(
        tmp_path / "f.toml",
        SOURCE
        + """
        [[companies]]
        id = "acme-glass"
        name = "Acme Glass"
        business = "glass"
        source = "src"

        [[companies]]
        id = "acme-metal"
        name = "Acme Metal"
        business = "metal"
        source = "src"
    """,
    )
    result = run("--facts", str(path), "company", "acme")
    assert result.exit_code == 1
    assert "more than one" in result.stderr
    assert "acme-glass" in result.stderr and "acme-metal" in result.stderr


def test_venture(run):
    result = run.wide("venture")
    for text in ("Optiemus Infracom", "Corning International Corporation", "India", "planned"):
        assert text in result.stdout
    data = run.json("venture", "--json")
    assert data[0]["partners"] == ["optiemus", "corning"]
    assert data[0]["goal_years"] == 5
    assert data[0]["country"] == "India"
    assert [s["status"] for s in data[0]["sites"]] == ["planned"]


def test_sites_filters(run):
    operating = run.json("sites", "--status", "operating", "--json")
    assert sorted(s["country"] for s in operating) == ["Japan", "Taiwan", "United States"]
    corning = run.json("sites", "--company", "corning", "--json")
    # Corning's own plants and the planned plant of its joint venture
    assert sorted(s["country"] for s in corning) == ["India", "Japan", "Taiwan", "United States"]
    india = run.json("sites", "--country", "INDIA", "--json")
    assert [s["status"] for s in india] == ["planned"]


def test_sites_filter_matching_nothing_exits_1_with_empty_json(run):
    result = run("sites", "--country", "Atlantis", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == []
    assert "no sites match" in result.stderr


def test_customers(run):
    data = run.json("customers", "--company", "opti", "--json")
    assert [c["name"] for c in data] == ["Oppo", "OnePlus", "LG", "HTC", "Jio"]
    assert all(c["supplier"] == "optiemus" and c["source"] == "jv-report" for c in data)


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
    assert (record["claims"], record["disputed"], record["best"]) == (1, False, True)


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


@pytest.mark.parametrize("bad", ["20x3", "2022-24", "FY", "", "１２３４", "2023..", "3023"])
def test_unparsable_fy_is_a_usage_error(run, bad):
    result = run("exports", "--fy", bad)
    assert result.exit_code == 2
    assert "2022-23" in result.stderr  # says which forms are accepted (or the right spelling)
    assert result.stdout == ""


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


def test_value_addition(run):
    data = {r["country"]: r for r in run.json("value-addition", "--json")}
    assert data["India"]["value"] == 15 and data["India"]["qualifier"] == "approximate"
    assert (data["Brazil"]["low"], data["Brazil"]["high"]) == (20, 22)
    assert (data["Vietnam"]["low"], data["Vietnam"]["high"]) == (30, 33)
    assert (data["China"]["low"], data["China"]["high"]) == (50, 52)
    out = run("value-addition").stdout
    assert "≈15%" in out and "20–22%" in out and "50–52%" in out


def test_search_any_kind(run):
    data = run.json("search", "gorilla", "--json")
    kinds = {r["kind"] for r in data}
    assert kinds == {"companies", "sites"}
    assert all("record" in r and "matched_fields" in r for r in data)


def test_search_all_words_must_match(run):
    data = run.json("search", "chairman", "ashok", "--json")
    assert [r["id"] for r in data] == ["ashok-kumar-gupta"]


def test_search_nothing_exits_1_like_grep(run):
    result = run("search", "zzzz-nothing", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == []
    assert run("search", "zzzz-nothing").stdout == ""


def test_sources_list_citing_records(run):
    (source,) = run.json("sources", "--json")
    total = sum(
        len(run.json(cmd, "--json"))
        for cmd in (
            "companies",
            "people",
            "statements",
            "sites",
            "customers",
            "exports",
            "value-addition",
            "market-facts",
            "venture",
        )
    )
    assert len(source["cited_by"]) == total
    assert "exports:exports-fy2023" in source["cited_by"]


def test_export_json_holds_every_kind(run):
    data = run.json("export", "--format", "json")
    assert data["schema_version"] == 2
    assert set(data) == {"schema_version", *KINDS}


def test_export_toml_round_trips(run, tmp_path):
    import tomllib

    result = run("export", "--format", "toml")
    assert result.exit_code == 0
    path = tmp_path / "exported.toml"
    path.write_text(result.stdout)
    assert run("validate", "--alone", str(path)).exit_code == 0
    assert run.json("--facts", str(path), "export") == run.json("export")
    assert tomllib.loads(result.stdout)["schema_version"] == 2


def test_cite_styles(run):
    text = run("cite", "exports-fy2023").stdout
    assert text.startswith(
        "India's exports of mobile phones, FY2023: > ₹90,000 crore (exports:exports-fy2023). "
        "Source: Optiemus and Corning announce"
    )
    assert "shared/source/jv-announcement-report.txt" in text
    md = run("cite", "corning", "--style", "markdown").stdout
    assert md.startswith("**Corning International Corporation**")
    bib = run("cite", "va-china", "--style", "bibtex").stdout
    assert bib.startswith("@misc{cgcli-va-china,") and bib.rstrip().endswith("}")
    assert run("cite", "no-such-id").exit_code == 1


def test_fields_lists_every_kind(run):
    spec = run.json("fields", "--json")
    assert set(spec) == set(KINDS)
    exports = {f["name"]: f for f in spec["exports"]}
    assert exports["fy"]["required"] and exports["fy"]["type"] == "int"
    assert exports["growth_check"]["derived"]


def test_format_flags_conflict_is_usage_error(run):
    result = run("companies", "--json", "--csv")
    assert result.exit_code == 2


def test_version(run):
    from cover_glass_cli import __version__

    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.stdout


def test_help_lists_exit_codes(run):
    out = run("--help").stdout
    for code in ("0  results found", "1  nothing matched", "2  usage error", "3  the fact file"):
        assert code in out


def test_every_command_has_help_with_examples(run):
    from cover_glass_cli.cli import COMMANDS

    for name in COMMANDS:
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert "Examples:" in result.stdout, name
