"""Evidence spans: where a claim's words are in its source, as fingerprints, never copies.

A span records (the keys of `{ ... }` in a fact file):

    start, end   character offsets of the passage in the document as it was anchored
                 (Python str indices, end excluded): a W3C TextPositionSelector;
    sha256       of the passage's text: the "exact" rung;
    norm         SHA-256 of the passage normalised (domain/normalise.py): the
                 "reformatted" rung, whatever the copy did to spaces, quotes or ₹;
    length       characters of the normalised passage;
    head         [fingerprint, offset]: the 32 normalised characters at the passage's
                 first landmark (a word that starts with a capital, a digit or ₹), OFFSET
                 characters after its start;
    before       [fingerprint, distance]: the same at the last landmark whose 32
                 characters end before the passage, DISTANCE characters before its start;
    after        [fingerprint, distance]: the same at the first landmark at or after the
                 passage's end, DISTANCE characters after it;
    figures      the numbers written in the passage, grouping dropped ("90000"): what a
                 changed passage is compared with.

Fingerprints of landmarks are CRC-32 (8 hex digits), as rsync finds blocks: a quick check
that finds candidates in one pass over the document; only the SHA-256 of the whole
normalised passage confirms a match. A span with only start, end and sha256 (the first
format) is still read; it can reach only the "exact" rung.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

from .normalise import Normalised

WINDOW = 32  # characters fingerprinted at a landmark
REACH = 4000  # how far from the passage a context landmark is looked for
_LANDMARK = re.compile(r" [A-Z0-9\u20b9]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX8 = re.compile(r"[0-9a-f]{8}")
_KEYS = ("start", "end", "sha256", "norm", "length", "head", "before", "after", "figures")
_CONTEXT = ("head", "before", "after")


class EvidenceError(ValueError):
    """An evidence entry is malformed: not a span (see the module doc), or out of order."""


def sha256_text(text: str) -> str:
    """Hex SHA-256 of TEXT's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def window_print(text: str) -> str:
    """The fingerprint of a landmark's window: CRC-32 of its UTF-32 code units, as 8 hex."""
    return f"{zlib.crc32(text.encode('utf-32-le')):08x}"


def landmarks(text: str, start: int = 0, end: int | None = None) -> list[int]:
    """The landmarks of TEXT (normalised) from START to END: where a word begins with a
    capital letter, a digit or ₹, after a space or at the very start."""
    stop = len(text) if end is None else min(end, len(text))
    found = [m.start() + 1 for m in _LANDMARK.finditer(text, max(0, start - 1), stop)]
    if start == 0 and text[:1] and _LANDMARK.match(" " + text[0]):
        found.insert(0, 0)
    return [p for p in found if start <= p < stop]


class Span:
    """One evidence span (see the module doc). Old-format spans have norm None.

    A plain class (not a dataclass): commands import it, and start-up time counts."""

    __slots__ = _KEYS

    def __init__(
        self,
        start: int,
        end: int,
        sha256: str,
        norm: str | None = None,
        length: int = 0,
        head: tuple[str, int] | None = None,
        before: tuple[str, int] | None = None,
        after: tuple[str, int] | None = None,
        figures: tuple[str, ...] = (),
    ) -> None:
        self.start, self.end, self.sha256 = start, end, sha256
        self.norm, self.length, self.figures = norm, length, figures
        self.head, self.before, self.after = head, before, after

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, k) for k in _KEYS)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Span) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Span({self.start}, {self.end}, {self.sha256[:12]!r}…, norm={self.norm is not None})"
        )

    @property
    def label(self) -> str:
        return f"{self.start}-{self.end}"

    @classmethod
    def of(cls, document: str | Normalised, start: int, end: int) -> Span:
        """The span of DOCUMENT[START:END] with every fingerprint the ladder needs."""
        doc = document if isinstance(document, Normalised) else Normalised(document)
        raw = doc.raw
        if not 0 <= start < end <= len(raw) or not raw[start:end].strip():
            raise EvidenceError(f"span {start}-{end} is not words of a {len(raw)}-character text")
        text = doc.text
        a, b = doc.from_raw(start), doc.from_raw(end)
        while a < b and text[a] == " ":
            a += 1
        while b > a and text[b - 1] == " ":
            b -= 1
        passage = text[a:b]

        def at(p: int) -> str:
            return window_print(text[p : p + WINDOW])

        inside = landmarks(text, a, b)
        head = (at(inside[0]), inside[0] - a) if inside else None
        earlier = [p for p in landmarks(text, max(0, a - REACH), a) if p + WINDOW <= a]
        before = (at(earlier[-1]), a - earlier[-1]) if earlier else None
        later = landmarks(text, b, b + REACH)
        after = (at(later[0]), later[0] - b) if later else None
        return cls(
            start,
            end,
            sha256_text(raw[start:end]),
            sha256_text(passage),
            len(passage),
            head,
            before,
            after,
            tuple(_NUMBER.findall(passage)),
        )

    @classmethod
    def from_toml(cls, data: Any) -> Span:
        """Read one span; EvidenceError saying what is wrong when it is not one."""
        problem = span_problem(data)
        if problem:
            raise EvidenceError(problem)
        given: dict[str, Any] = {
            k: tuple(v) if k in _CONTEXT or k == "figures" else v for k, v in data.items()
        }
        return cls(**given)

    def as_toml(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "sha256": self.sha256}
        if self.norm is not None:
            out["norm"], out["length"] = self.norm, self.length
            for key in _CONTEXT:
                pair = getattr(self, key)
                if pair is not None:
                    out[key] = [pair[0], pair[1]]
            out["figures"] = list(self.figures)
        return out

    def moved_to(self, start: int, end: int, sha256: str) -> Span:
        """This span at new offsets of a copy (its fingerprints of normalised text hold)."""
        new = Span(start, end, sha256)
        for key in _KEYS[3:]:
            setattr(new, key, getattr(self, key))
        return new


def span_problem(data: Any) -> str | None:
    """What is wrong with DATA as one evidence span, or None. validation.py calls this."""
    if not isinstance(data, Mapping):
        return 'must be a table { start = …, end = …, sha256 = "…", norm = "…", … }'
    extra = sorted(str(k) for k in data if k not in _KEYS)
    if extra:
        return f"unknown key(s) {', '.join(extra)}; a span has {', '.join(_KEYS)}"
    missing = [k for k in ("start", "end", "sha256") if k not in data]
    if len(data) > 3:
        missing += [k for k in ("norm", "length") if k not in data]
    if missing:
        return f"missing {', '.join(missing)}"
    start, end = data["start"], data["end"]
    if type(start) is not int or type(end) is not int or not 0 <= start < end:
        return "start and end must be whole numbers with 0 <= start < end"
    for key in ("sha256", "norm"):
        value = data.get(key, "0" * 64)
        if type(value) is not str or not _HEX64.fullmatch(value):
            return f"{key} must be 64 lower-case hex digits"
    length = data.get("length", 1)
    if type(length) is not int or length < 1:
        return "length must be a whole number of characters, 1 or more"
    for key in _CONTEXT:
        pair = data.get(key)
        if pair is None:
            continue
        if (
            type(pair) is not list
            or len(pair) != 2
            or type(pair[0]) is not str
            or not _HEX8.fullmatch(pair[0])
            or type(pair[1]) is not int
            or pair[1] < 0
        ):
            return f'{key} must be ["8 hex digits", a whole number of characters >= 0]'
    figures = data.get("figures", [])
    if type(figures) is not list or not all(
        type(f) is str and _NUMBER.fullmatch(f) for f in figures
    ):
        return 'figures must be a list of numbers as text, such as ["90000", "22.5"]'
    return None


def spans_of(record: Mapping[str, Any]) -> list[Span]:
    """A record's evidence spans (none when it has no `evidence`); EvidenceError if malformed."""
    entries = record.get("evidence")
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise EvidenceError("evidence must be a list of spans { start, end, sha256, … }")
    spans = []
    for i, entry in enumerate(entries):
        try:
            spans.append(Span.from_toml(entry))
        except EvidenceError as exc:
            raise EvidenceError(f"evidence[{i}]: {exc}") from None
    return spans


def _inline(span: Span) -> str:
    parts = []
    for key, value in span.as_toml().items():
        if isinstance(value, str):
            parts.append(f'{key} = "{value}"')
        elif isinstance(value, list):
            items = ", ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in value)
            parts.append(f"{key} = [{items}]")
        else:
            parts.append(f"{key} = {value}")
    return "{ " + ", ".join(parts) + " }"


def evidence_toml(spans: Sequence[Span]) -> str:
    """The `evidence = [...]` lines to paste into a record: one span a line."""
    return "evidence = [\n" + "".join(f"    {_inline(s)},\n" for s in spans) + "]"
