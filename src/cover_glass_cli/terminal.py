"""What reaches a terminal: text from the data made safe to show, and the encoding check.

Kept free of rich so that messages and machine formats can use it cheaply; the
one rich Console is made in tables.py.
"""

from __future__ import annotations

import contextlib
import re
import sys
from typing import TextIO

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional
# embeddings, overrides and isolates that can reorder what a reader sees.
# (compiled on first use and cached by re: no start-up cost for machine formats)
_UNSAFE = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"


def _visible(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str, *, newlines: bool = True) -> str:
    """TEXT with every control or bidi character shown as an escape such as \\x1b."""
    text = re.sub(_UNSAFE, _visible, text)
    if not newlines:
        text = text.replace("\r", "\\r").replace("\n", "\\n")
    return text


def unicode_ok(stream: TextIO | None = None) -> bool:
    """Whether STREAM can show ₹, ≈ and – (else we write Rs, ~ and -)."""
    stream = stream or sys.stdout
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        "₹≈–│".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def prepare_streams() -> None:
    """Never crash on a character the terminal's encoding lacks: replace it instead."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not unicode_ok(stream):
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")
