"""cgcli verify: the bundled facts verify against the report; a changed figure, a changed
word of the report, or a missing document are each reported, with exit 1 or 3."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import REPORT

from cover_glass_cli.domain.jsonschema import schema_for

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not REPORT.is_file(), reason=f"the source report is not beside the repository ({REPORT})"
)


def web_pages() -> int:
    """The bundled sources without a copy at hand whose claims carry evidence."""
    import tomllib

    data = tomllib.loads((REPO / "facts.toml").read_text(encoding="utf-8"))
    pages = {s["id"] for s in data["sources"] if "location" not in s}
    return len(
        {
            record["source"]
            for kind, records in data.items()
            if isinstance(records, list) and kind != "sources"
            for record in records
            if record.get("evidence") and record["source"] in pages
        }
    )


def claims_with_evidence(*, web: bool = False) -> int:
    """The bundled claims with evidence: of the report (a copy at hand), or with WEB of the
    web pages cgcli holds no copy of."""
    import tomllib

    data = tomllib.loads((REPO / "facts.toml").read_text(encoding="utf-8"))
    pages = {s["id"] for s in data["sources"] if "location" not in s}
    return sum(
        1
        for kind, records in data.items()
        if isinstance(records, list) and kind != "sources"
        for record in records
        if record.get("evidence") and (record["source"] in pages) == web
    )


def web_sources() -> int:
    import tomllib

    data = tomllib.loads((REPO / "facts.toml").read_text(encoding="utf-8"))
    return sum(1 for s in data["sources"] if s.get("url") and not s.get("location"))


def schema_errors(data: object) -> list[str]:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(schema_for("verify"))
    return [error.message for error in validator.iter_errors(data)]


def test_the_bundled_facts_verify_against_the_report(run):
    result = run("verify", "--require-evidence")
    assert result.exit_code == 0, result.output
    count = claims_with_evidence()
    assert count >= 25
    lines = result.stdout.splitlines()
    assert len(lines) == count and all(line.split()[1:] == ["exact"] for line in lines)
    waiting = claims_with_evidence(web=True)
    assert result.stderr.splitlines() == [
        f"cgcli: {waiting} claims of {web_pages()} web pages not checked: cgcli holds no copy of a web "
        "page; save one and give --source ID=FILE (or put the copies in --sources-dir DIR, "
        "named ID.html or ID.txt)",
        f"ok: {count} claims verified against 1 source document ({count} exact)",
    ]


def test_json_fits_its_schema_and_counts_the_claims(run):
    data = run.json("verify", "--json")
    count = claims_with_evidence()
    assert {k: data[k] for k in ("ok", "problems", "checked")} == {
        "ok": True,
        "problems": [],
        "checked": count,
    }
    assert sum(data["waiting"].values()) == claims_with_evidence(web=True)
    assert len(data["claims"]) == count
    assert {(c["rung"], c["ok"]) for c in data["claims"]} == {("exact", True)}
    fy23 = next(c for c in data["claims"] if c["id"] == "exports-fy2023")
    assert fy23["spans"] == [
        {"recorded_start": 1962, "recorded_end": 2076, "start": 1962, "end": 2076, "rung": "exact"}
    ]
    assert schema_errors(data) == []


def test_a_copy_with_90000_as_9000_fails_naming_that_claim(run, bundled_copy):
    text = bundled_copy.read_text(encoding="utf-8")
    at = text.index('id = "exports-fy2023"\n')  # the report's own FY2023 record
    value = text.index("value = 90000\n", at)
    text = text[:value] + "value = 9000\n" + text[value + len("value = 90000\n") :]
    bundled_copy.write_text(text, encoding="utf-8")
    args = ("--facts", str(bundled_copy), "verify", "--source", f"jv-report={REPORT}")
    result = run(*args)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == (
        "exports-fy2023: figure 9000 not in evidence span 1962-2076"
    )
    assert "exports-fy2023                  wrong" in result.stdout
    assert "1 problem found" in result.stderr
    data = json.loads(run(*args, "--json").stdout)
    assert data["ok"] is False
    assert data["problems"] == [
        {
            "id": "exports-fy2023",
            "kind": "exports",
            "message": "figure 9000 not in evidence span 1962-2076",
        }
    ]
    assert schema_errors(data) == []


def test_a_report_with_one_word_changed_inside_a_span_is_reported_as_changed(run, tmp_path):
    report = REPORT.read_text(encoding="utf-8")
    assert report.count("surpassed") == 1
    changed = tmp_path / "report.txt"
    changed.write_bytes(report.replace("surpassed", "surpasses").encode("utf-8"))
    result = run("verify", "--source", f"jv-report={changed}")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "cgcli: jv-report: not the copy anchored, byte for byte" in result.stderr
    for key in ("exports-fy2022", "exports-fy2023"):
        assert f"{key:<31} changed" in lines
        assert any(
            line.startswith(f"{key}: evidence span 1962-2076 changed: the passage found by the "
                            "words around it reads \"In FY23, mobile phone exports surpasses")
            for line in lines
        )  # fmt: skip
    problems = [line for line in lines if ": " in line]
    assert {line.split(":")[0] for line in problems} == {"exports-fy2022", "exports-fy2023"}


def test_a_document_that_cannot_be_read_exits_3_saying_which_and_how(run, bundled_copy, tmp_path):
    result = run("--facts", str(bundled_copy), "verify")
    assert result.exit_code == 3
    count = claims_with_evidence()
    assert result.stdout == (
        f"jv-report: document not available; {count} claims with evidence not checked\n"
    )
    assert "cgcli: cannot read the document of source jv-report: no such file" in result.stderr
    assert "--source jv-report=PATH" in result.stderr and "--sources-dir" in result.stderr
    data = json.loads(run("--facts", str(bundled_copy), "verify", "--json").stdout)
    assert data["ok"] is False and data["checked"] == 0
    assert "--source jv-report=PATH" in data["problems"][0]["message"]
    assert schema_errors(data) == []
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02\x03")
    result = run("--facts", str(bundled_copy), "verify", "--source", f"jv-report={binary}")
    assert result.exit_code == 3 and "cannot be read as text" in result.stderr


def test_a_sources_folder_by_option_or_environment(run, bundled_copy, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(REPORT, folder / REPORT.name)
    assert run("--facts", str(bundled_copy), "verify").exit_code == 3
    assert run("--facts", str(bundled_copy), "verify", "--sources-dir", str(folder)).exit_code == 0
    env = {"CGCLI_SOURCES_DIR": str(folder)}
    assert run("--facts", str(bundled_copy), "verify", env=env).exit_code == 0


def test_a_source_option_naming_no_source_is_a_usage_error(run):
    result = run("verify", "--source", f"nope={REPORT}")
    assert result.exit_code == 2
    assert "no source has id 'nope' (sources: jv-report, " in result.stderr
    assert run("verify", "--source", "jv-report").exit_code == 2


def test_problem_lines_escape_what_the_data_holds(run, tmp_path, bundled_copy):
    text = bundled_copy.read_text(encoding="utf-8")
    bundled_copy.write_text(
        text.replace('sha256 = "7342', 'sha256 = "\\u001b[31m7342', 1), encoding="utf-8"
    )
    result = run("--facts", str(bundled_copy), "verify", "--source", f"jv-report={REPORT}")
    # no fact needs an ESC: refused where it stands, and the message shows it escaped
    assert result.exit_code == 3 and result.stdout == ""
    assert "\x1b" not in result.stderr and "U+001B ESC" in result.stderr


def test_a_web_page_without_a_copy_is_not_checked_and_no_error(run, tmp_path):
    """A source that is only an address: verify says which claims it left until you save
    the page; with the page (--source), they are checked; a --source file that is
    missing is an error (3)."""
    from conftest import write_facts

    from cover_glass_cli.domain.quotes import find_quote
    from cover_glass_cli.domain.spans import Span, evidence_toml

    page = "Acme opened its plant. It will employ 840 people from next year, Acme said."
    span = evidence_toml([Span.of(page, *find_quote(page, "It will employ 840 people"))])
    path = write_facts(
        tmp_path / "f.toml",
        f"""
[[sources]]
id = "web"
title = "A page"
kind = "news report"
url = "https://example.com/acme"

[[companies]]
id = "acme"
name = "Acme"
business = "glass"
source = "web"

[[ventures]]
id = "jv"
name = "A venture"
kind = "joint venture"
partners = ["acme"]
country = "India"
source = "web"

[[venture_facts]]
id = "jobs"
venture = "jv"
measure = "jobs"
value = 840
unit = "jobs"
qualifier = "exact"
source = "web"
{span}
""",
        version=2,
    )
    result = run("--facts", str(path), "verify")
    assert result.exit_code == 0, result.output
    assert "cgcli: 1 claim of 1 web page not checked: cgcli holds no copy" in result.stderr
    saved = tmp_path / "saved.txt"
    saved.write_text(page, encoding="utf-8")
    result = run("--facts", str(path), "verify", "--source", f"web={saved}")
    assert result.exit_code == 0 and result.stdout.split() == ["jobs", "exact"]
    saved.write_text(page.replace("840", "804"), encoding="utf-8")
    result = run("--facts", str(path), "verify", "--source", f"web={saved}")
    assert result.exit_code == 1 and "jobs" in result.stdout
    missing = tmp_path / "nope.txt"
    result = run("--facts", str(path), "verify", "--source", f"web={missing}")
    assert result.exit_code == 3
