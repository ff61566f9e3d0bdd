"""The text of the machine formats other than JSON, made without rich: ndjson, csv, tsv,
markdown. ui/output.py writes it to stdout; JSON is its own (on every lookup's path),
these are imported only by the runs that ask for them.

ndjson is a JSON object a line. CSV and TSV put one record on a row; list values are
JSON-encoded in a cell, null is an empty cell. Markdown is a GitHub pipe table for
pasting into documents.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any


def _tsv_cell(value: Any, spreadsheet: bool) -> str:
    from .escape import csv_value

    text = csv_value(value, spreadsheet=spreadsheet)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _md_cell(value: Any) -> str:
    from .escape import csv_value, markdown_text

    if isinstance(value, list):
        text = ", ".join(map(str, value))
    elif value is None:
        text = ""
    else:
        text = csv_value(value, spreadsheet=False)
    return markdown_text(text)


def rows_text(
    rows: list[dict[str, Any]],
    fmt: str,
    fields: Sequence[str],
    *,
    spreadsheet: bool = True,
    headers: bool = True,
) -> str:
    """ROWS (already in their output shape) in a machine format other than JSON, FIELDS
    as columns.

    CSV and TSV guard cells a spreadsheet would run as formulas (OWASP: a leading ' before
    = + - @, tab or CR, numbers left as they are) unless SPREADSHEET is False; their line
    of column names is left out unless HEADERS."""
    if fmt == "ndjson":  # UTF-8 always, as JSON (see output.dumps)
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    if fmt == "csv":
        import io

        from .escape import csv_value, csv_writer

        buffer = io.StringIO(newline="")
        writer = csv_writer(buffer)
        if headers:
            writer.writerow(fields)
        writer.writerows(
            [csv_value(row.get(f), spreadsheet=spreadsheet) for f in fields] for row in rows
        )
        return buffer.getvalue()
    if fmt == "tsv":
        lines = ["\t".join(fields)] if headers else []
        lines += ["\t".join(_tsv_cell(row.get(f), spreadsheet) for f in fields) for row in rows]
        return "".join(line + "\n" for line in lines)
    if fmt == "markdown":
        from .escape import markdown_text

        lines = ["| " + " | ".join(map(markdown_text, fields)) + " |", "|" + "---|" * len(fields)]
        lines += ["| " + " | ".join(_md_cell(row.get(f)) for f in fields) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    raise ValueError(fmt)  # pragma: no cover - the option's choices prevent it
