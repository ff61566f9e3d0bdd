"""Finding and reading source documents: the order of the ways to name one, strict UTF-8,
clear errors; completing a record for `facts add` (evidence, a source's sha256)."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cover_glass_cli.store.documents import (
    ENV,
    MAX_DOCUMENT_BYTES,
    DocumentError,
    Documents,
    candidates,
    curate,
    file_sha256,
    is_url,
    parse_source_options,
    read_document,
    sources_dir_from,
)

SOURCE = {"id": "rep", "title": "t", "kind": "k", "location": "docs/rep.txt"}


def test_the_explicit_file_wins_and_nothing_else_is_tried(tmp_path: Path) -> None:
    given_path = tmp_path / "elsewhere.txt"
    found = candidates(
        SOURCE, tmp_path / "facts.toml", sources_dir=tmp_path, given={"rep": given_path}
    )
    assert found == [given_path]


def test_a_sources_dir_comes_before_the_location_then_the_folders_upwards(tmp_path: Path) -> None:
    fact_file = tmp_path / "a" / "b" / "facts.toml"
    source = {**SOURCE, "location": "docs/report.txt"}
    found = candidates(source, fact_file, sources_dir=tmp_path / "dir")
    folder = fact_file.resolve().parent
    assert found[:6] == [
        tmp_path / "dir" / "report.txt",  # the location's file name, in DIR
        tmp_path / "dir" / "rep.txt",  # then ID.txt and ID
        tmp_path / "dir" / "rep",
        folder / "docs" / "report.txt",  # then the location beside the fact file, and up
        folder.parent / "docs" / "report.txt",
        folder.parent.parent / "docs" / "report.txt",
    ]
    assert found[-1] == Path(folder.anchor) / "docs" / "report.txt"
    assert len(found) == len(set(found))


def test_the_bundled_report_is_found_beside_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "clone"
    (repo).mkdir()
    report = tmp_path / "shared" / "source" / "r.txt"
    report.parent.mkdir(parents=True)
    report.write_text("words", encoding="utf-8")
    source = {"id": "s", "location": "shared/source/r.txt"}
    docs = Documents([source], [repo / "facts.toml"])
    assert docs.path("s") == report.resolve()
    assert docs.text("s") == "words"


def test_a_url_location_is_never_a_path(tmp_path: Path) -> None:
    source = {"id": "s", "location": "https://example.com/r.txt"}
    assert is_url(source["location"]) and not is_url("shared/r.txt") and not is_url("C:/r.txt")
    assert candidates(source, tmp_path / "f.toml") == []
    with pytest.raises(DocumentError, match="location is a URL"):
        Documents([source], [tmp_path / "f.toml"]).path("s")
    (tmp_path / "s.txt").write_text("x", encoding="utf-8")
    assert Documents([source], [None], sources_dir=tmp_path).text("s") == "x"


def test_a_missing_document_says_what_was_tried_and_how_to_point_at_it(tmp_path: Path) -> None:
    docs = Documents([SOURCE], [tmp_path / "facts.toml"], sources_dir=tmp_path / "d")
    with pytest.raises(DocumentError) as caught:
        docs.text("rep")
    lines = caught.value.lines()
    assert lines[0] == "cgcli: cannot read the document of source rep: no such file"
    assert f"  tried {tmp_path / 'd' / 'rep.txt'}" in lines
    assert "--source rep=PATH" in lines[-1] and ENV in lines[-1]
    assert docs.get("rep") is None


def test_documents_keep_their_newlines_in_any_of_the_usual_encodings(tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    path.write_bytes("a\r\nb ₹".encode())
    assert read_document(path) == "a\r\nb ₹"
    assert file_sha256(path) == hashlib.sha256(path.read_bytes()).hexdigest()
    for data in (
        b"\xef\xbb\xbfa\r\nb \xe2\x82\xb9",  # UTF-8 with a BOM
        "a\r\nb ₹".encode("utf-16"),  # with its BOM
        "a\r\nb ₹".encode("utf-16-be").join([b"\xfe\xff", b""]),
    ):
        path.write_bytes(data)
        assert read_document(path) == "a\r\nb ₹"
    path.write_bytes(b"caf\xe9 \x93quoted\x94")  # what Windows saves as "ANSI"
    assert read_document(path, "s") == "café \u201cquoted\u201d"
    path.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(DocumentError, match="NUL characters, so it is not text"):
        read_document(path, "s")
    path.write_bytes(b" \n\t")
    with pytest.raises(DocumentError, match="has no text"):
        read_document(path, "s")
    with pytest.raises(DocumentError, match="is a folder"):
        read_document(tmp_path, "s")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_at_once_never_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # no writer ever opens it: a blocking read would wait for ever
    started = time.monotonic()
    with pytest.raises(DocumentError, match="is a FIFO, not a regular file"):
        read_document(fifo, "s")
    with pytest.raises(DocumentError, match="is a FIFO"):
        file_sha256(fifo, "s")
    assert time.monotonic() - started < 5


def test_a_device_is_refused(tmp_path: Path) -> None:
    null = Path(os.devnull)
    if not null.exists():
        pytest.skip("no null device")
    with pytest.raises(DocumentError, match="is a device or socket"):
        read_document(null, "s")


def test_a_page_gives_its_articles_text_without_scripts_navigation_or_entities() -> None:
    from cover_glass_cli.store.pages import html_text, page_text

    page = (
        "<!DOCTYPE html><html><head><title>T</title><script>var x = 'In FY23';</script>"
        "<style>p { color: red }</style></head><body><nav><a href=/>Home</a></nav>"
        "<header>Site</header><div role=navigation>Menu</div>"
        "<article><h1>Head &amp; line</h1><p>Exports  crossed\n<b>Rs&nbsp;30,000</b>"
        " crore &ndash; a &#8220;record&#8221;.</p><p hidden>secret</p><p>Second.</p></article>"
        "<aside>Related</aside><footer>(c)</footer></body></html>"
    )
    assert html_text(page) == (
        "Head & line\n\nExports crossed Rs 30,000 crore \u2013 a \u201crecord\u201d.\n\nSecond.\n"
    )
    assert page_text(page.encode("utf-8"), "saved.txt").startswith("Head & line")  # sniffed
    assert page_text(b"<p>x</p>", "page.htm") == "x\n"  # by its name
    assert page_text(b"a <b> c", "notes.txt") == "a <b> c"  # text stays text
    two = "<html><article><p>short</p></article><article><p>the longer one</p></article></html>"
    assert html_text(two) == "the longer one\n"
    assert html_text("<html><body><main><p>m</p></main><p>out</p></body></html>") == "m\n"
    kept = "<html><header>Site</header><article><header><h1>Headline</h1></header><p>Body</p>"
    assert html_text(kept + "</article></html>") == "Headline\n\nBody\n"


def test_a_huge_document_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as f:
        f.truncate(MAX_DOCUMENT_BYTES + 10)
    with pytest.raises(DocumentError, match="larger than"):
        read_document(path, "s")


def test_source_options_parse_and_refuse_what_is_not_id_path() -> None:
    assert parse_source_options(["a=x.txt", " b = /y "]) == {"a": Path("x.txt"), "b": Path("/y")}
    assert parse_source_options(["a=p=q"]) == {"a": Path("p=q")}
    for bad in ("a", "=x", "a=", " =x"):
        with pytest.raises(ValueError, match="not ID=PATH"):
            parse_source_options([bad])


def test_the_option_beats_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert sources_dir_from(None) is None
    monkeypatch.setenv(ENV, "/env/dir")
    assert sources_dir_from(None) == Path("/env/dir")
    assert sources_dir_from("/opt") == Path("/opt")


@given(st.text(min_size=1, max_size=20))
def test_any_location_gives_paths_or_nothing_never_an_error(location: str) -> None:
    source: dict[str, Any] = {"id": "s", "location": location}
    for path in candidates(source, Path("/nowhere/facts.toml"), sources_dir=Path("/d")):
        assert isinstance(path, Path)


# --- curate: what `facts add` completes ---------------------------------------------------

TEXT = "Exports crossed Rs 500 crore in FY23. Exports were Rs 20 crore in FY22."
CLAIM = {
    "id": "e",
    "country": "India",
    "product": "phones",
    "fy": 2023,
    "value": 500,
    "unit": "INR crore",
    "qualifier": "over",
    "source": "s",
}


@pytest.fixture
def docs(tmp_path: Path) -> Documents:
    (tmp_path / "s.txt").write_text(TEXT, encoding="utf-8")
    return Documents([{"id": "s", "location": "s.txt"}], [tmp_path / "facts.toml"])


def test_a_quote_that_states_the_claim_becomes_its_evidence(
    docs: Documents, tmp_path: Path
) -> None:
    record = dict(CLAIM)
    assert (
        curate("exports", record, ["crossed Rs 500 crore in FY23"], None, docs, {}, tmp_path) == []
    )
    (span,) = record["evidence"]
    assert TEXT[span["start"] : span["end"]] == "crossed Rs 500 crore in FY23"


def test_a_quote_without_the_claims_figure_is_refused(docs: Documents, tmp_path: Path) -> None:
    record = {**CLAIM, "value": 50}
    problems = curate("exports", record, ["crossed Rs 500 crore in FY23"], None, docs, {}, tmp_path)
    assert problems == ["e: figure 50 not in evidence span 8-36"]
    assert "evidence" not in record


def test_a_claim_whose_document_is_missing_is_refused_with_the_hint(tmp_path: Path) -> None:
    docs = Documents([{"id": "s"}], [None])
    problems = curate("exports", dict(CLAIM), ["x"], None, docs, {}, tmp_path / "f.toml")
    assert problems[0].startswith("cgcli: cannot read the document of source s")
    assert "--source s=PATH" in problems[-1]


def test_a_new_source_gets_the_sha256_of_its_document(docs: Documents, tmp_path: Path) -> None:
    digest = hashlib.sha256(TEXT.encode()).hexdigest()
    by_location = {"id": "n", "location": "s.txt"}
    assert curate("sources", by_location, (), None, docs, {}, tmp_path / "facts.toml") == []
    assert by_location["sha256"] == digest
    by_option = {"id": "n", "url": "https://example.com/"}
    assert curate("sources", by_option, (), str(tmp_path / "s.txt"), docs, {}, tmp_path) == []
    assert by_option["sha256"] == digest
    nowhere = {"id": "n", "location": "missing.txt"}
    assert curate("sources", nowhere, (), None, docs, {}, tmp_path / "facts.toml") == []
    assert "sha256" not in nowhere  # no document at hand: stored without one


def test_a_wrong_sha256_or_a_misused_option_is_refused(docs: Documents, tmp_path: Path) -> None:
    wrong = {"id": "n", "location": "s.txt", "sha256": "0" * 64}
    (problem,) = curate("sources", wrong, (), None, docs, {}, tmp_path / "facts.toml")
    assert "is not that of" in problem
    assert curate("sources", {"id": "n"}, ("q",), None, docs, {}, tmp_path)
    assert curate("exports", dict(CLAIM), (), "s.txt", docs, {}, tmp_path)
    (missing,) = curate("sources", {"id": "n"}, (), str(tmp_path / "no.txt"), docs, {}, tmp_path)
    assert "no.txt" in missing


@given(st.text(min_size=1, max_size=20))
def test_any_source_option_parses_or_is_refused_never_an_error(value: str) -> None:
    for option in (value, f"a=~{value}"):
        try:
            parsed = parse_source_options([option])
        except ValueError:
            assert option == value or "\0" in value  # a=~... is refused only for a NUL
            continue
        assert all(isinstance(path, Path) for path in parsed.values())
