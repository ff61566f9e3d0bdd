"""cgcli facts rank ID RANK"""

from __future__ import annotations

from pathlib import Path

import click

from .. import App, Command
from . import TO


@click.command("rank", cls=Command)
@click.argument("record_id", metavar="ID")
@click.argument("rank", type=click.Choice(("preferred", "normal", "deprecated")))
@click.option("--reason", help="Why the claim has this rank (rank_reason).")
@TO
@click.pass_obj
def command(app: App, record_id: str, rank: str, reason: str | None, to: Path | None) -> None:
    """Set the rank of claim ID (KIND:ID where kinds share an id).

    Writes an override into your fact file: the same id, every field copied from the
    record in use, the rank (and reason) changed. It replaces that record while your
    file is in use; remove it to go back. A claim already in your file has its rank
    changed where it is.
    """
    from ...store import curation, records
    from . import refusals, waiting

    target = curation.target(app.facts_paths, to)
    with refusals(app):
        notes = records.rank(target, record_id, rank, reason, waiting(app, target.path))
    app.say(*notes)
