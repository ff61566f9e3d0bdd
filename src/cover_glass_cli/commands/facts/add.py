"""cgcli facts add KIND FIELD=VALUE..."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ...document_options import DocumentOptions, document_options
from .. import App, Command
from . import TO


@click.command("add", cls=Command)
@click.argument("kind")
@click.argument("pairs", nargs=-1, required=True, metavar="FIELD=VALUE...")
@click.option(
    "--replace",
    is_flag=True,
    help="Replace the record of another file that has this id, rather than adding a claim "
    "beside it.",
)
@TO
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
def command(
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
    from ...domain.facts import Facts
    from ...domain.registry import kind_name, kind_of, kinds, source_kind
    from ...store import curation, records
    from . import refusals, waiting

    name = kind_name(kind)
    if name is None:
        raise click.BadParameter(f"{kind!r}; kinds are: {', '.join(kinds())}", param_hint="KIND")
    record, usage = _record_from(name, pairs)
    for field, value in kind_of(name).defaults.items():
        if field not in record:
            record[field] = value
            app.say(f"cgcli: {field} = {value!r} (the default; give {field}=... to change it)")
    record.setdefault("id", _default_id(name, record))
    if record["id"] is None:
        if kind_of(name).default_id is None or not usage:  # else a bad field is why
            usage.append(f"id: give the new {name} record an id=...")
        record["id"] = "new"
    record = {"id": record.pop("id"), **record}
    usage += _not_ended(name, record)
    target = curation.target(app.facts_paths, to)

    def evidence(facts: Facts) -> list[str]:
        if not (quotes or hash_from or name == source_kind()):
            return []
        from ...store.documents import curate  # evidence, or a new source's sha256

        found = documents.documents(facts)
        return curate(name, record, quotes, hash_from, found, facts.all(), target.path)

    with refusals(app):
        written, notes, claims = records.add(
            target,
            name,
            record,
            usage,
            replace_other=replace,
            command=f"facts add {name}",  # and the id it is written under
            evidence=evidence,
            waiting=waiting(app, target.path),
        )
    app.say(*(f"cgcli: {note}" for note in notes))
    app.say(f"added {name} {written['id']} to {target.where()}")
    app.say(*claims)


def _not_ended(kind: str, record: dict[str, Any]) -> list[str]:
    """A figure added today for a period that has not ended is a forecast or an estimate:
    the kind's own rules say so when the record is taken as stated today (a figure the
    curator dates with stated=... is checked by that date, in validation)."""
    import datetime

    from ...domain.registry import kind_of

    declared = kind_of(kind)
    if declared.rules is None or "stated" not in declared.field_map or "stated" in record:
        return []
    today = datetime.date.today().isoformat()
    return [
        f"{field}: {message.replace(f'stated {today}', 'added today')}"
        for field, message in declared.rules({**record, "stated": today})
        if field == "status"
    ]


def _default_id(kind: str, record: dict[str, Any]) -> str | None:
    from ...domain.registry import kind_of

    make = kind_of(kind).default_id
    return make(record) if make else None


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


def _parse_value(kind: str, key: str, raw: str) -> Any:
    """KEY=RAW on the command line, as the schema types it; click.BadParameter if not."""
    from ...domain.registry import kind_of

    field = kind_of(kind).field_map.get(key)
    if field is None:
        return raw  # validation names it, with a suggestion
    if key == "unit" and f"INR {raw}" in field.choices:
        return f"INR {raw}"
    if key == "fy":
        from ...domain.fiscal import FiscalYearError, parse_year

        try:
            return parse_year(raw)
        except FiscalYearError as e:
            raise click.BadParameter(str(e), param_hint="fy") from None
    if field.type in ("int", "number"):
        from ...domain.spelling import NumberError, parse_number

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
            from ...domain.validation import check_depth, show_text

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
