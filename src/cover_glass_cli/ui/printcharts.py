"""Charts fit to print: the rows a command shows, drawn with matplotlib as an SVG or PNG.

A light page with real bars and ranges, an axis, a title and a "Source: ..." line naming
the sources of the rows drawn. The marks keep what the figures mean: a lower bound ("over")
fades on past its end and says ">", an approximate figure says "≈", an inferred period is
hatched and starred with a footnote, quarters get a panel of their own (never one axis
with full years) drawn to the same scale as the years, value-addition ranges are low-high
bars on a 0-100% axis. A PNG is 300 dpi and opaque (RGB, white ground), as print wants.

matplotlib is the optional extra `charts` and is imported only here, only when a chart is
saved; Figure objects are drawn straight to the SVG or Agg canvas, never through a GUI.
Nothing is fetched: text stays text in the SVG (svg.fonttype 'none', a generic family
after the bundled one), with no DOCTYPE and no external reference. Every string from the
data is untrusted: mathtext is off for every text, and characters that XML cannot carry
are replaced, so the SVG always parses.
"""

from __future__ import annotations

import math
import textwrap
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ..domain import figures
from .escape import one_line

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

Row = dict[str, Any]
FORMATS = ("svg", "png")

INK = "#222222"
MUTED = "#666666"
GRID = "#dddddd"
BAR = "#3a6ea5"  # full years
QUARTER = "#5a9e8f"  # quarters: another colour as well as another panel
RANGE = "#8a4f9e"
WIDTH_IN = 8.0  # a page column and a half; PNG at 300 dpi is 2400 px wide
DPI = 300  # what print asks of a raster image
FOOT_CHARS = 120  # footnote wrap width at 7.5 pt across WIDTH_IN

_STYLE: dict[Any, Any] = {  # keys are matplotlib rcParams (typed as Literals there)
    "svg.fonttype": "none",  # text as <text>: selectable, editable, small
    "svg.hashsalt": "cgcli",  # the same file for the same chart
    "font.family": ["sans-serif"],
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "sans-serif"],
    "text.usetex": False,
    "text.parse_math": False,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "xtick.color": MUTED,
    "ytick.color": INK,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
}


class ChartError(Exception):
    """The chart could not be saved: no matplotlib, nothing to draw, or a bad format."""


def save_chart(
    kind: str, rows: list[Row], path: str, *, fmt: str, sources: dict[str, dict[str, Any]]
) -> None:
    """Draw ROWS of KIND ("exports" or "value_addition") and write them to PATH as FMT
    ("svg" or "png"). SOURCES maps source id to source record, for the "Source:" line.

    Raises ChartError when matplotlib is missing, there is nothing to draw, or FMT is not
    known; OSError when PATH cannot be written."""
    if fmt not in FORMATS:
        raise ChartError(f"cannot save a chart as {fmt!r}; choose one of {', '.join(FORMATS)}")
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ChartError(
            "saving a chart needs matplotlib: pip install matplotlib "
            "(or, from a clone of cgcli, pip install '.[charts]')"
        ) from None
    with _style():
        fig = Figure(figsize=(WIDTH_IN, 4.0), layout="constrained")
        if kind == "exports":
            notes = _exports(fig, rows)
        elif kind == "value_addition":
            notes = _value_addition(fig, rows)
        else:
            raise ChartError(f"no print chart for {kind}")
        _footer(fig, [*notes, _source_line(rows, sources)])
        _write(fig, path, fmt)


@contextmanager
def _style() -> Iterator[None]:
    import matplotlib

    with matplotlib.rc_context(_STYLE), warnings.catch_warnings():
        # A character the font lacks is drawn as a box (PNG) or left to the viewer (SVG).
        warnings.filterwarnings("ignore", message="Glyph .* missing from")
        yield


def _write(fig: Figure, path: str, fmt: str) -> None:
    """The chart into PATH through store/writer.py: made beside it and renamed over it,
    never written through a link or onto a pipe or a device (writer.Refused)."""
    import io
    from pathlib import Path

    from ..store.writer import atomic_write

    buffer = io.BytesIO()
    if fmt == "png":
        fig.savefig(
            buffer,
            format="png",
            dpi=DPI,
            bbox_inches="tight",
            facecolor="white",
            transparent=False,
            metadata={"Software": None},
        )
        from PIL import Image  # matplotlib's own dependency

        buffer.seek(0)
        opaque = io.BytesIO()
        with Image.open(buffer) as image:  # Agg draws RGBA: print wants no alpha channel
            image.convert("RGB").save(opaque, format="PNG", dpi=(DPI, DPI))
        data = opaque.getvalue()
    else:
        fig.savefig(
            buffer,
            format="svg",
            bbox_inches="tight",
            metadata={"Creator": None, "Date": None, "Format": None, "Type": None},
        )
        svg = buffer.getvalue().decode("utf-8")
        # The DOCTYPE names a DTD on w3.org; no viewer needs it, nothing here may point out.
        start = svg.find("<!DOCTYPE")
        if start != -1:
            svg = svg[:start] + svg[svg.index(">", start) + 1 :].lstrip("\n")
        data = svg.encode("utf-8")
    atomic_write(Path(path), data, backup=False, private=False)


# --- text ----------------------------------------------------------------------------


def _source_line(rows: list[Row], sources: dict[str, dict[str, Any]]) -> str:
    """'Source: TITLE, PUBLISHER, DATE; ...' for each source of ROWS, in order of first use."""
    seen = dict.fromkeys(r["source"] for r in rows if isinstance(r.get("source"), str))
    parts = []
    for sid in seen:
        record = sources.get(sid) or {}
        about = [record.get(k) for k in ("kind", "publisher", "published")]
        detail = ", ".join(one_line(b) for b in about if b)
        title = one_line(record.get("title") or sid)
        if "title" in (record.get("inferred") or ()):
            title = f"[{title}]"  # ours: the page shows no headline
        parts.append(title + (f" ({detail})" if detail else ""))
    label = "Sources" if len(parts) > 1 else "Source"
    return f"{label}: {'; '.join(parts) or 'not given'}"


def _footer(fig: Figure, lines: list[str]) -> None:
    """Notes and the source line under the chart, wrapped, in a strip kept free of axes."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    wrapped = [
        w for line in lines for w in textwrap.wrap(line, FOOT_CHARS, break_on_hyphens=False) or [""]
    ]
    line_in = 11 / 72  # 7.5 pt type on 11 pt lines
    strip = line_in * len(wrapped) + 0.12
    height = fig.get_figheight() + strip
    fig.set_figheight(height)
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(rect=(0, strip / height, 1, 1 - strip / height))
    source_lines = len(textwrap.wrap(lines[-1], FOOT_CHARS, break_on_hyphens=False))
    for i, line in enumerate(wrapped):
        fig.text(
            0.01,
            (strip - 0.06 - line_in * i) / height,
            line,
            fontsize=7.5,
            color=INK if i >= len(wrapped) - source_lines else MUTED,
            ha="left",
            va="top",
            parse_math=False,
        )


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


# --- exports -------------------------------------------------------------------------


def _shown(row: Row) -> tuple[float, str] | None:
    """The figure as the command shows it (converted when --unit asked), or None."""
    if row.get("converted_unit") and _finite(row.get("converted_value")):
        return float(row["converted_value"]), str(row["converted_unit"])
    if _finite(row.get("value")) and isinstance(row.get("unit"), str):
        return float(row["value"]), str(row["unit"])
    return None


def _exports(fig: Figure, rows: list[Row]) -> list[str]:
    drawn = [(r, s) for r in rows if (s := _shown(r)) is not None]
    if not drawn:
        raise ChartError("no export figures to draw")
    unit = drawn[0][1][1]
    groups: dict[bool, list[tuple[Row, float]]] = {False: [], True: []}
    left_out: list[str] = []
    for row, (value, row_unit) in drawn:
        if row_unit != unit:
            if row_unit not in figures.RUPEE_FACTORS or unit not in figures.RUPEE_FACTORS:
                left_out.append(_period(row))
                continue
            value = value * figures.RUPEE_FACTORS[row_unit] / figures.RUPEE_FACTORS[unit]
        groups[bool(row.get("quarter"))].append((row, value))
    panels = [(q, g) for q, g in groups.items() if g]
    if not panels:
        raise ChartError("no export figures to draw")
    top = max((max(v, 0.0) for _, g in panels for _, v in g), default=0.0) or 1.0
    sizes = [len(g) for _, g in panels]
    fig.set_figheight(1.0 + sum(0.42 * n + 0.75 for n in sizes))
    axes = fig.subplots(len(panels), 1, height_ratios=[n + 1.2 for n in sizes], squeeze=False)
    fig.suptitle(_exports_title(rows), x=0.0, ha="left", fontsize=12, fontweight="bold", color=INK)
    for (quarters, group), ax in zip(panels, axes[:, 0], strict=True):
        title = (
            "Quarters, on the years' scale (a quarter of a fiscal year, not a year)"
            if quarters
            else "Full fiscal years (April–March, the Indian convention)"
        )
        _bars(ax, group, unit, QUARTER if quarters else BAR, title, top)
    notes = _export_notes([r for _, g in panels for r, _ in g])
    if left_out:
        notes.append(f"Not drawn (a unit that is not rupees): {', '.join(left_out)}.")
    return notes


def _exports_title(rows: list[Row]) -> str:
    countries = {one_line(r.get("country")) for r in rows}
    products = {one_line(r.get("product")) for r in rows}
    if len(countries) == 1 and len(products) == 1:
        (country,), (product,) = countries, products
        return f"{country}: exports of {product}, by Indian fiscal year"
    return "Exports, by Indian fiscal year"


def _period(row: Row) -> str:
    text = one_line(row.get("period") or f"FY{row.get('fy')}")
    if row.get("quarter") and row.get("months"):
        text += f" ({one_line(row['months'])})"
    return text + (" *" if row.get("inferred") else "")


def _bars(
    ax: Axes, group: list[tuple[Row, float]], unit: str, colour: str, title: str, top: float
) -> None:
    """GROUP as bars on an axis from 0 to 1.5 TOP: every panel of a chart shares one scale."""
    from matplotlib.ticker import FuncFormatter

    fade = top * 0.14  # how far a lower bound's bar fades on
    positions = list(range(len(group)))[::-1]  # the first row at the top
    for y, (row, value) in zip(positions, group, strict=True):
        qualifier = row.get("qualifier") or "exact"
        inferred = bool(row.get("inferred"))
        ax.barh(
            y,
            value,
            height=0.6,
            color=colour if not inferred else "white",
            edgecolor=colour,
            hatch="///" if inferred else None,
            linewidth=1.0,
            linestyle="--" if qualifier == "under" else "-",
        )
        end = value
        if qualifier == "over":  # open-ended: fade on, with an arrow
            steps = 8
            for i in range(steps):
                ax.barh(
                    y,
                    fade / steps,
                    left=value + fade * i / steps,
                    height=0.6,
                    color=colour,
                    alpha=0.55 * (1 - (i + 1) / (steps + 1)),
                    linewidth=0,
                )
            ax.annotate(
                "",
                xy=(value + fade * 1.15, y),
                xytext=(value, y),
                arrowprops={"arrowstyle": "-|>", "color": INK, "lw": 0.9},
            )
            end = value + fade * 1.15
        shown = figures.figure({**row, "value": _plain(value), "unit": unit})
        _value_label(ax, shown, end, y, 4)
    ax.set_yticks(positions, labels=[_period(r) for r, _ in group])
    ax.set_xlim(0, top * 1.5)
    ax.set_ylim(-0.7, len(group) - 0.3)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: figures.number(_plain(x))))
    ax.set_xlabel(one_line(figures.to_ascii(unit) if unit.startswith("INR") else unit), color=MUTED)
    ax.set_title(title, loc="left", fontsize=9.5, color=INK)
    _tidy(ax)


def _value_label(ax: Axes, text: str, x: float, y: float, gap: float) -> None:
    """A bar's figure as text, GAP points right of where the bar (or its arrow) ends."""
    ax.annotate(
        one_line(text),
        xy=(x, y),
        xytext=(gap, 0),
        textcoords="offset points",
        va="center",
        fontsize=9,
        color=INK,
        parse_math=False,
    )


def _plain(value: float) -> float:
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else round(value, 2)


def _export_notes(rows: list[Row]) -> list[str]:
    notes = []
    qualifiers = {r.get("qualifier") for r in rows}
    if "over" in qualifiers:
        notes.append(
            "> The source gives a lower bound ('over', 'crossed'): the bar fades on and the "
            "true figure is higher."
        )
    if "under" in qualifiers:
        notes.append("< The source gives an upper bound: dashed outline, the figure is lower.")
    if "approximate" in qualifiers:
        notes.append("≈ The source gives the figure approximately.")
    for r in rows:
        if r.get("inferred"):
            fields = ", ".join(one_line(f) for f in r["inferred"])
            how = f" {one_line(r['note'])}" if r.get("note") else ""
            notes.append(
                f"* Hatched: {one_line(r.get('period'))}: {fields} inferred, not stated.{how}"
            )
    return notes


# --- value addition -------------------------------------------------------------------


def _value_addition(fig: Figure, rows: list[Row]) -> list[str]:
    drawn = [
        r
        for r in rows
        if _finite(r.get("value")) or (_finite(r.get("low")) and _finite(r.get("high")))
    ]
    if not drawn:
        raise ChartError("no value-addition figures to draw")
    fig.set_figheight(1.6 + 0.42 * len(drawn))
    ax = fig.subplots()
    fig.suptitle(
        "Local value addition, as each source measures it",
        x=0.0,
        ha="left",
        fontsize=12,
        fontweight="bold",
        color=INK,
    )
    positions = list(range(len(drawn)))[::-1]
    for y, row in zip(positions, drawn, strict=True):
        qualifier = row.get("qualifier") or "exact"
        if _finite(row.get("low")) and _finite(row.get("high")):
            low, high = sorted((float(row["low"]), float(row["high"])))
            ax.barh(y, max(high - low, 0.4), left=low, height=0.36, color=RANGE, linewidth=0)
            end = high
        else:
            end = float(row["value"])
            ax.plot(
                [end],
                [y],
                marker="o",
                markersize=8,
                color=RANGE,
                markerfacecolor="white" if qualifier == "approximate" else RANGE,
                markeredgewidth=1.6,
                linestyle="none",
            )
            if qualifier in ("over", "under"):
                step = 4 if qualifier == "over" else -4
                ax.annotate(
                    "",
                    xy=(end + step, y),
                    xytext=(end, y),
                    arrowprops={"arrowstyle": "-|>", "color": RANGE, "lw": 1.2},
                )
                end = max(end, end + step)
        unit = row.get("unit") or "percent"
        _value_label(ax, figures.figure({**row, "unit": unit}), min(end, 100), y, 7)
    ax.set_yticks(
        positions,
        labels=[
            one_line(f"{r.get('country')} {r['year']}" if r.get("year") else r.get("country"))
            for r in drawn
        ],
    )
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.7, len(drawn) - 0.3)
    ax.set_xticks([0, 25, 50, 75, 100], labels=["0%", "25%", "50%", "75%", "100%"])
    ax.set_xlabel("per cent, in each source's own measure (see the scope)", color=MUTED)
    _tidy(ax)
    notes = ["Bars: a range the source gives, low to high. Dots: a single figure."]
    if any(r.get("qualifier") == "approximate" for r in drawn):
        notes.append("≈ and a hollow dot: the source gives the figure approximately.")
    if any(r.get("qualifier") in ("over", "under") for r in drawn):
        notes.append("> or < and an arrow: the source gives a bound, not the figure.")
    return notes


def _tidy(ax: Axes) -> None:
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0, labelsize=9)
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    for label in ax.get_yticklabels() + ax.get_xticklabels():
        label.set_parse_math(False)
