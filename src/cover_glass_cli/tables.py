"""Drawing for people, with rich: tables, detail views and charts.

The only module that imports rich, and only when something is drawn. Every
string from the data goes through `text()`: shown as text (no markup, no
emoji codes), with control and bidi characters made visible, and ₹ ≈ – spelt
in ASCII where the terminal's encoding lacks them.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from .figures import to_ascii
from .terminal import clean, unicode_ok
from .views import TableView


def make_console(*, record: bool = False) -> Console:
    """One Console per invocation, made when needed, so it sees the environment as it is now."""
    return Console(markup=False, emoji=False, highlight=False, record=record)


def shown(value: str) -> str:
    """VALUE as it will appear: controls made visible, ASCII where the terminal needs it."""
    value = clean(value)
    return value if unicode_ok() else to_ascii(value)


def text(value: str, style: str = "") -> Text:
    return Text(shown(value), style=style)


def build_table(view: TableView, widths: list[int] | None = None) -> Table:
    """The table, with each column WIDTHS[i] wide when given (else rich's natural widths)."""
    table = Table(title=text(view.title, "bold"), title_justify="left")
    for i, column in enumerate(view.columns):
        width = widths[i] if widths else None
        if column.numeric:
            table.add_column(text(column.header), justify="right", no_wrap=True, width=width)
        else:
            table.add_column(
                text(column.header), overflow="fold", width=width, style="bold" if i == 0 else ""
            )
    for row in view.rows:
        cells = [column.cell(row) for column in view.columns]
        table.add_row(*(text(c, "red bold" if c == "DIFFERS" else "") for c in cells))
    return table


def _shown_view(view: TableView) -> TableView:
    """VIEW with every header and cell already in its displayed form, so widths are measured
    on what is drawn (an escaped control character or 'Rs' is wider than the original)."""
    columns = [
        column._replace(header=shown(column.header), cell=_displayed(column.cell))
        for column in view.columns
    ]
    return view._replace(columns=columns)


def _displayed(cell: Any) -> Any:
    return lambda row: shown(cell(row))


_WORD_CAP = 24  # a longer word is folded rather than widen its column further


def _layout(view: TableView, width: int) -> list[int] | None:
    """Column widths that fit WIDTH without cutting a value, or None if nothing fits.

    Numbers never wrap; text keeps whole words where it can (else folds), and the
    room left over goes to the columns in proportion to what they would like more.
    """
    room = width - (3 * len(view.columns) + 1)  # padding and rules
    natural, whole, folded = [], [], []
    for column in view.columns:
        cells = [column.cell(row) for row in view.rows]
        lines = [line for c in [column.header, *cells] for line in c.splitlines() or [""]]
        natural.append(max(map(len, lines), default=1) or 1)
        if column.numeric:
            whole.append(natural[-1])
            folded.append(natural[-1])
        else:
            words = [w for c in [column.header, *cells] for w in c.split()]
            whole.append(min(max(map(len, words), default=1), _WORD_CAP))
            folded.append(1)
    for least in (whole, folded):
        if sum(least) <= room:
            extra = room - sum(least)
            wants = [max(n - m, 0) for n, m in zip(natural, least, strict=True)]
            total = sum(wants) or 1
            return [m + min(w, extra * w // total) for m, w in zip(least, wants, strict=True)]
    return None


def _drop_empty_columns(view: TableView) -> TableView:
    keep = [c for c in view.columns if any(c.cell(row) for row in view.rows)]
    return view._replace(columns=keep or view.columns)


def fitted(view: TableView, console: Console) -> Table | Group:
    """A table that fits the console: words kept whole if they can be, folded if not,
    and one record per block (label: value) when even that is too wide. Never cut."""
    view = _drop_empty_columns(_shown_view(view))
    widths = _layout(view, console.width)
    return _records(view) if widths is None else build_table(view, widths)


def _records(view: TableView) -> Group:
    """Each row as its own label/value block, for terminals too narrow for a table."""
    from rich.console import Group

    parts: list[Any] = [text(view.title, "bold")]
    for row in view.rows:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="cyan", overflow="fold")
        grid.add_column(overflow="fold")
        for column in view.columns:
            grid.add_row(text(column.header), text(column.cell(row)))
        parts.extend([text(""), grid])
    return Group(*parts)


def draw_table(view: TableView, console: Console | None = None) -> Console:
    console = console or make_console()
    console.print(fitted(view, console))
    for note in view.footnotes:
        console.print(text(note, "dim"))
    return console


def draw_detail(
    title: str, sections: list[tuple[str, list[tuple[str, str]]]], console: Console | None = None
) -> Console:
    """A heading, then each section as an aligned label/value list."""
    console = console or make_console()
    console.print(text(title, "bold underline"))
    for heading, pairs in sections:
        if not pairs:
            continue
        if heading:
            console.print()
            console.print(text(heading, "bold"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="cyan", no_wrap=True)
        grid.add_column(overflow="fold")
        for label, value in pairs:
            grid.add_row(text(label), text(value))
        console.print(grid)
    return console
