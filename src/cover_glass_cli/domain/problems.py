"""What went wrong, for every layer above to raise and cli.py to say: a Problem of a fact
file (FILE:LINE: key: message), FactsError (the files cannot be used: exit 3) and
NoMatch (nothing matched, or a name was ambiguous: exit 1).

Imported only where one is made or told apart: an answered lookup never loads this.
"""

from __future__ import annotations

__all__ = ["FactsError", "NoMatch", "Problem"]


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


class FactsError(Exception):
    """The fact files could not be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__("\n".join(map(str, self.problems)))


class NoMatch(Exception):
    """Nothing matched, or a name was ambiguous: exit 1 with this message."""
