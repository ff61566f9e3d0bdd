"""Building the tables of domain/tables.py (the layout is described there) from parsed
records: the empty tables, the rows (grouped by the fields each record gives), the
indexes, the citation counts and the search text. Needed only when the tables are made
or changed (a fresh parse, curation), never by a lookup of a cache already built, so a
lookup does not load it.
"""

from __future__ import annotations

import functools
import json
import operator
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .registry import Field, kind_of
from .tables import FILE, Record, columns, folded, kinds, named

# The type of a field's column in a STRICT table (SQLite 3.37+), which refuses a value of
# any other type: ANY keeps a number as it came, 3 an integer and 3.0 a float.
_SQL_TYPES = {"str": "TEXT", "int": "INTEGER", "number": "ANY", "strlist": "TEXT", "spans": "TEXT"}
STRICT = sqlite3.sqlite_version_info >= (3, 37)


def create(conn: sqlite3.Connection) -> None:
    """The empty tables (inside the caller's transaction). Where SQLite can, they are
    STRICT, so that a required field cannot be missing nor a value of another type
    written into them, whoever writes; `record` checks what is read back all the same."""
    for kind in kinds():
        cols = columns(kind)
        names = [_definition(c) for c in cols] + [
            f'"{c.name}:folded" TEXT' for c in cols if folded(c)
        ]
        conn.execute(
            f'CREATE TABLE "{kind}" (pos INTEGER PRIMARY KEY, "{FILE}" INTEGER NOT NULL, '
            + ", ".join(names)
            + (") STRICT" if STRICT else ")")
        )
    conn.execute(
        "CREATE TABLE cited (source TEXT NOT NULL, kind TEXT NOT NULL, n INTEGER NOT NULL, "
        "PRIMARY KEY (source, kind)) WITHOUT ROWID" + (", STRICT" if STRICT else "")
    )
    # Contentless, without positions or sizes (nothing is ranked): the index only narrows
    # the records down.
    conn.execute(
        "CREATE VIRTUAL TABLE search USING fts5("
        "text, content = '', detail = 'none', columnsize = 0, "
        "tokenize = 'trigram case_sensitive 1')"
    )
    # No merging of the index's segments while it is filled (40% of its cost); `index`
    # turns it on again for curation's changes.
    conn.execute("INSERT INTO search (search, rank) VALUES ('automerge', 0)")


def _indexed(c: Field) -> bool:
    """Whether C's column has an index: the fields lookups filter on, ids, and sources
    (what "cited by" counts)."""
    return c.indexed or c.name in ("id", "source")


def _names_others(c: Field) -> bool:
    """Whether C holds ids of records with names (a search for the name finds it)."""
    return bool(set(c.ref) & named())


def _definition(c: Field) -> str:
    if not STRICT:
        return f'"{c.name}"'  # no type: no affinity, every value kept as it came
    return f'"{c.name}" {_SQL_TYPES.get(c.type, "ANY")}' + (" NOT NULL" if c.required else "")


def index(conn: sqlite3.Connection) -> None:
    """The indexes, made once the rows are in (quicker than growing them row by row), and
    the citation counts, read off the index on `source`."""
    for kind in kinds():
        cols = columns(kind)
        folds = [f'"{c.name}:folded"' for c in cols if folded(c)]
        numbers = [f'"{c.name}"' for c in cols if _indexed(c) and c.type == "int"]
        # A subject named by several texts (an export's country and product): one index of
        # them all, then its numbers, so that a subject's years are one range of it. It
        # serves the first text alone too; the others alone are rare and read the table.
        subject = len(folds) > 1
        if subject:
            conn.execute(
                f'CREATE INDEX "{kind}.subject" ON "{kind}" ({", ".join(folds + numbers)})'
            )
        for c in cols:
            if _indexed(c) and not (subject and folded(c)) and f'"{c.name}"' not in numbers[1:]:
                name = f"{c.name}:folded" if folded(c) else c.name
                conn.execute(f'CREATE INDEX "{kind}.{c.name}" ON "{kind}" ("{name}")')
        if any(c.name == "source" for c in cols):
            conn.execute(
                f'INSERT INTO cited SELECT source, ?, count(*) FROM "{kind}" '
                "WHERE source IS NOT NULL GROUP BY source",
                (kind,),
            )
    conn.execute("INSERT INTO search (search, rank) VALUES ('automerge', 4)")
    conn.execute("PRAGMA analysis_limit = 400")  # statistics from a sample: choose indexes well
    conn.execute("ANALYZE")


def fill(
    conn: sqlite3.Connection, records: dict[str, list[Record]], origins: dict[str, list[int]]
) -> None:
    """Every record and its search text (inside the caller's transaction, before
    `index`)."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)
    names = _names(records)
    for number, kind in enumerate(kinds()):
        items = records.get(kind, [])
        for sql, rows in _rows_by_shape(kind, items, origins.get(kind, []), encode):
            conn.executemany(sql, rows)
        conn.executemany(
            "INSERT INTO search (rowid, text) VALUES (?, ?)",
            ((number << 40 | pos, search_text(kind, r, names)) for pos, r in enumerate(items)),
        )


def build(
    conn: sqlite3.Connection, records: dict[str, list[Record]], origins: dict[str, list[int]]
) -> None:
    """The whole layout, filled, in one transaction of CONN (autocommit mode)."""
    conn.execute("BEGIN")
    create(conn)
    fill(conn, records, origins)
    index(conn)
    conn.execute("COMMIT")


_INSERTS: dict[str, str] = {}


def insert_sql(kind: str) -> str:
    sql = _INSERTS.get(kind)
    if sql is None:
        cols = columns(kind)
        count = 2 + len(cols) + sum(folded(c) for c in cols)
        sql = _INSERTS[kind] = f'INSERT INTO "{kind}" VALUES ({", ".join("?" * count)})'
    return sql


def _rows(
    kind: str, records: list[Record], origins: list[int], encode: json.JSONEncoder
) -> Iterable[tuple[Any, ...]]:
    """The rows of RECORDS: pos, origin, each field in declared order (a list as JSON
    text), then the casefolded copies."""
    cols = columns(kind)
    names = [c.name for c in cols]
    lists = frozenset(c.name for c in cols if c.type in ("strlist", "spans"))
    folded_names = [c.name for c in cols if folded(c)]
    enc = encode.encode
    if len(origins) != len(records):  # facts made without them: all from the first file
        origins = [0] * len(records)
    for pos, (r, origin) in enumerate(zip(records, origins, strict=True)):
        values = map(r.get, names)
        if not lists.isdisjoint(r):  # most records hold no list
            values = map(_encoder(enc, lists), names, values)
        folds = [v.casefold() if type(v) is str else None for v in map(r.get, folded_names)]
        yield (pos, origin, *values, *folds)


def _rows_by_shape(
    kind: str, records: list[Record], origins: list[int], encode: json.JSONEncoder
) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """The rows of RECORDS grouped by the fields each record gives, in its own order, each
    group with an INSERT that names only those columns: a field left out is not bound as
    NULL (sqlite3 binds None only after looking for an adapter, and most records leave
    most fields out: it was half the cost of filling a table). A record with a key that
    is no field (validation lets none through) gets insert_sql's full row. What depends
    on the fields given (which hold lists, the INSERT) is worked out once per group."""
    cols = columns(kind)
    every = tuple(c.name for c in cols)
    known = frozenset(every)
    lists = frozenset(c.name for c in cols if c.type in ("strlist", "spans"))
    folded_names = [c.name for c in cols if folded(c)]
    if len(origins) != len(records):  # facts made without them: all from the first file
        origins = [0] * len(records)
    shapes: dict[tuple[str, ...], list[int]] = {}
    for pos, r in enumerate(records):
        shapes.setdefault(tuple(r), []).append(pos)
    out = []
    for shape, positions in shapes.items():
        whole = known.issuperset(shape)
        sql, fields = (_shaped_insert(kind, shape), shape) if whole else (insert_sql(kind), every)
        encoded = _encoder(encode.encode, lists) if not lists.isdisjoint(fields) else None
        if whole and encoded is None and folded_names and set(folded_names) <= set(shape):
            # The common group: every filter field given, no list: the casefolded copies
            # in one call each. A filter field that is not text (records made in memory,
            # not validated) has None for its copy, as below.
            take = _getter(folded_names)
            fold = str.casefold
            try:
                rows = [
                    (pos, origins[pos], *records[pos].values(), *map(fold, take(records[pos])))
                    for pos in positions
                ]
            except TypeError:
                pass
            else:
                out.append((sql, rows))
                continue
        rows = []
        for pos in positions:
            r = records[pos]
            values: Iterable[Any] = r.values() if whole else map(r.get, fields)
            if encoded is not None:
                values = map(encoded, fields, values)
            folds = [v.casefold() if type(v) is str else None for v in map(r.get, folded_names)]
            rows.append((pos, origins[pos], *values, *folds))
        out.append((sql, rows))
    return out


def _shaped_insert(kind: str, shape: tuple[str, ...]) -> str:
    """The INSERT of a row of KIND that gives the fields of SHAPE, in that order."""
    names = [FILE, *shape, *(f"{c.name}:folded" for c in columns(kind) if folded(c))]
    quoted = ", ".join(f'"{name}"' for name in names)
    return f'INSERT INTO "{kind}" (pos, {quoted}) VALUES ({", ".join("?" * (1 + len(names)))})'


def _encoder(enc: Callable[[Any], str], lists: frozenset[str]) -> Callable[[str, Any], Any]:
    """A field's value as its column holds it: a list as JSON text."""
    return lambda name, value: enc(value) if value is not None and name in lists else value


def row_of(kind: str, pos: int, origin: int, record: Record) -> tuple[Any, ...]:
    """The row of one RECORD of KIND at POS (for curation's single-record changes)."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)
    (row,) = _rows(kind, [record], [origin], encode)
    return (pos, *row[1:])


# --- search ----------------------------------------------------------------------


def _names(records: dict[str, list[Record]]) -> dict[str, str]:
    return {
        r["id"]: r.get("name") or r["id"] for kind in sorted(named()) for r in records.get(kind, [])
    }


def search_text(kind: str, record: Record, names: dict[str, str]) -> str:
    """Every value of RECORD search can match (see query.matches_text: texts, numbers as
    written, the items of lists), the names behind the ids its references hold, and an
    export's period and months, run together and casefolded: what the search index holds
    for it, a superset of what `search` matches in. No separator between the values: a
    search word never spans two (nor any whitespace), so the trigrams across a boundary
    are never asked for, and a separator would only add more of them. Always in the same
    order for a kind, whatever the record's, so that curation can take the same text out
    again. Evidence spans are left out: no search matches in them."""
    take, lists, named, extra = _reader(kind, tuple(record))
    values = take(record)
    if None in values:  # a record made in memory may hold one; one read back never does
        values = tuple(v for v in values if v is not None)
    if lists or named:  # most records hold neither
        values += tuple(_referred(record, lists, named, names))
    if extra is not None:  # e.g. an export's period and months
        values += tuple(extra(record))
    # Each value as str() writes it, in one call rather than one per value.
    return (("%s" * len(values)) % values).casefold()


def _referred(
    record: Record, lists: tuple[str, ...], named: tuple[str, ...], names: dict[str, str]
) -> list[str]:
    """The texts of RECORD's lists of texts LISTS, and the names behind the ids of NAMED."""
    out: list[str] = []
    for name in lists:
        value = record[name]
        if type(value) is list:
            out.extend(item for item in value if type(item) is str)
    for name in named:
        value = record[name]
        for item in value if type(value) is list else (value,):
            if type(item) is str and item in names:
                out.append(names[item])
    return out


Reader = tuple[
    Callable[[Record], tuple[Any, ...]],
    tuple[str, ...],
    tuple[str, ...],
    Callable[[Record], Sequence[str]] | None,
]


@functools.lru_cache(maxsize=256)
def _reader(kind: str, shape: tuple[str, ...]) -> Reader:
    """For records of KIND that give the fields of SHAPE: what takes the values of their
    fields of one value, in declared order (one call, not a look-up per declared field),
    their lists of texts and fields naming records with names, and what else search
    finds the kind by. Records of a file come in a few shapes, each worked out once."""
    scalars = [c.name for c in columns(kind) if c.type in ("str", "int", "number")]
    given = [name for name in scalars if name in shape]
    take = _getter(given)
    lists = tuple(c.name for c in columns(kind) if c.type == "strlist" and c.name in shape)
    named = tuple(c.name for c in columns(kind) if _names_others(c) and c.name in shape)
    return take, lists, named, kind_of(kind).search_text


def _getter(names: list[str]) -> Callable[[Record], tuple[Any, ...]]:
    """What takes the values of NAMES from a record that gives them all, as a tuple, in
    one call."""
    if len(names) > 1:
        return operator.itemgetter(*names)
    # itemgetter of one name gives the value itself, not a tuple of it
    return lambda record: tuple(record[name] for name in names)
