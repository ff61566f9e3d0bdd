"""cgcli company: one company in full, found by id, prefix or alias."""

from __future__ import annotations


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


def test_company_detail_json_holds_related_records(run):
    data = run.json("company", "optiemus", "--json")
    assert data["id"] == "optiemus"
    assert {c["name"] for c in data["customers"]} == {"Oppo", "OnePlus", "LG", "HTC", "Jio"}
    assert [p["name"] for p in data["people"]] == ["Ashok Kumar Gupta"]
    assert data["sources"][0]["id"] == "jv-report"
    assert data["ventures"][0]["partners"] == ["optiemus", "corning"]
    # the events of its venture, and the sources they cite
    assert "inaugurated" in {e["event"] for e in data["events"]}
    assert "wion-2025-12-05" in {s["id"] for s in data["sources"]}


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
