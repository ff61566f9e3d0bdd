"""cgcli facts remove ID"""

from __future__ import annotations

from pathlib import Path

import click

from .. import App, Command
from . import TO


@click.command(
    "remove",
    cls=Command,
    epilog="\b\nExamples:\n  cgcli facts remove exports-fy2024\n  cgcli facts remove exports:exports-fy2023-pib",
)
@click.argument("record_id", metavar="ID")
@TO
@click.pass_obj
def command(app: App, record_id: str, to: Path | None) -> None:
    """Remove record ID (KIND:ID where kinds share an id) from your fact file.

    Only a record of your own file can be removed; the version before is kept as a
    backup (cgcli facts backups), so a removal can be undone with cgcli facts restore.
    A bundled record your file replaced is in use again, and the claims that are now
    shown for its subject are named. A record that others refer to is not removed.
    """
    from ...store import curation, records
    from ...store.writer import backup_numbers, fact_file
    from . import refusals, waiting

    target = curation.target(app.facts_paths, to)
    with refusals(app):
        kind, found, notes = records.remove(target, record_id, waiting(app, target.path))
    numbers = backup_numbers(fact_file(target.path))
    undo = f"; undo with cgcli facts restore {numbers[0]}" if numbers else ""
    app.say(f"removed {kind} {found['id']} from {target.where()}{undo}")
    app.say(*notes)
