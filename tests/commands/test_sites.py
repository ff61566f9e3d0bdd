"""cgcli sites: filters by status, company and country."""

from __future__ import annotations

import json


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


def test_readings_of_the_report_are_marked(run):
    """The venture as the plant's operator, and one Corning site per country, are our
    readings of the report: the table says so."""
    out = run.wide("sites").stdout
    assert "* jv-india-plant: operator inferred, not stated" in out
    assert "countries only, no plants or cities" in out
