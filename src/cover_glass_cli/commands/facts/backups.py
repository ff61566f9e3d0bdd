"""cgcli facts backups"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ...options import output_options
from ...ui.output import Output
from .. import App, Command
from . import TO

if TYPE_CHECKING:
    from rich.console import Console

BACKUP_FIELDS = [
    ("id", "The backup's number: it never changes; cgcli facts restore ID puts it back."),
    ("made", "When the backup was made (ISO 8601, local time with its offset)."),
    ("command", "The command whose write replaced this version (empty if not recorded)."),
    ("bytes", "The backup's size in bytes."),
    ("path", "The backup file."),
]


@click.command("backups", cls=Command)
@TO
@output_options(
    lambda: BACKUP_FIELDS, what="of: " + ", ".join(n for n, _ in BACKUP_FIELDS), listing=False
)
@click.pass_obj
def command(app: App, to: Path | None, out: Output) -> None:
    """List the kept versions of your fact file, newest first: when and by which command
    each backup was made. Backups keep their number; restore one by it."""
    from ...store import curation
    from ...store.writer import BACKUPS
    from ...ui.output import show

    target = curation.target(app.facts_paths, to)
    rows = [
        {name: b[name] for name, _ in BACKUP_FIELDS}
        for b in curation.backups_of(target)
        if b["regular"]
    ]

    def draw(console: Console) -> None:
        from ...ui.terminal import clean

        for row in rows:
            made = row["made"].replace("T", " ")[:19]
            what = row["command"] or "(command not recorded)"
            click.echo(clean(f"{row['id']:>4}  {made}  {row['bytes']:>9,} bytes  {what}"))
        app.say(f"(the last {BACKUPS} versions of {target.path} are kept; cgcli facts restore ID)")

    show(
        out,
        rows,
        [n for n, _ in BACKUP_FIELDS],
        draw=draw,
        empty=f"no backups of {target.path} yet",
    )
