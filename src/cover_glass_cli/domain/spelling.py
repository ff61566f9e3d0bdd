"""Figures and periods as people write them, read into numbers cgcli can compare.

Periods: `FY23`, `FY 2023`, `FY2022-23`, `2022-23`, `Q1 FY24` (fiscal.py does the years).
Figures: `90,000`, `90000`, `₹90,000`, `Rs 90,000 crore`, `Rs. 90k crore`, `1,29,000`,
`1.29 lakh crore`, `2 lakh crore`, `$11.12 billion`, `15%`, `20 per cent`, each with the
qualifier its words give ("over ₹90,000 crore" is a lower bound). One reader, shared by
search, the --fy and --quarter options and `facts add` values (parse_number: a number as
a person types it).

A figure names an amount when it has a scale (crore, lakh crore, billion ...): 1.29 lakh
crore is 1,29,000 crore is 1.29 trillion rupees, however a record writes it. Without one
("₹90,000", "90,000") it is a number as a record states it, in the record's own unit.
Figures in a currency no unit of ours holds (dollars) match where a record's words state
them too. Knows nothing of click or rich; the patterns are compiled on first use.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Iterator
from typing import Any

from .figures import number
from .fiscal import FiscalYearError, parse_period
from .wording import COMMAS, GROUPED, QUALIFIER_WORDS

SCALES = {
    "thousand": 1e3,
    "lakh": 1e5,
    "crore": 1e7,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "lakh crore": 1e12,
}
# The record units in rupees, by what one of each is worth (figures.RUPEE_FACTORS too).
RUPEE_FACTORS = {f"INR {scale}": SCALES[scale] for scale in ("crore", "lakh", "million", "billion")}
_SCALE_WORDS = {
    "thousand": "thousand",
    **dict.fromkeys(("lakh", "lakhs", "lac", "lacs"), "lakh"),
    **dict.fromkeys(("crore", "crores", "cr"), "crore"),
    **dict.fromkeys(("million", "mn"), "million"),
    **dict.fromkeys(("billion", "bn"), "billion"),
    **dict.fromkeys(("trillion", "tn"), "trillion"),
}
# The qualifier words evidence reads (wording.py), each as one qualifier: "nearly", which
# evidence also takes for under, is approximate here.
_QUALIFIERS = {
    word: "approximate" if "approximate" in says else next(iter(says))
    for word, says in QUALIFIER_WORDS.items()
}
_CURRENCIES = {"₹": "INR", "rs": "INR", "inr": "INR", "$": "USD", "us$": "USD", "usd": "USD"}


def _words(words: Iterable[str]) -> str:
    """A pattern of any of WORDS, longest first, any white space between a phrase's words."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len)[::-1])


_FIGURE = (
    r"(?:(?<![a-z])(?P<qual>" + _words(_QUALIFIERS) + r")\s*)?"
    r"(?:(?P<cur>₹|(?:rs|inr|usd|us\$)(?![a-z])\.?|\$)\s*|(?<![\w.,]))"
    r"(?P<num>(?:" + GROUPED + r"|\d+)(?:\.\d+)?)(?![\d,])"
    r"(?P<k>k(?![a-z]))?"
    r"(?:\s*(?P<scale>lakh\s+crores?|" + _words(_SCALE_WORDS) + r")(?![a-z]))?"
    r"(?P<pct>\s*(?:%|per\s*cent|percent)(?![a-z]))?"
)
_PERIOD = (
    r"(?<![\w-])(?:q[1-4]\s*[-,]?\s*(?:fy\s*)?\d{2,4}(?:[-/]\d{2,4})?"
    r"|fy\s*\d{2,4}(?:[-/]\d{2,4})?(?:\s*[-,]?\s*q[1-4])?"
    r"|\d{4}[-/]\d{2}(?:\d{2})?)(?![\w-])"
)


@functools.cache
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


class Amount:
    """A figure as written: its number, scale word, currency, whether a percentage, and
    the qualifier its words give (exact, over, under, approximate)."""

    __slots__ = ("currency", "number", "percent", "qualifier", "scale", "text")

    def __init__(
        self,
        number: float,
        *,
        scale: str | None = None,
        currency: str | None = None,
        percent: bool = False,
        qualifier: str = "exact",
        text: str = "",
    ) -> None:
        self.number, self.scale, self.currency = number, scale, currency
        self.percent, self.qualifier, self.text = percent, qualifier, text

    @property
    def absolute(self) -> float | None:
        """The amount in units of its currency (1.29 lakh crore -> 1.29e12); None
        without a scale."""
        return self.number * SCALES[self.scale] if self.scale else None

    def in_unit(self, unit: str) -> float | None:
        """The amount expressed in one of the record units (90,000 crore in 'INR billion'
        is 900); None when it has no scale or is not in rupees."""
        if self.absolute is None or self.currency not in (None, "INR") or unit not in RUPEE_FACTORS:
            return None
        return self.absolute / RUPEE_FACTORS[unit]

    def __repr__(self) -> str:
        return (
            f"Amount({self.number!r}, scale={self.scale!r}, currency={self.currency!r}, "
            f"percent={self.percent!r}, qualifier={self.qualifier!r})"
        )

    def _key(self) -> tuple[float, str | None, str | None, bool, str]:
        return float(self.number), self.scale, self.currency, self.percent, self.qualifier

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Amount) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


class SpellingError(ValueError):
    """Text that is not a figure as people write one."""


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _amount(m: re.Match[str]) -> Amount | None:
    """The Amount a match of _FIGURE spells; None when its number is not finite."""
    number = _number(m["num"]) * (1000 if m["k"] else 1)
    if not math.isfinite(number):
        return None
    scale = None
    if m["scale"]:
        word = " ".join(m["scale"].lower().split())
        scale = "lakh crore" if word.startswith("lakh crore") else _SCALE_WORDS[word]
    currency = _CURRENCIES[m["cur"].lower().rstrip(".")] if m["cur"] else None
    qualifier = _QUALIFIERS[" ".join(m["qual"].lower().split())] if m["qual"] else "exact"
    return Amount(
        number,
        scale=scale,
        currency=currency,
        percent=bool(m["pct"]),
        qualifier=qualifier,
        text=m.group().strip(),
    )


def parse_amount(text: str) -> Amount:
    """TEXT, all of it, as one figure: '₹90,600', 'Rs. 90k crore', 'over 1.29 lakh crore',
    '15%'. Raises SpellingError saying what is wrong."""
    raw = " ".join(text.split())
    m = _rx(_FIGURE).fullmatch(raw)
    if m is None:
        if _rx(r"[+-]?[\d,]+(\.\d+)?").fullmatch(raw) and "," in raw:
            raise SpellingError(f"{text!r}: {COMMAS}")
        raise SpellingError(f"{text!r} is not a figure; write 90600, 90,600 or ₹90,600")
    amount = _amount(m)
    if amount is None:
        raise SpellingError(f"{text!r} is not a finite number")
    return amount


def amounts_in(text: str) -> Iterator[Amount]:
    """Every figure TEXT states with a currency, scale or percent sign (plain numbers are
    words: '2023' or '5')."""
    for m in _rx(_FIGURE).finditer(text):
        if m["cur"] or m["scale"] or m["pct"] or m["k"] or "," in m["num"]:
            amount = _amount(m)
            if amount is not None:
                yield amount


def periods_in(text: str) -> Iterator[tuple[int, int | None]]:
    """Every fiscal year or quarter TEXT names as FY23, FY 2023, 2022-23 or Q1 FY24."""
    for m in _rx(_PERIOD).finditer(text):
        try:
            yield parse_period(m.group())
        except FiscalYearError:
            continue


class Query:
    """Search text read as people write it: fiscal periods, figures, and the other words."""

    __slots__ = ("amounts", "periods", "words")

    def __init__(
        self,
        words: list[str],
        periods: list[tuple[int, int | None]],
        amounts: list[Amount],
    ) -> None:
        self.words, self.periods, self.amounts = words, periods, amounts


def read_query(text: str) -> Query:
    """Split search TEXT into periods ('FY23'), figures ('Rs 90,000 crore') and words."""
    periods: list[tuple[int, int | None]] = []
    amounts: list[Amount] = []
    rest = text
    for m in list(_rx(_PERIOD).finditer(rest)):
        try:
            periods.append(parse_period(m.group()))
        except FiscalYearError:
            continue
        rest = rest.replace(m.group(), " ", 1)
    found = list(amounts_in(rest))
    for amount in found:
        rest = rest.replace(amount.text, " ", 1)
    amounts += found
    rest = _rx(r"(?<![\w.])(?:rs\.?|inr)(?![\w])|₹").sub(" ", rest) if amounts else rest
    return Query(rest.split(), periods, amounts)


# --- matching records ---------------------------------------------------------------------


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _figures(record: dict[str, Any]) -> Iterator[tuple[str, float]]:
    for name in ("value", "low", "high"):
        value = record.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            yield name, float(value)


def amount_fields(record: dict[str, Any], amount: Amount) -> list[str]:
    """The fields of RECORD that state AMOUNT: its figure (value, low or high) in its own
    unit, or a figure its text states in the same words' terms ('$11.12 billion' in a
    note). The record's qualifier must be the one AMOUNT gives, unless AMOUNT is exact."""
    unit = record.get("unit")
    qualifier = record.get("qualifier") or "exact"
    fields: list[str] = []
    if amount.qualifier == "exact" or amount.qualifier == qualifier:
        for name, value in _figures(record):
            if _states(value, unit, amount):
                fields.append(name)
    for name, value in record.items():
        if (
            isinstance(value, str)
            and name not in fields
            and name != "id"
            and any(_same(amount, said) for said in amounts_in(value))
        ):
            fields.append(name)
    return fields


def _states(value: float, unit: Any, amount: Amount) -> bool:
    """Whether a record's figure VALUE in UNIT is AMOUNT."""
    if amount.percent or unit == "percent":
        return amount.percent and unit == "percent" and _close(value, amount.number)
    if not isinstance(unit, str):
        return False
    if amount.currency not in (None, "INR"):
        return False  # no unit of ours is in another currency: only words can say it
    if amount.scale is None:
        return _close(value, amount.number)
    target = amount.in_unit(unit)
    return target is not None and _close(value, target)


def _same(a: Amount, b: Amount) -> bool:
    """Whether two written figures name the same amount (currency alike or unsaid)."""
    if a.percent != b.percent:
        return False
    if a.currency and b.currency and a.currency != b.currency:
        return False
    if a.qualifier != "exact" and a.qualifier != b.qualifier:
        return False
    if a.absolute is not None and b.absolute is not None:
        return _close(a.absolute, b.absolute)
    return a.scale is None and _close(a.number, b.number)


def period_fields(record: dict[str, Any], period: tuple[int, int | None]) -> list[str]:
    """The fields of RECORD that name PERIOD: its fy (and quarter), or text that names it."""
    fy, quarter = period
    fields: list[str] = []
    if record.get("fy") == fy and (quarter is None or record.get("quarter") == quarter):
        fields.append("fy")
        if quarter is not None:
            fields.append("quarter")
    for name, value in record.items():
        if isinstance(value, str) and name not in fields and name != "id":
            for said in periods_in(value):
                if said[0] == fy and (quarter is None or said[1] == quarter):
                    fields.append(name)
                    break
    return fields


# --- numbers typed by people ----------------------------------------------------------------


class NumberError(ValueError):
    """Text that is not a number as people write one."""


def parse_number(text: str) -> int | float:
    """A number as a person types it: "90600", "90,600", Indian grouping "1,00,000" (one
    lakh), "12.5", "-3". Commas must group digits the Western (threes) or Indian (a
    three, then twos) way, so "1,2,3" is an error, never 123. A whole number stays an int.
    Raises NumberError saying what is wrong."""
    raw = text.strip()
    if raw[:1] in ("₹", "R", "r", "I", "i"):  # a rupee sign or word: parse_amount reads it
        return _rupees(text)
    m = re.fullmatch(rf"([+-]?)({GROUPED}|\d+)(\.\d+)?", raw)
    if m is None:
        if re.fullmatch(r"[+-]?[\d,]+(\.\d+)?", raw) and "," in raw:
            raise NumberError(f"{text!r}: {COMMAS}")
        try:
            value = float(raw)
        except ValueError:
            raise NumberError(f"{text!r} is not a number") from None
        if not math.isfinite(value):
            raise NumberError(f"{text!r} is not a finite number")
        return (
            int(value)
            if value.is_integer() and "e" not in raw.lower() and "." not in raw
            else value
        )
    sign, digits, fraction = m.group(1), m.group(2).replace(",", ""), m.group(3)
    if fraction:
        return float(sign + digits + fraction)
    return int(sign + digits)


def _rupees(text: str) -> int | float:
    """'₹90,600', 'Rs 90,600', 'Rs. 90,600', 'INR 90600' -> 90600: a rupee figure with the
    number as the record states it (its unit is given apart: unit=crore)."""
    try:
        amount = parse_amount(text)
    except SpellingError as e:
        raise NumberError(str(e)) from None
    if amount.currency != "INR" or amount.percent or amount.qualifier != "exact":
        raise NumberError(f"{text!r} is not a number")
    if amount.scale is not None:
        raise NumberError(
            f"{text!r}: give the number alone and its unit apart, as in "
            f"value={number(amount.number)} unit={amount.scale}"
        )
    written = text.replace(",", "")
    whole = amount.number.is_integer() and "." not in written.split(maxsplit=1)[-1].lstrip("Rs.")
    return int(amount.number) if whole else amount.number
