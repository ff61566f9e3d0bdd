"""What went wrong, for every layer above to raise and cli.py to say: a Problem of a fact
file (FILE:LINE: key: message), FactsError (the files cannot be used: exit 3) and
NotShown (nothing matched or a name was ambiguous, exit 1; rows that cannot be shown as
asked, exit 2).

Imported only where one is made or told apart: an answered lookup never loads this.
"""

from __future__ import annotations

__all__ = ["FactsError", "NotShown", "Problem"]


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


class NotShown(Exception):
    """No answer to show: the message for stderr, and the exit status (1: nothing matched,
    or a name was ambiguous; 2: the rows cannot be shown as asked, too many for a table or
    a jq filter that fails on them)."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status
