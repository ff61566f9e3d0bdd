"""The one way every command prints records: a format, the fields to keep, and a table
(or chart) for people. Machine formats never touch rich.

Commands hand `show()` their rows in output shape and, for people, a function that
draws them; `show()` picks the format, keeps the fields asked for, and says "nothing
found" the one way (a message on stderr and exit status 1; `--json` still prints `[]`).

JSON, the format scripts read most, and its jq filter are here, written straight to
stdout; the text of the other machine formats (ndjson, csv, tsv, markdown) is made by
formats.py, which only they import. JSON keeps every string exactly (JSON-escaped).
"""

from __future__ import annotations

import errno
import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from .views import TableView

Row = dict[str, Any]

MACHINE_FORMATS = ("json", "ndjson", "csv", "tsv", "markdown")
FORMATS = ("table", "plain", *MACHINE_FORMATS)

# Errors writing output that are the machine's, not cgcli's: a full disk, a closed
# descriptor, an I/O error. Exit status 74 (EX_IOERR) with the reason.
OUTPUT_ERRORS = frozenset(
    {errno.ENOSPC, errno.EIO, errno.EBADF, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
)


class Output:
    """How a command writes: the format, the fields to keep (None: all), the unit to
    re-express rupees in, citations, a chart, an image to save; the order (a field, '-' for
    descending) and number of rows, a compiled jq program, whether CSV/TSV/plain have a
    header line."""

    def __init__(
        self,
        format: str = "table",
        fields: list[str] | None = None,
        *,
        unit: str | None = None,
        cite: bool = False,
        chart: bool = False,
        save_svg: str | None = None,
        save_png: str | None = None,
        spreadsheet: bool = True,
        all_claims: bool = False,
        jq: Any = None,
        sort: str | None = None,
        limit: int | None = None,
        headers: bool = True,
    ) -> None:
        self.format, self.fields, self.unit = format, fields, unit
        self.cite, self.chart = cite, chart
        self.save_svg, self.save_png = save_svg, save_png
        self.spreadsheet, self.all_claims = spreadsheet, all_claims
        self.jq, self.sort, self.limit, self.headers = jq, sort, limit, headers

    def shape(self, rows: list[Row]) -> list[Row]:
        """ROWS in the order --sort asks, at most --limit of them."""
        if self.sort:
            from .shaping import sort_rows

            rows = sort_rows(rows, self.sort)
        return rows if self.limit is None else rows[: self.limit]


# A table is for reading: past this many rows it would take rich minutes to lay out and no
# one would read it. Scripts get every row in a machine format, streamed as they are.
MAX_TABLE_ROWS = 5_000


def fits_a_table(out: Output, count: int) -> None:
    """Refuse COUNT rows for a table past MAX_TABLE_ROWS, with advice (exit 2).
    Commands that can select many records call it before shaping them."""
    if out.format == "table" and count > MAX_TABLE_ROWS:
        from ..domain.problems import NotShown

        raise NotShown(
            f"{count:,} rows are too many for a table (at most {MAX_TABLE_ROWS:,}); "
            "narrow the selection (--fy, --country ...) or use a machine format "
            "(--csv, --json, --format ndjson)",
            2,
        )


def show(
    out: Output,
    rows: list[Row],
    fields: Sequence[str],
    *,
    draw: Callable[[Console], None],
    empty: str,
    document: Any = None,
    view: Callable[[], TableView] | None = None,
    fields_shown: bool = False,
) -> None:
    """Write ROWS as OUT asks: FIELDS are the columns of the machine formats (OUT.fields
    narrows them); DRAW draws the rows for people on a Console; VIEW, when given, is the
    table DRAW draws, for the plain format (else plain shows FIELDS as people read them);
    DOCUMENT, when given, is what json and ndjson write instead of the rows (a nested
    object such as a company with its people). With no rows, raise NotShown(EMPTY, 1) after
    JSON has printed its `[]`. Rows come in order: sorting and limiting (out.shape) is
    the caller's, before DRAW is made.

    --fields holds in every format: unless FIELDS_SHOWN says DRAW and VIEW show them
    already, a table of just those fields stands in for DRAW, and a DOCUMENT made of the
    records keeps its shape with only those fields (any other gives way to the rows)."""
    columns = list(out.fields or fields)
    if out.fields and not fields_shown:
        from .shaping import fields_table, narrowed

        draw, view = fields_table(rows, columns, view), None
        document = None if document is None else narrowed(document, columns)
    if out.format == "table":
        fits_a_table(out, len(rows))
        if rows:
            from .tables import make_console

            draw(make_console())
    elif out.format == "plain":
        if rows:
            _plain(out, rows, columns, view)
    elif out.format == "json":  # the rows, or the DOCUMENT that stands for them
        data = [{f: row.get(f) for f in columns} for row in rows] if document is None else document
        write_json(data, jq=out.jq)
    elif document is not None and out.format == "ndjson":
        from .formats import rows_text

        documents = document if isinstance(document, list) else [document]
        write_text(rows_text(documents, "ndjson", columns))
    elif out.format == "markdown" and rows:  # for people: figures with qualifier and unit
        from .formats import rows_text
        from .views import human_rows

        write_text(rows_text(human_rows(rows, columns), "markdown", columns))
    elif rows:
        from .formats import rows_text

        shaped = [{f: row.get(f) for f in columns} for row in rows]
        write_text(
            rows_text(shaped, out.format, columns, spreadsheet=out.spreadsheet, headers=out.headers)
        )
    if not rows:
        from ..domain.problems import NotShown

        raise NotShown(empty, 1)


def _plain(
    out: Output, rows: list[Row], columns: list[str], view: Callable[[], TableView] | None
) -> None:
    """The plain format: the table's columns (or COLUMNS as people read them), aligned."""
    from .shaping import plain_text, write_notes

    if view is not None:
        table = view()
        cells = [[column.cell(row) for column in table.columns] for row in table.rows]
        headers = [c.header for c in table.columns]
        numeric = [c.numeric for c in table.columns]
        write_text(plain_text(headers, cells, numeric, head=out.headers))
        write_notes(table.footnotes)
        return
    from .views import human_rows

    human = [[row[c] for c in columns] for row in human_rows(rows, columns)]
    write_text(plain_text(columns, human, [False] * len(columns), head=out.headers))


# --- JSON and its jq filter, written straight to stdout -----------------------------------


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


def compile_jq(expression: str) -> Any:
    """The compiled jq program of EXPRESSION; a ValueError with jq's message if it is
    wrong, or saying so if jq is not installed."""
    try:
        import jq  # type: ignore[import-not-found,unused-ignore]  # no stubs; optional
    except ImportError:
        raise ValueError(
            "--jq needs the jq package, which is not installed: pip install jq (or, from a clone of cgcli, pip install '.[jq]')"
        ) from None
    try:
        return jq.compile(expression)
    except ValueError as e:
        raise ValueError(f"{_first_line(e)}, in {expression!r}") from None


def _first_line(error: Exception) -> str:
    """jq's message without its 'jq: error:' prefix, its echo of the expression, or its
    count of errors: 'syntax error, unexpected end of file at <top-level>, line 1,
    column 2'."""
    lines = str(error).strip().splitlines()
    first = lines[0] if lines else type(error).__name__
    return first.removeprefix("jq: error: ").removesuffix(":")


def run_jq(program: Any, data: Any) -> list[Any]:
    """Every result of PROGRAM on DATA; NotShown (exit 2) for a run-time error (`.x` of
    a list)."""
    try:
        return list(program.input_value(data).all())
    except ValueError as e:
        from ..domain.problems import NotShown

        raise NotShown(f"--jq: {_first_line(e)}", 2) from None


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
