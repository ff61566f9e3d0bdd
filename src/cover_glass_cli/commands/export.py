"""cgcli export --format json|toml|sqlite|datapackage [TARGET]"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..options import examples, jq_option
from . import App, Command

_FILE_FORMATS = ("sqlite", "datapackage")


@click.command(
    cls=Command,
    epilog=examples(
        "cgcli export --format json | jq '.exports'",
        "cgcli export --format toml > my-facts.toml && cgcli validate my-facts.toml",
        "cgcli export --format sqlite cgcli.db && datasette cgcli.db --metadata cgcli.metadata.json",
        "cgcli export --format datapackage cgcli-data && frictionless validate cgcli-data/datapackage.json",
    ),
)
@click.argument("target", required=False, metavar="[FILE|DIR]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("json", "toml", *_FILE_FORMATS)),
    default="json",
    help="json for scripts (default), toml for curators: a valid fact file; sqlite: a "
    "database FILE for Datasette, sqlite-utils, pandas, DuckDB; datapackage: a "
    "Frictionless data package in DIR (CSV files and datapackage.json).",
)
@click.option(
    "--metadata",
    "metadata_path",
    metavar="FILE",
    help="sqlite: where to write Datasette's metadata (default: FILE with .metadata.json).",
)
@click.option("--force", is_flag=True, help="Replace the files an earlier export wrote.")
@jq_option
@click.pass_obj
def export(
    app: App, target: str | None, fmt: str, metadata_path: str | None, force: bool, jq: Any
) -> None:
    """Write the whole dataset as JSON, TOML, SQLite (Datasette) or a data package.

    json and toml go to standard output: schema_version and every record, by kind, its
    fields in the order `cgcli fields` lists them. sqlite writes a database to FILE: a table per
    kind with primary and foreign keys, full-text search, and Datasette's metadata
    beside it. datapackage writes one CSV per table and datapackage.json into DIR.
    """
    if jq is not None and fmt != "json":
        raise click.UsageError(f"--jq filters JSON; it does not go with --format {fmt}")
    if fmt not in _FILE_FORMATS:
        if target is not None or metadata_path is not None:
            raise click.UsageError(f"--format {fmt} writes to standard output; redirect it (>)")
        _to_stdout(app, fmt, jq)
        return
    if not target or target == "-":
        what = "FILE" if fmt == "sqlite" else "DIR"
        raise click.UsageError(f"--format {fmt} needs a {what} to write to")
    if metadata_path is not None and fmt != "sqlite":
        raise click.UsageError("--metadata goes with --format sqlite")
    facts = app.load()
    path = Path(target)
    from ..store import datapackage, datasets

    if fmt == "sqlite":
        meta = Path(metadata_path) if metadata_path else path.with_suffix(".metadata.json")
        _refuse_existing([path, meta], force)
        _writing(lambda: datasets.write_sqlite(facts, path, meta), path)
        from shlex import quote

        app.say(
            f"cgcli: wrote {path} and {meta}; open them with:",
            f"cgcli:   datasette {quote(str(path))} --metadata {quote(str(meta))}",
        )
    else:
        names = [f"{t.name}.csv" for t in datasets.tables(facts)] + ["datapackage.json"]
        _refuse_existing([path / name for name in names], force)
        descriptor = _writing(lambda: datapackage.write_datapackage(facts, path), path)
        app.say(f"cgcli: wrote {descriptor} and {len(names) - 1} CSV files")


def _to_stdout(app: App, fmt: str, jq: Any = None) -> None:
    from ..domain.facts import SCHEMA_VERSION

    facts = app.load()
    records = {kind: _in_order(kind, items) for kind, items in facts.all().items()}
    data = {"schema_version": SCHEMA_VERSION, **records}
    if fmt == "json":
        from ..ui.output import write_json

        write_json(data, jq=jq)
        return
    from ..store.tomltext import toml_document
    from ..ui.output import write_text

    write_text(toml_document(data))


def _in_order(kind: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """RECORDS' fields in the order of their kind's declaration (`cgcli fields KIND`): the
    order the cache hands them back in, whatever order the fact file wrote them in, so
    that an export is the same bytes whether the facts came from the cache or a parse."""
    from ..domain.registry import kind_of

    names = [f.name for f in kind_of(kind).fields]
    out = []
    for record in records:
        ordered = {name: record[name] for name in names if name in record}
        if len(ordered) != len(record):  # none undeclared passes validation; kept anyway
            ordered.update(record)
        out.append(ordered)
    return out


def _refuse_existing(paths: list[Path], force: bool) -> None:
    """Existing files are replaced only with --force, and never anything but a regular
    file (a device, a pipe, a folder, a symlink): --force does not mean 'replace /dev/sda'."""
    import stat

    for path in paths:
        try:
            mode = path.lstat().st_mode
        except OSError:
            continue
        if not stat.S_ISREG(mode):
            raise click.UsageError(
                f"{path} exists and is not a regular file; give the path of a file"
            )
    if force:
        return
    found = [p for p in paths if p.exists() or p.is_symlink()]
    if found:
        names = ", ".join(map(str, found[:3])) + (" ..." if len(found) > 3 else "")
        verb = "exists" if len(found) == 1 else "exist"
        refused = click.ClickException(f"{names} already {verb}; add --force to replace them")
        refused.exit_code = 2  # type: ignore[misc]  # a usage matter, said without the usage lines
        raise refused


def _writing(write: Callable[[], Path], target: Path) -> Path:
    """Run WRITE; a file that cannot be written is a message, not a traceback."""
    import sqlite3

    try:
        return write()
    except OSError as e:
        where = e.filename or target
        raise click.ClickException(f"cannot write {where}: {e.strerror or e}") from None
    except sqlite3.Error as e:  # "unable to open database file", a full disk ...
        raise click.ClickException(f"cannot write {target}: {e}") from None
