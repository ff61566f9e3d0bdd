"""Drawing for people, with rich: tables, detail views and charts.

The only module that imports rich, and only when something is drawn. Every
string from the data goes through `text()`: shown as text (no markup, no
emoji codes), with control and bidi characters made visible, and ₹ ≈ – spelt
in ASCII where the terminal's encoding lacks them.
"""

from __future__ import annotations

import errno
import os
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..domain.figures import to_ascii
from .escape import terminal_text
from .terminal import unicode_ok
from .views import TableView


class _Console(Console):
    """rich's Console, but a reader that goes away is cgcli's to handle (the same exit
    status for every format), not rich's SystemExit(1)."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


def make_console() -> Console:
    """One Console per invocation, made when needed, so it sees the environment as it is now."""
    return _Console(markup=False, emoji=False, highlight=False)


def shown(value: str) -> str:
    """VALUE as it will appear: controls and invisible characters made visible (so that
    "Acme" and "Acme\u200b" can be told apart), ASCII where the terminal needs it."""
    value = terminal_text(value)
    return value if unicode_ok() else to_ascii(value)


def text(value: str, style: str = "") -> Text:
    return Text(shown(value), style=style)


class _Grid:
    """A table's text as it will be drawn, computed once: headers, numeric flags, cells.

    Widths are measured on this text, so an escaped control character or 'Rs' (wider
    than what it replaces) is never cut. Columns empty in every row are left out."""

    def __init__(self, view: TableView) -> None:
        self.title = shown(view.title)
        cells = [[shown(c.cell(row)) for c in view.columns] for row in view.rows]
        keep = [j for j in range(len(view.columns)) if any(r[j] for r in cells)]
        keep = keep or list(range(len(view.columns)))
        self.headers = [shown(view.columns[j].header) for j in keep]
        self.numeric = [view.columns[j].numeric for j in keep]
        self.whole = [view.columns[j].whole for j in keep]
        self.cells = [[r[j] for j in keep] for r in cells]


def build_table(grid: _Grid, widths: list[int], compact: bool = False) -> Table:
    """The table, each column WIDTHS[i] wide: boxed, or COMPACT (columns two spaces apart
    under a rule, a blank line between rows where a cell wraps) where a box does not fit."""
    style: dict[str, Any] = {}
    if compact:
        wraps = any(
            cell_len(line) > w
            for row in grid.cells
            for c, w in zip(row, widths, strict=True)
            for line in c.splitlines()
        ) or any("\n" in c for row in grid.cells for c in row)
        style = {
            "box": box.SIMPLE_HEAD,
            "show_edge": False,
            "pad_edge": False,
            "padding": (0, 1, 0, 0),
            "leading": 1 if wraps else 0,
        }
    table = Table(title=Text(grid.title, style="bold"), title_justify="left", **style)
    for i, (header, numeric) in enumerate(zip(grid.headers, grid.numeric, strict=True)):
        whole = numeric or grid.whole[i]  # numbers, ids, periods: never wrapped
        table.add_column(
            Text(header),
            justify="right" if numeric else "left",
            no_wrap=whole,
            overflow="ellipsis" if whole else "fold",
            width=widths[i],
            style="bold" if i == 0 and not numeric else "",
        )
    for row in grid.cells:
        table.add_row(*(Text(c, style="red bold" if c == "DIFFERS" else "") for c in row))
    return table


_WORD_CAP = 24  # a longer word is folded rather than widen its column further


def _layout(grid: _Grid, room: int) -> list[int] | None:
    """Column widths whose sum fits ROOM without cutting a value, or None if nothing fits.

    Numbers, ids and periods never wrap; text keeps its words whole (a word longer than
    _WORD_CAP may fold), and the room left over goes to the columns in proportion to what they would
    like more.
    """
    natural, whole = [], []
    for j, header in enumerate(grid.headers):
        texts = [header, *(row[j] for row in grid.cells)]
        natural.append(max((cell_len(ln) for t in texts for ln in t.splitlines()), default=1) or 1)
        if grid.whole[j]:  # numbers, ids, periods: the whole value or a block layout
            whole.append(natural[-1])
        else:
            longest_word = max((cell_len(w) for t in texts for w in t.split()), default=1)
            whole.append(min(longest_word, _WORD_CAP))
    if sum(whole) > room:
        return None  # words would be cut
    extra = room - sum(whole)
    wants = [max(n - m, 0) for n, m in zip(natural, whole, strict=True)]
    total = sum(wants) or 1
    return [m + min(w, extra * w // total) for m, w in zip(whole, wants, strict=True)]


def fitted(view: TableView, console: Console) -> Table | Group:
    """A table that fits the console with its words whole: boxed, else compact (no rules
    between columns: an 80-column terminal keeps the table of a listing), else one block
    of aligned label/value lines per record. Never an id or a number cut."""
    grid = _Grid(view)
    n = len(grid.headers)
    widths = _layout(grid, console.width - (3 * n + 1))  # a rule and a space each side
    if widths is not None:
        return build_table(grid, widths)
    widths = _layout(grid, console.width - 2 * (n - 1))  # two spaces between columns
    if widths is not None:
        return build_table(grid, widths, compact=True)
    return _records(grid, console.width)


def _records(grid: _Grid, width: int) -> Group:
    """Each row as its own block of label/value lines, values aligned after the widest
    label and wrapped under themselves (on a terminal too narrow for that, each label on
    its line and its value indented below); an empty value leaves its label alone."""
    widest = max((cell_len(h) for h in grid.headers), default=0)
    longest = max(  # an id or a number is never wrapped: it must fit beside its label
        (cell_len(c) for row in grid.cells for c, w in zip(row, grid.whole, strict=True) if w),
        default=0,
    )
    indent = widest + 2 if widest + 2 + max(_WORD_CAP, longest) <= width else 2
    parts: list[Any] = [Text(grid.title, style="bold")]
    for row in grid.cells:
        parts.append(Text(""))
        for header, cell, whole in zip(grid.headers, row, grid.whole, strict=True):
            parts.extend(_pair(header, cell, whole, indent, width))
    return Group(*parts)


def _pair(label: str, value: str, whole: bool, indent: int, width: int) -> list[Text]:
    """LABEL and VALUE as lines, the value INDENT from the left: beside the label when the
    label fits there, else below it. A whole value (an id, a number) or a single word is
    never folded: a terminal too narrow for it shows it on more lines, but a copy keeps it
    in one piece."""
    if whole or len(value.split()) <= 1:
        body = [value.strip()] if value.strip() else []
    else:
        room = max(width - indent, 1)
        body = [line for paragraph in value.splitlines() for line in _wrap(paragraph, room)]
    beside = cell_len(label) + 2 <= indent
    first = Text(label, style="cyan")
    if body and beside:
        first.append(" " * (indent - cell_len(label)) + body.pop(0))
    lines = [first, *(Text(" " * indent + line) for line in body)]
    for line in lines:
        line.no_wrap, line.overflow = True, "ignore"
    return lines


def draw_table(view: TableView, console: Console) -> None:
    console.print(fitted(view, console), crop=False)  # block layout: ids whole
    for note in view.footnotes:
        draw_note(note, console)


def draw_note(note: str, console: Console) -> None:
    """NOTE, dim, wrapped between words but never inside one: an id longer than a narrow
    terminal's line stays in one piece (the terminal shows it on more lines, but a copy
    keeps it whole), as in the block layout. Rich would fold such a word."""
    for paragraph in shown(note).splitlines() or [""]:
        for line in _wrap(paragraph, console.width):
            console.print(Text(line, style="dim"), no_wrap=True, overflow="ignore", crop=False)


def _wrap(paragraph: str, width: int) -> list[str]:
    """PARAGRAPH as lines of at most WIDTH terminal cells (a wide character counts two),
    broken between words only: a longer word keeps a line of its own. The paragraph's
    indent stays on its first line; a blank paragraph is one empty line."""
    if not paragraph.strip():
        return [""]
    line = paragraph[: len(paragraph) - len(paragraph.lstrip(" "))]
    lines: list[str] = []
    for word in paragraph.split():
        if not line.strip():
            line += word
        elif cell_len(line) + 1 + cell_len(word) > width:
            lines.append(line)
            line = word
        else:
            line += " " + word
    return [*lines, line]


def draw_detail(
    title: str, sections: list[tuple[str, list[tuple[str, str]]]], console: Console
) -> None:
    """A heading, then each section as an aligned label/value list."""
    console.print(text(title, "bold underline"))
    for heading, pairs in sections:
        if not pairs:
            continue
        if heading:
            console.print()
            console.print(text(heading, "bold"))
        widest = max(len(shown(label)) for label, _ in pairs)
        if widest + 2 + _WORD_CAP > console.width:  # too narrow to align: label, then value
            for label, value in pairs:
                console.print(text(label, "cyan"), no_wrap=True, crop=False, overflow="ignore")
                if len(value.split()) == 1:  # an id, a number, a year: one piece
                    console.print(text("  " + value), no_wrap=True, crop=False, overflow="ignore")
                else:
                    console.print(Padding(text(value), (0, 0, 0, 2)))
            continue
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="cyan", no_wrap=True, min_width=widest)
        grid.add_column(overflow="fold")
        for label, value in pairs:
            grid.add_row(text(label), text(value))
        console.print(grid)
