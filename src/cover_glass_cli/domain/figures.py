"""Figures for people: '> ₹90,000 crore', '≈15%', '20–22%', with an ASCII fallback;
unit changes; numbers as people type them. Growth arithmetic is intervals.py's.
"""

from __future__ import annotations

import math
from typing import Any

RUPEE_FACTORS = {"INR crore": 1e7, "INR lakh": 1e5, "INR million": 1e6, "INR billion": 1e9}

_PREFIX = {"over": ">", "under": "<", "approximate": "≈", "exact": ""}
_ASCII = str.maketrans(
    {
        "≈": "~",
        "₹": "Rs ",
        "–": "-",
        "—": "-",
        "…": "...",
        "×": "x",
        "≥": ">=",
        "≤": "<=",
        "−": "-",
        "≠": "!=",
    }
)


def to_ascii(text: str) -> str:
    """The fallback for terminals that cannot show ₹, ≈ or –."""
    return text.translate(_ASCII)


# How rupee amounts are grouped for people: "indian" (₹1,29,000 crore) or "international"
# (₹129,000 crore). One setting per run, made by the root command from --numbers or
# CGCLI_NUMBERS; machine formats keep raw numbers whatever it is.
_grouping = ["indian"]


def set_grouping(style: str) -> None:
    """Group rupee amounts the STYLE way from now on ("indian" or "international")."""
    _grouping[0] = style


def grouping() -> str:
    return _grouping[0]


def number(value: float, style: str = "international") -> str:
    """90000 -> '90,000'; 12.5 -> '12.5'; 129000 in the "indian" STYLE -> '1,29,000';
    beyond 10^15 (no real figure, but a computed growth can get there) '2e+20' rather than
    a row of digits."""
    if isinstance(value, float) and math.isfinite(value) and abs(value) > 1e15:
        return f"{value:.3g}"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if style == "indian" and abs(value) >= 1e5:
        from .numbers import group

        return group(value, style)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _amount(value: float, unit: str) -> str:
    if unit == "percent":
        return f"{number(value)}%"
    if unit.startswith("INR "):
        return f"₹{number(value, grouping())} {unit[4:]}"
    return f"{number(value)} {unit}"


def figure(record: dict[str, Any], prefix: str = "") -> str:
    """The human form of a record's figure: its value (or low/high), unit and qualifier."""
    unit = record.get(f"{prefix}unit") or "percent"
    qualifier = record.get(f"{prefix}qualifier") or "exact"
    if qualifier == "range":
        low, high = record.get(f"{prefix}low"), record.get(f"{prefix}high")
        if low is None or high is None:
            return ""
        if unit == "percent":
            return f"{number(low)}–{number(high)}%"
        return f"{_amount(low, unit)} – {_amount(high, unit)}"
    value = record.get(f"{prefix}value")
    if value is None:
        return ""
    mark = _PREFIX.get(qualifier, "")
    text = _amount(value, unit)
    return f"{mark} {text}" if mark == ">" or mark == "<" else f"{mark}{text}"


def growth(pct: float | None, qualifier: str | None) -> str:
    """A stated growth for people: "+100%", "> 100%", "≈ 15%"; a plain figure would drop
    the sign of a rise, and "100%" reads as the level, not the change."""
    if pct is None:
        return ""
    text = figure({"value": pct, "unit": "percent", "qualifier": qualifier or "exact"})
    return f"+{text}" if (qualifier or "exact") == "exact" and pct > 0 else text


def convert(value: float, unit: str, target: str) -> float:
    """Re-express a rupee figure: convert(90000, 'INR crore', 'billion') == 900."""
    return value * RUPEE_FACTORS[unit] / RUPEE_FACTORS[f"INR {target}"]


# --- numbers typed by people ----------------------------------------------------------------


class NumberError(ValueError):
    """Text that is not a number as people write one."""


def parse_number(text: str) -> int | float:
    """A number as a person types it: "90600", "90,600", Indian grouping "1,00,000" (one
    lakh), "12.5", "-3". Commas must group digits the Western (threes) or Indian (a
    three, then twos) way, so "1,2,3" is an error, never 123. A whole number stays an int.
    Raises NumberError saying what is wrong."""
    import re

    from .wording import COMMAS, GROUPED

    raw = text.strip()
    if raw[:1] in ("₹", "R", "r", "I", "i"):  # a rupee sign or word: domain.spelling reads it
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
    from .spelling import SpellingError, parse_amount

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
