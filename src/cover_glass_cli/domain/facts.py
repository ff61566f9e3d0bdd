"""The merged facts in use.

`Facts` is the one query interface: every question is a query of the tables of
domain/tables.py, whether they live in the cache's file (store/cache.py opens it) or
were just built in memory from records parsed a moment ago (built when first asked;
`facts[kind]` of parsed records needs no tables at all). Code that selects records asks
through these methods and never cares where the tables are.

Should the cache's tables fail under a query (a file cut short after it was opened, a
row that does not make a record), the facts are read anew from the files once, through
the `renew` function the store gave, and the query is asked again of them.

Here too: the fact files' schema version (the kinds of record and their fields are
declared in domain/registry.py and domain/kinds/; checking a fact file against them is
validation.py's job, needed only when a file is parsed; what it finds wrong is a Problem
of problems.py).
Records stay plain dicts: cheap to load, cheap to dump as JSON.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from . import tables
from .registry import find_kind
from .tables import Unusable

Record = dict[str, Any]
T = TypeVar("T")

CITED_SHOWN = 50  # ids of the records citing a source that a row shows; the rest by page

__all__ = [
    "CITED_SHOWN",
    "SCHEMA_VERSION",
    "Facts",
    "Record",
    "Unusable",
]

SCHEMA_VERSION = 2
"""2 added `rank` and `rank_reason` (claim ranks) to every kind but sources and renamed
a ranking's position from `rank` to `position`. Files of schema 1 are still read: the
kinds declare what they renamed (Kind.renamed), and validation.upgrade reads it."""


class Facts:
    """The merged records by kind, and the index (in `files`) of the file each came from.

    Made from parsed RECORDS and ORIGINS; `Facts.over` makes one over tables already
    built (the cache's), RENEW giving the facts read anew should they fail."""

    def __init__(
        self,
        files: list[str],
        records: dict[str, list[Record]],
        origins: dict[str, list[int]],
    ) -> None:
        self.files = files
        self._records = records  # kind -> every record of it, once read
        self._origins = origins
        self._parsed = True  # every kind is in _records: tables are built only for queries
        self._conn: sqlite3.Connection | None = None
        self._renew: Callable[[], Facts] | None = None
        self._counts: dict[str, int] | None = None  # what a kind read whole must hold
        self._decoded: dict[str, dict[int, Record]] = {}  # kind -> pos -> record selected

    @classmethod
    def over(
        cls,
        conn: sqlite3.Connection,
        files: list[str],
        counts: dict[str, int],
        renew: Callable[[], Facts] | None,
    ) -> Facts:
        """Facts answered by tables built before, holding COUNTS records of each kind."""
        facts = cls(files, {}, {})
        facts._conn, facts._parsed, facts._renew = conn, False, renew
        facts._counts = counts
        return facts

    def attach(self, conn: sqlite3.Connection) -> None:
        """Answer from CONN, tables already built from these very records."""
        self._conn = conn

    def close(self) -> None:
        """Close the tables' connection (parsed records asked again build them anew in
        memory; the cache's, once closed, fail)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._renew = None
        self._decoded = {}

    # --- the tables ------------------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            if not self._parsed:
                raise Unusable  # closed
            from .tables_build import build  # only parsed records build tables here

            conn = sqlite3.connect(":memory:", isolation_level=None)
            build(conn, self._records, self._origins)
            self._conn = conn
        return self._conn

    def _query(self, sql: str, args: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        return self._db().execute(sql, tuple(args)).fetchall()

    def _ask(self, question: Callable[[], T]) -> T:
        """QUESTION's answer; asked again of the facts read anew if the tables fail (or of
        tables built in memory, for parsed records whose database file failed)."""
        try:
            return question()
        except (sqlite3.Error, Unusable, ValueError, TypeError, KeyError, IndexError):
            # RecursionError is a RuntimeError: JSON nested too deep is Unusable already.
            if self._renew is None and not (self._parsed and self._conn is not None):
                raise
        if self._renew is not None:
            self._adopt(self._renew())
        else:  # parsed records: the same tables in memory instead of the file
            self.close()
        return question()

    def _adopt(self, other: Facts) -> None:
        if self._conn is not None:
            self._conn.close()
        self._records, self._origins, self._parsed = other._records, other._origins, True
        self._conn, other._conn = other._conn, None
        self._parsed, self._counts = other._parsed, other._counts
        self._renew, self._decoded = None, {}

    def _select(
        self, kind: str, condition: str, arguments: Iterable[Iterable[Any]] = ((),)
    ) -> list[Record]:
        """Records of KIND whose rows meet the SQL CONDITION (over the columns of
        domain/tables.py; none: every row) with any of ARGUMENTS (each the condition's
        parameters), each once, in the order of the files. A row selected before (a lookup
        asks for a year's records, then for them again with the year before) is not
        decoded a second time."""
        sql = f'SELECT {tables.select(kind)} FROM "{kind}"'
        if condition:
            sql += f" WHERE {condition}"
        rows = {row[0]: row for args in arguments for row in self._query(sql, args)}
        decoded = self._decoded.setdefault(kind, {})
        out = []
        for pos in sorted(rows):
            found = decoded.get(pos)
            if found is None:
                found = decoded[pos] = tables.record(kind, rows[pos])
            out.append(found)
        return out

    # --- whole kinds ----------------------------------------------------------------

    def __getitem__(self, kind: str) -> list[Record]:
        if kind not in self._records:
            if self._parsed or find_kind(kind) is None:  # not every kind read to know
                return []

            def read() -> list[tuple[Any, ...]]:
                sql = f'SELECT {tables.select(kind)} FROM "{kind}" ORDER BY pos'
                return self._query(sql)

            rows = self._ask(read)
            if kind in self._records:  # the facts were read anew meanwhile
                return self._records[kind]
            try:
                if self._counts is not None and len(rows) != self._counts.get(kind, 0):
                    raise Unusable  # rows taken out or added by hand
                self._records[kind] = [tables.record(kind, row) for row in rows]
            except Unusable:
                if self._renew is None:
                    raise
                self._adopt(self._renew())
                return self._records.get(kind, [])
            self._origins[kind] = [row[1] for row in rows]
        return self._records[kind]

    def origins(self, kind: str) -> list[int]:
        """For each record of KIND, in order, the index of its file in `files`."""
        self[kind]
        return self._origins.get(kind, [])

    def by_id(self, kind: str) -> dict[str, Record]:
        return {r["id"]: r for r in self[kind]}

    def all(self) -> dict[str, list[Record]]:
        return {kind: self[kind] for kind in tables.kinds()}

    # --- indexed questions ----------------------------------------------------------

    def with_id(self, rid: str, kinds: Iterable[str] | None = None) -> list[tuple[str, Record]]:
        """Each record whose id is RID, of KINDS (all when None), as (kind, record)."""
        wanted = tables.kinds() if kinds is None else tuple(kinds)

        def ask() -> list[tuple[str, Record]]:
            return [(k, r) for k in wanted for r in self._select(k, "id = ?", [[rid]])]

        return self._ask(ask)

    def origin_of(self, kind: str, rid: str) -> tuple[Record, int] | None:
        """KIND's record RID and the index (in `files`) of its file, or None: by index."""
        if self._parsed:
            for record, index in zip(self[kind], self.origins(kind), strict=True):
                if record["id"] == rid:
                    return record, index
            return None
        sql = f'SELECT {tables.select(kind)} FROM "{kind}" WHERE id = ?'

        def ask() -> list[tuple[Record, int]]:
            return [(tables.record(kind, row), int(row[1])) for row in self._query(sql, [rid])]

        found = self._ask(ask)
        return found[-1] if found else None

    def cited_count(self, source: str) -> int:
        """How many records cite SOURCE."""
        rows = self._ask(lambda: self._query("SELECT sum(n) FROM cited WHERE source = ?", [source]))
        return int(rows[0][0] or 0)

    def cited_by(self, source: str, limit: int = CITED_SHOWN, offset: int = 0) -> list[str]:
        """LIMIT of the records citing SOURCE from the OFFSET-th on, as kind:id, kind by
        kind in the order of the files: read from an index, however many there are."""

        def ask() -> list[str]:
            found: list[str] = []
            skip, left = offset, limit
            counts = dict(self._query("SELECT kind, n FROM cited WHERE source = ?", [source]))
            for kind in tables.kinds():
                n = counts.get(kind, 0)
                if left <= 0:
                    break
                if skip >= n:
                    skip -= n
                    continue
                rows = self._query(
                    f'SELECT id FROM "{kind}" WHERE source = ? ORDER BY pos LIMIT ? OFFSET ?',
                    [source, left, skip],
                )
                found.extend(f"{kind}:{rid}" for (rid,) in rows)
                left -= len(rows)
                skip = 0
            return found

        return self._ask(ask)

    def values(self, kind: str, field: str) -> list[Any]:
        """The distinct values of KIND's FIELD (a column of its table), in order."""
        sql = f'SELECT DISTINCT "{field}" FROM "{kind}" ORDER BY 1'
        return [value for (value,) in self._ask(lambda: self._query(sql))]

    def select(self, kind: str, condition: str, *arguments: Iterable[Any]) -> list[Record]:
        """Records of KIND whose rows meet the SQL CONDITION with any of ARGUMENTS (each
        the condition's parameters; none: the condition has none), in the order of the files."""
        return self._ask(lambda: self._select(kind, condition, arguments or [()]))

    def where(self, kind: str, field: str, values: Iterable[str]) -> list[Record]:
        """Records of KIND whose FIELD is one of VALUES (exact, as ids are)."""
        wanted = sorted(set(values))
        if not any(c.name == field and c.type == "str" for c in tables.columns(kind)):
            return [r for r in self[kind] if r.get(field) in wanted]
        if not wanted:
            return []
        marks, parts = _chunks(wanted)
        return self.select(kind, f'"{field}" IN ({marks})', *parts)

    def about(self, kind: str, numbers: dict[str, int], texts: dict[str, str]) -> list[Record]:
        """Records of KIND whose whole-number FIELDS are NUMBERS and whose casefolded
        filter fields contain TEXTS (casefolded), by index: a superset of one subject's
        claims (curation's), which the caller narrows."""
        if self._parsed:
            return [
                r
                for r in self[kind]
                if all(r.get(f) == v for f, v in numbers.items())
                and all(t in str(r.get(f, "")).casefold() for f, t in texts.items())
            ]
        where = [f'"{f}" = ?' for f in numbers] + [f'instr("{f}:folded", ?)' for f in texts]
        args = [*numbers.values(), *texts.values()]
        return self.select(kind, " AND ".join(where) or "1", args)

    def candidates(self, words: list[str]) -> dict[str, list[Record]]:
        """Records that may contain every one of WORDS (casefolded); a superset of the
        matches, which the caller checks field by field."""
        match = tables.trigram_query(words)
        if match is None:
            return self.all()

        def ask() -> dict[str, list[Record]]:
            hits = self._query("SELECT rowid FROM search WHERE search MATCH ?", [match])
            kinds = tables.kinds()
            by_kind: dict[str, list[int]] = {}
            for (rowid,) in hits:
                number = rowid >> 40
                if not 0 <= number < len(kinds):
                    raise Unusable
                by_kind.setdefault(kinds[number], []).append(rowid & tables.POS_MASK)
            found: dict[str, list[Record]] = {}
            for kind in tables.kinds():
                positions = sorted(by_kind.get(kind, ()))
                if not positions:
                    continue
                marks, parts = _chunks(positions)
                records = self._select(kind, f"pos IN ({marks})", parts)
                if len(records) != len(positions):
                    raise Unusable  # the index names rows that are not there
                found[kind] = records
            return found

        return self._ask(ask)


def _chunks(values: list[Any]) -> tuple[str, list[list[Any]]]:
    """VALUES in parts of at most 500 (SQLite's limit on parameters), the last padded with
    its own first value so that one statement with the returned marks serves every part."""
    size = min(len(values), 500)
    parts = [values[start : start + size] for start in range(0, len(values), size)]
    parts[-1] += [parts[-1][0]] * (size - len(parts[-1]))
    return ", ".join("?" * size), parts
