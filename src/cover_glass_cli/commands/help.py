"""cgcli help [COMMAND...]"""

from __future__ import annotations

import click

from ..options import examples
from . import Command, no_such_command


@click.command(
    cls=Command, epilog=examples("cgcli help exports", "cgcli help facts add", "cgcli help")
)
@click.argument("names", nargs=-1, metavar="[COMMAND]...")
@click.pass_context
def help(ctx: click.Context, names: tuple[str, ...]) -> None:
    """Show the help of a command: cgcli help exports, cgcli help facts add.

    The same as `cgcli COMMAND --help`; without COMMAND, cgcli's own help.
    """
    root = ctx.find_root()
    command: click.Command = root.command
    path = [root]
    for name in names:
        if not isinstance(command, click.Group):
            raise click.UsageError(f"{' '.join(c.info_name or '' for c in path)} has no commands")
        sub = command.get_command(path[-1], name)
        if sub is None:
            raise click.UsageError(no_such_command(name, command.list_commands(path[-1])))
        path.append(click.Context(sub, info_name=name, parent=path[-1]))
        command = sub
    click.echo(path[-1].get_help())
