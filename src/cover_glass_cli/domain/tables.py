"""The records of every kind as SQLite tables: what `Facts` queries, whether the tables
live in the cache's file or were just built in memory from a parse.

One table per kind, generated from the kind's field declarations (`declared`, the one
place this module reads them):

    "<kind>" (pos INTEGER PRIMARY KEY, "file:" INTEGER NOT NULL, "<field>", ...,
              "<field>:folded", ...)

- one column per field (the kind's Field), without a declared type (so a value keeps its own: 3 stays an
  integer, 3.0 a float); lists and evidence spans as JSON text;
- a filter matched in any case gets a second column with the casefolded text;
- indexes on `id`, on `source` (what "cited by" counts) and on each filter column;
- `cited (source, kind, n)`: how many records of a kind cite a source;
- `search`: an FTS5 index (trigram, contentless, without positions) of the casefolded
  text of every record and the names behind its ids; rowid = kind's number << 40 | pos.
  It only narrows a search down: the caller checks each candidate's fields.

Nothing here trusts what it reads back: a row that does not make a record of its kind
(a hand edited the file, a tool wrote into it) raises Unusable.

This module is the layout and the reading of rows back, which every query needs;
making the tables (rows, indexes, search text) is tables_build.py's, which a lookup of
a cache already built never loads.
"""

from __future__ import annotations

import json
from typing import Any

from .registry import Field, kind_of
from .registry import kinds as registered

Record = dict[str, Any]

POS_MASK = (1 << 40) - 1
FILE = "file:"  # the column of each row's file in the chain: no field has a name with ':'


def named() -> frozenset[str]:
    """The kinds whose ids stand for a name (they have a `name` field): a search for the
    name finds the records that refer to them."""
    return frozenset(k.name for k in registered().values() if "name" in k.field_map)


def columns(kind: str) -> tuple[Field, ...]:
    """The fields of KIND, in the order of its table's columns: the one function that
    reads the kinds' declarations."""
    return kind_of(kind).fields


def folded(c: Field) -> bool:
    """Whether the table has a second column of C's casefolded text (`<field>:folded`):
    a filter matched in any case."""
    return c.indexed and c.casefold


def kinds() -> tuple[str, ...]:
    """Every kind, in the registry's order (a search rowid holds its number)."""
    return tuple(registered())


class Unusable(Exception):
    """The tables cannot answer: a query failed, or a row does not make a record."""


def select(kind: str) -> str:
    """The columns `record` turns into a record, in order, for a SELECT of KIND."""
    return f'pos, "{FILE}", ' + ", ".join(f'"{c.name}"' for c in columns(kind))


def record(kind: str, row: tuple[Any, ...]) -> Record:
    """A ROW selected with `select(kind)` (pos and origin first) as the record it holds;
    Unusable when it is not one: a required field missing, a value of the wrong type,
    a list that is not JSON of the right shape."""
    out: Record = {}
    try:
        for c, value in zip(columns(kind), row[2:], strict=True):
            if value is None:
                if c.required:
                    raise Unusable
                continue
            if c.type in ("strlist", "spans"):
                value = json.loads(value)
            if not _fits(c, value):
                raise Unusable
            out[c.name] = value
    except (TypeError, ValueError, RecursionError):  # not JSON, nested beyond any use
        raise Unusable from None
    return out


def _fits(c: Field, value: Any) -> bool:
    kind = type(value)
    if c.type == "str":
        return kind is str and (not c.choices or value in c.choices)
    if c.type == "int":
        return kind is int
    if c.type == "number":
        return kind is int or kind is float
    if c.type == "strlist":
        return kind is list and all(type(v) is str for v in value)
    if c.type == "spans":
        return kind is list and all(type(v) is dict for v in value)
    return False


# --- search ----------------------------------------------------------------------


def trigram_query(words: list[str]) -> str | None:
    """An FTS5 query for records holding every one of WORDS (casefolded) as trigrams,
    None when no word has three characters (the index cannot narrow then)."""
    usable = [w for w in words if len(w) >= 3]
    if not usable:
        return None
    trigrams = sorted({w[i : i + 3] for w in usable for i in range(len(w) - 2)})
    # A NUL ends SQLite's string (and no record holds one: validation refuses it).
    trigrams = [t for t in trigrams if "\0" not in t]
    if not trigrams:
        return None
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in trigrams)
