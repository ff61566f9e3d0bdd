"""Every output format, parsed back; --fields in every format; options common to every listing."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest

from cover_glass_cli.domain.query import fields_of


def test_csv_parses_back(run):
    result = run("exports", "--csv", "--fy", "2022..2024")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    rows = [r for r in rows if r["source"] == "jv-report"]
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
    assert next(json.loads(line)["id"] for line in lines) == "jv-india-plant-bs-2025-12-05"


def test_markdown_is_a_pipe_table(run):
    out = run("value-addition", "--format", "markdown", "--fields", "country,low,high,value").stdout
    lines = out.splitlines()
    assert lines[0] == "| country | low | high | value |"
    assert lines[1] == "|---|---|---|---|"
    # Markdown is pasted for people: a figure keeps its unit and qualifier ("≈", a range)
    assert "| Brazil | 20% | 22% | 20–22% |" in lines
    assert "| India |  |  | ≈15% ≠ |" in lines  # the sources disagree
    exports = run("exports", "--fy", "2023", "--format", "markdown", "--fields", "period,value")
    assert "| FY2023 | \\> ₹90,000 crore |" in exports.stdout.splitlines()  # '>' escaped
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(exports.stdout)
    assert "<td>&gt; ₹90,000 crore</td>" in html


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


def test_unknown_field_is_usage_error_listing_valid(run):
    result = run("exports", "--fields", "id,valeu", "--json")
    assert result.exit_code == 2
    assert "valeu" in result.stderr and "growth_pct" in result.stderr
    assert result.stdout == ""


def test_format_flags_conflict_is_usage_error(run):
    result = run("companies", "--json", "--csv")
    assert result.exit_code == 2


def test_json_is_not_touched_by_force_color_or_width(run):
    plain = run("companies", "--json").stdout
    forced = run("companies", "--json", env={"FORCE_COLOR": "1", "COLUMNS": "20"}).stdout
    assert forced == plain and "\x1b" not in forced


def test_years_are_not_grouped_like_figures(run):
    detail = run.wide("company", "optiemus").stdout
    assert "1993" in detail and "1,993" not in detail
    table = run.wide("exports", "--fields", "fy,value").stdout
    assert "2023" in table and "2,023" not in table and "90,000" in table


def test_sources_option_adds_markers_and_footnotes(run):
    out = run.wide("value-addition", "--sources").stdout
    assert out.count("[1]") == 5  # four rows and the footnote
    assert "[1] [Optiemus partners with Corning International to produce smartphone glass] " in out
    assert "(Business Standard, 2023-09-01)" in out and "https://www.business-standard.com/" in out


def test_save_svg_draws_a_chart_fit_to_print(run, tmp_path):
    import xml.etree.ElementTree as ET

    target = tmp_path / "chart.svg"
    result = run("value-addition", "--chart", "--save-svg", str(target))
    assert result.exit_code == 0, result.output
    text = " ".join(ET.parse(target).getroot().itertext())  # well-formed XML
    assert "Brazil" in text and "Sources:" in text
    assert "[Optiemus partners with Corning International" in text  # a title of ours
    assert "saved" in result.stderr


@pytest.mark.parametrize("option", ["--save-svg", "--save-png"])
def test_svg_to_an_unwritable_place_is_a_clear_error(run, tmp_path, option):
    """A folder that does not exist: said before anything is drawn, and not made."""
    target = tmp_path / "no-such-folder" / "x.svg"
    result = run("value-addition", option, str(target))
    assert result.exit_code == 1 and result.stdout == ""
    assert f"cannot write {target}: No such file or directory" in result.stderr
    assert not target.parent.exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("option", ["--save-svg", "--save-png"])
def test_a_chart_refused_at_its_path_is_refused_before_drawing(run, tmp_path, option):
    """A FIFO (or a device, a link) where the image would go: exit 1 with the reason, and
    no terminal chart drawn first. The FIFO lives in tmp_path, never a real device."""
    fifo = tmp_path / "chart.svg"
    os.mkfifo(fifo)
    result = run("exports", "--chart", option, str(fifo))
    assert result.exit_code == 1
    assert result.stdout == ""  # nothing drawn
    assert f"cannot write {fifo}" in result.stderr and "not a regular file" in result.stderr


def test_svg_with_json_is_a_usage_error(run, tmp_path):
    assert run("value-addition", "--json", "--save-svg", str(tmp_path / "x.svg")).exit_code == 2


def test_only_charts_are_saved_as_images(run, tmp_path):
    result = run("companies", "--save-svg", str(tmp_path / "x.svg"))
    assert result.exit_code == 2 and "No such option" in result.stderr


def test_svg_into_a_folder_is_a_usage_error_before_drawing(run, tmp_path):
    result = run("value-addition", "--save-svg", str(tmp_path))
    assert result.exit_code == 2 and result.stdout == ""
    assert "--save-svg" in result.stderr and "is a folder" in result.stderr


def test_saving_a_chart_without_matplotlib_says_how_before_drawing(run, tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "matplotlib" else real(name, *a),
    )
    result = run("value-addition", "--save-svg", str(tmp_path / "x.svg"))
    assert result.exit_code == 2 and result.stdout == ""  # no terminal chart first
    assert "pip install matplotlib" in result.stderr
    assert "cover-glass-cli[" not in result.stderr  # a name no registry holds


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        (("search", "Q1 FY24"), ["kind", "id"]),
        (("company", "corning"), ["id", "name"]),
        (("venture",), ["id", "name"]),
        (("fields", "exports"), ["name", "type"]),
        (("exports", "--fy", "2023"), ["id", "value"]),
    ],
)
def test_fields_hold_in_every_format_of_every_command(run, line, fields):
    """--fields keeps only those fields in tables and plain text too, not only in JSON
    and CSV; a command's JSON keeps its shape (a company is still an object)."""
    table = run(*line, "--fields", ",".join(fields), env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    header = next(line for line in table.stdout.splitlines() if "┃" in line)
    assert [h.strip() for h in header.strip("┃ ").split("┃")] == fields
    plain = run(*line, "--fields", ",".join(fields), "--format", "plain").stdout.splitlines()
    assert plain[0].split() == fields
    whole = json.loads(run(*line, "--json").stdout)
    narrowed = json.loads(run(*line, "--json", "--fields", ",".join(fields)).stdout)
    if line[0] != "fields":  # its document is by kind, not records: the rows stand in
        assert type(narrowed) is type(whole)
    for record in narrowed if isinstance(narrowed, list) else [narrowed]:
        assert list(record) == fields


@pytest.mark.parametrize("fmt", [("--json",), ("--csv",), ("--format", "markdown")])
def test_sources_is_for_tables_and_plain_text_only(run, fmt):
    """--sources numbers a table's sources; a machine format is refused it, as --chart is,
    rather than silently ignoring it."""
    result = run("exports", *fmt, "--sources")
    assert result.exit_code == 2 and "--sources lists the sources under a table" in result.stderr
    assert run("exports", "--format", "plain", "--sources").exit_code == 0


def test_a_whole_record_in_a_table_cell_is_named_by_its_id(run):
    out = run("search", "gorilla", "--fields", "kind,record", "--format", "plain").stdout
    assert "{" not in out and "'id'" not in out
    assert "corning" in out
