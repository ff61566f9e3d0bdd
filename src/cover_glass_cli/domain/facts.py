"""The merged facts in use, and the errors every layer above may raise.

`Facts` holds records in memory. The store's cache (store/cache.py) subclasses it to
answer the same questions from SQLite, reading only what a query asks for; code that
selects records asks through these methods and never cares which one it has.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .registry import kinds
from .schema import Problem

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

    def __getitem__(self, kind: str) -> list[Record]:
        return self._records.get(kind, [])

    def by_id(self, kind: str) -> dict[str, Record]:
        return {r["id"]: r for r in self[kind]}

    def origins(self, kind: str) -> list[int]:
        """For each record of KIND, in order, the index of its file in `files`."""
        return self._origins.get(kind, [])

    def all(self) -> dict[str, list[Record]]:
        return {kind: self[kind] for kind in kinds()}

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
        return [
            r
            for r in self["exports"]
            if (first is None or r["fy"] >= first)
            and (last is None or r["fy"] <= last)
            and (c is None or r["country"].casefold() == c)
            and (p is None or r["product"].casefold() == p)
        ]

    def exports_of(self, spans: dict[tuple[str, str], tuple[int, int]]) -> list[Record]:
        """Export records of each (country, product) of SPANS (casefolded), of the fiscal
        years its span covers (first, last), in the order of the files: one pass here."""
        if not spans:
            return []
        low = min(first for first, _ in spans.values())
        high = max(last for _, last in spans.values())
        found = []
        for r in self["exports"]:
            if low <= r["fy"] <= high:
                span = spans.get((r["country"].casefold(), r["product"].casefold()))
                if span is not None and span[0] <= r["fy"] <= span[1]:
                    found.append(r)
        return found

    def where(self, kind: str, field: str, values: Iterable[str]) -> list[Record]:
        """Records of KIND whose FIELD is one of VALUES (exact, as ids are)."""
        wanted = set(values)
        return [r for r in self[kind] if r.get(field) in wanted]

    def candidates(self, words: list[str]) -> dict[str, list[Record]]:
        """Records that may contain every one of WORDS (casefolded); a superset of the
        matches, which the caller checks field by field. Here: everything."""
        del words
        return self.all()
