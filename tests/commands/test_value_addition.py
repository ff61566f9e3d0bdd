"""cgcli value-addition: values, ranges and the chart on one axis."""

from __future__ import annotations

import pytest


def test_value_addition(run):
    data = {r["id"]: r for r in run.json("value-addition", "--json")}
    india, brazil = data["va-india"], data["va-brazil"]
    assert india["value"] == 15 and india["qualifier"] == "approximate" and india["year"] == 2023
    assert (brazil["low"], brazil["high"]) == (20, 22)
    assert (data["va-vietnam"]["low"], data["va-vietnam"]["high"]) == (30, 33)
    assert (data["va-china"]["low"], data["va-china"]["high"]) == (50, 52)
    out = run.wide("value-addition").stdout
    assert "≈15%" in out and "20–22%" in out and "50–52%" in out


def test_sources_that_disagree_are_counted_by_origin(run):
    """India's local value addition in 2023: about 15% (the report), more than 15%
    (Counterpoint, printed by three outlets) and 10-15% (MeitY, by two agencies): three
    origins that disagree, each named once with its reports."""
    (india,) = [r for r in run.json("value-addition", "--json") if r["id"] == "va-india"]
    assert india["disputed"] and india["origins"] == 3 and india["claims"] == 6
    assert "3 reports, 1 origin: Counterpoint Research" in india["dispute"]
    assert "2 reports, 1 origin: MeitY" in india["dispute"]
    out = run.wide("value-addition").stdout
    assert "≈15% ≠" in out


def test_another_measure_is_another_subject(run):
    """The CDS study's 23% (domestic value added, direct and indirect) is its own row,
    never compared with the shares of local value addition."""
    rows = run.json("value-addition", "--json")
    cds = [r for r in rows if r["value"] == 23]
    assert len(cds) == 1 and not cds[0]["disputed"] and cds[0]["origins"] == 1
    assert "Each scope is its own measure" in run.wide("value-addition").stdout


def test_the_titles_do_not_frame_the_measure(run):
    """'share of the phone's value' and 'in phone manufacturing' were our framing of the
    report's 'overall local value addition'."""
    for args in (("value-addition",), ("value-addition", "--chart"), ("value-addition", "-h")):
        out = run.wide(*args).stdout
        assert "phone's value" not in out and "in phone manufacturing" not in out


@pytest.mark.parametrize("width", [60, 120])
def test_value_addition_chart_ranges_on_one_axis(run, width):
    out = run("value-addition", "--chart", env={"COLUMNS": str(width)}).stdout
    rows: dict[str, str] = {}
    for line in out.splitlines():
        if " 2023 " in line and "│" in line:
            rows.setdefault(line.split()[0], line)  # the first: the report's local shares
    assert set(rows) == {"India", "Brazil", "Vietnam", "China"}
    start = {c: line.index("│") for c, line in rows.items()}
    assert len(set(start.values())) == 1  # one shared axis
    first = {c: line.index("━") if "━" in line else line.index("●") for c, line in rows.items()}
    assert first["India"] < first["Brazil"] < first["Vietnam"] < first["China"]
    assert rows["China"].count("━") >= 1 and "●" in rows["India"]
    assert "0%" in out and "100%" in out
