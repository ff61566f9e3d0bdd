"""Text from the data made safe for each place it goes: CSV cells, BibTeX fields, Markdown,
XML and SVG, the terminal, messages naming a file.

Pure functions, standard library only (no rich), so that every format can use them
cheaply. Each one keeps the text readable and, where the target can say it, exact: a
reader of the output (csv.reader, a Markdown renderer, an XML parser, BibTeX) gets back
the characters the data holds, never markup, a formula, a field or a link of its own.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any, Protocol, TextIO

from ..domain.unsafe import BIDI
from .terminal import clean

# Patterns are kept as strings and compiled on first use (re caches them): a run that
# escapes nothing, such as a JSON lookup, pays nothing for them.

# --- CSV and TSV ------------------------------------------------------------------------
#
# OWASP's advice on CSV injection: a spreadsheet runs a cell that starts with = + - @ (or a
# tab or CR before one) as a formula, so such a cell gets a leading single quote, which
# spreadsheets show as text and do not display. Full-width = + - @ are treated alike by
# some spreadsheets in East Asian locales. A cell that is just a number (-5, +3.2, 1e-3) is
# never a formula and is left as it is: numbers from numeric fields and numeric-looking
# text both stay numbers, and so does a percentage (+101.3%, -5%: cgcli's own growth text,
# which a spreadsheet reads as a number). The guard is for files opened in a spreadsheet;
# `--no-formula-guard` (or CGCLI_FORMULA_GUARD=0) passes spreadsheet=False for exact text.

_FORMULA_START = tuple("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_PLAIN_NUMBER = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?%?"


def csv_cell(text: str, *, spreadsheet: bool = True) -> str:
    """TEXT for a CSV or TSV cell: with a leading ' when a spreadsheet would take it for a
    formula (unless it is a plain number), or unchanged when SPREADSHEET is False."""
    if spreadsheet and text.startswith(_FORMULA_START) and not re.fullmatch(_PLAIN_NUMBER, text):
        return "'" + text
    return text


def csv_value(value: Any, *, spreadsheet: bool = True) -> str:
    """Any field's value as cell text: null empty, booleans true/false, numbers as they are,
    lists and tables as JSON, text through csv_cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | dict):
        import json

        return csv_cell(json.dumps(value, ensure_ascii=False), spreadsheet=spreadsheet)
    return csv_cell(str(value), spreadsheet=spreadsheet)


class RowWriter(Protocol):
    """What csv.writer returns: rows in, CSV text out."""

    def writerow(self, row: Iterable[Any], /) -> Any: ...

    def writerows(self, rows: Iterable[Iterable[Any]], /) -> None: ...


def csv_writer(stream: TextIO) -> RowWriter:
    """A CSV writer for STREAM that any CSV reader reads back exactly (RFC 4180).

    Lines end in CRLF: the csv module quotes a cell holding any character of the line
    terminator, so with "\\n" alone a cell with a bare CR would go unquoted and Python's
    own reader would split the row there. Give STREAM newline="" if it is a file (and on
    Windows, write to sys.stdout.buffer's text wrapper with newline=""), so CRLF is not
    turned into CRCRLF."""
    import csv

    return csv.writer(stream, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)


# --- BibTeX ---------------------------------------------------------------------------
#
# BibTeX ends a {...} field at the brace that balances its opening one, counting braces
# even after a backslash, so \} does not help: a title "}, author = {Mallory" would close
# the field and add one. Braces in the text are therefore written as the LaTeX commands
# \textbraceleft{} and \textbraceright{}, whose own braces are balanced: the only braces
# in a value are pairs we wrote. LaTeX's other special characters are escaped too.

_BIBTEX = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
_BIBTEX_TABLE = str.maketrans(_BIBTEX)
_CONTROL = r"[\x00-\x1f\x7f-\x9f]"


def bibtex_value(text: str) -> str:
    """TEXT for a BibTeX field written as {value}: LaTeX specials escaped, braces as
    commands, so the field cannot be closed early; whitespace and controls as one space."""
    return " ".join(re.sub(_CONTROL, " ", text).split()).translate(_BIBTEX_TABLE)


def bibtex_url(url: str) -> str:
    """URL for a url = {...} field, which biblatex takes verbatim: no LaTeX escapes (a _ or
    % stays as it is), but braces, backslashes, quotes, whitespace of any kind and other
    unprintable characters percent-encoded (as UTF-8), so the field can neither close
    early, nor break a line, nor lose a character to BibTeX's trimming."""
    return "".join(
        _percent(c) if c in '{}\\"' or c.isspace() or not c.isprintable() else c for c in url
    )


def _percent(char: str) -> str:
    return "".join(f"%{b:02X}" for b in char.encode("utf-8", "surrogatepass"))


def bibtex_key(text: str) -> str:
    """A citation key from TEXT: ASCII letters, digits, '-', ':' and '.', nothing else."""
    key = re.sub(r"[^A-Za-z0-9:.-]+", "-", text).strip("-")
    return key or "cgcli"


def bibtex_entry(entry_type: str, key: str, fields: Mapping[str, str]) -> str:
    """One @ENTRY_TYPE{KEY, ...} entry; each non-empty field escaped for its kind (url
    and doi verbatim, others as text). ENTRY_TYPE and field names are ours: ASCII words."""
    body = ",\n".join(
        f"  {name} = {{{bibtex_url(v) if name in ('url', 'doi') else bibtex_value(v)}}}"
        for name, v in fields.items()
        if v.strip()
    )
    return f"@{entry_type}{{{bibtex_key(key)},\n{body}\n}}"


# --- Markdown (CommonMark, GitHub-flavoured) --------------------------------------------
#
# Inline text: every character that can start markup is backslash-escaped (CommonMark lets
# any ASCII punctuation be), so `<script>` and `<img onerror=...>` are shown as text, not
# passed through as HTML, and nothing becomes a link, emphasis, code, a heading or a list.
# A pipe is written &#124;, which a table's cell splitting does not see. Line breaks and
# runs of whitespace become one space: a cell or a line of prose has no room for more.

_MD_SPECIAL = r"[\\`*_\[\]<>|#!()&~$]"
_MD_BLOCK_START = r"^([0-9]{0,9})([.+=-])(?= |$)"  # "1. " or "- " starts a list
_LINK_SCHEMES = ("http", "https", "mailto")
_SCHEME = r"^([A-Za-z][A-Za-z0-9+.-]*):"
_URL_KEEP = r"[^A-Za-z0-9\-._~:/?#@!$&'*+,;=%]"


def markdown_text(text: str) -> str:
    """TEXT as inline Markdown that renders as exactly its characters (whitespace
    collapsed), in a paragraph or a table cell."""
    flat = clean(" ".join(text.split()), newlines=False)
    escaped = re.sub(
        _MD_SPECIAL,
        lambda m: "&#124;" if m.group() == "|" else "\\" + m.group(),
        flat,
    )
    # Mid-line, - + = and "1." are just text; at the start "- x" or "1. x" begins a list.
    return re.sub(_MD_BLOCK_START, r"\1\\\2", escaped)


def markdown_url(url: str) -> str | None:
    """URL as a Markdown link destination, or None when it must not be linked: anything
    but an absolute http, https or mailto URL (javascript:, data:, file:, and relative
    paths, which point nowhere once the text is pasted elsewhere). Spaces, parentheses,
    angle brackets, backslashes, quotes, controls and non-ASCII are percent-encoded (as
    UTF-8), so the destination ends where we end it."""
    # As browsers read a URL: tabs and line breaks dropped, leading controls and spaces too.
    url = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))))
    scheme = re.match(_SCHEME, url)
    if not scheme or scheme.group(1).lower() not in _LINK_SCHEMES:
        return None
    url = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", url)
    return re.sub(_URL_KEEP, lambda m: _percent(m.group()), url)


def markdown_link(text: str, url: str) -> str:
    """[TEXT](URL) when URL may be linked (see markdown_url), else TEXT alone, as text.
    The text cannot end the link early nor redirect it: it is escaped inline text."""
    destination = markdown_url(url)
    label = markdown_text(text) or markdown_text(url)
    if destination is None:
        return label
    # An entity such as &lt; would be decoded in a destination: its & is escaped.
    destination = destination.replace("&", "\\&")
    return f"[{label}]({destination})"


# --- charts and graphs (SVG, Mermaid, DOT) ----------------------------------------------
#
# A label in a chart or a graph is one line of text; the format's own writer (matplotlib
# for SVG) or the caller (graph.py for Mermaid and DOT) escapes its markup characters.
# What no writer can carry goes here: controls and line breaks become spaces, bidi
# controls are dropped, and noncharacters and lone surrogates (which neither XML nor
# UTF-8 can hold) become U+FFFD.

_BIDI = frozenset(map(chr, BIDI))  # the one table: domain/unsafe.py


def one_line(value: Any) -> str:
    """VALUE as one line of text any chart or graph format can carry (see above)."""
    out = []
    for c in str(value):
        code = ord(c)
        if c in _BIDI:
            continue
        if 0xD800 <= code <= 0xDFFF or 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
            out.append("\ufffd")
        elif unicodedata.category(c) in ("Cc", "Zl", "Zp"):
            out.append(" ")
        else:
            out.append(c)
    return re.sub(r"\s+", " ", "".join(out)).strip()


# --- the terminal and messages --------------------------------------------------------

# Unicode's Default_Ignorable_Code_Point: characters a terminal draws as nothing at all
# (zero-width space and joiners, word joiner, BOM, soft hyphen, variation selectors,
# Hangul fillers, tag characters ...), so that "Acme" and "Acme\u200b" look alike.
_INVISIBLE = (
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


def visible(text: str) -> str:
    """TEXT with each invisible character shown as <U+200B>, so lookalikes can be told apart."""
    return re.sub(_INVISIBLE, lambda m: f"<U+{ord(m.group()):04X}>", text)


def terminal_text(text: str, *, newlines: bool = True) -> str:
    """TEXT for a terminal: controls and bidi characters as escapes (terminal.clean),
    invisible characters as <U+XXXX>."""
    return visible(clean(text, newlines=newlines))


_SURROGATE = "[\ud800-\udfff]"


def message_path(path: str | os.PathLike[str] | os.PathLike[bytes] | bytes) -> str:
    """PATH for one line of a message: each byte of a file name that was not valid UTF-8
    (a surrogate from os.fsdecode) as \\xNN, controls and newlines as escapes, invisible
    characters as <U+XXXX>. Never raises on an odd name."""
    text = os.fsdecode(path)
    text = re.sub(
        _SURROGATE,
        lambda m: (
            f"\\x{ord(m.group()) - 0xDC00:02x}"
            if 0xDC80 <= ord(m.group()) <= 0xDCFF
            else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )
    return terminal_text(text, newlines=False)
