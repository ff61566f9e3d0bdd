"""What reaches a terminal: text from the data made safe to show, the encoding check,
and the standard output of a process started without one.

Kept free of rich so that messages and machine formats can use it cheaply; the
one rich Console is made in tables.py.
"""

from __future__ import annotations

import contextlib
import errno
import io
import sys
from typing import TextIO

_ESCAPES: dict[int, str] = {}  # built on first use: str.translate needs no regex compiled


def clean(text: str, *, newlines: bool = True) -> str:
    """TEXT with every control or bidi character shown as an escape such as \\x1b."""
    if not _ESCAPES:
        # Controls and bidi characters: the one table in domain/unsafe.py, read only here,
        # so that a command that shows no text of the data (JSON, CSV) does not load it.
        from ..domain.unsafe import BIDI, CONTROLS

        _ESCAPES.update(
            {c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}" for c in (*CONTROLS, *BIDI)}
        )
    text = text.translate(_ESCAPES)
    if not newlines:
        text = text.replace("\r", "\\r").replace("\n", "\\n")
    return text


def unicode_ok(stream: TextIO | None = None) -> bool:
    """Whether STREAM can show ₹, ≈ and – (else we write Rs, ~ and -)."""
    stream = stream or sys.stdout
    return _can_encode(getattr(stream, "encoding", None) or "ascii")


_ENCODABLE: dict[str, bool] = {}


def _can_encode(encoding: str) -> bool:
    if encoding not in _ENCODABLE:
        try:
            "₹≈–│".encode(encoding)
            _ENCODABLE[encoding] = True
        except (UnicodeEncodeError, LookupError):
            _ENCODABLE[encoding] = False
    return _ENCODABLE[encoding]


def prepare_streams() -> None:
    """Never crash on a character the terminal's encoding lacks: replace it instead."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not unicode_ok(stream):
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


class ClosedOutput(io.TextIOBase):
    """Standard output when the process was started without one: writing to it is an
    error that says so, while commands that print nothing still work."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")
