"""cgcli facts init"""

from __future__ import annotations

import click

from .. import App, Command


@click.command("init", cls=Command)
@click.option("--force", is_flag=True, help="Replace an existing file (kept as a backup).")
@click.pass_obj
def command(app: App, force: bool) -> None:
    """Create your fact file, with a short commented example."""
    from ...store import curation, user_path
    from ...store.writer import backup_numbers, backup_path, fact_file
    from . import refusals, waiting

    path = user_path()
    with refusals(app):
        existed = curation.init(path, force, waiting(app, path))
    app.say(f"created {path}")
    if existed:
        real = fact_file(path)
        numbers = backup_numbers(real)
        number = numbers[0] if numbers else 1
        app.say(
            f"cgcli: the previous file is kept as {backup_path(real, number)} "
            f"(cgcli facts backups; cgcli facts restore {number})"
        )
