"""Escaping for every target: each output is read back by a real reader of its format
(csv.reader, pybtex, markdown-it-py, xml.etree) and must give the text, never markup."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cover_glass_cli.ui.escape import (
    bibtex_entry,
    bibtex_url,
    bibtex_value,
    csv_cell,
    csv_value,
    csv_writer,
    markdown_link,
    markdown_text,
    markdown_url,
    message_path,
    one_line,
    terminal_text,
    visible,
)

pybtex_database = pytest.importorskip("pybtex.database", reason="test-only: pip install pybtex")
markdown_it = pytest.importorskip("markdown_it", reason="test-only: pip install markdown-it-py")

# Any text a fact file can hold: no lone surrogates (TOML cannot write them).
any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
# Text as validation lets it through: no control characters.
safe_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=60)
FAST = settings(max_examples=150, deadline=None)


# --- CSV --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        '=HYPERLINK("http://evil","x")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
        "＝1+1",
    ],
)
def test_formula_cells_get_a_quote(text):
    assert csv_cell(text) == "'" + text
    assert csv_cell(text, spreadsheet=False) == text  # the opt-out keeps exact text


@pytest.mark.parametrize("text", ["-5", "+3.2", "1e-3", "-.5", "12", "Acme", "a=b", "", "'quoted"])
def test_numbers_and_plain_text_are_unchanged(text):
    assert csv_cell(text) == text


def test_csv_value_leaves_numbers_and_escapes_text():
    assert [csv_value(v) for v in (None, True, -5, -2.5, "-5", "=x", ["=a"])] == [
        "",
        "true",
        "-5",
        "-2.5",
        "-5",
        "'=x",
        '["=a"]',
    ]


def _round_trip(rows: list[list[str]]) -> list[list[str]]:
    buffer = io.StringIO(newline="")
    csv_writer(buffer).writerows(rows)
    return list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))


def test_a_bare_carriage_return_survives_the_round_trip():
    rows = [["a\rb", "c"], ["d\n", '"e"'], ["", "\r"]]
    assert _round_trip(rows) == rows


@FAST
@given(rows=st.lists(st.lists(any_text, min_size=1, max_size=4), min_size=1, max_size=4))
def test_csv_round_trip_of_any_text(rows):
    assert _round_trip(rows) == rows
    guarded = _round_trip([[csv_cell(c) for c in row] for row in rows])
    for row, back in zip(rows, guarded, strict=True):
        for cell, read in zip(row, back, strict=True):
            assert read == cell or read == "'" + cell  # the quote is the only change
            assert not read.startswith(("=", "+", "-", "@", "\t", "\r")) or re.fullmatch(
                r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", read
            )


# --- BibTeX -----------------------------------------------------------------------------

_LATEX_BACK = {
    r"\textbackslash{}": "\\",
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    r"\textasciicircum{}": "^",
    r"\textasciitilde{}": "~",
    r"\%": "%",
    r"\&": "&",
    r"\$": "$",
    r"\#": "#",
    r"\_": "_",
}
_LATEX = re.compile("|".join(map(re.escape, _LATEX_BACK)))


def _unlatex(value: str) -> str:
    return _LATEX.sub(lambda m: _LATEX_BACK[m.group()], value)


def _parse_bib(entry: str):
    data = pybtex_database.parse_string(entry, "bibtex")
    assert len(data.entries) == 1
    return next(iter(data.entries.values()))


def test_a_title_cannot_close_its_field_or_add_one():
    title = '}, author = "Mallory", x = "'
    entry = _parse_bib(bibtex_entry("misc", "k", {"title": title, "note": "{oops"}))
    assert set(entry.fields) == {"title", "note"} and not entry.persons
    assert _unlatex(entry.fields["title"]) == title.strip()
    assert _unlatex(entry.fields["note"]) == "{oops"


def test_latex_specials_are_escaped_but_urls_are_verbatim():
    assert bibtex_value("50% & $5 #1 a_b ^ ~ \\") == (
        r"50\% \& \$5 \#1 a\_b \textasciicircum{} \textasciitilde{} \textbackslash{}"
    )
    url = "https://example.org/a_b%20c?x=1#frag"
    assert bibtex_url(url) == url  # biblatex reads url verbatim: no \_ or \%
    assert bibtex_url("http://x/{a} b\\c") == "http://x/%7Ba%7D%20b%5Cc"


@FAST
@given(title=any_text, url=any_text, note=any_text)
def test_pybtex_reads_back_exactly_the_fields_written(title, url, note):
    fields = {"title": title, "url": url, "note": note}
    entry = _parse_bib(bibtex_entry("misc", "cgcli-x", fields))
    written = {name for name, value in fields.items() if value.strip()}
    assert set(entry.fields) == written and not entry.persons
    for name in written:
        parsed = entry.fields[name]
        if name == "url":
            assert parsed == bibtex_url(url)
        else:
            assert parsed == bibtex_value(fields[name])
            # whitespace and controls become single spaces; everything else comes back
            flat = " ".join(re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", fields[name]).split())
            assert _unlatex(parsed) == flat


# --- Markdown ---------------------------------------------------------------------------


class _Text(HTMLParser):
    """The text content of rendered HTML, and its tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _render(markdown: str) -> _Text:
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(markdown)
    parsed = _Text()
    parsed.feed(html)
    parsed.close()
    return parsed


def _flat(text: str) -> str:
    return " ".join(text.split())


NASTY_MD = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "![x](http://evil/x.png)",
    "**bold** _em_ `code` ~~gone~~ $x$",
    "# heading",
    "1. list",
    "- item",
    "> quote",
    "a | b | c",
    "&lt;b&gt; &amp;",
    "<http://evil.example>",
    "back\\slash\\",
    "line\nbreak\r\ntab\there",
]


@pytest.mark.parametrize("text", NASTY_MD)
def test_markdown_text_renders_as_the_text(text):
    paragraph = _render(markdown_text(text))
    assert _flat("".join(paragraph.text)) == _flat(text)
    assert {tag for tag, _ in paragraph.tags} == {"p"}  # no link, image, script, heading, list
    cell = _render(f"| h |\n|---|\n| {markdown_text(text)} |")
    assert _flat("".join(cell.text)) == _flat("h " + text)
    assert [tag for tag, _ in cell.tags].count("td") == 1
    assert {tag for tag, _ in cell.tags} <= {"table", "thead", "tbody", "tr", "th", "td"}


@FAST
@given(text=safe_text)
def test_any_text_renders_as_itself_in_a_paragraph_and_a_cell(text):
    paragraph = _render(markdown_text(text))
    assert _flat("".join(paragraph.text)) == _flat(text)
    assert {tag for tag, _ in paragraph.tags} <= {"p"}
    table = _render(f"| head |\n|---|\n| {markdown_text(text)} |")
    cells = [tag for tag, _ in table.tags if tag == "td"]
    assert len(cells) <= 1  # no pipe in the text made a second cell
    assert _flat("".join(table.text)) == _flat("head " + text)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " \x01javascript:x",
        "java\tscript:x",
        "data:text/html,x",
        "vbscript:x",
        "file:///etc/passwd",
        "rel/path.txt",  # points nowhere once pasted into another document
        "<http://evil.example>",  # a relative path, whatever it looks like
    ],
)
def test_other_schemes_are_not_linked(url):
    assert markdown_url(url) is None
    rendered = _render(markdown_link("title", url))
    assert not any(tag == "a" for tag, _ in rendered.tags)
    assert _flat("".join(rendered.text)) == "title"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a b",
        "http://x/a)b(c",
        "http://x/<script>",
        'http://x/"q"',
        "mailto:a@b.c",
    ],
)
def test_urls_are_linked_whole(url):
    rendered = _render(markdown_link("t", url))
    links = [attrs for tag, attrs in rendered.tags if tag == "a"]
    assert len(links) == 1 and links[0]["href"] == markdown_url(url)
    assert " " not in links[0]["href"] and "<" not in links[0]["href"]


@pytest.mark.parametrize("char", ["\u061c", "\u200e", "\u202e", "\u2066"])
def test_bidi_marks_in_markdown_are_shown_as_escapes(char):
    text = markdown_text(f"a{char}b")
    assert char not in text and f"\\u{ord(char):04x}" in _render(text).text[0]


# Without format characters (bidi marks, zero-width): those are shown as escapes, which
# the test above checks.
plain_text = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf")), max_size=60)


@FAST
@given(title=plain_text, path=plain_text)
def test_a_title_cannot_redirect_the_link(title, path):
    url = "https://example.org/" + path
    rendered = _render(markdown_link(title, url))
    links = [attrs for tag, attrs in rendered.tags if tag == "a"]
    assert len(links) == 1 and links[0]["href"] == markdown_url(url)
    assert {tag for tag, _ in rendered.tags} <= {"p", "a"}
    expected = _flat(title) or _flat(url)
    assert _flat("".join(rendered.text)) == expected


# --- charts and graphs ----------------------------------------------------------------


@FAST
@given(text=st.text(st.characters(blacklist_categories=()), max_size=60))
def test_one_line_is_text_any_xml_writer_can_carry(text):
    from xml.sax.saxutils import escape, quoteattr

    line = one_line(text)
    assert "\n" not in line and "\r" not in line
    root = ET.fromstring(f"<svg><text a={quoteattr(line)}>{escape(line)}</text></svg>")
    element = root.find("text")
    assert element is not None and (element.text or "") == line


# --- terminal and messages ----------------------------------------------------------------


def test_invisible_characters_are_shown():
    assert visible("Acme\u200b") == "Acme<U+200B>"
    assert visible("\ufeffAcme\u00ad\u2060") == "<U+FEFF>Acme<U+00AD><U+2060>"
    assert terminal_text("Acme\u200d\x1b[2J") == "Acme<U+200D>\\x1b[2J"
    assert terminal_text("a\u202eb") == "a\\u202eb"  # bidi: escaped by terminal.clean first
    assert visible("Optiemus–Corning ₹90,000") == "Optiemus–Corning ₹90,000"


@FAST
@given(text=any_text)
def test_terminal_text_leaves_nothing_invisible_or_controlling(text):
    shown = terminal_text(text)
    assert not re.search(
        r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]", shown
    )


def test_message_path_shows_undecodable_bytes_and_controls():
    assert message_path(b"/tmp/caf\xe9\n\x1b.toml") == "/tmp/caf\\xe9\\n\\x1b.toml"
    assert message_path("/tmp/a\u200bb.toml") == "/tmp/a<U+200B>b.toml"


@FAST
@given(name=st.binary(min_size=1, max_size=30))
def test_message_path_of_any_file_name_is_one_printable_line(name):
    shown = message_path(name)
    shown.encode("utf-8")  # no surrogate left to break the stream
    assert "\n" not in shown and "\r" not in shown and "\x1b" not in shown
