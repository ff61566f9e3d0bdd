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

MACHINE_FORMATS = ("json", "ndjson", "csv", "tsv", "markdown")
FORMATS = ("table", "plain", *MACHINE_FORMATS)


def dumps(data: Any, *, indent: int | None = 2) -> str:
    return json.dumps(data, indent=indent, ensure_ascii=False)  # UTF-8 always: see write_text


def write_json(data: Any, *, jq: Any = None) -> None:
    """DATA as JSON; through the compiled jq program JQ when given, each result on its
    own line, strings raw (as `gh --jq` and `jq -r` print them)."""
    if jq is None:
        write_text(dumps(data) + "\n")
        return
    results = run_jq(jq, data)
    write_text("".join((r if isinstance(r, str) else dumps(r)) + "\n" for r in results))


# --- jq: the `jq` package (bindings to the jq C library, the language `gh --jq` speaks),
# an optional extra imported only when --jq is given.


class JqError(ValueError):
    """A jq expression that does not compile, or jq is not installed."""


def compile_jq(expression: str) -> Any:
    """The compiled jq program of EXPRESSION; JqError with jq's message if it is wrong."""
    try:
        import jq  # type: ignore[import-not-found,unused-ignore]  # no stubs; optional
    except ImportError:
        raise JqError(
            "--jq needs the jq package, which is not installed: pip install jq (or, from a clone of cgcli, pip install '.[jq]')"
        ) from None
    try:
        return jq.compile(expression)
    except ValueError as e:
        raise JqError(f"{_first_line(e)}, in {expression!r}") from None


def _first_line(error: Exception) -> str:
    """jq's message without its 'jq: error:' prefix, its echo of the expression, or its
    count of errors: 'syntax error, unexpected end of file at <top-level>, line 1,
    column 2'."""
    lines = str(error).strip().splitlines()
    first = lines[0] if lines else type(error).__name__
    return first.removeprefix("jq: error: ").removesuffix(":")


def run_jq(program: Any, data: Any) -> list[Any]:
    """Every result of PROGRAM on DATA; JqError for a run-time error (`.x` of a list)."""
    try:
        return list(program.input_value(data).all())
    except ValueError as e:
        raise JqError(_first_line(e)) from None


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


def write_rows(
    rows: list[dict[str, Any]],
    fmt: str,
    fields: Sequence[str],
    *,
    spreadsheet: bool = True,
    headers: bool = True,
    jq: Any = None,
) -> None:
    """Write ROWS (already in their output shape) in a machine format, FIELDS as columns.

    CSV and TSV guard cells a spreadsheet would run as formulas (OWASP: a leading ' before
    = + - @, tab or CR, numbers left as they are) unless SPREADSHEET is False; their line
    of column names is left out unless HEADERS. JSON goes through the jq program JQ."""
    if fmt == "json":
        write_json(rows, jq=jq)
    elif fmt == "ndjson":
        write_text("".join(dumps(row, indent=None) + "\n" for row in rows))
    elif fmt == "csv":
        import io

        from .escape import csv_value, csv_writer

        buffer = io.StringIO(newline="")
        writer = csv_writer(buffer)
        if headers:
            writer.writerow(fields)
        writer.writerows(
            [csv_value(row.get(f), spreadsheet=spreadsheet) for f in fields] for row in rows
        )
        write_text(buffer.getvalue())
    elif fmt == "tsv":
        lines = ["\t".join(fields)] if headers else []
        lines += ["\t".join(_tsv_cell(row.get(f), spreadsheet) for f in fields) for row in rows]
        write_text("".join(line + "\n" for line in lines))
    elif fmt == "markdown":
        from .escape import markdown_text

        lines = ["| " + " | ".join(map(markdown_text, fields)) + " |", "|" + "---|" * len(fields)]
        lines += ["| " + " | ".join(_md_cell(row.get(f)) for f in fields) + " |" for row in rows]
        write_text("\n".join(lines) + "\n")
    else:  # pragma: no cover - the option's choices prevent it
        raise ValueError(fmt)


def write_text(text: str) -> None:
    """TEXT to stdout. Machine formats are UTF-8 whatever the locale or the data: on a
    stream whose encoding is not UTF-8 (a cp1252 or ASCII locale), the bytes go to its
    buffer as UTF-8, so one command never writes two encodings."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    encoding = (getattr(stream, "encoding", None) or "ascii").lower().replace("_", "-")
    if buffer is not None and encoding not in ("utf-8", "utf8"):
        stream.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
        return
    stream.write(text)
    stream.flush()
