"""cgcli venture: the joint venture, as a table and as JSON."""

from __future__ import annotations


def test_venture(run):
    result = run.wide("venture")
    for text in ("Optiemus Infracom", "Corning International Corporation", "India", "operating"):
        assert text in result.stdout
    data = run.json("venture", "--json")
    assert data[0]["partners"] == ["optiemus", "corning"]
    assert data[0]["goal_years"] == 5
    assert data[0]["country"] == "India"
    # the plant's claims, from the report's "planned" to "operating" since its inauguration
    assert [s["status"] for s in data[0]["sites"] if s["best"]] == ["operating"]
    assert data[0]["sites"][0]["status"] == "planned"
