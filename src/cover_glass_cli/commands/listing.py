"""Listing commands that show every record of a kind, built only when asked for.

Building a click command (its options and their help) costs start-up time, so
`cgcli companies` builds the companies command alone (module __getattr__, PEP 562).
Commands with filters of their own live in their own modules (sites, customers, exports)."""

from __future__ import annotations

from typing import Any

import click

from ..app import App
from ..domain.query import rows
from ..options import examples, output_options, resolve_output
from . import Command


def _simple(
    kind: str, name: str, help_text: str, *lines: str, charts: bool = False
) -> click.Command:
    """A command that lists every record of KIND."""

    @click.command(name, cls=Command, help=help_text, epilog=examples(*lines))
    @output_options(kind, charts=charts)
    @click.pass_obj
    def command(app: App, /, **params: Any) -> None:
        out = resolve_output(kind, params)
        app.show(
            kind, rows(app.load(), kind), out, empty=f"no {kind.replace('_', ' ')} in the data"
        )

    return command


# function name -> (kind, command name, help, examples, draws a chart)
SIMPLE: dict[str, tuple[str, str, str, tuple[str, ...], bool]] = {
    "companies": (
        "companies",
        "companies",
        "List the companies: when founded, what they do, their role.",
        (
            "cgcli companies",
            "cgcli companies --json | jq -r '.[].name'",
            "cgcli companies --fields id,name,founded --csv",
        ),
        False,
    ),
    "people": (
        "people",
        "people",
        "List the people named in the sources and their positions.",
        ("cgcli people", "cgcli people --json"),
        False,
    ),
    "statements": (
        "statements",
        "statements",
        "What the companies and their people said, in our words.",
        ("cgcli statements", "cgcli statements --fields speaker_name,summary --format markdown"),
        False,
    ),
    "market_facts": (
        "market_facts",
        "market-facts",
        "Rankings and other facts about the market.",
        ("cgcli market-facts", "cgcli market-facts --json"),
        False,
    ),
    "sources": (
        "sources",
        "sources",
        "Where the facts come from, and which records cite each source.",
        ("cgcli sources", "cgcli sources --json | jq '.[].cited_by'"),
        False,
    ),
    "value_addition": (
        "value_addition",
        "value-addition",
        "Local value addition in phone manufacturing by country (a share of the phone's value).",
        (
            "cgcli value-addition",
            "cgcli value-addition --chart",
            "cgcli value-addition --json | jq '.[] | {country, low, high, value}'",
        ),
        True,
    ),
}


def __getattr__(name: str) -> click.Command:
    if name not in SIMPLE:
        raise AttributeError(name)
    kind, command_name, help_text, lines, charts = SIMPLE[name]
    command = _simple(kind, command_name, help_text, *lines, charts=charts)
    globals()[name] = command
    return command
