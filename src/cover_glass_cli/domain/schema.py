"""The fact-file schema: its version, and the kinds of record with their fields as plain
views of the registry (domain/registry.py, where each kind is declared in its module).

Records stay plain dicts (cheap to load, cheap to dump as JSON). Checking a fact file
against the schema is validation.py's job, needed only when a file is parsed.
"""

from __future__ import annotations

from typing import Any

from .registry import (
    MAX_FIGURE,
    MAX_TEXT,
    QUALIFIERS,
    RANKS,
    UNITS,
    Field,
    empty_record,
    kind_name,
    kinds,
)

__all__ = [
    "MAX_FIGURE",
    "MAX_TEXT",
    "QUALIFIERS",
    "RANKS",
    "SCHEMA_VERSION",
    "UNITS",
    "Field",
    "Problem",
    "empty_record",
    "kind_name",
]

SCHEMA_VERSION = 2
"""2 added `rank` and `rank_reason` (claim ranks) to every kind but sources and renamed
a ranking's position from `rank` to `position`. Files of schema 1 are still read: the
kinds declare what they renamed (Kind.renamed), and validation.upgrade reads it."""


def __getattr__(name: str) -> Any:
    """KINDS (each kind's stored fields) and FIELD_MAP (the same by name): views of the
    registry, for code not yet reading it itself; made when asked for, so that importing
    this module reads no kind."""
    if name == "KINDS":
        return {k.name: k.fields for k in kinds().values()}
    if name == "FIELD_MAP":
        return {k.name: k.field_map for k in kinds().values()}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Problem:
    """What is wrong, and where: FILE:LINE: key.path: message."""

    __slots__ = ("file", "key", "line", "message")

    def __init__(self, file: str, line: int | None, key: str, message: str) -> None:
        self.file, self.line, self.key, self.message = file, line, key, message

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"

    def sort_key(self) -> tuple[str, int, str]:
        return (self.file, self.line or 0, self.key)
