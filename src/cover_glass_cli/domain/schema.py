"""The fact-file schema: its version, and the kinds of record with their fields as plain
views of the registry (domain/registry.py, where each kind is declared in its module).

Records stay plain dicts (cheap to load, cheap to dump as JSON). Checking a fact file
against the schema is validation.py's job, needed only when a file is parsed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

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
    "FIELD_MAP",
    "KINDS",
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


class _Fields(Mapping[str, tuple[Field, ...]]):
    """KINDS: each kind's stored fields, by name, in order; always the registry's now."""

    def __getitem__(self, name: str) -> tuple[Field, ...]:
        return kinds()[name].fields

    def __iter__(self) -> Iterator[str]:
        return iter(kinds())

    def __len__(self) -> int:
        return len(kinds())


class _FieldMap(Mapping[str, dict[str, Field]]):
    """FIELD_MAP: each kind's stored fields by name."""

    def __getitem__(self, name: str) -> dict[str, Field]:
        return kinds()[name].field_map

    def __iter__(self) -> Iterator[str]:
        return iter(kinds())

    def __len__(self) -> int:
        return len(kinds())


KINDS: Mapping[str, tuple[Field, ...]] = _Fields()
FIELD_MAP: Mapping[str, dict[str, Field]] = _FieldMap()


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
