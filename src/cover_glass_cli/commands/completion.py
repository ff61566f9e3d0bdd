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
    """Print the shell completion script for bash, zsh or fish.

    How to install it goes to stderr.
    Completes commands and options, and the data's own values: company ids and
    names, fiscal years, countries, statuses, kinds and field names.
    """
    from click.shell_completion import get_completion_class

    from ..ui.completion import register

    register()

    root = click.get_current_context().find_root().command
    cls = get_completion_class(shell)
    assert cls is not None  # the choice above lists only supported shells
    click.echo(cls(root, {}, "cgcli", "_CGCLI_COMPLETE").source())
    from ..ui.messages import Messages

    Messages().say(*_INSTALL[shell].split("\n"))
