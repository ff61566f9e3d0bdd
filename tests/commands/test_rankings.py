"""cgcli rankings: India's place among exporters and producers, each rank with what it
ranks, ranks of different scopes side by side, never a contradiction."""

from __future__ import annotations

from conftest import SOURCE, write_facts


def test_the_ranks_show_their_scope_side_by_side(run):
    rows = run.json("rankings", "--json")
    scopes = {(r["ranked"], r["period"], r["position"]) for r in rows}
    assert ("exporters of smartphones", "no year given (as of 2023-09)", 2) in scopes
    assert ("exporters of smartphones", "2022 (calendar year)", 7) in scopes
    assert ("exporters of mobile phones", "2024 (calendar year)", 3) in scopes
    assert ("producers of mobile phones", "no year given (as of 2023-08)", 2) in scopes
    # second, seventh and third are different measures: none is disputed
    assert not any(r["disputed"] for r in rows)
    out = run.wide("rankings").stdout
    assert "Each row ranks its own scope" in out and "> 2.5%" in out


def test_one_origin_is_counted_once(run):
    """The CDS study's rank, printed by three outlets, is three reports of one origin."""
    rows = run.json("rankings", "--among", "exporters", "--json")
    (cds,) = [r for r in rows if r["period"] == "2024 (calendar year)"]
    assert (cds["claims"], cds["origins"]) == (3, 1)
    assert run("rankings", "--among", "producers", "--json").exit_code == 0
    smart = run.json("rankings", "--product", "SMARTPHONES", "--json")
    assert {r["product"] for r in smart} == {"smartphones"}


def test_ranks_of_one_scope_from_two_origins_that_differ_are_disputed(run, tmp_path):
    body = (
        SOURCE
        + SOURCE.replace('"src"', '"other"')
        + """
[[rankings]]
id = "a"
subject = "India"
position = 2
among = "exporters"
product = "smartphones"
year = 2023
basis = "calendar"
source = "src"

[[rankings]]
id = "b"
subject = "India"
position = 3
among = "exporters"
product = "smartphones"
year = 2023
basis = "calendar"
source = "other"
"""
    )
    path = write_facts(tmp_path / "r.toml", body, version=2)
    (row,) = run.json("--facts", str(path), "rankings", "--json")
    assert row["disputed"] and "2 (src); 3 (other)" in row["dispute"]


def test_a_rank_needs_what_it_ranks(run, tmp_path):
    body = SOURCE + '[[rankings]]\nid = "a"\nsubject = "India"\nposition = 2\nsource = "src"\n'
    result = run("validate", "--alone", str(write_facts(tmp_path / "r.toml", body, version=2)))
    assert result.exit_code == 1
    assert "among: missing required field" in result.output
    assert "product: missing required field" in result.output


def test_the_report_rank_moved_from_market_facts(run):
    assert "india-export-rank" in {r["id"] for r in run.json("rankings", "--json")}
    assert "india-export-rank" not in {r["id"] for r in run.json("market-facts", "--json")}
    assert run("cite", "india-export-rank").exit_code == 0
