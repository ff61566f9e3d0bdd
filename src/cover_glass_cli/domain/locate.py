"""The ladder: where a span's passage is in a copy of its source, and how far it changed.

For each span, the first rung that holds:

1. exact        the recorded offsets still hold text with the recorded sha256;
2. moved        the same text (sha256) elsewhere: offsets reported;
3. reformatted  text whose normalised form has the recorded `norm` fingerprint;
4. changed      a passage found by its landmarks (the words around and at its start),
                whose normalised text differs: its figures are compared with those
                recorded;
5. not found    none of these.

Time is linear in the document: it is normalised once; one pass fingerprints its
landmarks (words starting with a capital, a digit or ₹) and keeps those that a span
asked for; each candidate is then confirmed by one SHA-256 of a passage.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from itertools import compress

from .normalise import Normalised
from .spans import _LANDMARK, _NUMBER, WINDOW, Span, sha256_text

RUNGS = ("exact", "moved", "reformatted", "changed", "not found")


class Location:
    """Where one span was found: its RUNG, the offsets START-END of the passage in the
    document read (None when not found), and for a changed passage the figures recorded
    but not found (MISSING) and found but not recorded (EXTRA)."""

    __slots__ = ("digest", "end", "extra", "missing", "rung", "span", "start")

    def __init__(
        self,
        span: Span,
        rung: str,
        start: int | None = None,
        end: int | None = None,
        missing: tuple[str, ...] = (),
        extra: tuple[str, ...] = (),
        digest: str | None = None,
    ) -> None:
        self.span, self.rung, self.start, self.end = span, rung, start, end
        self.missing, self.extra = missing, extra
        self.digest = digest  # sha256 of the passage found, when it is not exact

    def __repr__(self) -> str:
        return f"Location({self.span.label}, {self.rung!r}, {self.start}, {self.end})"


class Locator:
    """Finds spans in one document (its text as read): normalised and indexed once, on
    the first span that is not exact."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self._doc: Normalised | None = None
        self._hits: dict[int, list[int]] = {}
        self._asked: set[int] = set()

    @property
    def doc(self) -> Normalised:
        if self._doc is None:
            self._doc = Normalised(self.raw)
        return self._doc

    def prepare(self, spans: Iterable[Span]) -> None:
        """Index, in one pass, the landmarks of every span of SPANS that is not exact."""
        wanted = set()
        for span in spans:
            if span.norm is None or self._exact(span):
                continue
            for pair in (span.head, span.before, span.after):
                if pair is not None and int(pair[0], 16) not in self._asked:
                    wanted.add(int(pair[0], 16))
        if not wanted:
            return
        self._asked |= wanted
        text = self.doc.text
        data = text.encode("utf-32-le")
        starts = [m.start() * 4 + 4 for m in _LANDMARK.finditer(text)]
        if text[:1] and _LANDMARK.match(" " + text[0]):
            starts.insert(0, 0)
        width = WINDOW * 4
        prints = map(
            zlib.crc32, map(data.__getitem__, map(slice, starts, map(width.__add__, starts)))
        )
        for at in compress(starts, map(wanted.__contains__, prints)):
            key = zlib.crc32(data[at : at + width])
            self._hits.setdefault(key, []).append(at // 4)

    def _exact(self, span: Span) -> bool:
        return (
            span.end <= len(self.raw)
            and sha256_text(self.raw[span.start : span.end]) == span.sha256
        )

    def _at(self, pair: tuple[str, int] | None) -> list[int]:
        if pair is None:
            return []
        key = int(pair[0], 16)
        if key not in self._asked:
            raise RuntimeError("prepare() the span before locating it")  # a bug, not data
        return self._hits.get(key, [])

    def locate(self, span: Span) -> Location:
        """The rung SPAN reaches in this document (see the module doc)."""
        if self._exact(span):
            return Location(span, "exact", span.start, span.end)
        if span.norm is None:
            return Location(span, "not found")
        self.prepare([span])
        text, length = self.doc.text, span.length
        starts: list[int] = []
        starts += [p - span.head[1] for p in self._at(span.head)] if span.head else []
        starts += [p + span.before[1] for p in self._at(span.before)] if span.before else []
        starts += [p - span.after[1] - length for p in self._at(span.after)] if span.after else []
        for a in dict.fromkeys(starts):
            if (
                a >= 0
                and a + length <= len(text)
                and sha256_text(text[a : a + length]) == span.norm
            ):
                start, end = self.doc.raw_span(a, a + length)
                digest = sha256_text(self.raw[start:end])
                rung = "moved" if digest == span.sha256 else "reformatted"
                return Location(span, rung, start, end, digest=digest)
        region = self._region(span)
        if region is None:
            return Location(span, "not found")
        a, b = (min(max(0, p), len(text)) for p in region)  # offsets from data: kept inside
        if a >= b:
            return Location(span, "not found")
        start, end = self.doc.raw_span(a, b)
        found = _NUMBER.findall(text[a:b])
        missing, extra = _difference(span.figures, found), _difference(found, span.figures)
        return Location(span, "changed", start, end, missing, extra)

    def _region(self, span: Span) -> tuple[int, int] | None:
        """Where the passage of a changed SPAN is, by its landmarks: between the context
        before and after when both are found, sensibly far apart; else from one of them
        (or its head) and the recorded length."""
        length, size = span.length, len(self.doc.text)
        befores = [p + span.before[1] for p in self._at(span.before)] if span.before else []
        afters = [p - span.after[1] for p in self._at(span.after)] if span.after else []
        heads = [p - span.head[1] for p in self._at(span.head)] if span.head else []
        for a in befores + heads:
            for b in afters:
                if a < b <= a + 2 * length + 200:
                    return a, b
        if befores or heads:
            a = (befores or heads)[0]
            return a, min(size, a + length)
        if afters:
            b = afters[0]
            return max(0, b - length), b
        return None


def _difference(first: Iterable[str], second: Iterable[str]) -> tuple[str, ...]:
    """The items of FIRST not matched one for one by items of SECOND, in order."""
    left = list(second)
    out = []
    for item in first:
        if item in left:
            left.remove(item)
        else:
            out.append(item)
    return tuple(out)
