"""cgcli validate [PATH ...]"""

from __future__ import annotations

from pathlib import Path

import click

from . import App, Command


@click.command(
    cls=Command,
    epilog="\b\nExamples:\n  cgcli validate                      # the files in use\n"
    "  cgcli validate my-facts.toml\n  cgcli validate --alone export.toml  # references only within it",
)
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=True, allow_dash=True, path_type=Path))
@click.option(
    "--alone",
    is_flag=True,
    help="Resolve references only within PATHs, not against the bundled facts too.",
)
@click.pass_obj
def validate(app: App, paths: tuple[Path, ...], alone: bool) -> None:
    """Check fact files and say exactly what is wrong, and where.

    Checks TOML syntax, kinds and fields, types, ids, references, fiscal years, ranges,
    units and qualifiers. Every problem is listed, sorted, as
    FILE:LINE: key.path: message. Exits 0 when valid, 1 when not.

    With no PATH, checks the files in use (see `cgcli facts path`). Files given as
    PATH are layered on the bundled facts, as your own file is, unless --alone.
    Lists the records a later file replaces (same kind and id), so none is hidden
    unawares.
    """
    from ..domain.problems import FactsError
    from ..store import bundled_path, chain_paths
    from ..store.curation import replaced_records
    from ..store.reading import merge
    from ..ui.messages import replaced_lines

    if paths:
        chain = list(paths) if alone else [bundled_path(), *paths]
    else:
        chain = chain_paths(app.facts_paths)
    try:
        facts = merge(chain)
    except FactsError as e:
        count = len(e.problems)
        app.say(*map(str, e.problems), f"{count} problem{'s' * (count != 1)} found")
        raise click.exceptions.Exit(1) from None
    records = sum(len(items) for items in facts.all().values())
    shown = paths or chain
    app.say(f"ok: {', '.join(map(str, shown))} ({records} records in use)")
    app.say(*replaced_lines(replaced_records(list(chain))))
