"""Figures for people: '> ₹90,000 crore', '≈15%', '20–22%', with an ASCII fallback;
unit changes. Growth arithmetic is intervals.py's; numbers as people type them are read
by numbers.py.
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
