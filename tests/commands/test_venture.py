"""cgcli venture: the joint venture, as a table and as JSON."""

from __future__ import annotations


def test_venture(run):
    result = run.wide("venture")
    for text in ("Optiemus Infracom", "Corning International Corporation", "India", "planned"):
        assert text in result.stdout
    data = run.json("venture", "--json")
    assert data[0]["partners"] == ["optiemus", "corning"]
    assert data[0]["goal_years"] == 5
    assert data[0]["country"] == "India"
    assert [s["status"] for s in data[0]["sites"]] == ["planned"]
