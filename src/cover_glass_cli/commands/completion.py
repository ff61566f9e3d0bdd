"""cgcli completion bash|zsh|fish"""

from __future__ import annotations

import click

from . import Command

_INSTALL = {
    "bash": 'Add to ~/.bashrc:   eval "$(cgcli completion bash)"',
    "zsh": 'Add to ~/.zshrc:    eval "$(cgcli completion zsh)"',
    "fish": "Run once:  cgcli completion fish > ~/.config/fish/completions/cgcli.fish",
}


@click.command(
    cls=Command,
    epilog='\b\nExamples:\n  eval "$(cgcli completion bash)"\n'
    "  cgcli completion fish > ~/.config/fish/completions/cgcli.fish",
)
@click.argument("shell", type=click.Choice(tuple(_INSTALL)))
def completion(shell: str) -> None:
    """Print the completion script for SHELL (how to install it goes to stderr).

    Completes commands and options, and the data's own values: company ids and
    names, fiscal years, countries, statuses, kinds and field names.
    """
    from click.shell_completion import get_completion_class

    from ..cli import cli

    cls = get_completion_class(shell)
    assert cls is not None  # the choice above lists only supported shells
    click.echo(cls(cli, {}, "cgcli", "_CGCLI_COMPLETE").source())
    click.echo(_INSTALL[shell], err=True)
