"""The facts as datasets for the tools data people use: a SQLite database for Datasette
(and sqlite-utils, pandas, DuckDB) and a Frictionless tabular data package
(datapackage.py).

Both are written from one layout, `tables(facts)`, generated from the registry:
- a table per kind, primary key `id`; each stored field a column, NOT NULL when
  required, a CHECK (SQLite) or an enum (data package) when it has choices;
- a reference to one kind is a foreign key; a list field is a JSON array of strings
  (Datasette shows it as JSON, frictionless reads it as type "array");
- a reference that may name two kinds (statements.speaker: people or companies,
  sites.operator: companies or ventures) keeps its column as stored, and gets one
  split column per kind (speaker_person, speaker_company), each a foreign key that
  holds the id when it names that kind and null otherwise;
- a list of references (ventures.partners) keeps its JSON column, and gets a link
  table (venture_partners: venture, position, partner) with foreign keys;
- derived fields: those the kind marks `exported` (an export's period, months,
  compared_with, a foreign key to the year-ago export, and the computed growth) are
  kept as columns; names behind ids are left out, since
  Datasette shows them as the labels of the foreign keys, and so is the --unit
  conversion. Sources keep no cited_by: Datasette lists the rows linking to a row.

Standard library only (sqlite3, json). Every value goes in as a parameter;
identifiers come from the schema only. Files are written beside their target and
moved into place, so a failed export leaves nothing half-written.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain import registry
from ..domain.facts import SCHEMA_VERSION, Facts
from ..domain.query import rows
from ..domain.registry import Field, find_kind, kind_of, kinds, source_kind

TITLE = "cgcli facts: the Optiemus–Corning cover-glass venture and India's mobile phone exports"
DESCRIPTION = (
    "Curated facts on the Optiemus–Corning cover-glass joint venture and India's mobile "
    "phone exports. Every record names the source it comes from (the sources table); "
    "figures keep their unit and the qualifier the source gives them (over, around, a "
    "range). Descriptions are the curators' own words. Indian fiscal years run April to "
    "March: FY2023 is April 2022 to March 2023."
)
# The licence of cgcli and its curated fact file; it covers this compilation, not the
# source documents, which the data cites but does not contain.
LICENSE = "MIT"
LICENSE_URL = "https://opensource.org/licenses/MIT"
CSV_NOTE = (
    "The CSV files are plain RFC 4180 CSV (UTF-8, CRLF line ends, a header row) for data "
    "tools, not for spreadsheets: cells are written as they are, so a cell may begin with "
    "=, +, - or @. Any field holding a comma, a double quote, a CR or an LF is quoted. "
    "List fields are JSON arrays of strings; an empty cell is a missing value."
)

_LABELS = ("name", "title", "statement", "summary", "period", "country")
_SQL_TYPES = {
    "str": "TEXT",
    "int": "INTEGER",
    "number": "NUMERIC",
    "strlist": "TEXT",
    "spans": "TEXT",
}


@dataclass(slots=True)
class Column:
    """One column of a table: its schema type, constraints, what it means, and the
    table its values name (a foreign key), if any."""

    name: str
    type: str
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: str | None = None


@dataclass(slots=True)
class Table:
    """One table: its columns, primary key, rows (dicts by column name), the column
    Datasette shows for a link to a row, and the columns full-text search covers."""

    name: str
    description: str
    columns: list[Column]
    primary_key: tuple[str, ...]
    rows: list[dict[str, Any]]
    label: str | None = None
    searchable: tuple[str, ...] = ()


def singular(name: str) -> str:
    """A kind's or a list field's name for one of its items, for column names:
    companies -> company, partners -> partner (Kind.singular where a kind says)."""
    declared = find_kind(name)
    return declared.singular if declared is not None else registry.singular(name)


def _describe(kind: str, field: Field, *, derived: bool = False) -> str:
    """A column's description: the schema's doc, plus its unit, values and links."""
    text = field.doc.rstrip(".") + "."
    names = set(kind_of(kind).field_map)
    if field.type == "number" and "unit" in names and not field.name.endswith("_pct"):
        text += " Unit: the row's unit column."
    elif field.name.endswith("_pct"):
        text += " Unit: per cent."
    if field.choices and not all(choice in field.doc for choice in field.choices):
        text += f" One of: {', '.join(field.choices)}."
    if field.type == "strlist":
        text += " A JSON array of strings."
    elif field.type == "spans":
        text += " A JSON array of {start, end, sha256}: offsets into the source's text."
    if len(field.ref) == 1:
        text += f" Links to {field.ref[0]}.id."
    elif field.ref:
        split = ", ".join(f"{field.name}_{singular(k)}" for k in field.ref)
        text += f" Names a record of {' or '.join(field.ref)}; see {split} for the links."
    if derived:
        text += " Computed by cgcli from the data, not stored in the fact file."
    return text


Maker = Callable[[dict[str, Any]], Any]  # a column's value from a row of query.rows


def _field(name: str) -> Maker:
    return lambda row: row[name]


def _when_in(name: str, known: set[str]) -> Maker:
    """The id in field NAME when it is one of KNOWN, else None: a split reference column."""
    return lambda row: row[name] if row[name] in known else None


def tables(facts: Facts) -> list[Table]:
    """The layout both exports write: a table per kind, each followed by its link tables
    (so every table comes after the tables it links to, but for ventures <- sites)."""
    ids = {kind: {r["id"] for r in facts[kind]} for kind in kinds()}
    out: list[Table] = []
    for kind, declared in kinds().items():
        out.append(_kind_table(facts, kind, ids))
        out.extend(
            _link_table(kind, f, facts[kind])
            for f in declared.fields
            if f.type == "strlist" and f.ref
        )
    return out


def _kind_table(facts: Facts, kind: str, ids: dict[str, set[str]]) -> Table:
    declared = kind_of(kind)
    fields = declared.fields
    columns: list[Column] = []
    makers: list[Maker] = []
    for field in fields:
        single = field.ref[0] if len(field.ref) == 1 and field.type == "str" else None
        columns.append(
            Column(
                field.name,
                field.type,
                _describe(kind, field),
                required=field.required,
                choices=field.choices,
                ref=single,
            )
        )
        makers.append(_field(field.name))
        if len(field.ref) > 1:
            for target in field.ref:
                columns.append(
                    Column(
                        f"{field.name}_{singular(target)}",
                        "str",
                        f"The {field.name} when it is a record of {target}, else null. "
                        f"Links to {target}.id.",
                        ref=target,
                    )
                )
                makers.append(_when_in(field.name, ids[target]))
    for field in declared.derived:
        if field.exported:
            columns.append(
                Column(
                    field.name,
                    field.type,
                    _describe(kind, field, derived=True),
                    choices=field.choices,
                    ref=field.links,
                )
            )
            makers.append(_field(field.name))
    names = [c.name for c in columns]
    if len(set(names)) != len(names):  # pragma: no cover - a schema change
        raise ValueError(f"{kind}: a split column has the name of a field")
    return Table(
        kind,
        declared.doc,
        columns,
        ("id",),
        [
            {n: make(row) for n, make in zip(names, makers, strict=True)}
            for row in rows(facts, kind)
        ],
        label=next((n for n in _LABELS if n in names), None),
        searchable=tuple(
            f.name
            for f in fields
            if f.type in ("str", "strlist")
            and not f.ref
            and not f.choices
            and f.name not in ("id", "inferred")
        ),
    )


def _link_table(kind: str, field: Field, records: list[dict[str, Any]]) -> Table:
    """A table linking each record of KIND to each id in its list FIELD, in order."""
    owner, target = singular(kind), singular(field.name)
    columns = [
        Column(owner, "str", f"Id of the {owner}. Links to {kind}.id.", required=True, ref=kind),
        Column("position", "int", f"Place of the {target} in the list, from 1.", required=True),
        Column(
            target,
            "str",
            f"Id of the {target}. Links to {field.ref[0]}.id.",
            required=True,
            ref=field.ref[0],
        ),
    ]
    link_rows = [
        {owner: r["id"], "position": i, target: value}
        for r in records
        for i, value in enumerate(r.get(field.name, []), 1)
    ]
    return Table(
        f"{owner}_{field.name}",
        f"One row per {target} of each {owner} ({kind}.{field.name}), for joins.",
        columns,
        (owner, "position"),
        link_rows,
    )


def sources_of(facts: Facts) -> list[dict[str, str]]:
    """The data package's sources: a title of ours (the page shows no headline) in
    brackets, with the publisher and date; the web address, else where the copy lies."""
    out = []
    for s in facts[source_kind()]:
        title = str(s["title"])
        if "title" in (s.get("inferred") or ()):
            title = f"[{title}]"
        known = ", ".join(str(s[f]) for f in ("publisher", "published") if s.get(f))
        where = s.get("url") or s.get("location")
        out.append(
            {
                "title": f"{title} ({known})" if known else title,
                **({"path": where} if where else {}),
            }
        )
    return out


# --- SQLite for Datasette ---------------------------------------------------------------


def _q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sql_value(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value


def create_table_sql(table: Table) -> str:
    """CREATE TABLE for TABLE: types, NOT NULL, CHECK for choices, keys."""
    lines = []
    for c in table.columns:
        line = f"{_q(c.name)} {_SQL_TYPES[c.type]}"
        if c.required:
            line += " NOT NULL"
        if c.choices:
            line += f" CHECK ({_q(c.name)} IN ({', '.join(map(_literal, c.choices))}))"
        if c.ref:
            line += f" REFERENCES {_q(c.ref)}({_q('id')})"
        lines.append(line)
    lines.append(f"PRIMARY KEY ({', '.join(map(_q, table.primary_key))})")
    return f"CREATE TABLE {_q(table.name)} (\n  " + ",\n  ".join(lines) + "\n)"


def write_sqlite(facts: Facts, path: Path, metadata_path: Path | None = None) -> Path:
    """Write the facts to a new SQLite database at PATH, and Datasette's metadata beside
    it (default: PATH with .metadata.json). Replaces both. Returns the metadata's path."""
    path = Path(path)
    metadata_path = Path(metadata_path) if metadata_path else path.with_suffix(".metadata.json")
    layout = tables(facts)
    with replacing(path) as temporary:
        _fill(temporary, layout)
    metadata = datasette_metadata(layout, path.stem, sources_of(facts))
    with replacing(metadata_path) as temporary:
        temporary.write_text(as_json(metadata), encoding="utf-8")
    return metadata_path


def as_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _fill(filename: Path, layout: list[Table]) -> None:
    """Create and fill the database in one explicit transaction: one sync to disk, not
    one per CREATE (sqlite3 would otherwise commit each statement of DDL on its own)."""
    db = sqlite3.connect(filename, isolation_level=None)
    try:
        # A new file that is moved into place only when complete needs no journal on disk.
        db.execute("PRAGMA journal_mode = MEMORY")
        db.execute(f"PRAGMA user_version = {int(SCHEMA_VERSION)}")
        db.execute("BEGIN")
        for table in layout:
            db.execute(create_table_sql(table))
            names = [c.name for c in table.columns]
            insert = (
                f"INSERT INTO {_q(table.name)} ({', '.join(map(_q, names))}) "
                f"VALUES ({', '.join('?' for _ in names)})"
            )
            db.executemany(insert, ([_sql_value(row[n]) for n in names] for row in table.rows))
            if table.searchable:
                _add_search(db, table)
        broken = db.execute("PRAGMA foreign_key_check").fetchall()
        if broken:  # merged facts have every reference resolved: a bug if not
            raise ValueError(f"foreign keys broken in the export: {broken[:5]}")
        db.execute("COMMIT")
    finally:
        db.close()


def _add_search(db: sqlite3.Connection, table: Table) -> None:
    """Full-text search the way sqlite-utils sets it up, so Datasette finds it:
    an external-content FTS5 table named <table>_fts, content=[<table>]."""
    fts = f"{table.name}_fts"
    columns = ", ".join(map(_q, table.searchable))
    db.execute(f"CREATE VIRTUAL TABLE {_q(fts)} USING FTS5 ({columns}, content=[{table.name}])")
    db.execute(
        f"INSERT INTO {_q(fts)} (rowid, {columns}) SELECT rowid, {columns} FROM {_q(table.name)}"
    )


def _source_line(sources: list[dict[str, str]]) -> str:
    """The sources' titles for Datasette's footer, the first three at most."""
    titles = [s["title"] for s in sources]
    if len(titles) > 3:
        return "; ".join(titles[:3]) + f"; and {len(titles) - 3} more (the sources table)"
    return "; ".join(titles) or "cgcli's curated facts"


def datasette_metadata(
    layout: list[Table], database: str, sources: list[dict[str, str]]
) -> dict[str, Any]:
    """Datasette's metadata.json: title, description, source and licence for the
    database; a description for every table and column; label columns for links."""
    urls = [s["path"] for s in sources if s.get("path", "").startswith(("https://", "http://"))]
    metadata: dict[str, Any] = {
        "title": TITLE,
        "description": DESCRIPTION,
        "license": LICENSE,
        "license_url": LICENSE_URL,
        "source": _source_line(sources),
    }
    if urls:
        metadata["source_url"] = urls[0]
    tables_meta: dict[str, Any] = {}
    for table in layout:
        entry: dict[str, Any] = {
            "description": table.description,
            "columns": {c.name: c.description for c in table.columns},
        }
        if table.label:
            entry["label_column"] = table.label
        tables_meta[table.name] = entry
    # Datasette shows the top level on its index page, the database's own on its page.
    metadata["databases"] = {
        database: {"title": TITLE, "description": DESCRIPTION, "tables": tables_meta}
    }
    return metadata


# --- writing files safely -----------------------------------------------------------------


def replacing(target: Path) -> contextlib.AbstractContextManager[Path]:
    """A new file beside TARGET, moved over it once complete (see writer.replacing: never
    through a link, never onto a special file)."""
    from .writer import replacing as safely

    return safely(target)
