"""Reading a claim's figures and names in the words of a source.

A Figure is one thing a claim asserts (a number with its unit and qualifier, a range, a
fiscal year, a quarter, an ordinal, or a name); `hits` finds where a text writes it, and
which qualifiers its words allow. Numbers are read in Indian and Western grouping, with or
without "Rs", "Rs.", "₹" or "INR"; see domain/evidence.py for what each kind must show.
"""

from __future__ import annotations

import functools
import re

from .fiscal import FiscalYearError, parse_year

_FOLD = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    }
)


def fold(text: str) -> str:
    """Curly quotes to straight ones, every dash to '-': one character for one, so offsets
    into the folded text are offsets into TEXT."""
    return text.translate(_FOLD)


ANY = "any"  # a Figure's qualifier when the record infers it: whatever the words say


class Figure:
    """One thing a claim asserts that its evidence must show.

    kind is "amount" (numbers = (value,), with unit and qualifier), "range" (numbers =
    (low, high)), "fiscal_year" ((fy,)), "quarter" ((quarter,)), "ordinal" ((rank,)),
    "name" (any one of `names`, case sensitive) or "term" (any one of `names`, any case).
    unit is "INR crore", "INR lakh", "INR million", "INR billion", "percent", "years", or
    None for a bare number such as a year. label is how problems name it: "90000", "FY2023".
    qualifier ANY: the record infers its qualifier, so any its words give will do.
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
# Digits grouped in threes (129,000) or the Indian way (1,29,000), for every reader of numbers,
# and what they say of commas that group neither way.
GROUPED = r"\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})+,\d{3}"
COMMAS = "commas must group digits in threes (90,600) or the Indian way (1,00,000)"
_DIGITS = rf"(?:{GROUPED}|\d+)(?:\.\d+)?(?![.,]\d)"
_WORDS = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_NUM = rf"(?:{_DIGITS}|(?i:{_WORDS}))(?!\w)"
_CURRENCY = r"(?:Rs\.?|₹|INR)\s*"
UNIT_NAMES = {
    "INR crore": r"crores?|cr\.?",
    "INR lakh": r"lakhs?|lacs?",
    "INR million": r"million|mn",
    "INR billion": r"billion|bn",
    "percent": r"per\s*cent|pc|%",
    "years": r"years?",
}
_UNIT = "(?i:" + "|".join(UNIT_NAMES.values()) + r")(?!\w)"


class _Regexes:
    """The compiled patterns, built on first use (compiling them costs ~30 ms)."""

    def __init__(self) -> None:
        self.unit_of = [(n, re.compile(rf"(?i:{p})")) for n, p in UNIT_NAMES.items()]
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

QUALIFIER_WORDS: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ("over", "above", "crossed", "crosses", "cross", "crossing", "surpassed", "surpasses",
         "surpass", "exceeded", "exceeds", "topped", "more than", "upwards of", ">"),
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
            if phrase in QUALIFIER_WORDS:
                found |= QUALIFIER_WORDS[phrase]
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
        if high is None and first_unit == "INR lakh" and unit == "INR crore":
            low *= 100_000  # "Rs 1.2 lakh crore": 1,20,000 crore
        says, lead = _qualifier_before(text, m.start())
        if high is not None:
            says = frozenset({"range"})
        post = " ".join((m.group("post") or "").lower().split()) if end == m.end() else ""
        if high is None and post in _POST_QUALIFIER:
            says = says | {_POST_QUALIFIER[post]}
        found.append(_Quantity(m.start(), end, low, high, unit, says or EXACT, lead))
    return tuple(found)


EXACT = frozenset({"exact"})


class _Hit:
    """Where a figure is written, and the qualifiers its words allow."""

    __slots__ = ("end", "says", "start")

    def __init__(self, start: int, end: int, says: frozenset[str]) -> None:
        self.start, self.end, self.says = start, end, says


def hits(figure: Figure, text: str) -> list[_Hit]:
    """Where FIGURE is written in TEXT (already folded), and what its words say of it."""
    if figure.kind in ("name", "term"):
        flags = re.IGNORECASE if figure.kind == "term" else 0
        hits = []
        for name in figure.names:
            words = fold(name).split()
            pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)"
            hits += [_Hit(m.start(), m.end(), EXACT) for m in re.finditer(pattern, text, flags)]
        return hits
    if figure.kind == "fiscal_year":
        hits = []
        for m in _rx().fiscal.finditer(text):
            try:
                year = parse_year(m.group())
            except FiscalYearError:
                continue
            if year == figure.numbers[0]:
                hits.append(_Hit(m.start(), m.end(), EXACT))
        return hits
    if figure.kind == "quarter":
        number = figure.numbers[0]
        quarter = _rx().quarters.get(int(number)) if number.is_integer() else None
        if quarter is None:
            return []
        return [_Hit(m.start(), m.end(), EXACT) for m in quarter.finditer(text)]
    if figure.kind == "ordinal":
        return [
            _Hit(m.start(), m.end(), EXACT)
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
