"""cgcli facts: the user's own fact file, one module per subcommand (path, init, add,
edit, rank, remove, backups, restore). The curation itself lives in store/curation.py
and store/records.py; these modules parse the command line and say what comes back."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .. import Group

if TYPE_CHECKING:
    from .. import App

SUBCOMMANDS = ("path", "init", "add", "edit", "rank", "remove", "backups", "restore")


class FactsGroup(Group):
    """The facts group: each subcommand's module is imported only when it runs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in SUBCOMMANDS:
            return None
        module = __import__(f"{__name__}.{cmd_name}", fromlist=[cmd_name])
        command: click.Command = module.command
        return command


@click.group(
    cls=FactsGroup,
    epilog="\b\nExamples:\n  cgcli facts path\n  cgcli facts init\n"
    "  cgcli facts add exports fy=2024 value=128000 unit=crore qualifier=over source=jv-report\n"
    "  cgcli facts rank exports-fy2023-pib preferred --reason 'official figure'\n"
    "  cgcli facts remove exports-fy2024\n"
    "  cgcli facts edit\n  cgcli facts backups\n  cgcli facts restore 7",
)
def facts() -> None:
    """Manage your own fact file: path, init, add, edit, rank, remove, backups, restore.

    Your file is layered on the bundled facts. Writes are atomic (the file is whole
    before or after, never half-written), each write keeps the version it replaces as
    a numbered backup (the last 5 are kept; `facts backups` lists them), and
    concurrent writers wait their turn. cgcli never writes through a link or onto
    anything but a regular file, except that your fact file may be a link to one.
    """


TO = click.option(
    "--to",
    "to",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write (default: your fact file; with --facts or CGCLI_FACTS, the "
    "last file of that chain).",
)


@contextlib.contextmanager
def refusals(app: App) -> Iterator[None]:
    """Say a store-layer Refusal's lines and end with its status."""
    from ...store.curation import Refusal

    try:
        yield
    except Refusal as e:
        app.say(*e.lines)
        raise click.exceptions.Exit(e.status) from None


def waiting(app: App, path: Path) -> Callable[[], None]:
    """What a writer says when another holds the lock."""
    return lambda: app.say(f"cgcli: waiting for another cgcli writing {path} (a facts edit?) ...")
