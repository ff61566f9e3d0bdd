"""cgcli facts restore ID"""

from __future__ import annotations

from pathlib import Path

import click

from .. import App, Command
from . import TO


@click.command("restore", cls=Command)
@click.argument("number", metavar="ID", type=click.IntRange(1))
@TO
@click.pass_obj
def command(app: App, number: int, to: Path | None) -> None:
    """Put backup ID (see cgcli facts backups) back as your fact file; the version it
    replaces becomes a backup in turn, so a restore can itself be undone. Only a
    regular file is restored: never what a link points at."""
    from ...store import curation
    from . import refusals, waiting

    target = curation.target(app.facts_paths, to)
    with refusals(app):
        backup, problems = curation.restore(target, number, waiting(app, target.path))
    app.say(f"restored {target.path} from {backup}; the version replaced is now a backup")
    if problems:
        app.say(*problems, "cgcli: the restored file has problems: fix them with cgcli facts edit")
