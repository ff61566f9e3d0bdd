"""One object per invocation: the global options, loading the facts, and showing results."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from .domain.facts import Facts


class Output:
    """How a listing command writes: the format, the fields to keep (None: all), the
    unit to re-express rupees in, citations, a chart, an SVG to save.

    A plain class, not a NamedTuple: those cost start-up time to create."""

    __slots__ = ("chart", "cite", "fields", "format", "save_svg", "unit")

    def __init__(
        self,
        format: str,
        fields: list[str] | None,
        unit: str | None = None,
        cite: bool = False,
        chart: bool = False,
        save_svg: str | None = None,
    ) -> None:
        self.format, self.fields, self.unit = format, fields, unit
        self.cite, self.chart, self.save_svg = cite, chart, save_svg


class App:
    def __init__(self, *, facts_paths: tuple[str, ...], use_cache: bool, debug: bool) -> None:
        self.facts_paths = facts_paths
        self.use_cache = use_cache
        self.debug = debug
        self._facts: Facts | None = None

    def load(self) -> Facts:
        if self._facts is None:
            from .store import load

            self._facts = load(self.facts_paths, use_cache=self.use_cache)
        return self._facts

    def show(self, kind: str, rows: list[dict[str, Any]], out: Output, *, empty: str) -> None:
        """Write ROWS of KIND as OUT asks; with no rows, say EMPTY and exit 1 (JSON still prints [])."""
        from .domain.query import fields_of

        fields = out.fields or [f.name for f in fields_of(kind)]
        if out.format != "table":
            from .ui.formats import select, write_rows

            if out.format == "json" or rows:
                write_rows(select(rows, fields), out.format, fields)
        elif rows:
            self.draw(kind, rows, out)
        if not rows:
            click.echo(f"cgcli: {empty}", err=True)
            raise click.exceptions.Exit(1)

    def draw(self, kind: str, rows: list[dict[str, Any]], out: Output) -> None:
        from .ui.tables import draw_table, make_console
        from .ui.views import table_view

        view = table_view(kind, rows, out.fields)
        if out.cite:
            from .ui.views import with_citations

            view = with_citations(view, self.load().by_id("sources"))
        console = make_console(record=bool(out.save_svg))
        if out.chart:
            from .ui.charts import draw_chart

            draw_chart(kind, rows, console)
        else:
            draw_table(view, console)
        if out.save_svg:
            try:
                console.save_svg(out.save_svg, title=f"cgcli {kind}")
            except OSError as e:  # a folder that does not exist or is read-only, a full disk
                raise click.ClickException(
                    f"cannot write {out.save_svg}: {e.strerror or e}"
                ) from None
            click.echo(f"cgcli: saved {out.save_svg}", err=True)
