"""A large fact file parsed a piece at a time by toml_rs, or None: then tomli parses it whole.

toml_rs (Rust) reads TOML about 2.5 times as fast as tomli, but on a whole file of 100,000
records its peak memory is 2.7 times tomli's. Parsed in pieces of about 256 KB, it is
faster still (0.40 s of CPU against tomli's 1.74 s on 18 MB), and its peak memory is
within a tenth of tomli's (176 MiB against 163: the Python objects are the same; the rest is
toml_rs's own, for one piece at a time), as benchmarks/parsers.py measures. It is only
ever a shortcut: whatever it cannot vouch for, it leaves to tomli, the reference, which
gives every document and every error message (FILE:LINE) exactly as before.

How a text is cut. Piece 0 is the text before the first line that starts with a top-level
array-of-tables header of a bare key, `[[K]]` (the regular expression HEADER); each later
piece starts at such a line, the first one at least PIECE characters after the start of
the piece before it. Each piece is parsed on its own, and the documents are merged: piece
0's document is the start, and each later piece must give only lists, under keys that piece
0 does not have; lists of the same key are joined in order.

Why the merge is the document tomli would give, whenever every piece parses and those two
rules hold (otherwise: None, and tomli parses the whole text):

1. Each cut falls between two statements of the whole text. Piece 0 starts the text; if a
   piece starts between statements and parses on its own, the text runs through it exactly
   as the piece alone does, and a piece is accepted only if it ends between statements: a
   cut inside a multi-line string, array or inline table leaves the piece before it
   unterminated, and it fails to parse. So the next piece starts between statements too,
   with its `[[K]]` line, read as the header it is.
2. After that header the whole text never comes back to its root table: every later name at
   the top of the document comes from a header. A header other than `[[K]]` that creates
   its top-level key K makes a table (a dict); a key that is a table cannot later become an
   array of tables. So a piece whose top-level values are all lists made each of them with
   `[[K]]`, before any `[K.x]`, `[[K.x]]` or `[K]` that names it.
3. In the whole text, `[[K]]` appends a table to the array K, or makes it, as it does in the
   piece alone; it could only fail if K were something else (a value or a table of piece 0,
   which the second rule refuses), and a header under K (`[K.x]`, `[[K.x]]`) names K's last
   table, which is the piece's own. No later piece can name anything in an earlier piece's
   tables, so no statement means anything else than it does in its piece, and no conflict
   can span two pieces: the document is piece 0's with each list joined in order, and the
   keys come in the order they first appear, as tomli's dicts have them.

That toml_rs and tomli agree on each piece (values, types, floats to the last bit, dates,
times and offsets, the TOML version: both read TOML 1.1, tomli from 2.4) is checked by
tests/store/test_tomlpieces.py on generated texts, and was checked once on the toml-test
corpus (334 files, no disagreement). The one difference found: toml_rs skips a byte order
mark at the start of a text, which tomli refuses (a fact file's is dropped before parsing);
such a text is left to tomli. Any exception from toml_rs, not only its TOMLDecodeError (a
60th second raises ValueError), leaves the text to tomli too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

PIECE = 256 * 1024  # characters: 64 KB to 1 MB parse alike; larger pieces cost memory
MAX_PIECE = 16 * PIECE  # a piece larger than this (no headers to cut at): tomli parses it
HEADER = re.compile(r"^\[\[[A-Za-z0-9_-]+\]\]", re.MULTILINE)


def loads(text: str, size: int = PIECE) -> dict[str, Any] | None:
    """TEXT's document, parsed in pieces of about SIZE characters (see the module's
    docstring), or None when toml_rs is missing, a piece does not parse or the pieces do
    not merge: tomli then parses the whole text."""
    if text.startswith("\ufeff"):  # toml_rs skips a byte order mark that tomli refuses
        return None
    try:
        import toml_rs
    except ImportError:  # a platform without its wheel: tomli alone
        return None
    doc: dict[str, Any] | None = None
    first: set[str] = set()  # piece 0's keys
    for piece in pieces(text, size):
        if len(piece) > MAX_PIECE:
            return None
        try:
            part = toml_rs.loads(piece, toml_version="1.1.0")
        except Exception:  # any failure at all: tomli decides, and words the error
            return None
        if doc is None:
            doc, first = part, set(part)
            continue
        for key, value in part.items():
            if key in first or type(value) is not list:
                return None
            joined = doc.setdefault(key, value)
            if joined is not value:
                joined.extend(value)
    return doc


def pieces(text: str, size: int = PIECE) -> Iterator[str]:
    """TEXT cut just before lines starting with `[[K]]`: first all that comes before the
    first such line, then pieces of at least SIZE characters, each starting with one."""
    header = HEADER.search(text)
    start = header.start() if header else len(text)
    yield text[:start]
    while start < len(text):
        header = HEADER.search(text, start + max(size, 1))
        end = header.start() if header else len(text)
        yield text[start:end]
        start = end
