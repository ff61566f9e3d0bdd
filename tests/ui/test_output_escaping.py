"""Data reaches spreadsheets, Markdown and other encodings as text, never as code or '?'."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import SOURCE, run_exe, write_facts

HOSTILE = {
    "formula": '=HYPERLINK("http://evil.example","x")',
    "plus": "+SUM(A1)",
    "at": "@cmd",
    "dash": "-2+3",
    "newline": "line one\nline two",  # only long text may hold one; CR is refused outright
    "script": "<script>alert(1)</script> <img src=x onerror=alert(2)>",
    "pipe": "a | b",
}


@pytest.fixture
def hostile(tmp_path):
    body = "".join(
        f"""
        [[companies]]
        id = "{key}"
        name = "{key}"
        business = {json.dumps(value)}
        founded = 1993
        source = "src"
        """
        for key, value in HOSTILE.items()
    )
    return write_facts(tmp_path / "f.toml", SOURCE + body)


def test_csv_is_read_back_exactly_by_pythons_csv_reader_with_the_guard_off(run, hostile):
    result = run("--facts", str(hostile), "companies", "--csv", "--no-formula-guard")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert {r["id"]: r["business"] for r in rows} == HOSTILE  # a newline does not split a row


def test_csv_guards_formulas_for_spreadsheets_but_not_numbers(run, hostile):
    result = run("--facts", str(hostile), "companies", "--csv")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(result.stdout, newline=""))}
    for key in ("formula", "plus", "at", "dash"):
        assert rows[key]["business"] == "'" + HOSTILE[key]
    assert rows["script"]["business"] == HOSTILE["script"]
    assert all(r["founded"] == "1993" for r in rows.values())  # numbers stay numbers


def test_tsv_guards_formulas_and_escapes_newlines(run, hostile):
    result = run("--facts", str(hostile), "companies", "--format", "tsv", "--fields", "id,business")
    lines = result.stdout.splitlines()
    assert len(lines) == 1 + len(HOSTILE)
    by_id = dict(line.split("\t") for line in lines[1:])
    assert by_id["formula"].startswith("'=")
    assert by_id["newline"] == "line one\\nline two"


def test_markdown_renders_data_as_text_never_html(run, hostile):
    from markdown_it import MarkdownIt

    result = run(
        "--facts", str(hostile), "companies", "--format", "markdown", "--fields", "id,business"
    )
    html = MarkdownIt("commonmark").enable("table").render(result.stdout)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<tr>") == 1 + len(HOSTILE)  # a | in a value is not a new cell


def test_machine_formats_on_an_ascii_locale_write_utf8_not_question_marks(tmp_path):
    path = write_facts(
        tmp_path / "f.toml",
        SOURCE
        + """
        [[companies]]
        id = "cafe"
        name = "Café ₹ Ltd"
        business = "glass"
        source = "src"
        """,
    )
    env = {"PYTHONIOENCODING": "ascii", "LC_ALL": "C", "CGCLI_FACTS": str(path)}
    for fmt in ("csv", "tsv", "markdown"):
        result = run_exe("companies", "--format", fmt, env=env)
        assert result.returncode == 0, result.stderr
        assert "Café ₹ Ltd" in result.stdout and "?" not in result.stdout, fmt
    data = run_exe("companies", "--json", env=env)
    assert json.loads(data.stdout)[0]["name"] == "Café ₹ Ltd"  # \u escapes, exact
