"""The facts as a Frictionless tabular data package: one CSV file per table of the
layout datasets.py makes (the SQLite export's tables), and datapackage.json describing
them: types, descriptions, constraints, primary and foreign keys, sources and licence.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import IO, Any

from ..domain.facts import SCHEMA_VERSION, Facts
from ..domain.jsonschema import ID_PATTERN
from .datasets import (
    CSV_NOTE,
    DESCRIPTION,
    LICENSE,
    LICENSE_URL,
    TITLE,
    Column,
    Table,
    as_json,
    replacing,
    sources_of,
    tables,
)

_PACKAGE_TYPES = {
    "str": "string",
    "int": "integer",
    "number": "number",
    "strlist": "array",
    "spans": "array",
}


def write_datapackage(facts: Facts, directory: Path) -> Path:
    """Write one CSV per table and datapackage.json into DIRECTORY (made if missing);
    replaces those files. Returns the descriptor's path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    layout = tables(facts)
    for table in layout:
        with (
            replacing(directory / f"{table.name}.csv") as temporary,
            open(temporary, "w", encoding="utf-8", newline="") as out,
        ):
            write_csv(table, out)
    descriptor = datapackage_descriptor(layout, sources_of(facts))
    target = directory / "datapackage.json"
    with replacing(target) as temporary:
        temporary.write_text(as_json(descriptor), encoding="utf-8")
    return target


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)  # str, int, or a float's shortest round-trip form


def write_csv(table: Table, out: IO[str]) -> None:
    """TABLE as RFC 4180 CSV: header row, CRLF, quotes only where needed."""
    writer = csv.writer(out, lineterminator="\r\n")
    names = [c.name for c in table.columns]
    writer.writerow(names)
    writer.writerows([_csv_cell(row[n]) for n in names] for row in table.rows)


def _package_field(column: Column) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": column.name,
        "type": _PACKAGE_TYPES[column.type],
        "description": column.description,
    }
    if column.type == "strlist":
        field["arrayItem"] = {"type": "string"}
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.choices:
        constraints["enum"] = list(column.choices)
    if column.name == "id" or column.ref:
        constraints["pattern"] = ID_PATTERN
    if constraints:
        field["constraints"] = constraints
    return field


def datapackage_descriptor(layout: list[Table], sources: list[dict[str, str]]) -> dict[str, Any]:
    """datapackage.json (Data Package v1, tabular): table schemas with types,
    descriptions, constraints, primary and foreign keys; sources and licence."""
    resources = []
    for table in layout:
        schema: dict[str, Any] = {
            "fields": [_package_field(c) for c in table.columns],
            "primaryKey": list(table.primary_key),
        }
        foreign = [
            {
                "fields": [c.name],
                "reference": {"resource": "" if c.ref == table.name else c.ref, "fields": ["id"]},
            }
            for c in table.columns
            if c.ref
        ]
        if foreign:
            schema["foreignKeys"] = foreign
        resources.append(
            {
                "name": table.name,
                "path": f"{table.name}.csv",
                "profile": "tabular-data-resource",
                "title": table.name,
                "description": table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {
                    "delimiter": ",",
                    "lineTerminator": "\r\n",
                    "quoteChar": '"',
                    "doubleQuote": True,
                    "header": True,
                },
                "schema": schema,
            }
        )
    # Keywords rather than a literal: the descriptor's own property names, not kinds.
    return dict(
        profile="tabular-data-package",
        name="cgcli-facts",
        title=TITLE,
        description=f"{DESCRIPTION}\n\n{CSV_NOTE}",
        version=f"{SCHEMA_VERSION}.0.0",
        licenses=[{"name": LICENSE, "path": LICENSE_URL, "title": "MIT License"}],
        sources=sources or [{"title": "cgcli's curated facts"}],
        resources=resources,
    )
