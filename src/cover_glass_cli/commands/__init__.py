"""The commands, one module per command or family, each imported only when it runs, and
`App`, the one object per invocation that the root group hands every command.

`Command` and `Group` are the classes of every cgcli command: click's own, with a
help option whose text is plain English. Click looks its text up with gettext, and
the first lookup imports `locale` and searches the disk for translation catalogues:
about 4 M instructions, 2% of a lookup's whole run, for a string cgcli never translates.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.console import Console

    from ..domain.facts import Facts
    from ..ui.messages import Messages
    from ..ui.output import Output
    from ..ui.views import TableView

HELP_TEXT = "Show this message and exit."


def _show_help(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(ctx.get_help(), color=ctx.color)
        ctx.exit()


class Command(click.Command):
    """A click command whose -h/--help is made without a gettext lookup."""

    _plain_help: click.Option | None = None

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        names = self.get_help_option_names(ctx)
        if not names or not self.add_help_option:
            return None
        if self._plain_help is None:  # one object per command: click orders params by identity
            self._plain_help = click.Option(
                names,
                is_flag=True,
                expose_value=False,
                is_eager=True,
                help=HELP_TEXT,
                callback=_show_help,
            )
        return self._plain_help


def no_such_command(name: str, known: list[str]) -> str:
    """The message for a command NAME that is not one of KNOWN, with the nearest names."""
    import difflib

    close = difflib.get_close_matches(name.lower(), known, n=3, cutoff=0.6)
    hint = f" Did you mean {' or '.join(close)}?" if close else ""
    return f"no such command {name!r}.{hint}"


class Group(Command, click.Group):
    """A click group with the same help option; its subcommands are `Command`s. A name
    that is none of them is a usage error that names the nearest (`cgcli compnies`,
    `cgcli facts ad`)."""

    command_class = Command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = click.utils.make_str(args[0])
        known = self.list_commands(ctx)
        if name not in known and not name.startswith("-") and not ctx.resilient_parsing:
            ctx.fail(f"{no_such_command(name, known)} See `{command_path(ctx)} --help`.")
        return super().resolve_command(ctx, args)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as e:  # a subcommand's option before it?
            from .hints import before_command  # only a usage error needs it

            raise before_command(e, ctx, args) from None


def command_path(ctx: click.Context) -> str:
    """The command of CTX as the user types it: `cgcli` (whatever the program was called
    as, `python -m cover_glass_cli` too) and the subcommands' names."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(["cgcli", *reversed(names)])


def listing(kind: str, help: str) -> click.Command:
    """The command that lists KIND's records as they are, with the output options of its
    fields (`cgcli companies`); HELP is its help text."""
    from ..options import kind_examples, kind_output

    @click.command(kind.replace("_", "-"), cls=Command, help=help, epilog=kind_examples(kind))
    @kind_output(kind)
    @click.pass_obj
    def command(app: App, out: Output) -> None:
        app.listing(kind, out, empty=f"no {kind.replace('_', ' ')} in the data")

    return command


class App:
    """One object per invocation: the global options, the facts, and how records are shown."""

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
        from ..ui.messages import Messages

        return Messages()

    def load(self) -> Facts:
        if self._facts is None:
            from ..store import load

            self._facts = load(self.facts_paths, use_cache=self.use_cache)
            import click

            ctx = click.get_current_context(silent=True)
            if ctx is not None:  # the database closed when the command ends
                ctx.find_root().call_on_close(self._facts.close)
        return self._facts

    def sources(self) -> dict[str, dict[str, Any]]:
        """The sources of the facts in use, by id."""
        from ..domain.registry import source_kind

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
        from ..domain.query import listing

        self.show(
            kind, listing(self.load(), kind, records, all_claims=out.all_claims), out, empty=empty
        )

    def show(self, kind: str, rows: list[dict[str, Any]], out: Output, *, empty: str) -> None:
        """Rows of KIND as OUT asks (see ui.output.show), in the order and number it asks;
        with none, say EMPTY and exit 1."""
        from ..domain.query import fields_of
        from ..ui.output import show

        rows = out.shape(rows)

        def draw(console: Console) -> None:
            self.draw(kind, rows, out, console)

        fields = [f.name for f in fields_of(kind)]

        def view() -> TableView:  # --fields included
            return self.view(kind, rows, out)

        show(out, rows, fields, draw=draw, empty=empty, view=view, fields_shown=True)

    def view(self, kind: str, rows: list[dict[str, Any]], out: Output) -> TableView:
        """The table of ROWS for people: KIND's columns (or --fields), citations if asked."""
        from ..ui.views import table_view

        view = table_view(kind, rows, out.fields)
        if out.cite:
            from ..ui.views import with_citations

            view = with_citations(view, self.sources())
        return view

    def draw(self, kind: str, rows: list[dict[str, Any]], out: Output, console: Console) -> None:
        from ..ui.tables import draw_table

        saves = [(p, fmt) for p, fmt in ((out.save_svg, "svg"), (out.save_png, "png")) if p]
        for path, _ in saves:  # refused before anything is drawn, not after
            self._writable(path)
        view = self.view(kind, rows, out)
        if out.chart:
            from ..ui.charts import draw_chart

            draw_chart(kind, rows, console)
        else:
            draw_table(view, console)
        for path, fmt in saves:
            self.save_chart(kind, rows, path, fmt)

    def _writable(self, path: str) -> None:
        """Nothing when a chart may be saved at PATH (nothing there, or a regular file, in
        a folder that exists); else the error save_chart would give: a link or a device is
        never written."""
        import errno
        import os
        from pathlib import Path

        from ..store.writer import check_regular

        try:
            check_regular(Path(path))
            if not os.path.isdir(os.path.dirname(path) or "."):
                raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT))
        except OSError as e:
            raise _cannot_write(path, e) from None

    def save_chart(self, kind: str, rows: list[dict[str, Any]], path: str, fmt: str) -> None:
        """A chart fit to print, in FILE: what cannot be drawn or written is a clear error."""
        import click

        from ..ui.printcharts import ChartError, save_chart

        try:
            save_chart(kind, rows, path, fmt=fmt, sources=self.sources())
        except ChartError as e:
            raise click.ClickException(str(e)) from None
        except OSError as e:
            raise _cannot_write(path, e) from None
        self.say(f"cgcli: saved {path}")


def _cannot_write(path: str, e: OSError) -> click.ClickException:
    """The error for a chart that cannot be written at PATH: exit 1, or 74 when the
    output itself failed (a full disk)."""
    from ..ui.output import OUTPUT_ERRORS

    error = click.ClickException(f"cannot write {path}: {e.strerror or e}")
    if e.errno in OUTPUT_ERRORS:
        error.exit_code = 74  # type: ignore[misc]  # the output could not be written
    return error
