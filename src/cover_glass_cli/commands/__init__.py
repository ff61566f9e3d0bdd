"""The commands, one module per command or family, each imported only when it runs.

`Command` and `Group` are the classes of every cgcli command: click's own, with a
help option whose text is plain English. Click looks its text up with gettext, and
the first lookup imports `locale` and searches the disk for translation catalogues:
about 4 M instructions, 2% of a lookup's whole run, for a string cgcli never translates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..app import App
    from ..ui.output import Output

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
    """A click group with the same help option; its subcommands are `Command`s."""

    command_class = Command


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
