"""cgcli verify against copies of the report as users have them: saved as a page, re-wrapped,
re-encoded, retyped. Every claim verifies in each; one figure or one name changed in each
is caught, naming the records it touches. The copies are made here from the shared report."""

from __future__ import annotations

import html
import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPORT

pytestmark = pytest.mark.skipif(
    not REPORT.is_file(), reason=f"the source report is not beside the repository ({REPORT})"
)


def as_page(text: str) -> str:
    """The report as a browser saves a news page: head, scripts, navigation, an article
    whose paragraphs hold links and entities, an aside and a footer."""
    paragraphs = "".join(
        "<p>"
        + html.escape(p, quote=False)
        .replace("India", '<a href="/topic/india">India</a>')
        .replace("\u2013", "&ndash;")
        .replace("Corning", "&#67;orning")
        .replace("\n", " ")
        + "</p>\n"
        for p in text.split("\n\n")
    )
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>Markets</title>"
        "<style>p { margin: 0 }</style><script>var story = '<p>In FY23, exports fell</p>';"
        "</script></head><body><header><nav><a href=/>Home</a> <a href=/m>Markets</a></nav>"
        "</header><main><article><h1>Cover glass &amp; exports</h1>\n"
        + paragraphs
        + "</article><aside>Most read: exports surpassed Rs 1 crore</aside></main>"
        "<footer>&copy; 2023 The Paper</footer></body></html>\n"
    )


def rewrapped(text: str) -> str:
    return "\n\n".join(textwrap.fill(p, 58) for p in text.split("\n\n"))


# name -> (what it does to the report's text, the file's name)
COPIES: dict[str, tuple[Callable[[str], str | bytes], str]] = {
    "html page": (as_page, "story.html"),
    "re-wrapped": (rewrapped, "story.txt"),
    "paragraph inserted before": (
        lambda t: "An editor's note added later: FY22 and Rs 5 crore.\n\n" + t,
        "story.txt",
    ),
    "crlf + utf-16": (lambda t: t.replace("\n", "\r\n").encode("utf-16"), "story.txt"),
    "curly quotes + no-break spaces": (
        lambda t: t.replace('"', "\u201c").replace(" per cent", "\u00a0per\u00a0cent"),
        "story.txt",
    ),
    "Rs to ₹": (lambda t: t.replace("Rs ", "\u20b9"), "story.txt"),
    "cp1252": (lambda t: t.encode("cp1252"), "story.txt"),
    "utf-8 with bom": (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "story.txt"),
    "copied and pasted": (lambda t: " ".join(t.split()), "story.txt"),
    "INR, Rs. and no digit grouping": (
        lambda t: t.replace("Rs 90,000", "INR 90000").replace("Rs 45,000", "Rs. 45000"),
        "story.txt",
    ),
}

MUTATIONS = {
    "figure": ("90,000", "80,000", {"exports-fy2022", "exports-fy2023"}),
    "name": (
        "Ashok Kumar Gupta",
        "Ashok Kumar Gupte",
        {"ashok-kumar-gupta", "goal-top-maker", "holistic-solutions"},
    ),
}


def write_copy(tmp_path: Path, name: str, text: str) -> Path:
    make, filename = COPIES[name]
    data = make(text)
    path = tmp_path / filename
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def verify(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "cover_glass_cli", "verify", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("name", COPIES)
def test_every_claim_verifies_in_a_copy(run, tmp_path: Path, name: str) -> None:
    path = write_copy(tmp_path, name, REPORT.read_text(encoding="utf-8"))
    result = run("verify", "--source", f"jv-report={path}", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] and data["problems"] == []
    assert {c["rung"] for c in data["claims"]} <= {"exact", "moved", "reformatted"}
    if name in ("html page", "paragraph inserted before", "re-wrapped"):
        assert {c["rung"] for c in data["claims"]} != {"exact"}  # it did climb the ladder


@pytest.mark.parametrize("mutation", MUTATIONS)
@pytest.mark.parametrize("name", COPIES)
def test_one_change_in_a_copy_is_caught_naming_the_records(
    run, tmp_path: Path, name: str, mutation: str
) -> None:
    old, new, touched = MUTATIONS[mutation]
    report = REPORT.read_text(encoding="utf-8")
    assert report.count(old) == 1
    path = write_copy(tmp_path, name, report.replace(old, new))
    result = run("verify", "--source", f"jv-report={path}", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    failed = {c["id"] for c in data["claims"] if not c["ok"]}
    assert failed == touched
    assert {c["rung"] for c in data["claims"] if c["id"] in touched} == {"changed"}
    assert {p["id"] for p in data["problems"]} == touched
    messages = " ".join(p["message"] for p in data["problems"])
    if mutation == "figure":
        assert "figures recorded 90000; found 80000" in messages
        assert "figure 90000 not in evidence span" in messages  # the claim's own figure
    else:
        assert 'name "Ashok Kumar Gupta" not in evidence span' in messages
        assert "Ashok Kumar Gupte" in messages  # what the copy says instead


def test_the_installed_command_reads_a_saved_page(tmp_path: Path) -> None:
    path = write_copy(tmp_path, "html page", REPORT.read_text(encoding="utf-8"))
    result = verify("--source", f"jv-report={path}")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1].startswith("ok: ")
    assert "moved" in result.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="no FIFOs")
@pytest.mark.parametrize(
    "args",
    [
        ("verify",),
        ("evidence", "exports-fy2023"),
        ("cite", "exports-fy2023"),
        ("facts", "add", "sources", "id=new", "title=T", "kind=news report"),
    ],
)
def test_a_fifo_as_the_document_is_refused_at_once(clean_env: Path, args: tuple[str, ...]) -> None:
    import os

    fifo = clean_env / "pipe.txt"
    os.mkfifo(fifo)
    option = ("--hash-from", str(fifo)) if args[0] == "facts" else ("--source", f"jv-report={fifo}")
    command = [sys.executable, "-m", "cover_glass_cli", *args, *option]
    result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    assert "is a FIFO, not a regular file" in result.stderr
    # cite still cites, without the words; the others cannot do their job
    assert result.returncode == (0 if args[0] == "cite" else 3 if args[0] != "facts" else 1)


def test_evidence_shows_the_passage_of_the_users_copy_with_its_rung_and_link(
    run, tmp_path: Path, bundled_copy: Path
) -> None:
    path = write_copy(tmp_path, "paragraph inserted before", REPORT.read_text(encoding="utf-8"))
    result = run("evidence", "exports-fy2023", "--source", f"jv-report={path}", "--context", "0")
    assert result.exit_code == 0, result.output
    shift = len("An editor's note added later: FY22 and Rs 5 crore.\n\n")
    out = " ".join(result.stdout.split())
    assert out.startswith(
        f"exports:exports-fy2023 MOVED span 1 of 1: characters {1962 + shift}-{2076 + shift} "
        "(recorded 1962-2076)"
    )
    assert "«surpassed Rs 90,000 crore»" in out
    data = run.json("evidence", "exports-fy2023", "--source", f"jv-report={path}", "--json")
    assert data["rung"] == "moved" and data["problems"] == []
    (span,) = data["spans"]
    assert (span["start"], span["recorded_start"], span["rung"]) == (1962 + shift, 1962, "moved")
    # the report's page: a link that opens it at the passage
    assert (
        span["link"].startswith("https://www.business-standard.com/")
        and "#:~:text=" in span["link"]
    )
    text = bundled_copy.read_text(encoding="utf-8")
    start = text.index('url = "https://www.business-standard.com/')
    end = text.index("\n", start)
    text = text[:start] + 'url = "https://example.com/jv"' + text[end:]
    bundled_copy.write_text(text, encoding="utf-8")
    data = run.json(
        "--facts", str(bundled_copy), "evidence", "exports-fy2023",
        "--source", f"jv-report={path}", "--json",
    )  # fmt: skip
    assert data["spans"][0]["link"].startswith("https://example.com/jv#:~:text=In%20FY23")


def test_update_writes_the_new_offsets_into_the_users_file_with_a_backup(
    run, tmp_path: Path, user_file: Path
) -> None:
    report = REPORT.read_text(encoding="utf-8")
    added = run(
        "facts", "add", "exports", "id=fy23-mine", "fy=FY23", "value=90000", "unit=crore",
        "qualifier=over", "country=India", "product=mobile phones", "source=jv-report",
        "--quote", "In FY23, mobile phone exports surpassed Rs 90,000 crore",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    before = user_file.read_text(encoding="utf-8")
    copy = write_copy(tmp_path, "paragraph inserted before", report)
    result = run("verify", "--source", f"jv-report={copy}", "--update")
    assert result.exit_code == 0, result.output
    assert "not updated: " in result.stderr and "bundled data" in result.stderr
    assert f"updated the evidence of 1 claim in {user_file}" in result.stderr
    assert (user_file.parent / "facts.toml.bak.1").read_text(encoding="utf-8") == before
    import tomllib

    (record,) = tomllib.loads(user_file.read_text(encoding="utf-8"))["exports"]
    (span,) = record["evidence"]
    shift = len("An editor's note added later: FY22 and Rs 5 crore.\n\n")
    assert (span["start"], span["end"]) == (1962 + shift, 2017 + shift)
    again = run.json("verify", "--source", f"jv-report={copy}", "--json")
    mine = next(c for c in again["claims"] if c["id"] == "fy23-mine")
    assert mine["rung"] == "exact"


def test_facts_add_refuses_a_quote_longer_than_its_document_at_once(run, user_file: Path) -> None:
    import time

    started = time.perf_counter()
    result = run(
        "facts", "add", "exports", "id=long", "fy=FY23", "value=90000", "unit=crore",
        "qualifier=over", "country=India", "product=mobile phones", "source=jv-report",
        "--quote", "word " * 20_000,
    )  # fmt: skip
    assert result.exit_code == 1
    assert "is longer than the document" in result.stderr
    assert (
        time.perf_counter() - started < 20
    )  # at once, not the minutes of a quadratic search (a loaded machine aside)
    assert not user_file.exists()
