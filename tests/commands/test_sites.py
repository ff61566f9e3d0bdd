"""cgcli sites: filters by status, company and country."""

from __future__ import annotations

import json


def test_sites_filters(run):
    operating = run.json("sites", "--status", "operating", "--json")
    # Corning's plants, and the venture's plant since its inauguration (its best claim)
    assert sorted(s["country"] for s in operating) == ["India", "Japan", "Taiwan", "United States"]
    corning = run.json("sites", "--company", "corning", "--json")
    # Corning's own plants and the plant of its joint venture
    assert sorted(s["country"] for s in corning) == ["India", "Japan", "Taiwan", "United States"]
    (india,) = run.json("sites", "--country", "INDIA", "--json")
    assert (india["status"], india["city"], india["region"]) == (
        "operating",
        "SIPCOT Pillaipakkam",
        "Tamil Nadu",
    )
    # a plant is planned no more once its best claim says it operates; --all-claims
    # lists the claims that said planned
    assert run("sites", "--status", "planned", "--json").exit_code == 1
    planned = run.json("sites", "--status", "planned", "--all-claims", "--json")
    assert [s["id"] for s in planned] == [
        "jv-india-plant",
        "jv-india-plant-hindu-2023-09-01",
        "jv-india-plant-hindu-2023-10-26",
        "jv-india-plant-bs-2024-01-23",
    ]


def test_the_plant_claims_side_by_side_the_latest_preferred(run):
    rows = run.json("sites", "--country", "india", "--all-claims", "--json")
    assert [(r["city"], r["region"], r["rank"] or "normal", r["best"]) for r in rows] == [
        (None, None, "normal", False),
        ("Noida", None, "deprecated", False),
        (None, "Tamil Nadu or Telangana", "deprecated", False),
        ("SIPCOT Pillaipakkam", "Tamil Nadu", "normal", False),
        ("SIPCOT Pillaipakkam", "Tamil Nadu", "preferred", True),
    ]
    assert rows[-1]["district"] == "Kanchipuram" and "status" in rows[-1]["inferred"]


def test_sites_filter_matching_nothing_exits_1_with_empty_json(run):
    result = run("sites", "--country", "Atlantis", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == []
    assert "no sites match" in result.stderr


def test_readings_of_the_report_are_marked(run):
    """The venture as the plant's operator, and one Corning site per country, are our
    readings of the report: the table says so."""
    out = run.wide("sites", "--all-claims").stdout  # the report's claim, beside later ones
    assert "* jv-india-plant: operator inferred, not stated" in out
    assert "countries only, no plants or cities" in out
