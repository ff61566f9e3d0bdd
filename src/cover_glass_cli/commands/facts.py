"""cgcli facts path|init|add|edit|rank|backups|restore: the user's own fact file, written so
that nothing is lost or hidden: a new claim never replaces another file's record without
--replace, every write keeps the previous versions, a rejected edit is kept."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from ..app import App
from ..options import DocumentOptions, document_options, output_options
from ..ui.escape import message_path
from ..ui.output import Output
from . import Group

if TYPE_CHECKING:
    from rich.console import Console

TEMPLATE = """\
# Your own cgcli facts. Records here are layered on the bundled facts:
# a record with the same kind and id replaces the bundled one; a new id adds.
# A second source's figure for the same year is a claim beside the first: give it its
# own id (cgcli facts add does) and, to choose between them, rank = "preferred",
# "normal" or "deprecated" with rank_reason = "why".
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


@click.group(
    cls=Group,
    epilog="\b\nExamples:\n  cgcli facts path\n  cgcli facts init\n"
    "  cgcli facts add exports fy=2024 value=128000 unit=crore qualifier=over source=jv-report\n"
    "  cgcli facts rank exports-fy2023-pib preferred --reason 'official figure'\n"
    "  cgcli facts edit\n  cgcli facts backups\n  cgcli facts restore 1",
)
def facts() -> None:
    """Manage your own fact file: path, init, add, edit, rank, backups, restore.

    Your file is layered on the bundled facts. Writes are atomic (the file is whole
    before or after, never half-written), the last 5 versions are kept as
    facts.toml.bak.1 (newest) to .bak.5, and concurrent writers wait their turn.
    """


PATH_FIELDS = [
    ("order", "Position in the chain: later files override earlier ones."),
    ("path", "The file."),
    ("origin", "Why it is in use: bundled, user, --facts or CGCLI_FACTS."),
    ("exists", "Whether the file exists."),
    ("records_in_use", "How many of its records are in use (null when unusable)."),
]


@facts.command("path")
@output_options(
    lambda: PATH_FIELDS, what="of: " + ", ".join(n for n, _ in PATH_FIELDS), listing=False
)
@click.pass_obj
def path_command(app: App, out: Output) -> None:
    """Show which fact files are in use, in which order, and where your file lives.

    JSON gives {files: [...], user_file, cache_dir, replaced: [...]} (replaced: each
    record a later file hides, as kind, id, file, replaces); the other machine formats
    a row per file.
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
    replaced = replaced_records([p for p, _ in chain]) if counts else []
    info: dict[str, Any] = {
        "files": files,
        "user_file": str(user),
        "cache_dir": str(cache_dir()),
        "replaced": replaced,
    }

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
        lines += replaced_lines(replaced)
        for line in lines:
            click.echo(clean(line))

    show(out, files, [n for n, _ in PATH_FIELDS], draw=draw, empty="no fact files", document=info)


def replaced_records(chain: list[Path]) -> list[dict[str, Any]]:
    """Every record of CHAIN that a later file replaces (same kind and id), read file by
    file (see query.overrides); files that do not read are skipped."""
    from ..domain.query import overrides
    from ..store import FactsError
    from ..store.reading import check_file

    files = []
    for path in chain:
        try:
            records, _ = check_file(path)
        except FactsError:
            continue
        files.append((str(path), records))
    return overrides(files)


def replaced_lines(replaced: list[dict[str, Any]]) -> list[str]:
    """REPLACED for people, one line each, escaped for the terminal."""
    from ..ui.terminal import clean

    if not replaced:
        return []
    lines = [f"Records replaced by a later file ({len(replaced)}):"]
    lines += [
        clean(f"  {r['kind']} {r['id']}: {r['file']} replaces {r['replaces']}") for r in replaced
    ]
    return lines


@facts.command()
@click.option("--force", is_flag=True, help="Replace an existing file (kept as facts.toml.bak.1).")
def init(force: bool) -> None:
    """Create your fact file, with a short commented example."""
    from ..domain.schema import SCHEMA_VERSION
    from ..store import user_path
    from ..store.writer import backup_path

    path = user_path()
    with _writing(path):
        if path.exists() and not force:
            _say(f"cgcli: {path} exists; use --force to replace it")
            raise click.exceptions.Exit(1)
        existed = path.exists()
        _replace(path, TEMPLATE.format(version=SCHEMA_VERSION), _snapshot(path))
    _say(f"created {path}")
    if existed:
        click.echo(
            f"cgcli: the previous file is kept as {backup_path(path, 1)} "
            "(cgcli facts backups; cgcli facts restore 1)",
            err=True,
        )


def _parse_value(kind: str, key: str, raw: str) -> Any:
    """KEY=RAW on the command line, as the schema types it; click.BadParameter if not."""
    from ..domain.registry import kind_of

    field = kind_of(kind).field_map.get(key)
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
        from ..domain.figures import NumberError, parse_number

        try:
            number = parse_number(raw)
        except NumberError as e:
            raise click.BadParameter(str(e), param_hint=key) from None
        if field.type == "int" and isinstance(number, float):
            if not number.is_integer():
                raise click.BadParameter(f"{raw!r} is not a whole number", param_hint=key)
            return int(number)
        return number
    if field.type == "strlist":
        import json

        if raw.startswith("["):
            from ..domain.validation import check_depth, show_text

            try:
                value = json.loads(raw)
            except RecursionError:
                raise click.BadParameter("a list nested too deeply", param_hint=key) from None
            except ValueError:
                what = show_text(raw)
                raise click.BadParameter(f"{what} is not a JSON list", param_hint=key) from None
            deep = check_depth(value)
            if deep:
                raise click.BadParameter(deep, param_hint=key)
            return value
        return [item.strip() for item in raw.split(",") if item.strip()]
    return raw


def _default_id(kind: str, record: dict[str, Any]) -> str | None:
    from ..domain.registry import kind_of

    make = kind_of(kind).default_id
    return make(record) if make else None


_TO = click.option(
    "--to",
    "to",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write (default: your fact file; with --facts or CGCLI_FACTS, the "
    "last file of that chain).",
)


class Target:
    """Where a write goes and what it is checked against: PATH, the chain of files in
    use (with PATH in it, or appended when it is not), and whether PATH is in use."""

    __slots__ = ("chain", "in_use", "path")

    def __init__(self, path: Path, chain: list[Path], in_use: bool) -> None:
        self.path, self.chain, self.in_use = path, chain, in_use

    def where(self) -> str:
        """Which file was written and whether cgcli reads it, in words."""
        if self.in_use:
            n = self.chain.index(self.path) + 1
            return f"{self.path} (file {n} of {len(self.chain)} in use)"
        return (
            f"{self.path}; note: it is NOT among the files in use (--facts or CGCLI_FACTS "
            "name others), so cgcli will not show it until you add it there"
        )


def _target(app: App, to: Path | None) -> Target:
    """The file a facts write goes to and the chain it is checked against: the chain in
    use (see `cgcli facts path`), so that sources and ids are those cgcli will read."""
    from ..store import bundled_path, fact_paths, user_path

    pairs = fact_paths(app.facts_paths)
    chain = [path for path, _ in pairs]
    explicit = any(why in ("--facts", "CGCLI_FACTS") for _, why in pairs)
    if to is None:
        last = chain[-1] if explicit and chain else None
        usable = last is not None and _same(last, bundled_path()) is False
        to = last if usable and last is not None else user_path()
    if not explicit and not any(_same(to, p) for p in chain) and _same(to, user_path()):
        chain = [*chain, to]  # the user's file joins the default chain once it exists
    found = [i for i, p in enumerate(chain) if _same(p, to)]
    if found:
        chain = [to if i == found[-1] else p for i, p in enumerate(chain)]
        return Target(to, chain, True)
    return Target(to, [*chain, to], False)


def _same(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


@facts.command()
@click.argument("kind")
@click.argument("pairs", nargs=-1, required=True, metavar="FIELD=VALUE...")
@click.option(
    "--replace",
    is_flag=True,
    help="Replace the record of another file that has this id, rather than adding a claim "
    "beside it.",
)
@_TO
@click.option(
    "--quote",
    "quotes",
    multiple=True,
    metavar="TEXT",
    help="Anchor the claim to these words of its source; refused unless they state its figures.",
)
@click.option("--hash-from", metavar="FILE", help="A new source's sha256 from this document.")
@document_options
@click.pass_obj
def add(
    app: App,
    kind: str,
    pairs: tuple[str, ...],
    replace: bool,
    to: Path | None,
    quotes: tuple[str, ...],
    hash_from: str | None,
    documents: DocumentOptions,
) -> None:
    """Add one record of KIND to your fact file, checked before it is written.

    Values are typed by the schema (see `cgcli fields KIND`): fy takes any fiscal-year
    spelling, unit=crore means INR crore, numbers take 90,600 or 1,00,000, list fields
    take a,b,c or a JSON list. An exports record without id= gets exports-fyYYYY (-qN
    for a quarter), and without country= or product= the tool's subject: India, mobile
    phones.

    A record whose id another file already uses is a second claim: it gets its own id
    (exports-fy2023-pib) and both are shown; rank=preferred and rank_reason="..." choose
    between them. --replace replaces the other file's record instead, and says so.
    Every problem is reported at once.
    """
    from ..domain.registry import kind_name, kind_of, kinds, source_kind
    from ..store.writer import toml_records

    name = kind_name(kind)
    if name is None:
        raise click.BadParameter(f"{kind!r}; kinds are: {', '.join(kinds())}", param_hint="KIND")
    record, usage = _record_from(name, pairs)
    for field, value in kind_of(name).defaults.items():
        if field not in record:
            record[field] = value
            click.echo(
                f"cgcli: {field} = {value!r} (the default; give {field}=... to change it)", err=True
            )
    record.setdefault("id", _default_id(name, record))
    if record["id"] is None:
        usage.append(f"id: give the new {name} record an id=...")
        record["id"] = "new"
    record = {"id": record.pop("id"), **record}
    target = _target(app, to)

    path = target.path
    with _writing(path):
        before = _snapshot(path)
        current = _current_text(path)
        existing = _existing(target, current)
        notes: list[str] = []
        if existing is not None and not usage:
            record, notes = _claim_id(name, record, existing, target, replace)
        if existing is not None and not usage and (quotes or hash_from or name == source_kind()):
            from ..store.documents import curate  # evidence, or a new source's sha256

            found = documents.documents(existing)
            problems = curate(name, record, quotes, hash_from, found, existing.all(), path)
            if problems:
                _refuse(path, problems)
        new = current.rstrip("\n") + "\n\n" + toml_records(name, [record])
        problems = _problems(target, new)
        problems += _unknown_refs(name, record, existing, problems)
        if usage:
            bad = {line.partition(":")[0] for line in usage}
            problems = [p for p in problems if not any(f"].{f}: " in p for f in bad)]
            _refuse(path, [*(f"cgcli: {line}" for line in usage), *problems], status=2)
        if problems:
            _refuse(path, problems)
        _replace(path, new, before)
    for note in notes:
        _say(f"cgcli: {note}")
    _say(f"added {name} {record['id']} to {target.where()}")
    _say_claims(target, name, record)


def _record_from(kind: str, pairs: tuple[str, ...]) -> tuple[dict[str, Any], list[str]]:
    """The record FIELD=VALUE pairs give, and every usage problem ("field: message")."""
    record: dict[str, Any] = {}
    usage: list[str] = []
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            usage.append(f"{pair}: not FIELD=VALUE")
            continue
        if key in record:
            usage.append(f"{key}: given twice")
            continue
        try:
            record[key] = _parse_value(kind, key, raw)
        except click.BadParameter as e:
            usage.append(f"{key}: {e.message}")
    return record, usage


def _unknown_refs(kind: str, record: dict[str, Any], facts: Any, told: list[str]) -> list[str]:
    """RECORD's references to records the chain lacks, unless TOLD already says so. The
    merge checks references only once each file is valid, so without this a wrong unit
    would hide a wrong source until the next try."""
    from ..domain.registry import kind_of
    from ..ui.terminal import clean

    if facts is None:
        return []
    found = []
    fields = kind_of(kind).field_map
    for name, value in record.items():
        field = fields.get(name)
        if field is None or not field.ref:
            continue
        for target in value if isinstance(value, list) else [value]:
            known = any(target in facts.by_id(k) for k in field.ref)
            said = any(f"has id {target!r}" in line for line in told)
            if isinstance(target, str) and not known and not said:
                named = " or ".join(field.ref)
                found.append(clean(f"{kind}.{name}: no {named} record has id {target!r}"))
    return found


def _existing(target: Target, current: str) -> Any:
    """The facts of the target's chain as they are now (None when they do not load: the
    check of the new text then lists why)."""
    from ..store import FactsError
    from ..store.reading import merge

    try:
        return merge(target.chain, texts={target.path: current})
    except FactsError:
        return None


def _origin(facts: Any, kind: str, rid: str) -> tuple[dict[str, Any], str] | None:
    """KIND's record RID in FACTS and the file it comes from, or None."""
    for record, index in zip(facts[kind], facts.origins(kind), strict=True):
        if record["id"] == rid:
            return record, facts.files[index]
    return None


_NOT_CLAIM = frozenset({"id", "rank", "rank_reason", "note"})


def _claim_id(
    kind: str, record: dict[str, Any], facts: Any, target: Target, replace: bool
) -> tuple[dict[str, Any], list[str]]:
    """RECORD with the id it may take without hiding another file's record: its own
    when free; with --replace, the same (said so); else a claim id (claims.claim_suffix).
    A claim the data already holds, field for field, is refused."""
    from ..domain.claims import claim_suffix, subject_fields, subject_key
    from ..domain.figures import figure
    from ..domain.query import label

    same = [
        r
        for r in facts[kind]
        if {k: v for k, v in r.items() if k not in _NOT_CLAIM}
        == {k: v for k, v in record.items() if k not in _NOT_CLAIM}
        and subject_key(kind, r) == subject_key(kind, record)
    ]
    if same:
        _refuse(target.path, [f"cgcli: the data already holds this claim as {same[0]['id']}"])
    found = _origin(facts, kind, record["id"])
    if found is None:
        return record, ["--replace: no record has this id; added"] if replace else []
    old, where = found
    from ..domain.registry import kind_of

    described = figure(old) if kind_of(kind).figures else label(kind, old)
    what = f"{kind} {old['id']} of {where} ({described}, source {old.get('source')})"
    if replace:
        if _same(Path(where), target.path):
            _refuse(
                target.path,
                [f"cgcli: {old['id']} is in this file; change it with cgcli facts edit"],
            )
        return record, [
            f"replaces {what}: that record is hidden while this one is in {target.path}"
        ]
    if subject_fields(kind) == ("id",):  # each record its own subject: another id is
        _refuse(  # another company, not a second claim about this one
            target.path,
            [
                f"cgcli: {record['id']} is taken by {what}; give --replace to replace it, "
                "or another id for another record"
            ],
        )
    ids = {r["id"] for r in facts[kind]}
    new_id = claim_suffix(record, ids, default=record["id"])
    note = (
        f"{record['id']} is taken by {what}; added as {new_id}, a claim beside it "
        "(give --replace to replace it instead)"
    )
    return {**record, "id": new_id}, [note]


def _say_claims(target: Target, kind: str, record: dict[str, Any]) -> None:
    """After a write: how many claims the new record's subject now has, and whether they
    disagree, so that a second source's figure is never a silent change."""
    from ..domain.claims import group, subject_fields, subject_key

    if subject_fields(kind) == ("id",):
        return
    facts = _existing(target, _current_text(target.path))
    if facts is None:
        return
    key = subject_key(kind, record)
    subject = next((s for s in group(kind, facts[kind]) if s.key == key), None)
    if subject is None or len(subject.claims) < 2:
        return
    from ..domain.claims import dispute_note

    ids = ", ".join(c["id"] for c in subject.claims)
    shown = subject.shown["id"] if subject.shown else "none"
    click.echo(
        f"cgcli: this subject now has {len(subject.claims)} claims ({ids}); "
        f"shown: {shown} (cgcli {kind.replace('_', '-')} --all-claims lists them)",
        err=True,
    )
    if subject.disputed:
        from ..ui.terminal import clean

        click.echo(clean(f"cgcli: {dispute_note(subject)}"), err=True)


@facts.command()
@click.argument("record_id", metavar="ID")
@click.argument("rank", type=click.Choice(("preferred", "normal", "deprecated")))
@click.option("--reason", help="Why the claim has this rank (rank_reason).")
@_TO
@click.pass_obj
def rank(app: App, record_id: str, rank: str, reason: str | None, to: Path | None) -> None:
    """Set the rank of claim ID (KIND:ID where kinds share an id).

    Writes an override into your fact file: the same id, every field copied from the
    record in use, the rank (and reason) changed. It replaces that record while your
    file is in use; remove it to go back. A claim already in your file has its rank
    changed where it is.
    """
    from ..domain.query import find_record
    from ..store.writer import toml_records

    target = _target(app, to)
    path = target.path
    with _writing(path):
        before = _snapshot(path)
        current = _current_text(path)
        facts = _existing(target, current)
        if facts is None:
            _refuse(path, [*_problems(target, current), "cgcli: fix these first"])
        kind, found = find_record(facts, record_id, claims_only=True)
        wanted_id = found["id"]
        located = _origin(facts, kind, wanted_id)
        assert located is not None  # find_record found it in these facts
        old, where = located
        record = {k: v for k, v in old.items() if k not in ("rank", "rank_reason")}
        record["rank"] = rank
        if reason:
            record["rank_reason"] = reason
        in_place = _same(Path(where), path)
        if in_place:
            rewritten = _rewrite_record(current, kind, record)
            if rewritten is None:
                _refuse(
                    path, [f"cgcli: could not change {wanted_id} in place: use cgcli facts edit"]
                )
            new = rewritten
        else:
            new = current.rstrip("\n") + "\n\n" + toml_records(kind, [record])
        problems = _problems(target, new)
        if problems:
            _refuse(path, problems)
        _replace(path, new, before)
    if in_place:
        click.echo(
            f"cgcli: set the rank of {kind} {wanted_id} to {rank} in {target.where()}", err=True
        )
        return
    click.echo(
        f"cgcli: wrote an override of {kind} {wanted_id} into {target.where()}: every field "
        f"copied from {where}, rank {rank}; it replaces that record while this file is in use",
        err=True,
    )


def _rewrite_record(text: str, kind: str, record: dict[str, Any]) -> str | None:
    """TEXT with KIND's table whose id is RECORD's written anew as RECORD, or None when
    that cannot be done safely. The table is found with validation.line_map (from its
    [[kind]] line to the next table, comments after its last key kept); the result must
    parse to the same document with only that record changed, or it is not used."""
    import tomllib

    from ..domain.validation import line_map
    from ..store.writer import toml_records

    try:
        doc = tomllib.loads(text)
        index = [r.get("id") for r in doc[kind]].index(record["id"])
    except (tomllib.TOMLDecodeError, KeyError, ValueError, AttributeError, TypeError):
        return None
    where = line_map(text)
    lines = text.splitlines(keepends=True)
    start = where.get((kind, index))
    if start is None:
        return None
    heads = [n for key, n in where.items() if len(key) <= 2 and n > start]
    end = min([*heads, len(lines) + 1]) - 1  # the table's last line (1-based)
    while end > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    new = "".join(lines[: start - 1]) + toml_records(kind, [record]) + "".join(lines[end:])
    try:
        check = tomllib.loads(new)
    except tomllib.TOMLDecodeError:
        return None
    expected = {**doc, kind: [*doc[kind][:index], record, *doc[kind][index + 1 :]]}
    return new if check == expected else None


@facts.command("backups")
@_TO
@click.pass_obj
def backups_command(app: App, to: Path | None) -> None:
    """List the kept versions of your fact file, newest first (restore one by number)."""
    import datetime

    from ..store.writer import BACKUPS, backups

    path = _target(app, to).path
    found = backups(path)
    if not found:
        _say(f"cgcli: no backups of {path} yet")
        raise click.exceptions.Exit(1)
    for backup in found:
        st = backup.stat()
        when = datetime.datetime.fromtimestamp(st.st_mtime).isoformat(" ", "seconds")
        n = backup.name.rpartition(".")[2]
        click.echo(f"{n}  {when}  {st.st_size:>8,} bytes  {backup}")
    _say(f"(the last {BACKUPS} versions are kept; cgcli facts restore N)")


@facts.command()
@click.argument("number", type=click.IntRange(1))
@_TO
@click.pass_obj
def restore(app: App, number: int, to: Path | None) -> None:
    """Put backup NUMBER (see cgcli facts backups) back as your fact file; the version it
    replaces becomes backup 1, so a restore can itself be undone."""
    from ..domain.facts import FactsError
    from ..store.reading import read_bytes
    from ..store.writer import backup_path

    target = _target(app, to)
    path = target.path
    backup = backup_path(path, number)
    with _writing(path):
        if not backup.exists():
            raise click.ClickException(f"no backup {number} of {path}: see cgcli facts backups")
        _replace(path, read_bytes(backup), _snapshot(path))  # its bytes, exactly
    _say(f"restored {path} from {backup}; the version replaced is now backup 1")
    try:
        problems = _problems(target, _current_text(path))
    except FactsError as e:  # not even UTF-8 text: say so, the file is back as it was
        problems = [str(problem) for problem in e.problems]
    if problems:
        click.echo("\n".join(problems), err=True)
        click.echo(
            "cgcli: the restored file has problems: fix them with cgcli facts edit", err=True
        )


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Make PATH's folder and hold the writers' lock on it; a folder that cannot be made or
    locked (read-only, a file in the way) is a clear error, not a traceback."""
    from ..store.writer import locked

    with contextlib.ExitStack() as stack:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            stack.enter_context(locked(path, waiting=lambda: _waiting(path)))
        except OSError as e:
            raise click.ClickException(
                f"cannot write in {path.parent}: {e.strerror or e}"
            ) from None
        yield


def _say(message: str) -> None:
    """A message on stderr, paths and data in it escaped for the terminal."""
    click.echo(message_path(message), err=True)


def _waiting(path: Path) -> None:
    from ..ui.escape import message_path

    click.echo(
        f"cgcli: waiting for another cgcli writing {message_path(path)} (a facts edit?) ...",
        err=True,
    )


def _current_text(path: Path) -> str:
    """The user's file as it is, or the template for a file not yet created."""
    from ..domain.schema import SCHEMA_VERSION
    from ..store.reading import decode, read_bytes

    if path.exists():
        return decode(read_bytes(path), str(path))
    return TEMPLATE.format(version=SCHEMA_VERSION)


def _refuse(path: Path, problems: list[str], status: int = 1) -> NoReturn:
    click.echo("\n".join(problems), err=True)
    _say(f"cgcli: not written; {path} is unchanged")
    raise click.exceptions.Exit(status)


def _replace(path: Path, text: str | bytes, before: tuple[int, int] | None) -> None:
    """Write TEXT (or bytes, as they are) over PATH, atomically and keeping backups,
    unless PATH changed since BEFORE."""
    from ..store.writer import atomic_write

    if _snapshot(path) != before:
        raise click.ClickException(f"{path} changed while being updated; nothing written")
    try:
        atomic_write(path, text if isinstance(text, bytes) else text.encode("utf-8"))
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


def _problems(target: Target, text: str, shown_as: Path | None = None) -> list[str]:
    """What is wrong with TEXT as the target's file in its chain (empty: valid). Messages
    name SHOWN_AS, when given, instead of the target (a copy of TEXT kept there)."""
    from ..store import FactsError
    from ..store.reading import merge
    from ..ui.terminal import clean

    name = shown_as or target.path
    chain = [name if p == target.path else p for p in target.chain]
    try:
        merge(chain, texts={name: text})
    except FactsError as e:
        return [clean(str(problem)) for problem in e.problems]
    return []


@facts.command()
@_TO
@click.pass_obj
def edit(app: App, to: Path | None) -> None:
    """Edit your fact file in $EDITOR; it is replaced only if the result is valid.

    A rejected result is kept beside the file as facts.toml.rejected, and the problems
    name its lines, so that no edit is lost.
    """
    import sys

    target = _target(app, to)
    path = target.path
    rejected = path.with_name(path.name + ".rejected")
    with _writing(path):
        before = _snapshot(path)
        original = text = _current_text(path)
        while True:
            edited = _run_editor(text, path, rejected)
            if edited == original:
                _say("cgcli: no changes")
                return
            text = edited
            problems = _problems(target, text, shown_as=rejected) or _too_large(text)
            if not problems:
                break
            _keep_rejected(rejected, text)
            if not (
                sys.stdin.isatty()
                and click.confirm("\n".join([*problems, "Edit again?"]), default=True, err=True)
            ):
                click.echo("\n".join(problems), err=True)
                _say(f"cgcli: your edit is kept in {message_path(rejected)}")
                _say(f"cgcli: not written; {message_path(path)} is unchanged")
                raise click.exceptions.Exit(1)
        try:
            _replace(path, text, before)
        except click.ClickException as e:  # a full disk, the file changed meanwhile
            _keep_rejected(rejected, text)
            raise click.ClickException(
                f"{e.message}; your edit is kept in {message_path(rejected)}"
            ) from None
    _say(f"saved {target.where()}")


def _too_large(text: str) -> list[str]:
    """A file past the size limit would lock its owner out of every command: refuse it."""
    from ..store import max_bytes

    size = len(text.encode("utf-8"))
    if size <= max_bytes():
        return []
    return [f"cgcli: the edited file is {size:,} bytes, over the {max_bytes():,}-byte limit"]


def _run_editor(text: str, path: Path, rejected: Path) -> str:
    """TEXT as the user's editor ($VISUAL, $EDITOR, else vi) leaves it, edited in a file
    beside PATH (removed afterwards; one left by a killed run goes with the next write).

    Never a traceback: an EDITOR that cannot be run or parsed, an editor that fails, or a
    file it deletes, replaces with a folder or a pipe, or leaves as something other than
    UTF-8 text is a clear error; whatever it left is kept in REJECTED."""
    import shlex
    import shutil
    import subprocess

    from ..domain.facts import FactsError
    from ..store.reading import read_bytes

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        argv = shlex.split(editor)
    except ValueError as e:
        raise click.ClickException(
            f"cannot run the editor {editor!r}: {e}; check $EDITOR"
        ) from None
    if not argv:
        raise click.ClickException("$EDITOR is empty; set it to your editor, e.g. EDITOR=nano")
    tmp = path.with_name(f".{path.name}.edit-{os.getpid()}.toml")
    tmp.write_text(text, encoding="utf-8")
    try:
        try:
            status = subprocess.run([*argv, str(tmp)]).returncode
        except OSError as e:
            raise click.ClickException(
                f"cannot run the editor {argv[0]!r}: {e.strerror or e}; check $EDITOR"
            ) from None
        try:
            data = read_bytes(tmp)  # never blocks on a pipe, refuses a folder or a huge file
        except FactsError as e:
            reason = e.problems[0].message if e.problems else "cannot be read"
            kept = ""
            if tmp.is_file() and not tmp.is_symlink():
                with contextlib.suppress(OSError):
                    shutil.copyfile(tmp, rejected)  # too large to read here, not to keep
                    kept = f"; it is kept in {message_path(rejected)}"
            raise click.ClickException(f"the edited file {reason}{kept}; nothing written") from None
        if status != 0:
            _keep_bytes(rejected, data, text)
            raise click.ClickException(f"the editor ended with status {status}; nothing written")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            _keep_bytes(rejected, data, text)
            raise click.ClickException(
                f"the edited file is not UTF-8 text; kept in {message_path(rejected)}, "
                "nothing written"
            ) from None
    finally:
        if tmp.is_dir() and not tmp.is_symlink():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                tmp.unlink()


def _keep_bytes(rejected: Path, data: bytes, original: str) -> None:
    """What an editor left, kept for its author when it differs from what it was given."""
    from ..store.writer import atomic_write

    if data != original.encode("utf-8"):
        with contextlib.suppress(OSError):
            atomic_write(rejected, data, backup=False)


def _keep_rejected(rejected: Path, text: str) -> None:
    """Keep TEXT in REJECTED; where that cannot be written (a full disk), in the temporary
    folder; where nothing can be written, on standard output: an edit is never lost."""
    import tempfile

    from ..store.writer import atomic_write

    data = text.encode("utf-8")
    for place in (rejected, Path(tempfile.gettempdir()) / rejected.name):
        try:
            atomic_write(place, data, backup=False)
        except OSError as e:
            click.echo(
                f"cgcli: could not keep the edit in {message_path(place)}: {e.strerror or e}",
                err=True,
            )
            continue
        if place != rejected:
            _say(f"cgcli: your edit is kept in {message_path(place)}")
        return
    _say("cgcli: your edit follows on standard output, so that it is not lost")
    click.echo(text)
