"""One object per invocation: the global options, the facts, and how records are shown."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from .domain.facts import Facts
    from .ui.messages import Messages
    from .ui.output import Output
    from .ui.views import TableView


class App:
    def __init__(self, *, facts_paths: tuple[str, ...], use_cache: bool, debug: bool) -> None:
        self.facts_paths = facts_paths
        self.use_cache = use_cache
        self.debug = debug
        self._facts: Facts | None = None

    def say(self, *messages: str) -> None:
        """Messages for the user, on standard error, escaped once (see ui/messages.py)."""
        self.messages.say(*messages)

    @property
    def messages(self) -> Messages:
        """The writer of messages (it holds nothing: one per use will do)."""
        from .ui.messages import Messages

        return Messages()

    def load(self) -> Facts:
        if self._facts is None:
            from .store import load

            self._facts = load(self.facts_paths, use_cache=self.use_cache)
            import click

            ctx = click.get_current_context(silent=True)
            if ctx is not None:  # the database closed when the command ends
                ctx.find_root().call_on_close(self._facts.close)
        return self._facts

    def sources(self) -> dict[str, dict[str, Any]]:
        """The sources of the facts in use, by id."""
        from .domain.registry import source_kind

        return self.load().by_id(source_kind())

    def listing(
        self,
        kind: str,
        out: Output,
        *,
        empty: str,
        records: Iterable[dict[str, Any]] | None = None,
    ) -> None:
        """The listing of KIND (of RECORDS, else all its records) as OUT asks: one row per
        subject from its best claim, or every claim with --all-claims; none: EMPTY, exit 1."""
        from .domain.query import listing

        self.show(
            kind, listing(self.load(), kind, records, all_claims=out.all_claims), out, empty=empty
        )

    def show(self, kind: str, rows: list[dict[str, Any]], out: Output, *, empty: str) -> None:
        """Rows of KIND as OUT asks (see ui.output.show), in the order and number it asks;
        with none, say EMPTY and exit 1."""
        from .domain.query import fields_of
        from .ui.output import show

        rows = out.shape(rows)

        def draw(console: Console) -> None:
            self.draw(kind, rows, out, console)

        fields = [f.name for f in fields_of(kind)]
        show(out, rows, fields, draw=draw, empty=empty, view=lambda: self.view(kind, rows, out))

    def view(self, kind: str, rows: list[dict[str, Any]], out: Output) -> TableView:
        """The table of ROWS for people: KIND's columns (or --fields), citations if asked."""
        from .ui.views import table_view

        view = table_view(kind, rows, out.fields)
        if out.cite:
            from .ui.views import with_citations

            view = with_citations(view, self.sources())
        return view

    def draw(self, kind: str, rows: list[dict[str, Any]], out: Output, console: Console) -> None:
        from .ui.tables import draw_table

        view = self.view(kind, rows, out)
        if out.chart:
            from .ui.charts import draw_chart

            draw_chart(kind, rows, console)
        else:
            draw_table(view, console)
        for path, fmt in ((out.save_svg, "svg"), (out.save_png, "png")):
            if path:
                self.save_chart(kind, rows, path, fmt)

    def save_chart(self, kind: str, rows: list[dict[str, Any]], path: str, fmt: str) -> None:
        """A chart fit to print, in FILE: what cannot be drawn or written is a clear error."""
        import click

        from .ui.output import OUTPUT_ERRORS
        from .ui.printcharts import ChartError, save_chart

        try:
            save_chart(kind, rows, path, fmt=fmt, sources=self.sources())
        except ChartError as e:
            raise click.ClickException(str(e)) from None
        except OSError as e:
            error = click.ClickException(f"cannot write {path}: {e.strerror or e}")
            if e.errno in OUTPUT_ERRORS:
                error.exit_code = 74  # type: ignore[misc]  # the output could not be written
            raise error from None
        self.say(f"cgcli: saved {path}")
