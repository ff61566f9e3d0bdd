"""Machine formats, written straight to stdout without rich: json, ndjson, csv, tsv, markdown.

JSON keeps every string exactly (JSON-escaped). CSV and TSV put one record on a
row; list values are JSON-encoded in a cell, null is an empty cell. Markdown is
a GitHub pipe table for pasting into documents.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from .terminal import clean, unicode_ok

MACHINE_FORMATS = ("json", "ndjson", "csv", "tsv", "markdown")
FORMATS = ("table", *MACHINE_FORMATS)


def select(rows: list[dict[str, Any]], fields: Sequence[str] | None) -> list[dict[str, Any]]:
    if not fields:
        return rows
    return [{f: row.get(f) for f in fields} for row in rows]


def dumps(data: Any, *, indent: int | None = 2) -> str:
    return json.dumps(data, indent=indent, ensure_ascii=not unicode_ok())


def write_json(data: Any, *, indent: int | None = 2) -> None:
    _write(dumps(data, indent=indent) + "\n")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _tsv_cell(value: Any) -> str:
    text = _cell(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _md_cell(value: Any) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else _cell(value)
    return clean(text, newlines=False).replace("|", "\\|")


def write_rows(rows: list[dict[str, Any]], fmt: str, fields: Sequence[str]) -> None:
    """Write ROWS (already in their output shape) in a machine format, FIELDS as columns."""
    if fmt == "json":
        write_json(rows)
    elif fmt == "ndjson":
        _write("".join(dumps(row, indent=None) + "\n" for row in rows))
    elif fmt == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(fields)
        writer.writerows([_cell(row.get(f)) for f in fields] for row in rows)
        _write(buffer.getvalue())
    elif fmt == "tsv":
        lines = ["\t".join(fields)]
        lines += ["\t".join(_tsv_cell(row.get(f)) for f in fields) for row in rows]
        _write("\n".join(lines) + "\n")
    elif fmt == "markdown":
        lines = ["| " + " | ".join(fields) + " |", "|" + "---|" * len(fields)]
        lines += ["| " + " | ".join(_md_cell(row.get(f)) for f in fields) + " |" for row in rows]
        _write("\n".join(lines) + "\n")
    else:  # pragma: no cover - the option's choices prevent it
        raise ValueError(fmt)


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
