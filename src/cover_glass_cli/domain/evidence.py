"""Evidence: each claim anchored to the exact words of its source, checked offline.

A claim's `evidence` is a list of spans of its source document: character offsets (Python
str indices into the document decoded as UTF-8, end excluded) and the SHA-256 of the span's
text; a position and a fingerprint (a W3C TextPositionSelector plus a hash), never a copy of
the source's sentences. A source may carry the SHA-256 of the whole document.

Checks are exact and deterministic. A document or span whose hash differs is reported as
changed; nothing is ever re-anchored by guesswork. A figure is present only where its exact
number is written: 9000 is not found in "90,000", and "Rs 900 billion" is not 90,000 crore.

What a claim must show in its evidence is declared field by field in its kind's module
(Field.evidence, see domain/registry.py; fields listed in `inferred` are skipped, being
implied rather than stated). Names match whole words, as written ("name", "names": or an
alias) or in any case ("term"); a reference ("ref") shows the name or an alias of the
record it names (given `refs`; a venture has no name of its own in the source, so it is
not checked); an "amount" is a bare number ("founded 1993", "five years") or a figure with
its unit and qualifier; a "fiscal_year" is "FY23", "FY2023", "FY 2022-23", "2022-23" or
"2022–2023"; a "quarter" is "April-June quarter", "Apr–Jun", and "Q1"/"first quarter" only
when a fiscal year follows ("Q1 FY24"); an "ordinal" is "second" or "2nd".

Numbers are read in Indian and Western grouping ("1,00,000", "90,000"), with or without
"Rs", "Rs.", "₹" or "INR" before them; units are "crore", "lakh", "million", "billion",
"per cent", "percent", "%" and "year(s)"; the words one..twenty and first..tenth count.
A range is "20–22 per cent", "20-22%", "20 to 22 per cent" or "between 20 and 22 per cent".
The qualifier comes from the words just before the figure, in its clause (at most three
words back): "over", "crossed", "surpassed", "more than" ... for over; "under", "below",
"less than" for under; "around", "about", "approximately" ... for approximate; none of
them for exact; a range for range. "or more", "or less", "or so" after a figure count too.

A claim passes when each figure is found, with a consistent qualifier, in one of its spans
(each span alone: spans are never joined, so no figure is made up across a seam).

Quotes are found whitespace-insensitively: a run of whitespace in the quote matches any
run in the document. Curly and straight quote marks are equal, and so are the dashes
(hyphen, en and em dash, minus): copying from a browser or a PDF changes them freely, and
no figure or name of this domain differs only by one. Letter case must match.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from .fiscal import FiscalYearError, parse_year
from .registry import QUALIFIERS, Field, find_kind

Record = Mapping[str, Any]


class EvidenceError(ValueError):
    """An evidence entry is malformed: not {start, end, sha256}, or out of order."""


class QuoteError(ValueError):
    """A quote is absent from the document, or occurs more than once.

    `candidates` holds the (start, end) offsets of the closest passages (absent) or of
    every occurrence (ambiguous); the message lists them with a little context.
    """

    def __init__(self, message: str, candidates: list[tuple[int, int]]) -> None:
        super().__init__(message)
        self.candidates = candidates


# --- hashes and spans -------------------------------------------------------------


def sha256_text(text: str) -> str:
    """Hex SHA-256 of TEXT's UTF-8 bytes: for a whole document, the hash of the file."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_text(data: bytes) -> str:
    """A document's text as offsets count it: strict UTF-8, newlines left as they are.

    (Text-mode reading would turn CRLF into LF and shift every offset after it.)
    """
    return data.decode("utf-8")


_HEX64 = re.compile(r"[0-9a-f]{64}")


class Span:
    """Characters START to END (excluded) of a document, and the SHA-256 of that text.

    A plain class (not a dataclass): this module is imported by commands, and start-up
    time counts."""

    __slots__ = ("end", "sha256", "start")

    def __init__(self, start: int, end: int, sha256: str) -> None:
        self.start, self.end, self.sha256 = start, end, sha256

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Span) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Span({self.start}, {self.end}, {self.sha256!r})"

    def _key(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.sha256)

    @classmethod
    def of(cls, document: str, start: int, end: int) -> Span:
        """The span of DOCUMENT[START:END], fingerprinted."""
        if not 0 <= start < end <= len(document):
            raise EvidenceError(
                f"span {start}-{end} is not inside a {len(document)}-character text"
            )
        return cls(start, end, sha256_text(document[start:end]))

    @classmethod
    def from_toml(cls, data: Any) -> Span:
        """Read `{ start = 812, end = 870, sha256 = "…" }`; EvidenceError if it is not that."""
        if not isinstance(data, Mapping):
            raise EvidenceError('must be a table { start = …, end = …, sha256 = "…" }')
        extra = sorted(str(k) for k in data if k not in ("start", "end", "sha256"))
        if extra:
            raise EvidenceError(f"unknown key(s) {', '.join(extra)}; use start, end, sha256")
        start, end, digest = data.get("start"), data.get("end"), data.get("sha256")
        for name, value in (("start", start), ("end", end)):
            if not isinstance(value, int) or isinstance(value, bool):
                raise EvidenceError(f"{name} must be a whole number of characters")
        assert isinstance(start, int) and isinstance(end, int)
        if not 0 <= start < end:
            raise EvidenceError(f"start and end must satisfy 0 <= start < end, not {start}-{end}")
        if not isinstance(digest, str) or not _HEX64.fullmatch(digest):
            raise EvidenceError("sha256 must be 64 lower-case hex digits")
        return cls(start, end, digest)

    def as_toml(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "sha256": self.sha256}

    @property
    def label(self) -> str:
        return f"{self.start}-{self.end}"


def spans_of(record: Record) -> list[Span]:
    """A record's evidence spans (none when it has no `evidence`); EvidenceError if malformed."""
    entries = record.get("evidence")
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise EvidenceError("evidence must be a list of { start, end, sha256 } tables")
    spans = []
    for i, entry in enumerate(entries):
        try:
            spans.append(Span.from_toml(entry))
        except EvidenceError as exc:
            raise EvidenceError(f"evidence[{i}]: {exc}") from None
    return spans


def evidence_toml(spans: Sequence[Span]) -> str:
    """The `evidence = [...]` line (or lines, for several spans) to paste into a record."""
    tables = [f'{{ start = {s.start}, end = {s.end}, sha256 = "{s.sha256}" }}' for s in spans]
    if len(tables) == 1:
        return f"evidence = [{tables[0]}]"
    return "evidence = [\n" + "".join(f"    {t},\n" for t in tables) + "]"


# --- finding a quote ----------------------------------------------------------------

_FOLD = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    }
)
_WHITESPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Curly quotes to straight ones, every dash to '-': one character for one, so offsets
    into the folded text are offsets into TEXT."""
    return text.translate(_FOLD)


def _canonical(text: str, *, folded: bool = True) -> tuple[str, list[int]]:
    """TEXT with each run of whitespace made one space (and folded), and for each of its
    characters the offset in TEXT where it comes from."""
    source = fold(text) if folded else text
    parts: list[str] = []
    index: list[int] = []
    pos = 0
    for run in _WHITESPACE.finditer(source):
        parts += (source[pos : run.start()], " ")
        index += range(pos, run.start())
        index.append(run.start())
        pos = run.end()
    parts.append(source[pos:])
    index += range(pos, len(source))
    return "".join(parts), index


def one_line(text: str, limit: int = 200) -> str:
    """TEXT quoted for a one-line message: whitespace runs as one space, control and
    format characters escaped (no terminal escapes, no bidi tricks), at most LIMIT chars."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    out = []
    for char in flat:
        if char == "\\" or char == '"':
            out.append("\\" + char)
        elif char.isprintable():
            out.append(char)
        else:
            out.append(char.encode("unicode_escape").decode("ascii"))
    return '"' + "".join(out) + '"'


def find_quote(document: str, quote: str) -> tuple[int, int]:
    """The (start, end) of the one passage of DOCUMENT that QUOTE gives, whitespace,
    quote marks and dashes aside. QuoteError when it occurs nowhere (listing the closest
    passages) or more than once (listing each occurrence with its context)."""
    needle, _ = _canonical(quote.strip())
    if not needle:
        raise QuoteError("the quote is empty", [])
    hay, index = _canonical(document)
    hits: list[tuple[int, int]] = []
    at = hay.find(needle)
    while at != -1:
        hits.append((index[at], index[at + len(needle) - 1] + 1))
        at = hay.find(needle, at + 1)
    if len(hits) == 1:
        return hits[0]
    if hits:
        lines = [_in_context(document, s, e) for s, e in hits[:10]]
        more = f"\n  … and {len(hits) - 10} more" if len(hits) > 10 else ""
        raise QuoteError(
            f"the quote occurs {len(hits)} times; quote more of the passage to make it unique:\n"
            + "\n".join(lines)
            + more,
            hits,
        )
    closest = _closest(hay, index, needle)
    if not closest:
        raise QuoteError("the quote is not in the document, which is empty", [])
    lines = [f"  {s}-{e}: {one_line(document[s:e])}" for s, e in closest]
    raise QuoteError(
        "the quote is not in the document (whitespace, quote marks and dashes aside); "
        "closest passages:\n" + "\n".join(lines),
        closest,
    )


def _in_context(document: str, start: int, end: int, width: int = 30) -> str:
    before = document[max(0, start - width) : start]
    after = document[end : end + width]
    text = one_line(before + "[" + document[start:end] + "]" + after)
    return f"  {start}-{end}: {text}"


def _closest(hay: str, index: list[int], needle: str, limit: int = 3) -> list[tuple[int, int]]:
    """Up to LIMIT non-overlapping passages of the canonical text most like NEEDLE, each
    starting at a word, as offsets into the document."""
    if not hay.strip():
        return []
    import difflib  # only on this error path

    size = len(needle)
    starts = [0] + [m.end() for m in re.finditer(" ", hay) if m.end() < len(hay)]
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(needle)
    rough = []
    for start in starts:
        matcher.set_seq1(hay[start : start + size])
        rough.append((matcher.quick_ratio(), start))
    rough.sort(key=lambda pair: (-pair[0], pair[1]))
    scored = []
    for _, start in rough[:60]:
        matcher.set_seq1(hay[start : start + size])
        scored.append((matcher.ratio(), start))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    chosen: list[tuple[int, int]] = []
    for _, start in scored:
        stop = min(start + size, len(hay))
        if all(stop <= a or start >= b for a, b in chosen):
            chosen.append((start, stop))
        if len(chosen) == limit:
            break
    return [(index[a], index[b - 1] + 1) for a, b in chosen]


# --- what a claim asserts ---------------------------------------------------------


class Figure:
    """One thing a claim asserts that its evidence must show.

    kind is "amount" (numbers = (value,), with unit and qualifier), "range" (numbers =
    (low, high)), "fiscal_year" ((fy,)), "quarter" ((quarter,)), "ordinal" ((rank,)),
    "name" (any one of `names`, case sensitive) or "term" (any one of `names`, any case).
    unit is "INR crore", "INR lakh", "INR million", "INR billion", "percent", "years", or
    None for a bare number such as a year. label is how problems name it: "90000", "FY2023".
    """

    __slots__ = ("field", "kind", "label", "names", "numbers", "qualifier", "unit")

    def __init__(
        self,
        field: str,
        kind: str,
        label: str,
        numbers: tuple[float, ...] = (),
        unit: str | None = None,
        qualifier: str = "exact",
        names: tuple[str, ...] = (),
    ) -> None:
        self.field, self.kind, self.label, self.numbers = field, kind, label, numbers
        self.unit, self.qualifier, self.names = unit, qualifier, names

    def __repr__(self) -> str:
        return f"Figure({self.field!r}, {self.kind!r}, {self.label!r}, {self.qualifier!r})"


def _strings(value: Any) -> list[str]:
    """The non-blank strings of a list field; nothing when it is not a list."""
    items = value if isinstance(value, list | tuple) else ()
    return [item for item in items if isinstance(item, str) and item.strip()]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _plain(value: float) -> str:
    """90000.0 -> '90000', 12.5 -> '12.5': a figure as problems name it."""
    return str(int(value)) if value.is_integer() else repr(value)


def names_by_id(records_by_kind: Mapping[str, Sequence[Record]]) -> dict[str, tuple[str, ...]]:
    """For each company and person, the names the source may use for it: the `refs` that
    figures_of and the checks take to check a speaker, partner, supplier or employer."""
    refs: dict[str, tuple[str, ...]] = {}
    for kind in ("companies", "people"):
        for record in records_by_kind.get(kind, ()):
            if not isinstance(record, Mapping):
                continue
            refs[str(record.get("id"))] = tuple(_strings([record.get("name")])) + tuple(
                _strings(record.get("aliases"))
            )
    return refs


def figures_of(
    kind: str, record: Record, refs: Mapping[str, Sequence[str]] | None = None
) -> list[Figure]:
    """What the claim RECORD (of KIND) asserts that must be seen in its evidence: each field
    its kind declares with an `evidence` role (see domain/registry.py). REFS (names_by_id)
    lets references to companies and people be checked by name; without it they are not
    checked."""

    declared = find_kind(kind)
    skip = set(_strings(record.get("inferred")))
    figures: list[Figure] = []
    for field in declared.fields if declared is not None else ():
        if field.evidence is not None and field.name not in skip:
            figures.extend(_shown(field, record, refs, skip))
    return figures


def _shown(
    field: Field, record: Record, refs: Mapping[str, Sequence[str]] | None, skip: set[str]
) -> list[Figure]:
    """What FIELD of RECORD must show in the evidence, by its role (Field.evidence)."""
    name, role, value = field.name, field.evidence, record.get(field.name)
    if role in ("name", "term"):  # a name as written; a term in any case
        kind = "term" if role == "term" else "name"
        return [Figure(name, kind, v, names=(v,)) for v in _strings(_items(value))]
    if role == "names":  # the name or one of the aliases
        names = tuple(_strings([value, *_strings(record.get("aliases"))]))
        return [Figure(name, "name", names[0], names=names)] if names else []
    if role == "ref":  # the name behind each id
        found = []
        for target in _items(value):
            known = (
                tuple(refs.get(target, ())) if refs is not None and isinstance(target, str) else ()
            )
            if known:
                found.append(Figure(name, "name", f"{known[0]} ({target})", names=known))
        return found
    number = _number(value)
    if role == "figure":
        unit = _unit(record.get("unit"))
        low, high = _number(record.get("low")), _number(record.get("high"))
        if record.get("qualifier") == "range" and low is not None and high is not None:
            if {"low", "high"} & skip:
                return []
            label = f"{_plain(low)}-{_plain(high)}"
            return [Figure("low/high", "range", label, (low, high), unit, "range")]
        return _amount(name, "", number, unit, record.get("qualifier"))
    if role == "amount":
        qualifier = record.get(field.qualifier) if field.qualifier else "exact"
        return _amount(name, field.label, number, field.unit, qualifier)
    if number is None:
        return []
    if role == "fiscal_year":
        return [Figure(name, "fiscal_year", f"FY{_plain(number)}", (number,))]
    if role == "quarter":
        return [Figure(name, "quarter", f"Q{_plain(number)}", (number,))]
    if role == "ordinal":
        return [Figure(name, "ordinal", f"{name} {_plain(number)}", (number,))]
    raise ValueError(f"{name}: no evidence role {role!r}")  # pragma: no cover - a declaration


def _items(value: Any) -> list[Any]:
    """A list field's items; any other value as a list of one."""
    return value if isinstance(value, list) else [value]


def _amount(
    name: str, label: str, value: float | None, unit: str | None, qualifier: Any
) -> list[Figure]:
    if value is None:
        return []
    q = qualifier if qualifier in QUALIFIERS else "exact"
    return [Figure(name, "amount", label + _plain(value), (value,), unit, q)]


def _unit(unit: Any) -> str | None:
    return unit if isinstance(unit, str) and unit in _UNIT_NAMES else None


# --- reading numbers in text ----------------------------------------------------------

_NUMBER_WORDS = {
    word: i + 1
    for i, word in enumerate(
        ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen", "twenty")
    )
}  # fmt: skip
_ORDINAL_WORDS = {
    word: i + 1
    for i, word in enumerate(
        ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
         "tenth")
    )
}  # fmt: skip
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})+,\d{3}|\d+)(?:\.\d+)?(?![.,]\d)"
_WORDS = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_NUM = rf"(?:{_DIGITS}|(?i:{_WORDS}))(?!\w)"
_CURRENCY = r"(?:Rs\.?|₹|INR)\s*"
_UNIT_NAMES = {
    "INR crore": r"crores?|cr\.?",
    "INR lakh": r"lakhs?|lacs?",
    "INR million": r"million|mn",
    "INR billion": r"billion|bn",
    "percent": r"per\s*cent|pc|%",
    "years": r"years?",
}
_UNIT = "(?i:" + "|".join(_UNIT_NAMES.values()) + r")(?!\w)"


class _Regexes:
    """The compiled patterns, built on first use (compiling them costs ~30 ms)."""

    def __init__(self) -> None:
        self.unit_of = [(n, re.compile(rf"(?i:{p})")) for n, p in _UNIT_NAMES.items()]
        self.quantity = re.compile(_QUANTITY, re.VERBOSE)
        self.ordinal = re.compile(_ORDINAL)
        self.fiscal = re.compile(_FISCAL)
        self.quarters = {q: re.compile(p) for q, p in _QUARTERS.items()}
        self.clause_end = re.compile(_CLAUSE_END)
        self.word = re.compile(_WORD)


@functools.cache
def _rx() -> _Regexes:
    return _Regexes()


_QUANTITY = rf"""
    (?<!\w)(?<!\d[.,])
    (?P<between>(?i:between)\s+)?
    (?:{_CURRENCY})?
    (?P<a>{_NUM})
    (?:[\s-]*(?P<unit_a>{_UNIT}))?
    (?:
        \s*(?P<sep>-|(?i:to)|(?(between)(?i:and)|(?!)))\s*
        (?:{_CURRENCY})?
        (?P<b>{_NUM})
    )?
    (?:[\s-]*(?P<unit>{_UNIT}))?
    (?P<post>\s*(?:\+|(?i:or\s+more|or\s+less|or\s+so|plus)(?!\w)))?
    """
_ORDINAL = r"(?<!\w)(?:\d+(?:st|nd|rd|th)|(?i:" + "|".join(_ORDINAL_WORDS) + r"))(?!\w)"
_FISCAL = (
    r"(?<!\w)(?:(?i:FY)\s?'?(?:\d{4}|\d{2})(?:\s?[-/]\s?(?:\d{4}|\d{2}))?"
    r"|\d{4}\s?[-/]\s?(?:\d{4}|\d{2}))(?!\w)(?![.,]\d)"
)
_MONTHS = {
    1: ("April|Apr", "June|Jun"),
    2: ("July|Jul", "September|Sept|Sep"),
    3: ("October|Oct", "December|Dec"),
    4: ("January|Jan", "March|Mar"),
}
_QUARTERS = {
    q: (
        rf"(?<!\w)(?:(?i:{first})\.?\s*(?:-|(?i:to))\s*(?i:{last})\.?(?:\s+(?i:quarter))?(?!\w)"
        rf"|(?:Q{q}|(?i:{ordinal}|{q}{suffix})[\s-]+(?i:quarter))"
        rf"(?=(?:\s+(?i:of))?(?:\s+(?i:the))?\s*(?:(?i:FY)|(?i:fiscal))))"
    )
    for q, (first, last), ordinal, suffix in zip(
        _MONTHS,
        _MONTHS.values(),
        ("first", "second", "third", "fourth"),
        ("st", "nd", "rd", "th"),
        strict=True,
    )
}

_QUALIFIER_WORDS: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ("over", "above", "crossed", "crosses", "surpassed", "surpasses", "exceeded",
         "exceeds", "topped", "more than", "upwards of", ">"),
        frozenset({"over"}),
    ),
    **dict.fromkeys(("under", "below", "less than", "<"), frozenset({"under"})),
    **dict.fromkeys(
        ("around", "about", "approximately", "approx", "roughly", "some", "close to",
         "~", "≈"),
        frozenset({"approximate"}),
    ),
    **dict.fromkeys(("nearly", "almost"), frozenset({"approximate", "under"})),
}  # fmt: skip
_POST_QUALIFIER = {
    "+": "over",
    "or more": "over",
    "plus": "over",
    "or less": "under",
    "or so": "approximate",
}
_CLAUSE_END = r"[,;:!?()\[\]\"]|(?<!\bRs)(?<!\bapprox)\.(?=\s|$)"
_WORD = r"[^\W\d_]+|[~≈<>]"


class _Quantity:
    """A number or range as written: where (including currency and unit), its value(s),
    its unit, the qualifiers its words allow, and where its qualifier word starts."""

    __slots__ = ("end", "high", "lead", "low", "says", "start", "unit")

    def __init__(
        self,
        start: int,
        end: int,
        low: float,
        high: float | None,
        unit: str | None,
        says: frozenset[str],
        lead: int,
    ) -> None:
        self.start, self.end, self.low, self.high = start, end, low, high
        self.unit, self.says, self.lead = unit, says, lead


def _value(text: str) -> float:
    word = _NUMBER_WORDS.get(text.lower())
    return float(word) if word is not None else float(text.replace(",", ""))


def _unit_name(text: str | None) -> str | None:
    if text is None:
        return None
    return next(name for name, pattern in _rx().unit_of if pattern.fullmatch(text))


def _qualifier_before(text: str, start: int) -> tuple[frozenset[str], int]:
    """The qualifiers the words before START (in its clause, at most three words back)
    allow, and where the qualifying word starts (START when there is none)."""
    window = text[max(0, start - 80) : start]
    ends = list(_rx().clause_end.finditer(window))
    offset = max(0, start - 80) + (ends[-1].end() if ends else 0)
    words = list(_rx().word.finditer(text, offset, start))[-3:]
    found: set[str] = set()
    lead = start
    for i, word in enumerate(words):
        for phrase in (word.group().lower(), " ".join(w.group().lower() for w in words[i : i + 2])):
            if phrase in _QUALIFIER_WORDS:
                found |= _QUALIFIER_WORDS[phrase]
                lead = min(lead, word.start())
    return frozenset(found), lead


@functools.lru_cache(maxsize=64)
def _quantities(text: str) -> tuple[_Quantity, ...]:
    """Every number and range written in TEXT (folded), with its unit and qualifiers."""
    found = []
    pos = 0
    while (m := _rx().quantity.search(text, pos)) is not None:
        pos = m.end()
        low = _value(m.group("a"))
        high = _value(m.group("b")) if m.group("b") else None
        unit = _unit_name(m.group("unit") or m.group("unit_a"))
        end = m.end()
        first_unit = _unit_name(m.group("unit_a"))
        if high is not None and m.group("unit") and first_unit not in (None, unit):
            # "rose 5% to 100 crore": two figures, not a range; read on after the first
            high, unit, end = None, first_unit, m.end("unit_a")
            pos = end
        if m.group("between") and high is None:
            continue  # "between 20 and" with no second number: not a figure we can read
        says, lead = _qualifier_before(text, m.start())
        if high is not None:
            says = frozenset({"range"})
        post = " ".join((m.group("post") or "").lower().split()) if end == m.end() else ""
        if high is None and post in _POST_QUALIFIER:
            says = says | {_POST_QUALIFIER[post]}
        found.append(_Quantity(m.start(), end, low, high, unit, says or _EXACT, lead))
    return tuple(found)


_EXACT = frozenset({"exact"})


class _Hit:
    """Where a figure is written, and the qualifiers its words allow."""

    __slots__ = ("end", "says", "start")

    def __init__(self, start: int, end: int, says: frozenset[str]) -> None:
        self.start, self.end, self.says = start, end, says


def _hits(figure: Figure, text: str) -> list[_Hit]:
    """Where FIGURE is written in TEXT (already folded), and what its words say of it."""
    if figure.kind in ("name", "term"):
        flags = re.IGNORECASE if figure.kind == "term" else 0
        hits = []
        for name in figure.names:
            words = fold(name).split()
            pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)"
            hits += [_Hit(m.start(), m.end(), _EXACT) for m in re.finditer(pattern, text, flags)]
        return hits
    if figure.kind == "fiscal_year":
        hits = []
        for m in _rx().fiscal.finditer(text):
            try:
                year = parse_year(m.group())
            except FiscalYearError:
                continue
            if year == figure.numbers[0]:
                hits.append(_Hit(m.start(), m.end(), _EXACT))
        return hits
    if figure.kind == "quarter":
        number = figure.numbers[0]
        quarter = _rx().quarters.get(int(number)) if number.is_integer() else None
        if quarter is None:
            return []
        return [_Hit(m.start(), m.end(), _EXACT) for m in quarter.finditer(text)]
    if figure.kind == "ordinal":
        return [
            _Hit(m.start(), m.end(), _EXACT)
            for m in _rx().ordinal.finditer(text)
            if _ordinal_value(m.group()) == figure.numbers[0]
        ]
    hits = []
    for q in _quantities(text):
        if q.unit != figure.unit:
            continue
        if figure.kind == "range":
            exact_range = q.high is not None and (q.low, q.high) == figure.numbers
            if exact_range or (q.high is None and q.low in figure.numbers):
                hits.append(_Hit(q.lead, q.end, q.says))
        elif figure.numbers[0] in (q.low, q.high):
            hits.append(_Hit(q.lead, q.end, q.says))
    return hits


def _ordinal_value(text: str) -> float:
    word = _ORDINAL_WORDS.get(text.lower())
    return float(word) if word is not None else float(text[:-2])


# --- checking claims against their spans -------------------------------------------


def _check(figures: Sequence[Figure], spans: Sequence[tuple[str, str]]) -> list[str]:
    """Problems of FIGURES against SPANS, (label, text) pairs: each figure must be written,
    with a qualifier its words allow, in at least one span."""
    problems = []
    folded = [(label, fold(text)) for label, text in spans]
    where_all = _where([label for label, _ in spans])
    for figure in figures:
        seen: dict[str, set[str]] = {}
        consistent = False
        for label, text in folded:
            for hit in _hits(figure, text):
                seen.setdefault(label, set()).update(hit.says)
                consistent = consistent or figure.qualifier in hit.says
        what = "name" if figure.kind in ("name", "term") else "figure"
        shown = f'"{figure.label}"' if what == "name" else figure.label
        if not seen:
            problems.append(f"{what} {shown} not in {where_all}")
        elif not consistent:
            says = " or ".join(sorted(set().union(*seen.values())))
            problems.append(
                f"figure {shown} is {figure.qualifier} but {_where(list(seen))} gives it as {says}"
            )
    return problems


def _where(labels: Sequence[str]) -> str:
    if len(labels) == 1 and not labels[0][:1].isdigit():
        return labels[0]
    return ("evidence span " if len(labels) == 1 else "evidence spans ") + ", ".join(labels)


def check_span(
    kind: str,
    record: Record,
    span_text: str,
    refs: Mapping[str, Sequence[str]] | None = None,
) -> list[str]:
    """Problems of one claim against one passage of text, not yet a span of a document:
    each figure and name it asserts that the passage does not show, or shows otherwise.
    (check_claim applies the same check to each evidence span, after its hashes.)"""
    return _check(figures_of(kind, record, refs), [("the quoted passage", span_text)])


def check_claim(
    kind: str,
    record: Record,
    document: str,
    spans: Sequence[Span] | None = None,
    refs: Mapping[str, Sequence[str]] | None = None,
) -> list[str]:
    """Problems of one claim against its evidence in DOCUMENT: a span out of the document
    or whose text changed (then its figures are not checked: nothing is re-anchored), or a
    figure or name not shown by any of its spans. SPANS default to the record's own."""
    if spans is None:
        try:
            spans = spans_of(record)
        except EvidenceError as exc:
            return [str(exc)]
    problems = []
    texts = []
    for span in spans:
        if span.end > len(document):
            problems.append(
                f"evidence span {span.label} runs past the end of the document "
                f"({len(document)} characters)"
            )
        elif sha256_text(document[span.start : span.end]) != span.sha256:
            problems.append(f"evidence span {span.label} changed: its text has another sha256")
        else:
            texts.append((span.label, document[span.start : span.end]))
    if problems or not texts:
        return problems
    return _check(figures_of(kind, record, refs), texts)


def highlight_ranges(
    kind: str,
    record: Record,
    span_text: str,
    refs: Mapping[str, Sequence[str]] | None = None,
) -> list[tuple[int, int]]:
    """Where in SPAN_TEXT the claim's figures (with their qualifying words) and names are
    written, as sorted, non-overlapping (start, end) offsets: what `evidence` marks."""
    folded = fold(span_text)
    ranges = sorted(
        (hit.start, hit.end)
        for figure in figures_of(kind, record, refs)
        for hit in _hits(figure, folded)
    )
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class Finding:
    """One problem verify found: the record (KIND, KEY = its id) and what is wrong."""

    __slots__ = ("key", "kind", "message")

    def __init__(self, kind: str, key: str, message: str) -> None:
        self.kind, self.key, self.message = kind, key, message

    def __str__(self) -> str:
        return f"{self.key}: {self.message}"

    def __repr__(self) -> str:
        return f"Finding({self.kind!r}, {self.key!r}, {self.message!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Finding) and (self.kind, self.key, self.message) == (
            other.kind,
            other.key,
            other.message,
        )

    def __hash__(self) -> int:
        return hash((self.kind, self.key, self.message))


def verify(
    records_by_kind: Mapping[str, Sequence[Record]],
    documents: Mapping[str, str | None],
    *,
    require_evidence: bool = False,
) -> list[Finding]:
    """Check every claim with evidence against its source's document.

    DOCUMENTS maps a source id to its text (document_text of the file), or None when it
    cannot be read. A source whose `sha256` differs from its document's is reported once
    as changed; each claim's spans are still checked by their own hashes. A source without
    a document is reported once, with the number of claims left unchecked. With
    REQUIRE_EVIDENCE, a claim that asserts figures or names but has no evidence is reported.
    """
    findings: list[Finding] = []
    refs = names_by_id(records_by_kind)
    for source in records_by_kind.get("sources", ()):
        sid, want = str(source.get("id")), source.get("sha256")
        document = documents.get(sid)
        if document is not None and want is not None and sha256_text(document) != want:
            findings.append(
                Finding(
                    "sources",
                    sid,
                    f"document changed: its sha256 is {sha256_text(document)}, "
                    f"the source gives {one_line(str(want), 80)}",
                )
            )
    unchecked: dict[str, int] = {}
    for kind, records in records_by_kind.items():
        if kind == "sources" or not isinstance(records, list):
            continue  # a raw TOML table also holds schema_version
        for record in records:
            if not isinstance(record, Mapping):
                continue
            key = str(record.get("id"))
            if not record.get("evidence"):
                figures = figures_of(kind, record, refs) if require_evidence else []
                if figures:
                    labels = ", ".join(f.label for f in figures)
                    findings.append(Finding(kind, key, f"no evidence for {labels}"))
                continue
            sid = str(record.get("source"))
            document = documents.get(sid)
            if document is None:
                unchecked[sid] = unchecked.get(sid, 0) + 1
                continue
            findings += [
                Finding(kind, key, m) for m in check_claim(kind, record, document, None, refs)
            ]
    for sid, count in unchecked.items():
        claims = "claim" if count == 1 else "claims"
        findings.append(
            Finding(
                "sources",
                sid,
                f"document not available; {count} {claims} with evidence not checked",
            )
        )
    return findings


# --- links that scroll to the words --------------------------------------------------


def _encode(text: str) -> str:
    """Percent-encode for a text directive: everything but letters, digits and '._~',
    so '-', ',' and '&' (the directive's own syntax) are encoded too."""
    from urllib.parse import quote

    return quote(text, safe="").replace("-", "%2D")


def text_fragment(document: str, start: int, end: int) -> str:
    """A `#:~:text=` fragment (URL Fragment Text Directives) that makes a browser scroll
    to DOCUMENT[START:END], widened to whole words: the whole text when short, else
    `start,end` with as few words each as make the first match ours; with the fewest
    words of `prefix-,` that do when even the whole text occurs earlier. Whitespace runs are one space (as a page renders them);
    uniqueness is judged case-insensitively, as browsers match."""
    if not 0 <= start < end <= len(document) or not document[start:end].strip():
        raise EvidenceError(f"span {start}-{end} is not words of a {len(document)}-character text")
    while start > 0 and document[start - 1].isalnum() and document[start].isalnum():
        start -= 1
    while end < len(document) and document[end - 1].isalnum() and document[end].isalnum():
        end += 1
    hay, index = _canonical(document, folded=False)
    first = next(i for i, at in enumerate(index) if at >= start)
    while hay[first] == " ":
        first += 1
    last = max(i for i, at in enumerate(index) if at < end) + 1
    while hay[last - 1] == " ":
        last -= 1
    text = hay[first:last]
    folded = hay.casefold()
    at_start, at_end = len(hay[:first].casefold()), len(hay[:last].casefold())

    def ours(head: str, tail: str | None) -> bool:
        if folded.find(head.casefold()) != at_start:
            return False
        if tail is None:
            return True
        from_ = at_start + len(head.casefold())
        found = folded.find(tail.casefold(), from_)
        return found != -1 and found + len(tail.casefold()) == at_end

    words = text.split(" ")
    if len(words) > 8:
        for count in range(3, (len(words) - 1) // 2 + 1):
            head, tail = " ".join(words[:count]), " ".join(words[-count:])
            if ours(head, tail):
                return f"#:~:text={_encode(head)},{_encode(tail)}"
    if ours(text, None):
        return f"#:~:text={_encode(text)}"
    before = hay[:first].split()
    for count in range(1, min(len(before), 8) + 1):
        prefix = " ".join(before[-count:])
        if folded.find((prefix + " " + text).casefold()) == at_start - len(prefix.casefold()) - 1:
            break
    else:
        return f"#:~:text={_encode(text)}"  # the first passage of the document: no prefix
    return f"#:~:text={_encode(prefix)}-,{_encode(text)}"


def fragment_link(url: str, document: str, start: int, end: int) -> str:
    """URL with a text fragment to DOCUMENT[START:END]; an element fragment is kept, an
    earlier text directive replaced."""
    base, _, element = url.partition("#")
    element = element.split(":~:")[0]
    return base + "#" + element + text_fragment(document, start, end)[1:]


# --- curation: anchoring a new claim --------------------------------------------------


def anchor(
    kind: str,
    record: Record,
    quotes: str | Sequence[str],
    document: str,
    refs: Mapping[str, Sequence[str]] | None = None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """The `evidence` value for RECORD (of KIND) from QUOTES (one or several passages
    of DOCUMENT), and the problems that forbid storing it: a quote absent or ambiguous,
    or a figure or name of the record that the quoted spans do not show. Evidence is
    returned only when there is no problem: a claim is never stored with words that
    do not support it."""
    problems: list[str] = []
    spans: list[Span] = []
    for quote in [quotes] if isinstance(quotes, str) else quotes:
        try:
            start, end = find_quote(document, quote)
        except QuoteError as exc:
            problems.append(f"quote {one_line(quote, 80)}: {exc}")
            continue
        spans.append(Span.of(document, start, end))
    if not spans and not problems:
        problems.append("no quote given")
    if problems:
        return [], problems
    problems = check_claim(kind, record, document, spans, refs)
    return ([] if problems else [s.as_toml() for s in spans]), problems
