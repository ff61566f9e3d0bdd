"""Normalised text: what stays the same when a page is saved, copied, re-wrapped or retyped.

normalise(TEXT) gives TEXT with Unicode NFKC applied; every kind of whitespace (line
breaks, tabs, no-break and thin spaces) made a space and each run of them one space;
curly quotes made straight and every dash a hyphen; soft hyphens and zero-width
characters dropped; "Rs", "Rs.", "INR" and "₹" before a number made "₹" and the space
after them dropped; and the commas that group digits ("1,00,000", "90,000") dropped.
Case is kept: a name's spelling counts.

The work is one `str.translate` (characters that change one for one) and one regular
expression whose matches are the few places where the length changes, so it runs in
time linear in the text, at the speed of C. Those places are kept as breakpoints, so an
offset into the normalised text maps back to the text it came from (`to_raw`).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right

# Characters folded one for one (so offsets do not move): quotes made straight, every
# dash a hyphen, every whitespace character (as str.split sees it) a space. Done with
# str.replace for each that occurs: a search in C, far faster than str.translate.
_ONE_FOR_ONE: tuple[tuple[str, str], ...] = (
    *((c, "'") for c in "\u2018\u2019\u201a\u201b\u2032\u00b4"),
    *((c, '"') for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"),
    *((c, "-") for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"),
    *((chr(c), " ") for c in range(0x80, 0x3001) if chr(c).isspace()),
)
_ASCII_SPACES = tuple(chr(c) for c in range(0x80) if chr(c).isspace() and c != 0x20)
_TABLE = str.maketrans(
    {
        **{ord(c): r for c, r in _ONE_FOR_ONE},
        **{ord(c): " " for c in _ASCII_SPACES},
        **dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None),
    }
)

# Where the length changes. Each pattern begins with a literal or a rare character, so
# the regular-expression engine skips, in C, to the few places it may match.
_SPACE_RUN = re.compile(r"  +")  # after the folding above: one space
_GROUPING_COMMA = re.compile(r",(?=\d\d)")  # after a digit: dropped
_MONEY = re.compile(r"(?:Rs\.?|INR|\u20b9) *(?=\d)")  # -> ₹
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]+")  # dropped
_NON_ASCII = re.compile(r"[\x80-\U0010ffff]+")  # -> NFKC, when that differs


def _fold(raw: str) -> str:
    """RAW with the characters of _ONE_FOR_ONE and ASCII whitespace folded, same length."""
    plain = raw
    for char in _ASCII_SPACES:
        if char in plain:
            plain = plain.replace(char, " ")
    if not plain.isascii():
        for char, new in _ONE_FOR_ONE:
            if char in plain:
                plain = plain.replace(char, new)
    return plain


def _nfkc_runs(plain: str) -> list[tuple[int, int, str]]:
    """The runs outside ASCII (with the letter an accent follows) that NFKC changes."""
    found = []
    for m in _NON_ASCII.finditer(plain):
        start, end = m.span()
        if unicodedata.combining(plain[start]) and start:
            start -= 1  # the letter the accents follow
        while start and plain[start - 1] == " ":
            start -= 1  # and the spaces around, so that NFKC's spaces join theirs
        while end < len(plain) and plain[end] == " ":
            end += 1
        run = plain[start:end]
        folded = _SPACE_RUN.sub(" ", unicodedata.normalize("NFKC", run).translate(_TABLE))
        if folded != run:
            found.append((start, end, folded))
    return found


def _edits(plain: str) -> list[tuple[int, int, str]]:
    """The (start, end, replacement) edits that normalise PLAIN (folded), sorted and
    none overlapping."""
    found = [(m.start(), m.end(), 1, " ") for m in _SPACE_RUN.finditer(plain)]
    found += [
        (m.start(), m.end(), 1, "")
        for m in _GROUPING_COMMA.finditer(plain)
        if m.start() and plain[m.start() - 1].isdigit()
    ]
    for m in _MONEY.finditer(plain):
        start = m.start()
        if m.group() != "\u20b9" and not (start and plain[start - 1].isalpha()):
            found.append((start, m.end(), 0, "\u20b9"))
    if not plain.isascii():
        found += [(m.start(), m.end(), 1, "") for m in _INVISIBLE.finditer(plain)]
        if not unicodedata.is_normalized("NFKC", plain):
            found += [(start, end, 1, new) for start, end, new in _nfkc_runs(plain)]
    if len(found) > 1:
        found.sort(key=lambda edit: (edit[0], -edit[1], edit[2]))
    edits: list[tuple[int, int, str]] = []
    last = 0
    for start, end, _, new in found:
        if start >= last:
            edits.append((start, end, new))
            last = end
    return edits


class _Map:
    """One pass of edits over a text, and the way back. Between edits, offsets move in
    step; `at[i]` / `raw_at[i]` pair the offsets where each edit starts (odd i) and where
    the text moves in step again (even i)."""

    __slots__ = ("at", "raw_at", "text")

    def __init__(self, plain: str, edits: list[tuple[int, int, str]]) -> None:
        parts: list[str] = []
        at: list[int] = [0]
        raw_at: list[int] = [0]
        pos = out = 0
        for start, end, new in edits:
            parts.append(plain[pos:start])
            out += start - pos
            parts.append(new)
            at.append(out)
            raw_at.append(start)
            out += len(new)
            pos = end
            at.append(out)
            raw_at.append(end)
        parts.append(plain[pos:])
        self.text = "".join(parts)
        self.at, self.raw_at = at, raw_at

    def to_raw(self, offset: int) -> int:
        i = bisect_right(self.at, offset) - 1
        base, raw_base = self.at[i], self.raw_at[i]
        if i % 2 == 1 and i + 1 < len(self.at):  # inside a replacement
            return raw_base if offset == base else self.raw_at[i + 1]
        return raw_base + (offset - base)

    def end_to_raw(self, offset: int) -> int:
        """As to_raw, but before what was dropped just after OFFSET (for a span's end)."""
        i = bisect_left(self.at, offset)
        if i < len(self.at) and self.at[i] == offset and i % 2 == 1:
            return self.raw_at[i]
        return self.to_raw(offset)

    def from_raw(self, offset: int) -> int:
        i = bisect_right(self.raw_at, offset) - 1
        base, raw_base = self.at[i], self.raw_at[i]
        if i % 2 == 1 and i + 1 < len(self.at):
            return base if offset == raw_base else self.at[i + 1]
        return base + (offset - raw_base)


class Normalised:
    """A text normalised, and the way back: `text` is the normalised text, `raw` the
    original; to_raw maps an offset of `text` to one of `raw`."""

    __slots__ = ("_maps", "raw", "text")

    def __init__(self, raw: str) -> None:
        self.raw = raw
        plain = _fold(raw)
        self._maps = [_Map(plain, _edits(plain))]
        text = self._maps[0].text
        if "  " in text:  # spaces met across something dropped: one more pass, rarely
            self._maps.append(_Map(text, [(*m.span(), " ") for m in _SPACE_RUN.finditer(text)]))
        self.text = self._maps[-1].text

    def to_raw(self, offset: int) -> int:
        """The offset of `raw` that OFFSET of `text` comes from (inside an edit: its start)."""
        for step in reversed(self._maps):
            offset = step.to_raw(offset)
        return offset

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of `raw` that `text[start:end]` comes from: from after what was dropped
        just before it to before what was dropped just after it."""
        for step in reversed(self._maps):
            start, end = step.to_raw(start), step.end_to_raw(end)
        return start, end

    def from_raw(self, offset: int) -> int:
        """The offset of `text` that OFFSET of `raw` maps to (inside an edit: its start)."""
        for step in self._maps:
            offset = step.from_raw(offset)
        return offset


def normalise(text: str) -> str:
    """TEXT normalised (see the module's docstring)."""
    return Normalised(text).text
