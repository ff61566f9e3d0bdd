"""cgcli facts path|init|add|edit: the user's own fact file, written so that nothing is lost."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from ..app import App
from ..options import output_options
from ..ui.output import Output
from . import Group
from .verify import DocumentOptions, document_options

if TYPE_CHECKING:
    from rich.console import Console

TEMPLATE = """\
# Your own cgcli facts. Records here are layered on the bundled facts:
# a record with the same kind and id replaces the bundled one; a new id adds.
# Every record names its source: a bundled one (see `cgcli sources`) or your own.
# Check this file with `cgcli validate`; see every field with `cgcli fields`.
#
# Example (remove the leading '# ' to use it):
#
# [[sources]]
# id = "my-report"
# title = "Trade figures for FY2024"
# kind = "dataset"
#
# [[exports]]
# id = "exports-fy2024"
# country = "India"
# product = "mobile phones"
# fy = 2024
# value = 128000
# unit = "INR crore"
# qualifier = "over"
# source = "my-report"

schema_version = {version}
"""


# What `facts add` fills in when not given: the subject of the bundled data.
DEFAULTS = {"exports": {"country": "India", "product": "mobile phones"}}


@click.group(
    cls=Group,
    epilog="\b\nExamples:\n  cgcli facts path\n  cgcli facts init\n"
    "  cgcli facts add exports fy=2024 value=128000 unit=crore qualifier=over source=jv-report\n"
    "  cgcli facts edit",
)
def facts() -> None:
    """Manage your own fact file: path, init, add, edit.

    Your file is layered on the bundled facts.
    Writes are atomic (the file is whole before or after, never half-written), the
    previous version is kept as facts.toml.bak, and concurrent writers wait their turn.
    """


PATH_FIELDS = [
    ("order", "Position in the chain: later files override earlier ones."),
    ("path", "The file."),
    ("origin", "Why it is in use: bundled, user, --facts or CGCLI_FACTS."),
    ("exists", "Whether the file exists."),
    ("records_in_use", "How many of its records are in use (null when unusable)."),
]


@facts.command("path")
@output_options(lambda: PATH_FIELDS, what="of: " + ", ".join(n for n, _ in PATH_FIELDS))
@click.pass_obj
def path_command(app: App, out: Output) -> None:
    """Show which fact files are in use, in which order, and where your file lives.

    JSON gives {files: [...], user_file, cache_dir}; the other machine formats a row
    per file.
    """
    from ..store import FactsError, cache_dir, fact_paths, user_path
    from ..ui.output import show

    chain = fact_paths(app.facts_paths)
    try:
        facts = app.load()
        counts = [0] * len(chain)
        for kind in facts.all():
            for index in facts.origins(kind):
                counts[index] += 1
        problem = None
    except FactsError as e:
        counts, problem = [], f"{len(e.problems)} problem(s): run cgcli validate"
    files = [
        {
            "order": i,
            "path": str(p),
            "origin": why,
            "exists": p.exists(),
            "records_in_use": counts[i - 1] if counts else None,
        }
        for i, (p, why) in enumerate(chain, 1)
    ]
    user = user_path()
    info: dict[str, Any] = {"files": files, "user_file": str(user), "cache_dir": str(cache_dir())}

    def draw(console: Console) -> None:
        from ..ui.terminal import clean

        lines = ["Fact files in use (later ones override earlier ones):"]
        for f in files:
            state = (
                "missing"
                if not f["exists"]
                else f"{f['records_in_use']} records in use"
                if counts
                else problem
            )
            lines.append(f"  {f['order']}. {f['path']}  [{f['origin']}]  ({state})")
        state = "exists" if user.exists() else "not created yet: cgcli facts init"
        lines.append(f"Your fact file: {user}  ({state})")
        lines.append(f"Cache: {info['cache_dir']}")
        for line in lines:
            click.echo(clean(line))

    show(out, files, [n for n, _ in PATH_FIELDS], draw=draw, empty="no fact files", document=info)


@facts.command()
@click.option("--force", is_flag=True, help="Replace an existing file (kept as facts.toml.bak).")
def init(force: bool) -> None:
    """Create your fact file, with a short commented example."""
    from ..domain.schema import SCHEMA_VERSION
    from ..store import user_path

    path = user_path()
    with _writing(path):
        if path.exists() and not force:
            click.echo(f"cgcli: {path} exists; use --force to replace it", err=True)
            raise click.exceptions.Exit(1)
        _replace(path, TEMPLATE.format(version=SCHEMA_VERSION), _snapshot(path))
    click.echo(f"created {path}", err=True)


def _parse_value(kind: str, key: str, raw: str) -> Any:
    """KEY=RAW on the command line, as the schema types it."""
    from ..domain.schema import FIELD_MAP

    field = FIELD_MAP[kind].get(key)
    if field is None:
        return raw  # validation names it, with a suggestion
    if key == "unit" and f"INR {raw}" in field.choices:
        return f"INR {raw}"
    if key == "fy":
        from ..domain.fiscal import FiscalYearError, parse_year

        try:
            return parse_year(raw)
        except FiscalYearError as e:
            raise click.BadParameter(str(e), param_hint="fy") from None
    if field.type in ("int", "number"):
        try:
            return int(raw)
        except ValueError:
            pass
        try:
            number = float(raw.replace(",", ""))
        except ValueError:
            raise click.BadParameter(f"{raw!r} is not a number", param_hint=key) from None
        return int(number) if field.type == "int" and number.is_integer() else number
    if field.type == "strlist":
        import json

        if raw.startswith("["):
            try:
                return json.loads(raw)
            except ValueError:
                raise click.BadParameter(f"{raw!r} is not a JSON list", param_hint=key) from None
        return [item.strip() for item in raw.split(",") if item.strip()]
    return raw


def _default_id(kind: str, record: dict[str, Any]) -> str | None:
    if kind == "exports" and isinstance(record.get("fy"), int):
        quarter = record.get("quarter")
        return f"exports-fy{record['fy']}" + (f"-q{quarter}" if isinstance(quarter, int) else "")
    return None


@facts.command()
@click.argument("kind")
@click.argument("pairs", nargs=-1, required=True, metavar="FIELD=VALUE...")
@click.option(
    "--quote",
    "quotes",
    multiple=True,
    metavar="TEXT",
    help="Anchor the claim to these words of its source; refused unless they state its figures.",
)
@click.option("--hash-from", metavar="FILE", help="A new source's sha256 from this document.")
@document_options
def add(
    kind: str,
    pairs: tuple[str, ...],
    quotes: tuple[str, ...],
    hash_from: str | None,
    documents: DocumentOptions,
) -> None:
    """Add one record of KIND to your fact file, checked before it is written.

    Values are typed by the schema (see `cgcli fields KIND`): fy takes any fiscal-year
    spelling, unit=crore means INR crore, list fields take a,b,c or a JSON list.
    An exports record without id= gets exports-fyYYYY (-qN for a quarter), and
    without country= or product= the tool's subject: India, mobile phones.
    """
    from ..domain.schema import KINDS, kind_name
    from ..store import user_path
    from ..store.writer import toml_records

    name = kind_name(kind)
    if name is None:
        raise click.BadParameter(f"{kind!r}; kinds are: {', '.join(KINDS)}", param_hint="KIND")
    record: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{pair!r} is not FIELD=VALUE", param_hint="FIELD=VALUE")
        record[key.strip()] = _parse_value(name, key.strip(), raw)
    for field, value in DEFAULTS.get(name, {}).items():
        if field not in record:
            record[field] = value
            click.echo(
                f"cgcli: {field} = {value!r} (the default; give {field}=... to change it)", err=True
            )
    record.setdefault("id", _default_id(name, record))
    if record["id"] is None:
        raise click.UsageError(f"give the new {name} record an id=...")
    record = {"id": record.pop("id"), **record}

    path = user_path()
    with _writing(path):
        before = _snapshot(path)
        if quotes or hash_from or name == "sources":  # evidence, a source's sha256
            from ..store import bundled_path
            from ..store.documents import curate
            from ..store.reading import merge

            now = merge([bundled_path(), path], texts={path: _current_text(path)})
            found = documents.documents(now)
            problems = curate(name, record, quotes, hash_from, found, now.all(), path)
            if problems:
                _refuse(path, problems)
        new = _current_text(path).rstrip("\n") + "\n\n" + toml_records(name, [record])
        problems = _problems(path, new)
        if problems:
            _refuse(path, problems)
        _replace(path, new, before)
    click.echo(f"added {name} {record['id']} to {path}", err=True)


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Make PATH's folder and hold the writers' lock on it; a folder that cannot be made or
    locked (read-only, a file in the way) is a clear error, not a traceback."""
    from ..store.writer import locked

    with contextlib.ExitStack() as stack:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            stack.enter_context(locked(path))
        except OSError as e:
            raise click.ClickException(
                f"cannot write in {path.parent}: {e.strerror or e}"
            ) from None
        yield


def _current_text(path: Path) -> str:
    """The user's file as it is, or the template for a file not yet created."""
    from ..domain.schema import SCHEMA_VERSION
    from ..store.reading import decode, read_bytes

    if path.exists():
        return decode(read_bytes(path), str(path))
    return TEMPLATE.format(version=SCHEMA_VERSION)


def _refuse(path: Path, problems: list[str]) -> NoReturn:
    click.echo("\n".join(problems), err=True)
    click.echo(f"cgcli: not written; {path} is unchanged", err=True)
    raise click.exceptions.Exit(1)


def _replace(path: Path, text: str, before: tuple[int, int] | None) -> None:
    """Write TEXT over PATH (atomically, keeping a .bak), unless PATH changed since BEFORE."""
    from ..store.writer import atomic_write

    if _snapshot(path) != before:
        raise click.ClickException(f"{path} changed while being updated; nothing written")
    try:
        atomic_write(path, text.encode("utf-8"))
    except OSError as e:
        raise click.ClickException(
            f"cannot write {path}: {e.strerror or e}; it is unchanged"
        ) from None


def _snapshot(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_size, st.st_mtime_ns


def _problems(path: Path, text: str) -> list[str]:
    """What is wrong with TEXT as PATH layered on the bundled facts (empty: valid)."""
    from ..store import FactsError, bundled_path
    from ..store.reading import merge
    from ..ui.terminal import clean

    try:
        merge([bundled_path(), path], texts={path: text})
    except FactsError as e:
        return [clean(str(problem)) for problem in e.problems]
    return []


@facts.command()
def edit() -> None:
    """Edit your fact file in $EDITOR; it is replaced only if the result is valid."""
    import sys

    from ..store import user_path

    path = user_path()
    with _writing(path):
        before = _snapshot(path)
        original = text = _current_text(path)
        while True:
            edited = click.edit(text, extension=".toml", require_save=False)
            if edited is None or edited == original:
                click.echo("cgcli: no changes", err=True)
                return
            text = edited
            problems = _problems(path, text)
            if not problems:
                break
            if not (
                sys.stdin.isatty()
                and click.confirm("\n".join([*problems, "Edit again?"]), default=True, err=True)
            ):
                _refuse(path, problems)
        _replace(path, text, before)
    click.echo(f"saved {path}", err=True)
