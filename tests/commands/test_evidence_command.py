"""cgcli evidence, cite's supporting words, and facts add --quote: the source's own
words shown (escaped, figures marked) and a claim refused when its quote lacks a figure."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import EXPORT, REPORT, SOURCE, write_facts

pytestmark = pytest.mark.skipif(
    not REPORT.is_file(), reason=f"the source report is not beside the repository ({REPORT})"
)

SENTENCE = (
    "In FY23, mobile phone exports surpassed Rs 90,000 crore, an increase of 100 per cent "
    "from Rs 45,000 crore in FY22."
)


def report() -> str:
    return REPORT.read_bytes().decode("utf-8")


def test_evidence_shows_the_sentence_with_its_figures_marked(run):
    assert SENTENCE in report()
    result = run("evidence", "exports-fy2023", env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    head, body, link = result.stdout.splitlines()
    assert link.startswith("Link: https://www.business-standard.com/")  # the report's page
    assert head.startswith(
        "exports:exports-fy2023  EXACT  span 1 of 1: characters 1962-2076 of jv-report"
    )
    marked = re.search(r"⟦(.*)⟧", body)
    assert marked is not None
    assert marked.group(1) == (
        "In «FY23», mobile phone exports «surpassed Rs 90,000 crore», an increase of "
        "«100 per cent» from Rs 45,000 crore in FY22."
    )
    assert re.sub("[«»]", "", marked.group(1)) == SENTENCE
    assert body.startswith("…") and "year-ago period." in body  # the context before


def test_with_colour_the_figures_are_styled_not_bracketed(run):
    env = {"NO_COLOR": None, "FORCE_COLOR": "1", "COLUMNS": "300"}
    out = run("evidence", "exports-fy2023", env=env).stdout
    assert "«" not in out and "⟦" not in out
    assert re.search(r"\x1b\[[0-9;]*m(?:\x1b\[[0-9;]*m)*FY23\x1b\[0m", out), out


def test_json_gives_spans_with_their_text_context_and_marks(run):
    data = run.json("evidence", "va-china", "--context", "10", "--json")
    text = report()
    assert data["id"] == "va-china" and data["kind"] == "value_addition"
    assert data["source"] == "jv-report" and data["problems"] == []
    (span,) = data["spans"]
    assert span["text"] == text[span["start"] : span["end"]] == "China (50–52 per cent)"
    assert span["unchanged"] is True
    assert text[: span["start"]].endswith(span["before"]) and len(span["before"]) >= 10
    assert text[span["end"] :].startswith(span["after"])
    assert [m["text"] for m in span["marks"]] == ["China", "50–52 per cent"]
    assert all(text[m["start"] : m["end"]] == m["text"] for m in span["marks"])


def test_without_the_document_it_says_how_to_point_at_it(run, bundled_copy):
    result = run("--facts", str(bundled_copy), "evidence", "va-china")
    assert result.exit_code == 3 and result.stdout == ""
    assert "cannot read the document of source jv-report" in result.stderr
    assert "--source jv-report=PATH" in result.stderr
    ok = run(
        "--facts", str(bundled_copy), "evidence", "va-china", "--source", f"jv-report={REPORT}"
    )
    assert ok.exit_code == 0 and "China" in ok.stdout


def test_a_changed_figure_is_shown_unmarked_and_reported(run, bundled_copy):
    text = bundled_copy.read_text(encoding="utf-8")
    bundled_copy.write_text(text.replace("value = 90000\n", "value = 9000\n"), encoding="utf-8")
    args = ("--facts", str(bundled_copy), "evidence", "exports-fy2023", "--source")
    result = run(*args, f"jv-report={REPORT}", env={"COLUMNS": "300"})
    assert result.exit_code == 1
    assert "surpassed Rs 90,000 crore," in result.stdout  # no longer marked
    assert result.stderr == "exports-fy2023: figure 9000 not in evidence span 1962-2076\n"


def test_a_claim_without_evidence_or_an_unknown_id_exits_1(run, tmp_path):
    facts = write_facts(tmp_path / "f.toml", SOURCE + EXPORT)
    result = run("--facts", str(facts), "evidence", "e1")
    assert result.exit_code == 1 and "has no evidence" in result.stderr
    assert run("evidence", "no-such-claim").exit_code == 1


def test_hostile_document_text_is_escaped(run, tmp_path):
    document = "Sales were \x1b]0;pwned\x07 Rs 10 crore\u202e in FY23."
    (tmp_path / "doc.txt").write_text(document, encoding="utf-8")
    end = len(document)
    import hashlib

    digest = hashlib.sha256(document.encode()).hexdigest()
    body = (
        SOURCE.replace('kind = "test"', 'kind = "test"\nlocation = "doc.txt"')
        + EXPORT
        + f'evidence = [{{ start = 0, end = {end}, sha256 = "{digest}" }}]\n'
    )
    facts = write_facts(tmp_path / "f.toml", body)
    for args in (("evidence", "e1"), ("cite", "e1"), ("verify",)):
        result = run("--facts", str(facts), *args)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output and "\x07" not in result.output
        assert "\u202e" not in result.output
    out = run("--facts", str(facts), "evidence", "e1", env={"COLUMNS": "300"}).stdout
    assert "\\x1b]0;pwned\\x07" in out and "«Rs 10 crore»" in out


# --- cite ---------------------------------------------------------------------------------


def test_cite_gives_the_supporting_words(run):
    out = run("cite", "exports-fy2023").stdout.splitlines()
    assert out[1] == f"Words of the source: “{SENTENCE}”"
    markdown = run("cite", "va-china", "--style", "markdown").stdout.splitlines()
    assert markdown[1] == "> China \\(50–52 per cent\\)"
    assert run("cite", "va-china", "--style", "bibtex").stdout.count("\n") == 8  # entry only


def test_cite_links_a_source_url_to_the_words(run, bundled_copy):
    text = bundled_copy.read_text(encoding="utf-8")
    start = text.index('url = "https://www.business-standard.com/')
    end = text.index("\n", start)
    text = text[:start] + 'url = "https://example.com/news/jv#top"' + text[end:]
    bundled_copy.write_text(text, encoding="utf-8")
    args = ("--facts", str(bundled_copy), "cite", "va-china", "--source", f"jv-report={REPORT}")
    lines = run(*args).stdout.splitlines()
    assert (
        lines[-1]
        == "Link: https://example.com/news/jv#top:~:text=China%20%2850%E2%80%9352%20per%20cent%29"
    )
    # without the document: the citation alone, and a note saying why
    result = run("--facts", str(bundled_copy), "cite", "va-china")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1
    assert "are not shown: no such file" in result.stderr


# --- facts add --quote ----------------------------------------------------------------------

ADD = [
    "facts",
    "add",
    "exports",
    "id=fy23-copy",
    "fy=FY23",
    "unit=crore",
    "qualifier=over",
    "source=jv-report",
]


def test_facts_add_refuses_a_figure_its_quote_does_not_contain(run, user_file):
    result = run(*ADD, "value=9000", "--quote", "mobile phone exports surpassed Rs 90,000 crore")
    assert result.exit_code == 1
    assert "fy23-copy: figure 9000 not in evidence span" in result.stderr
    assert "fy23-copy: figure FY2023 not in evidence span" in result.stderr
    assert not user_file.exists() or "fy23-copy" not in user_file.read_text(encoding="utf-8")


def test_facts_add_stores_the_span_of_a_quote_that_states_the_claim(run, user_file):
    quote = "In FY23, mobile phone exports surpassed Rs 90,000 crore"
    result = run(*ADD, "value=90000", "--quote", quote)
    assert result.exit_code == 0, result.output
    import tomllib

    (record,) = [
        r
        for r in tomllib.loads(user_file.read_text(encoding="utf-8"))["exports"]
        if r["id"] == "fy23-copy"
    ]
    (span,) = record["evidence"]
    assert report()[span["start"] : span["end"]] == quote
    assert run("verify").exit_code == 0
    shown = run("evidence", "fy23-copy", "--json")
    assert json.loads(shown.stdout)["spans"][0]["text"] == quote


def test_facts_add_fills_a_new_sources_sha256(run, user_file, tmp_path):
    import hashlib

    copy = tmp_path / "copy.txt"
    copy.write_bytes(REPORT.read_bytes())
    add = ["facts", "add", "sources", "title=Copy", "kind=news report"]
    assert run(*add, "id=a", f"location={copy}").exit_code == 0
    assert run(*add, "id=b", "url=https://example.com/", "--hash-from", str(copy)).exit_code == 0
    text = user_file.read_text(encoding="utf-8")
    digest = hashlib.sha256(REPORT.read_bytes()).hexdigest()
    assert text.count(f'sha256 = "{digest}"') == 2
    missing = run(*add, "id=c", "--hash-from", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 1 and "nope.txt" in missing.stderr


def test_document_paths_in_sources_resolve_beside_their_fact_file(tmp_path: Path, run):
    """A user's file with location = "doc.txt" finds doc.txt beside it (see store/documents)."""
    (tmp_path / "doc.txt").write_text("India exported Rs 10 crore in FY23.", encoding="utf-8")
    facts = write_facts(
        tmp_path / "f.toml", SOURCE.replace('kind = "test"', 'kind = "test"\nlocation = "doc.txt"')
    )
    assert run("--facts", str(facts), "verify").exit_code == 0
