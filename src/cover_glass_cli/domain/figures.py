"""Figures for people: '> ₹90,000 crore', '≈15%', '20–22%', with an ASCII fallback,
and the arithmetic behind growth checks and unit changes.
"""

from __future__ import annotations

import math
from typing import Any

RUPEE_FACTORS = {"INR crore": 1e7, "INR lakh": 1e5, "INR million": 1e6, "INR billion": 1e9}
UNIT_CHOICES = ("crore", "lakh", "million", "billion")

_PREFIX = {"over": ">", "under": "<", "approximate": "≈", "exact": ""}
_ASCII = str.maketrans(
    {"≈": "~", "₹": "Rs ", "–": "-", "—": "-", "…": "...", "×": "x", "≥": ">=", "≤": "<=", "−": "-"}
)


def to_ascii(text: str) -> str:
    """The fallback for terminals that cannot show ₹, ≈ or –."""
    return text.translate(_ASCII)


def number(value: float) -> str:
    """90000 -> '90,000'; 12.5 -> '12.5'; beyond 10^15 (no real figure, but a computed
    growth can get there) '2e+20' rather than a row of digits."""
    if isinstance(value, float) and math.isfinite(value) and abs(value) > 1e15:
        return f"{value:.3g}"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _amount(value: float, unit: str) -> str:
    if unit == "percent":
        return f"{number(value)}%"
    if unit.startswith("INR "):
        return f"₹{number(value)} {unit[4:]}"
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
    if pct is None:
        return ""
    return figure({"value": pct, "unit": "percent", "qualifier": qualifier or "exact"})


def convert(value: float, unit: str, target: str) -> float:
    """Re-express a rupee figure: convert(90000, 'INR crore', 'billion') == 900."""
    return value * RUPEE_FACTORS[unit] / RUPEE_FACTORS[f"INR {target}"]


# --- growth: stated against computed -----------------------------------------
# Superseded by intervals.py (growth_interval, stated_growth, compare, format_growth):
# these treat "over" figures as points. Remove them once query.py uses intervals.py.


def _bounds(value: float, qualifier: str, slack: float) -> tuple[float, float]:
    if qualifier == "over":
        return value, math.inf
    if qualifier == "under":
        return -math.inf, value
    if qualifier == "approximate":
        return value - abs(value) * 0.1 - slack, value + abs(value) * 0.1 + slack
    return value - slack, value + slack


def computed_growth(
    current: dict[str, Any], previous: dict[str, Any]
) -> tuple[float, str, tuple[float, float]] | None:
    """Growth from PREVIOUS to CURRENT in per cent, its qualifier, and the span of
    growth the two figures allow (a figure 'over' X makes growth a lower bound)."""
    cur, prev = current.get("value"), previous.get("value")
    if cur is None or prev is None or prev <= 0 or current["unit"] != previous["unit"]:
        return None
    cq, pq = current["qualifier"], previous["qualifier"]
    pct = (cur / prev - 1) * 100
    if cq == pq == "exact":
        qualifier = "exact"
    elif cq in ("over", "exact") and pq in ("under", "exact"):
        qualifier = "over"
    elif cq in ("under", "exact") and pq in ("over", "exact"):
        qualifier = "under"
    else:
        qualifier = "approximate"
    cur_low, cur_high = _bounds(cur, cq, abs(cur) * 0.005)
    prev_low, prev_high = _bounds(prev, pq, abs(prev) * 0.005)
    low = (cur_low / prev_high - 1) * 100 if prev_high != math.inf else -100.0
    high = (cur_high / prev_low - 1) * 100 if prev_low > 0 else math.inf
    return round(pct, 1), qualifier, (low, high)


def growth_agrees(stated: float, qualifier: str, allowed: tuple[float, float]) -> bool:
    """Whether a stated growth fits in the span the figures allow (0.5 points of rounding)."""
    low, high = _bounds(stated, qualifier, 0.5)
    return low <= allowed[1] and allowed[0] <= high
