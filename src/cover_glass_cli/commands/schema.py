"""cgcli schema [NAME]"""

from __future__ import annotations

from typing import Any

import click

from ..domain.jsonschema import NAMES
from ..options import examples, jq_option
from . import Command


@click.command(
    cls=Command,
    epilog=examples(
        "cgcli schema",
        "cgcli schema exports > exports.schema.json",
        "cgcli schema company | jq '.properties | keys'",
    ),
)
@click.argument("name", required=False, type=click.Choice(NAMES), metavar="[NAME]")
@jq_option
def schema(name: str | None, jq: Any) -> None:
    """Print the JSON Schema of a command's JSON output.

    The schema is draft 2020-12; NAME is the command (companies, search, company,
    export ...). Without NAME, list the names.

    Listing rows carry every field of `cgcli fields KIND`; fields the fact file may
    leave out, and derived ones, are null when absent.
    """
    if name is None:
        click.echo("\n".join(NAMES))
        return
    from ..domain.jsonschema import schema_for
    from ..ui.formats import write_json

    write_json(schema_for(name), jq=jq)
