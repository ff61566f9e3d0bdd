"""The one table of characters no fact needs and no output may carry as they are.

They can drive a terminal (ESC, C1 CSI), reorder what a reader sees (bidi marks,
embeddings, overrides and isolates), or break other programs (noncharacters, lone
surrogates). Validation refuses them in the data (domain/validation.py); the terminal
and messages show them as escapes (ui/terminal.py); charts and graphs drop or replace
them (ui/escape.py). Kept as code points, so that this file holds no such character.
"""

from __future__ import annotations

from collections.abc import Iterable

# C0 controls but tab and newline, DEL, and the C1 controls.
CONTROLS: tuple[int, ...] = (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))
# Arabic letter mark, LRM and RLM, embeddings and overrides (LRE..RLO), isolates (LRI..PDI).
BIDI: tuple[int, ...] = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
# U+FDD0..U+FDEF and the last two code points of every plane.
NONCHARACTERS: tuple[tuple[int, int], ...] = (
    (0xFDD0, 0xFDEF),
    *((plane * 0x10000 + 0xFFFE, plane * 0x10000 + 0xFFFF) for plane in range(17)),
)
SURROGATES = (0xD800, 0xDFFF)


def char_class(codes: Iterable[int]) -> str:
    """CODES as the body of a regular-expression character class, as escapes."""
    return "".join(_escape(code) for code in codes)


def range_class(ranges: Iterable[tuple[int, int]]) -> str:
    """Inclusive RANGES as the body of a character class, as escapes."""
    return "".join(f"{_escape(low)}-{_escape(high)}" for low, high in ranges)


def _escape(code: int) -> str:
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"
