"""cgcli help [COMMAND...]"""

from __future__ import annotations

import click

from ..options import examples
from . import Command, no_such_command


def _commands(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """The commands the words so far lead to: `cgcli help <TAB>`, `cgcli help facts <TAB>`."""
    root = ctx.find_root()
    group: click.Command = root.command
    for name in ctx.params.get("names") or ():
        sub = group.get_command(root, name) if isinstance(group, click.Group) else None
        if sub is None:
            return []
        group = sub
    if not isinstance(group, click.Group):
        return []
    return [n for n in group.list_commands(root) if n.startswith(incomplete)]


@click.command(
    cls=Command, epilog=examples("cgcli help exports", "cgcli help facts add", "cgcli help")
)
@click.argument("names", nargs=-1, metavar="[COMMAND]...", shell_complete=_commands)
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
