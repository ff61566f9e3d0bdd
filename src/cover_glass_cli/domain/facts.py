"""The merged facts in use, and the errors every layer above may raise.

`Facts` holds records in memory. The store's cache (store/cache.py) subclasses it to
answer the same questions from SQLite, reading only what a query asks for; code that
selects records asks through these methods and never cares which one it has.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .schema import KINDS, Problem

Record = dict[str, Any]


class FactsError(Exception):
    """The fact files could not be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__("\n".join(map(str, self.problems)))


class NoMatch(Exception):
    """Nothing matched, or a name was ambiguous: exit 1 with this message."""


def _fold(text: Any) -> str | None:
    return text.casefold() if isinstance(text, str) else None


class Facts:
    """The merged records by kind, and the index (in `files`) of the file each came from."""

    def __init__(
        self,
        files: list[str],
        records: dict[str, list[Record]],
        origins: dict[str, list[int]],
    ) -> None:
        self.files = files
        self._records = records
        self._origins = origins
        self._exports_by_subject: dict[tuple[str, str], list[Record]] | None = None

    def __getitem__(self, kind: str) -> list[Record]:
        return self._records.get(kind, [])

    def by_id(self, kind: str) -> dict[str, Record]:
        return {r["id"]: r for r in self[kind]}

    def origins(self, kind: str) -> list[int]:
        """For each record of KIND, in order, the index of its file in `files`."""
        return self._origins.get(kind, [])

    def all(self) -> dict[str, list[Record]]:
        return {kind: self[kind] for kind in KINDS}

    def export_years(self) -> list[int]:
        return sorted({r["fy"] for r in self["exports"]})

    def exports(
        self,
        first: int | None = None,
        last: int | None = None,
        *,
        country: str | None = None,
        product: str | None = None,
    ) -> list[Record]:
        """Export records of fiscal years FIRST to LAST (either end open when None), of
        COUNTRY and PRODUCT when given (any case), in the order of the files."""
        c, p = _fold(country), _fold(product)
        if c is not None and p is not None:
            records = self._by_subject().get((c, p), [])
        else:
            records = self["exports"]
        return [
            r
            for r in records
            if (first is None or r["fy"] >= first)
            and (last is None or r["fy"] <= last)
            and (c is None or r["country"].casefold() == c)
            and (p is None or r["product"].casefold() == p)
        ]

    def _by_subject(self) -> dict[tuple[str, str], list[Record]]:
        """Exports by (country, product), casefolded: built once, on first use."""
        if self._exports_by_subject is None:
            index: dict[tuple[str, str], list[Record]] = {}
            for r in self["exports"]:
                index.setdefault((r["country"].casefold(), r["product"].casefold()), []).append(r)
            self._exports_by_subject = index
        return self._exports_by_subject

    def where(self, kind: str, field: str, values: Iterable[str]) -> list[Record]:
        """Records of KIND whose FIELD is one of VALUES (exact, as ids are)."""
        wanted = set(values)
        return [r for r in self[kind] if r.get(field) in wanted]

    def candidates(self, words: list[str]) -> dict[str, list[Record]]:
        """Records that may contain every one of WORDS (casefolded); a superset of the
        matches, which the caller checks field by field. Here: everything."""
        del words
        return self.all()
