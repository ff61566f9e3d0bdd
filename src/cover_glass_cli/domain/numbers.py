"""Digits grouped for people: the Indian way (1,29,000: a thousand, then lakhs and crores in
twos) or the international way (129,000).

A small function rather than Babel's `en_IN` locale: Babel costs tens of milliseconds to
import and its locale data more (see the README's Performance section); the tests check this
function against Babel's own formatting where Babel is installed.
"""

from __future__ import annotations


def group(value: int | float, style: str = "indian", *, decimals: int = 2) -> str:
    """VALUE with its digits grouped in STYLE; a fraction keeps up to DECIMALS digits, with
    trailing zeros dropped (12.50 -> '12.5')."""
    if isinstance(value, float) and not value.is_integer():
        text = f"{abs(value):.{decimals}f}".rstrip("0").rstrip(".")
    else:
        text = str(abs(int(value)))
    whole, dot, fraction = text.partition(".")
    if style == "indian" and len(whole) > 3:
        head, tail = whole[:-3], whole[-3:]
        pairs = []
        while len(head) > 2:
            head, pair = head[:-2], head[-2:]
            pairs.append(pair)
        whole = ",".join([head, *reversed(pairs), tail])
    else:
        whole = f"{int(whole):,}"
    sign = "-" if value < 0 and (int(whole.replace(",", "")) or fraction.strip("0")) else ""
    return f"{sign}{whole}{dot}{fraction}"
