"""Every output format, parsed back; --fields in every format."""

from __future__ import annotations

import csv
import io
import json

import pytest


def test_csv_parses_back(run):
    result = run("exports", "--csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == ["exports-fy2022", "exports-fy2023", "exports-fy2024-q1"]
    assert rows[1]["value"] == "90000" and rows[1]["qualifier"] == "over"
    assert rows[0]["quarter"] == ""  # null is an empty cell
    assert json.loads(rows[2]["inferred"]) == ["fy"]  # lists are JSON in a cell


def test_tsv_parses_back(run):
    out = run("companies", "--format", "tsv").stdout
    header, *lines = out.rstrip("\n").split("\n")
    assert header.split("\t")[:3] == ["id", "name", "aliases"]
    assert [line.split("\t")[0] for line in lines] == ["optiemus", "corning"]


def test_ndjson_one_object_per_line(run):
    lines = run("sites", "--format", "ndjson").stdout.splitlines()
    assert len(lines) == 4
    assert next(json.loads(line)["id"] for line in lines) == "jv-india-plant"


def test_markdown_is_a_pipe_table(run):
    out = run("value-addition", "--format", "markdown", "--fields", "country,low,high,value").stdout
    lines = out.splitlines()
    assert lines[0] == "| country | low | high | value |"
    assert lines[1] == "|---|---|---|---|"
    assert "| Brazil | 20 | 22 |  |" in lines


@pytest.mark.parametrize("fmt", ["json", "ndjson", "csv", "tsv", "markdown", "table"])
def test_fields_select_and_order_in_every_format(run, fmt):
    result = run("companies", "--format", fmt, "--fields", "founded,id", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    if fmt == "json":
        assert json.loads(out) == [
            {"founded": 1993, "id": "optiemus"},
            {"founded": None, "id": "corning"},
        ]
    elif fmt == "ndjson":
        assert next(json.loads(x) for x in out.splitlines()) == {"founded": 1993, "id": "optiemus"}
    elif fmt == "csv":
        assert out.splitlines() == ["founded,id", "1993,optiemus", ",corning"]
    elif fmt == "tsv":
        assert out.splitlines() == ["founded\tid", "1993\toptiemus", "\tcorning"]
    elif fmt == "markdown":
        assert out.splitlines()[0] == "| founded | id |"
    else:
        assert out.index("founded") < out.index(" id ") and "business" not in out


def test_unknown_field_is_usage_error_listing_valid(run):
    result = run("exports", "--fields", "id,valeu", "--json")
    assert result.exit_code == 2
    assert "valeu" in result.stderr and "growth_pct" in result.stderr
    assert result.stdout == ""


def test_json_is_not_touched_by_force_color_or_width(run):
    plain = run("companies", "--json").stdout
    forced = run("companies", "--json", env={"FORCE_COLOR": "1", "COLUMNS": "20"}).stdout
    assert forced == plain and "\x1b" not in forced


def test_sources_option_adds_markers_and_footnotes(run):
    out = run.wide("value-addition", "--sources").stdout
    assert out.count("[1]") == 5  # four rows and the footnote
    assert "jv-announcement-report.txt" in out


def test_save_svg(run, tmp_path):
    target = tmp_path / "chart.svg"
    result = run("value-addition", "--chart", "--save-svg", str(target))
    assert result.exit_code == 0, result.output
    svg = target.read_text()
    assert svg.startswith("<svg") and "Brazil" in svg and "20–22%" in svg


def test_svg_to_an_unwritable_place_is_a_clear_error(run, tmp_path):
    result = run("companies", "--save-svg", str(tmp_path / "no-such-folder" / "x.svg"))
    assert result.exit_code == 1
    assert "cannot write" in result.stderr and "No such file or directory" in result.stderr


def test_svg_with_json_is_a_usage_error(run, tmp_path):
    assert run("companies", "--json", "--save-svg", str(tmp_path / "x.svg")).exit_code == 2


def test_svg_into_a_folder_is_a_usage_error_before_drawing(run, tmp_path):
    result = run("companies", "--save-svg", str(tmp_path))
    assert result.exit_code == 2 and result.stdout == ""
    assert "--save-svg" in result.stderr and "is a folder" in result.stderr


@pytest.mark.parametrize("width", [50, 120])
def test_export_chart_bars_and_labels(run, width):
    out = run("exports", "--chart", env={"COLUMNS": str(width)}).stdout
    bars = {
        line.split()[0] + (" " + line.split()[1] if line.startswith("Q") else ""): line.count("█")
        for line in out.splitlines()
        if "█" in line
    }
    assert set(bars) == {"FY2022", "FY2023", "Q1 FY2024"}
    assert abs(bars["FY2023"] / bars["FY2022"] - 2) < 0.15  # 90,000 is twice 45,000
    assert abs(bars["FY2023"] / bars["Q1 FY2024"] - 3) < 0.3
    assert "> ₹90,000 crore" in out and "₹45,000 crore" in out
    assert all(len(line) <= width for line in out.splitlines() if "█" in line)


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
