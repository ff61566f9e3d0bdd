"""Where an unknown option belongs, for the usage error that names it: another command
that has it, cgcli itself (before the command), or the command named after it. Loaded
only when such an error is raised."""

from __future__ import annotations

import click

from . import command_path


def _root(ctx: click.Context) -> tuple[click.Context, click.Group]:
    """cgcli's own context and group (the commands, and its options)."""
    root = ctx.find_root()
    assert isinstance(root.command, click.Group)
    return root, root.command


def elsewhere(error: click.NoSuchOption, ctx: click.Context) -> click.NoSuchOption:
    """Point an unknown option at the commands that have it, nearest names first:
    `cgcli export --fy` -> "Did you mean `cgcli exports --fy`?". Click's own guess (a
    near option of this command) stays when no other command has the option."""
    import difflib

    name = error.option_name.partition("=")[0]
    root, group = _root(ctx)
    mine = _option_of(group, name)
    if mine is not None and error.ctx is not None:  # cgcli's own, given after the command
        path = error.ctx.command_path.partition(" ")[2]
        message = (
            f"No such option: {name}. It is one of cgcli's own options: give it before the"
            f" command, as in `cgcli {_spelt(mine, name)} {path}`."
        )
        return click.NoSuchOption(error.option_name, message=message, ctx=error.ctx)
    if error.ctx is None or isinstance(error.ctx.command, click.Group):
        return error  # a group's own options: before_command has said what it can
    if error.ctx.parent is not root:  # `cgcli facts add --jsn`: top-level commands are no guide
        return error
    used = ctx.invoked_subcommand or ""
    others = [c for c in group.list_commands(root) if c != used]
    near = difflib.get_close_matches(used, others, n=len(others), cutoff=0.0)
    having = []
    for other in near:
        try:
            command = group.get_command(root, other)
        except Exception:  # a command that cannot load is no suggestion
            continue
        if command is not None and any(name in p.opts for p in command.params):
            having.append(other)
    if not having:
        return error
    shown = " or ".join(f"`cgcli {c} {name}`" for c in having[:3])
    message = f"No such option: {name}. Did you mean {shown}?"
    return click.NoSuchOption(error.option_name, message=message, ctx=error.ctx)


def before_command(
    error: click.NoSuchOption, ctx: click.Context, args: list[str]
) -> click.NoSuchOption:
    """A command's option given before the command (`cgcli --json exports`, `cgcli facts
    --json path`): say where it goes. Click's own guess stays otherwise."""
    group = ctx.command
    if not isinstance(group, click.Group):
        return error
    name = error.option_name.partition("=")[0]
    named = next((a for a in args if a in group.list_commands(ctx)), None)
    if named is None:
        return error
    try:
        command = group.get_command(ctx, named)
    except Exception:  # a command that cannot load is no suggestion
        return error
    option = None if command is None else _option_of(command, name)
    if option is None:
        return error
    where = f"{command_path(ctx)} {named}"
    message = (
        f"No such option: {name}. It is an option of `{where}`: give it after the"
        f" command, as in `{where} {_spelt(option, name)}`."
    )
    return click.NoSuchOption(error.option_name, message=message, ctx=ctx)


def _option_of(command: click.Command, name: str) -> click.Option | None:
    """COMMAND's option spelt NAME, if it has one."""
    for param in command.params:
        if isinstance(param, click.Option) and name in (*param.opts, *param.secondary_opts):
            return param
    return None


def _spelt(option: click.Option, name: str) -> str:
    """NAME as given on a command line: '--json', '--facts PATH', '--format FORMAT'."""
    if option.is_flag:
        return name
    if option.metavar:
        return f"{name} {option.metavar}"
    named = isinstance(option.type, click.Choice) and option.name  # not 'CHOICE'
    return f"{name} {(named or option.type.name).upper()}"
