"""cgcli value-addition: values, ranges and the chart on one axis."""

from __future__ import annotations

import pytest


def test_value_addition(run):
    data = {r["country"]: r for r in run.json("value-addition", "--json")}
    assert data["India"]["value"] == 15 and data["India"]["qualifier"] == "approximate"
    assert (data["Brazil"]["low"], data["Brazil"]["high"]) == (20, 22)
    assert (data["Vietnam"]["low"], data["Vietnam"]["high"]) == (30, 33)
    assert (data["China"]["low"], data["China"]["high"]) == (50, 52)
    out = run("value-addition").stdout
    assert "≈15%" in out and "20–22%" in out and "50–52%" in out


@pytest.mark.parametrize("width", [60, 120])
def test_value_addition_chart_ranges_on_one_axis(run, width):
    out = run("value-addition", "--chart", env={"COLUMNS": str(width)}).stdout
    rows = {line.split()[0]: line for line in out.splitlines() if "│" in line}
    assert set(rows) == {"India", "Brazil", "Vietnam", "China"}
    start = {c: line.index("│") for c, line in rows.items()}
    assert len(set(start.values())) == 1  # one shared axis
    first = {c: line.index("━") if "━" in line else line.index("●") for c, line in rows.items()}
    assert first["India"] < first["Brazil"] < first["Vietnam"] < first["China"]
    assert rows["China"].count("━") >= 1 and "●" in rows["India"]
    assert "0%" in out and "100%" in out
