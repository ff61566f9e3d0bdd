"""The one way every command prints records: a format, the fields to keep, and a table
(or chart) for people. Machine formats never touch rich.

Commands hand `show()` their rows in output shape and, for people, a function that
draws them; `show()` picks the format, keeps the fields asked for, and says "nothing
found" the one way (a message on stderr and exit status 1; `--json` still prints `[]`).
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .formats import write_json, write_rows

if TYPE_CHECKING:
    from rich.console import Console

Row = dict[str, Any]

# Errors writing output that are the machine's, not cgcli's: a full disk, a closed
# descriptor, an I/O error. Exit status 74 (EX_IOERR) with the reason.
OUTPUT_ERRORS = frozenset(
    {errno.ENOSPC, errno.EIO, errno.EBADF, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
)


class Output:
    """How a command writes: the format, the fields to keep (None: all), the unit to
    re-express rupees in, citations, a chart, an image to save."""

    __slots__ = (
        "all_claims",
        "chart",
        "cite",
        "fields",
        "format",
        "save_png",
        "save_svg",
        "spreadsheet",
        "unit",
    )

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
    ) -> None:
        self.format, self.fields, self.unit = format, fields, unit
        self.cite, self.chart = cite, chart
        self.save_svg, self.save_png = save_svg, save_png
        self.spreadsheet, self.all_claims = spreadsheet, all_claims


class Nothing(Exception):
    """Nothing to show: the message for stderr; the command exits 1."""


class TooMany(Exception):
    """Too many rows for a table: the message (with advice) for stderr; exit 2."""


# A table is for reading: past this many rows it would take rich minutes to lay out and no
# one would read it. Scripts get every row in a machine format, streamed as they are.
MAX_TABLE_ROWS = 5_000


def fits_a_table(out: Output, count: int) -> None:
    """Refuse COUNT rows for a table past MAX_TABLE_ROWS, with advice (TooMany: exit 2).
    Commands that can select many records call it before shaping them."""
    if out.format == "table" and count > MAX_TABLE_ROWS:
        raise TooMany(
            f"{count:,} rows are too many for a table (at most {MAX_TABLE_ROWS:,}); "
            "narrow the selection (--fy, --country ...) or use a machine format "
            "(--csv, --json, --format ndjson)"
        )


def select(rows: list[Row], fields: Sequence[str] | None) -> list[Row]:
    if not fields:
        return rows
    return [{f: row.get(f) for f in fields} for row in rows]


def show(
    out: Output,
    rows: list[Row],
    fields: Sequence[str],
    *,
    draw: Callable[[Console], None],
    empty: str,
    document: Any = None,
) -> None:
    """Write ROWS as OUT asks: FIELDS are the columns of the machine formats (OUT.fields
    narrows them); DRAW draws the rows for people on a Console; DOCUMENT, when given, is
    what json and ndjson write instead of the rows (a nested object such as a company with
    its people). With no rows, raise Nothing(EMPTY) after JSON has printed its `[]`."""
    columns = list(out.fields or fields)
    if out.format == "table":
        fits_a_table(out, len(rows))
        if rows:
            from .tables import make_console

            draw(make_console())
    elif document is not None and out.format == "json":
        write_json(document)
    elif document is not None and out.format == "ndjson":
        write_rows(document if isinstance(document, list) else [document], "ndjson", columns)
    elif out.format == "markdown" and rows:  # for people: figures with qualifier and unit
        from .views import human_rows

        write_rows(human_rows(rows, columns), "markdown", columns)
    elif rows or out.format == "json":
        write_rows(select(rows, columns), out.format, columns, spreadsheet=out.spreadsheet)
    if not rows:
        raise Nothing(empty)
