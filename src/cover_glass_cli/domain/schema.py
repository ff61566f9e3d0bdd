"""The fact-file schema: its version, and the Problem every check reports (the kinds of
record and their fields are declared in domain/registry.py and domain/kinds/).

Records stay plain dicts (cheap to load, cheap to dump as JSON). Checking a fact file
against the schema is validation.py's job, needed only when a file is parsed.
"""

from __future__ import annotations

SCHEMA_VERSION = 2
"""2 added `rank` and `rank_reason` (claim ranks) to every kind but sources and renamed
a ranking's position from `rank` to `position`. Files of schema 1 are still read: the
kinds declare what they renamed (Kind.renamed), and validation.upgrade reads it."""


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
