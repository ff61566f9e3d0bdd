"""cgcli export --format json|toml"""

from __future__ import annotations

import click

from ..app import App
from . import Command


@click.command(
    cls=Command,
    epilog="\b\nExamples:\n  cgcli export --format json | jq '.exports'\n"
    "  cgcli export --format toml > my-facts.toml && cgcli validate my-facts.toml",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("json", "toml")),
    default="json",
    help="json for scripts (default), toml for curators: a valid fact file.",
)
@click.pass_obj
def export(app: App, fmt: str) -> None:
    """Write the whole dataset as JSON or TOML.

    Gives schema_version and every record, by kind, as stored.
    """
    from ..domain.schema import SCHEMA_VERSION

    facts = app.load()
    data = {"schema_version": SCHEMA_VERSION, **facts.all()}
    if fmt == "json":
        from ..ui.formats import write_json

        write_json(data)
        return
    import sys

    from ..store.writer import toml_document

    sys.stdout.write(toml_document(data))
    sys.stdout.flush()
