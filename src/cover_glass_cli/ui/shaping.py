"""Shaping output as sqlite-utils users expect: --sort, --limit, and the plain format
(aligned columns, no box drawing, no colour) for screen readers and `cut`/`awk`.
No rich here (the table of --fields imports it when drawn); --jq is output.py's,
beside the JSON it filters.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from .views import TableView

Row = dict[str, Any]


def sort_rows(rows: list[Row], field: str) -> list[Row]:
    """ROWS ordered by FIELD ('-FIELD': descending); rows without a value come last
    either way; numbers before text, text in any case; a stable sort."""
    descending = field.startswith("-")
    name = field.removeprefix("-")
    present = [r for r in rows if r.get(name) is not None]
    absent = [r for r in rows if r.get(name) is None]

    def key(row: Row) -> tuple[int, Any]:
        value = row[name]
        if isinstance(value, bool):
            return 0, int(value)
        if isinstance(value, int | float):
            return 1, value
        if isinstance(value, str):
            return 2, value.casefold()
        import json

        return 3, json.dumps(value, sort_keys=True)

    return sorted(present, key=key, reverse=descending) + absent


def width(text: str) -> int:
    """Columns TEXT takes in a terminal: wide East Asian characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def plain_lines(
    headers: Sequence[str], cells: list[list[str]], numeric: Sequence[bool], *, head: bool = True
) -> list[str]:
    """Rows as aligned columns, two spaces apart; numbers right-aligned; no trailing space."""
    table = ([list(headers)] if head else []) + cells
    widths = [max((width(row[i]) for row in table), default=0) for i in range(len(headers))]
    lines = []
    for row in table:
        parts = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - width(cell))
            parts.append(pad + cell if numeric[i] else cell + pad)
        lines.append("  ".join(parts).rstrip())
    return lines


def plain_text(
    headers: Sequence[str], cells: list[list[str]], numeric: Sequence[bool], *, head: bool = True
) -> str:
    """The plain format: aligned columns, each cell on one line, controls escaped and
    invisible characters shown as in tables; characters stdout cannot show in ASCII."""
    lines = plain_lines(
        [shown(h) for h in headers], [[shown(c) for c in row] for row in cells], numeric, head=head
    )
    return "".join(line + "\n" for line in lines)


def shown(text: str, stream: Any = None) -> str:
    """TEXT for one line of STREAM (stdout when None), as tables show it."""
    from ..domain.figures import to_ascii
    from .escape import terminal_text
    from .terminal import unicode_ok

    text = terminal_text(" ".join(text.split()), newlines=False)
    return text if unicode_ok(stream) else to_ascii(text)


def write_notes(notes: Sequence[str]) -> None:
    """A table's footnotes to stderr, after the plain format's rows on stdout."""
    try:
        sys.stderr.write("".join(shown(note, sys.stderr) + "\n" for note in notes))
        sys.stderr.flush()
    except OSError:  # stderr full or gone: the data went out, the exit status tells
        pass


def fields_table(
    rows: list[Row], columns: list[str], view: Callable[[], TableView] | None
) -> Callable[[Console], None]:
    """Draws ROWS as a table of COLUMNS (values as people read them), under VIEW's title."""

    def draw(console: Console) -> None:
        from functools import partial

        from .tables import draw_table
        from .views import Column, TableView, human_cell

        title = view().title if view is not None else ""
        cells = [Column(f, partial(human_cell, field=f)) for f in columns]
        draw_table(TableView(title, cells, rows, []), console)

    return draw


def narrowed(document: Any, columns: list[str]) -> Any:
    """DOCUMENT with only COLUMNS when it is a record (a company with its people) or a
    list of them, keeping its shape; None, for the rows, when it is something else."""
    records = document if isinstance(document, list) else [document]
    if not all(isinstance(d, dict) and set(columns) <= d.keys() for d in records):
        return None
    narrowed = [{f: d[f] for f in columns} for d in records]
    return narrowed if isinstance(document, list) else narrowed[0]
