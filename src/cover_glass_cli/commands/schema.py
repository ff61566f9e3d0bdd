"""cgcli schema [NAME]"""

from __future__ import annotations

from typing import Any

import click

from ..domain.jsonschema import NAMES
from ..options import checked_fields, examples, jq_option
from . import Command


@click.command(
    cls=Command,
    epilog=examples(
        "cgcli schema",
        "cgcli schema exports > exports.schema.json",
        "cgcli schema company | jq '.properties | keys'",
        "cgcli schema exports --fields id,value   # for: cgcli exports --json --fields id,value",
    ),
)
@click.argument("name", required=False, type=click.Choice(NAMES), metavar="[NAME]")
@click.option(
    "--fields",
    metavar="A,B,...",
    help="The schema of rows shaped by --fields A,B,...: only those fields, in that order "
    "(listings and search).",
)
@jq_option
def schema(name: str | None, fields: str | None, jq: Any) -> None:
    """Print the JSON Schema of a command's JSON output.

    The schema is draft 2020-12; NAME is the command (companies, search, company,
    export ...). Without NAME, list the names.

    Listing rows carry every field of `cgcli fields KIND`; fields the fact file may
    leave out, and derived ones, are null when absent. Output shaped by --fields
    validates against the schema that `--fields` with the same list gives.
    """
    if name is None:
        click.echo("\n".join(NAMES))
        return
    from ..domain.jsonschema import schema_for
    from ..ui.output import write_json

    document = schema_for(name)
    if fields is not None:
        document = _narrowed(name, document, fields)
    write_json(document, jq=jq)


def _narrowed(name: str, document: dict[str, Any], fields: str) -> dict[str, Any]:
    """DOCUMENT for rows that keep only FIELDS (in order), as --fields shapes them."""
    from ..domain.jsonschema import LISTINGS

    if name in LISTINGS:
        row = document["$defs"][LISTINGS[name]]
    elif name == "search":
        row = document["items"]
    else:
        raise click.UsageError("--fields goes with the schema of a listing or of search")
    wanted = checked_fields(list(row["properties"]), fields)
    row["properties"] = {f: row["properties"][f] for f in wanted}
    row["required"] = wanted
    if "kind" not in wanted or "record" not in wanted:
        row.pop("allOf", None)  # which record shape goes with which kind needs both
    return document
