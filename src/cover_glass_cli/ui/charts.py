"""Charts for people, drawn with rich: export figures as bars, value-addition ranges on
one 0-100% axis. Plain characters carry the meaning; colour only adds to it."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from ..domain import figures
from ..domain.kinds.exports import title_of as exports_title
from .tables import draw_note, text
from .terminal import unicode_ok
from .views import figure_cell, footnotes

Row = dict[str, Any]


def _glyphs() -> dict[str, str]:
    if unicode_ok():
        return {"bar": "█", "range": "━", "point": "●", "axis": "─", "tick": "┬", "edge": "│"}
    return {"bar": "#", "range": "=", "point": "o", "axis": "-", "tick": "+", "edge": "|"}


def draw_chart(kind: str, rows: list[Row], console: Console) -> None:
    if kind == "exports":
        export_bars(rows, console)
    elif kind == "value_addition":
        value_ranges(rows, console)
    else:  # pragma: no cover - only these commands offer --chart
        raise ValueError(kind)


def export_bars(rows: list[Row], console: Console) -> None:
    """One bar per period, its length proportional to the figure (in rupees)."""
    g = _glyphs()
    labels = [_label(r["period"], r, rows) for r in rows]
    values = [figure_cell(r) for r in rows]
    rupees = [r["value"] * figures.RUPEE_FACTORS.get(r["unit"], 1) for r in rows]
    label_w = max(map(len, labels), default=0)
    value_w = max(map(len, values), default=0)
    room = max(console.width - label_w - value_w - 4, 5)
    top = max(rupees, default=0) or 1
    console.print(text(exports_title(rows), "bold"))
    for label, value, amount in zip(labels, values, rupees, strict=True):
        size = max(round(room * amount / top), 1)
        line = Text(label.ljust(label_w) + "  ")
        line.append(g["bar"] * size, style="cyan")
        line.append(" " * (room - size) + "  ")
        line.append(text(value.rjust(value_w)))
        console.print(line)
    legend = "'>' marks a figure the source gives as a lower bound: the bar is its least."
    for note in [legend, *footnotes(rows)]:
        draw_note(note, console)


def _label(name: str, row: Row, rows: list[Row]) -> str:
    """A bar's label: its name, the source when several claims of a subject are drawn
    (--all-claims), '*' when inferred."""
    if any(r.get("best") is False for r in rows) or len(set(map(_subject, rows))) < len(rows):
        name += f" ({row.get('source')}, {row.get('rank') or 'normal'})"
    return name + (" *" if row.get("inferred") else "")


def _subject(row: Row) -> tuple[object, ...]:
    """What a drawn row is about: its period or country, scope and year."""
    return tuple(row.get(f) for f in ("period", "country", "product", "scope", "year"))


def value_ranges(rows: list[Row], console: Console) -> None:
    """Each country's share as a span from low to high (a point when one figure) on 0-100%."""
    g = _glyphs()
    labels = [
        _label(f"{r['country']} {r['year']}" if r.get("year") else str(r["country"]), r, rows)
        for r in rows
    ]
    values = [figure_cell(r) for r in rows]
    label_w = max(map(len, labels), default=0)
    value_w = max(map(len, values), default=0)
    room = max(console.width - label_w - value_w - 6, 10)

    def col(pct: float) -> int:
        return min(max(round(pct / 100 * (room - 1)), 0), room - 1)

    title = "Local value addition, per cent as each source measures it (0-100%)"
    console.print(text(title, "bold"))
    for label, value, row in zip(labels, values, rows, strict=True):
        cells = [" "] * room
        if row.get("qualifier") == "range":
            lo, hi = col(row["low"]), col(row["high"])
            for i in range(lo, hi + 1):
                cells[i] = g["range"]
        else:
            cells[col(row["value"])] = g["point"]
        line = Text(label.ljust(label_w) + " " + g["edge"])
        line.append("".join(cells), style="magenta")
        line.append(g["edge"] + " ")
        line.append(text(value.rjust(value_w)))
        console.print(line)
    axis = [g["axis"]] * room
    ticks = " " * room
    taken: list[range] = []  # the columns of the labels placed, each with a space after
    for pct in (0, 100, 50, 25, 75):  # the ends first: a narrow axis drops a middle label
        axis[col(pct)] = g["tick"]
        mark = f"{pct}%"
        start = max(min(col(pct), room - len(mark)), 0)
        span = range(start - 1, start + len(mark) + 1)
        if any(set(span) & set(t) for t in taken):
            continue
        taken.append(span)
        ticks = ticks[:start] + mark + ticks[start + len(mark) :]
    pad = " " * (label_w + 2)
    console.print(Text(pad + "".join(axis)))
    console.print(Text(pad + ticks.rstrip()))
    console.print(
        text(
            f"{g['point']} one figure (≈: approximate)   {g['range'] * 3} a range, low to high",
            "dim",
        )
    )
    for note in footnotes(rows):
        draw_note(note, console)
