"""Curation of the records of the user's own fact file: add a record (a claim beside
another file's, or a replacement), set a claim's rank, remove a record. Each is checked
against the chain in use before it is written (see curation.py for the file side).
With a fresh cache, `facts add` and an override written by `facts rank` are checked by
index and appended, the cache updated in the same step (appending.py); `facts remove`
and a rank changed in the file itself rewrite only the record's lines (inplace.py);
anything else, and every refusal but a name that is not the file's, goes through the
whole check of the chain."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..domain.facts import Facts
from .curation import (
    Refusal,
    Target,
    current_text,
    existing,
    found_problems,
    origin,
    problems,
    refuse,
    replace,
    same,
    snapshot,
    writing,
)

_NOT_CLAIM = frozenset({"id", "rank", "rank_reason", "note"})


def add(
    target: Target,
    kind: str,
    record: dict[str, Any],
    usage: list[str],
    *,
    replace_other: bool,
    command: str,
    evidence: Callable[[Facts], list[str]] | None = None,
    waiting: Callable[[], None] | None = None,
) -> tuple[dict[str, Any], list[str], list[str]]:
    """Append RECORD (of KIND) to the target's file, checked in its chain; USAGE: problems
    with the command line already found (reported with the others, exit 2). COMMAND,
    followed by the id the record is written under, labels the backup. EVIDENCE,
    given the facts as they are, checks the record's quotes (its problems refuse it).
    Returns the record as written (its id may be a claim id), the notes to show, and the
    claims note of its subject once written (claims_lines)."""
    from .appending import session
    from .tomltext import toml_records

    path = target.path
    with writing(path, waiting):
        before = snapshot(path)
        with session(target) as quick:  # by index, appended, the cache updated in place
            if quick is not None and not usage:
                settled, notes = claim_id(kind, record, quick.facts, target, replace_other)
                told = evidence(quick.facts) if evidence is not None else []
                if told:
                    raise refuse(path, told)
                if quick.append(kind, settled, before, f"{command} {settled['id']}"):
                    return settled, notes, quick.claims(kind, settled)
        current = current_text(path)
        facts = existing(target, current)
        notes = []
        if facts is not None and not usage:
            record, notes = claim_id(kind, record, facts, target, replace_other)
            if evidence is not None:
                found = evidence(facts)
                if found:
                    raise refuse(path, found)
        new = current.rstrip("\n") + "\n\n" + toml_records(kind, [record])
        told = _problems_of_new(target, new, kind, record["id"], _count(current, kind))
        told += unknown_refs(kind, record, facts, told)
        if usage:
            bad = {line.partition(":")[0] for line in usage}
            told = [p for p in told if not any(p.startswith(f"cgcli: {f}: ") for f in bad)]
            raise refuse(path, [*(f"cgcli: {line}" for line in usage), *told], status=2)
        if told:
            raise refuse(path, told)
        replace(path, new, before, f"{command} {record['id']}")
    return record, notes, claims_note(target, kind, record)


def _problems_of_new(target: Target, new: str, kind: str, rid: str, index: int | None) -> list[str]:
    """Problems of NEW as the target's file. Those of the new record (KIND[INDEX], the
    last of its kind, or KIND[id=RID]) are said of its fields, as the command line gave them
    (`cgcli: unit: unknown value ...`): the line it would have is in no file. The others
    cite their file and line; a file not written yet by name alone."""
    found = found_problems(target, new)
    mine = {f"{kind}[{index}]", f"{kind}[id={rid}]"}
    exists = target.path.exists() or target.path.is_symlink()
    said = []
    for problem in found:
        ours = problem.file == str(target.path)
        if ours and problem.key.partition(".")[0] in mine:
            field = problem.key.partition(".")[2]
            said.append(
                f"cgcli: {field}: {problem.message}" if field else f"cgcli: {problem.message}"
            )
        elif ours and not exists:
            where = f"{problem.key}: " if problem.key else ""
            said.append(f"{target.path} (to be created): {where}{problem.message}")
        else:
            said.append(str(problem))
    return said


def _count(text: str, kind: str) -> int | None:
    """How many records of KIND TEXT holds (None when it does not parse: its problems say
    so). Parsed as the loader parses, its shape checked first: a hostile file is refused,
    never left to crash or stall a plain parser."""
    from ..domain.problems import FactsError
    from .reading import parse

    try:
        found = parse(text, "")
    except FactsError:
        return None
    records = found.get(kind, [])
    return len(records) if isinstance(records, list) else None


def unknown_refs(
    kind: str, record: dict[str, Any], facts: Facts | None, told: list[str]
) -> list[str]:
    """RECORD's references to records the chain lacks, unless TOLD already says so. The
    merge checks references only once each file is valid, so without this a wrong unit
    would hide a wrong source until the next try."""
    from ..domain.registry import kind_of

    if facts is None:
        return []
    found = []
    fields = kind_of(kind).field_map
    for name, value in record.items():
        field = fields.get(name)
        if field is None or not field.ref:
            continue
        for wanted in value if isinstance(value, list) else [value]:
            known = any(wanted in facts.by_id(k) for k in field.ref)
            said = any(f"has id {wanted!r}" in line for line in told)
            if isinstance(wanted, str) and not known and not said:
                named = " or ".join(field.ref)
                found.append(f"cgcli: {name}: no {named} record has id {wanted!r}")
    return found


def claim_id(
    kind: str, record: dict[str, Any], facts: Facts, target: Target, replace_other: bool
) -> tuple[dict[str, Any], list[str]]:
    """RECORD with the id it may take without hiding another file's record: its own
    when free; with --replace, the same (said so); else a claim id (claims.claim_suffix).
    A claim the data already holds, field for field, is refused."""
    from ..domain.claims import claim_suffix, subject_fields, subject_key
    from ..domain.figures import figure
    from ..domain.registry import kind_of
    from ..domain.selection import label
    from .appending import IdsOf, same_subject

    same_claims = [
        r
        for r in same_subject(facts, kind, record)
        if {k: v for k, v in r.items() if k not in _NOT_CLAIM}
        == {k: v for k, v in record.items() if k not in _NOT_CLAIM}
        and subject_key(kind, r) == subject_key(kind, record)
    ]
    if same_claims:
        raise refuse(
            target.path, [f"cgcli: the data already holds this claim as {same_claims[0]['id']}"]
        )
    found = origin(facts, kind, record["id"])
    if found is None:
        return record, ["--replace: no record has this id; added"] if replace_other else []
    old, where = found
    described = figure(old) if kind_of(kind).figures else label(kind, old)
    what = f"{kind} {old['id']} of {where} ({described}, source {old.get('source')})"
    if replace_other:
        if same(Path(where), target.path):
            raise refuse(
                target.path,
                [f"cgcli: {old['id']} is in this file; change it with cgcli facts edit"],
            )
        return record, [
            f"replaces {what}: that record is hidden while this one is in {target.path}"
        ]
    if subject_fields(kind) == ("id",):  # each record its own subject: another id is
        raise refuse(  # another company, not a second claim about this one
            target.path,
            [
                f"cgcli: {record['id']} is taken by {what}; give --replace to replace it, "
                "or another id for another record"
            ],
        )
    new_id = claim_suffix(record, IdsOf(facts, kind), default=record["id"])
    note = (
        f"{record['id']} is taken by {what}; added as {new_id}, a claim beside it "
        "(give --replace to replace it instead)"
    )
    return {**record, "id": new_id}, [note]


def claims_note(target: Target, kind: str, record: dict[str, Any]) -> list[str]:
    """After a write: appending.claims_lines of the chain as it is now."""
    from ..domain.claims import subject_fields
    from .appending import cached_facts, claims_lines

    if subject_fields(kind) == ("id",):
        return []
    facts = cached_facts(target) or existing(target, current_text(target.path))
    if facts is None:
        return []
    try:
        return claims_lines(facts, kind, record)
    finally:
        facts.close()


def rank(
    target: Target,
    record_id: str,
    new_rank: str,
    reason: str | None,
    waiting: Callable[[], None] | None = None,
) -> list[str]:
    """Set the rank of claim RECORD_ID: in place when it is in the target's file, else as
    an override written there. Returns the notes to show."""
    from ..domain.selection import find_record
    from .appending import session
    from .tomltext import rewrite_record, toml_records

    path = target.path
    with writing(path, waiting):
        before = snapshot(path)
        with session(target) as quick:  # an override of another file's claim, by index
            if quick is not None:
                kind, found = find_record(quick.facts, record_id, claims_only=True)
                located = origin(quick.facts, kind, found["id"])
                command = f"facts rank {found['id']} {new_rank}"
                if located is not None and not same(Path(located[1]), path):
                    record = _ranked(located[0], new_rank, reason)
                    if quick.append(kind, record, before, command):
                        return _override_note(target, kind, found["id"], located[1], new_rank)
                elif located is not None:  # the claim's own lines, rewritten in place
                    from . import inplace

                    def change(old: dict[str, Any]) -> dict[str, Any]:
                        return _ranked(old, new_rank, reason)

                    if inplace.rewrite(quick, kind, found["id"], change, before, command):
                        return [_in_place_note(target, kind, found["id"], new_rank)]
        current = current_text(path)
        facts = existing(target, current)
        if facts is None:
            raise refuse(path, [*problems(target, current), "cgcli: fix these first"])
        kind, found = find_record(facts, record_id, claims_only=True)
        wanted_id = found["id"]
        located = origin(facts, kind, wanted_id)
        assert located is not None  # find_record found it in these facts
        old, where = located
        record = _ranked(old, new_rank, reason)
        in_place = same(Path(where), path)
        if in_place:
            rewritten = rewrite_record(current, kind, record)
            if rewritten is None:
                raise refuse(
                    path, [f"cgcli: could not change {wanted_id} in place: use cgcli facts edit"]
                )
            new = rewritten
        else:
            new = current.rstrip("\n") + "\n\n" + toml_records(kind, [record])
        told = problems(target, new)
        if told:
            raise refuse(path, told)
        replace(path, new, before, f"facts rank {wanted_id} {new_rank}")
    if in_place:
        return [_in_place_note(target, kind, wanted_id, new_rank)]
    return _override_note(target, kind, wanted_id, where, new_rank)


def _ranked(old: dict[str, Any], new_rank: str, reason: str | None) -> dict[str, Any]:
    """OLD with rank NEW_RANK, and REASON as its rank_reason when given."""
    record = {k: v for k, v in old.items() if k not in ("rank", "rank_reason")}
    record["rank"] = new_rank
    if reason:
        record["rank_reason"] = reason
    return record


def _in_place_note(target: Target, kind: str, rid: str, new_rank: str) -> str:
    return f"cgcli: set the rank of {kind} {rid} to {new_rank} in {target.where()}"


def _override_note(target: Target, kind: str, rid: str, where: str, new_rank: str) -> list[str]:
    return [
        f"cgcli: wrote an override of {kind} {rid} into {target.where()}: every field "
        f"copied from {where}, rank {new_rank}; it replaces that record while this file is in use"
    ]


def remove(
    target: Target, record_id: str, waiting: Callable[[], None] | None = None
) -> tuple[str, dict[str, Any], list[str]]:
    """Remove record RECORD_ID (KIND:ID where kinds share an id) from the target's file,
    keeping a backup. Only a record of that file can be removed: one of another file is
    refused with what to do instead. Returns its kind, the record, and notes: the
    record of another file it uncovers, the claims that are now best."""
    from . import inplace
    from .appending import session
    from .tomltext import remove_record

    path = target.path
    with writing(path, waiting):
        before = snapshot(path)
        if not (path.exists() or path.is_symlink()):
            raise Refusal([f"cgcli: {path} does not exist yet: there is nothing to remove"])
        with session(target) as quick:  # by index, only the record's lines taken out
            if quick is not None:
                named = inplace.own(quick.facts, record_id)
                if len(named) > 1:
                    raise Refusal(_several(record_id, named))
                if not named:
                    raise Refusal(_not_here(quick.facts, record_id, path))
                kind, found = named[0]
                command = f"facts remove {kind}:{found['id']}"
                if inplace.remove(quick, kind, found["id"], before, command):
                    return kind, found, quick.claims(kind, found)
        current = current_text(path)
        facts = existing(target, current)
        if facts is None:
            raise refuse(path, [*problems(target, current), "cgcli: fix these first"])
        mine = _own_record(target, current, record_id)
        if mine is None:
            raise Refusal(_not_here(facts, record_id, path))
        kind, found = mine
        new = remove_record(current, kind, found["id"])
        if new is None:
            raise refuse(
                path, [f"cgcli: could not remove {found['id']} safely: use cgcli facts edit"]
            )
        told = problems(target, new)
        if told:
            raise refuse(path, [*told, f"cgcli: other records still need {found['id']}"])
        replace(path, new, before, f"facts remove {kind}:{found['id']}")
    notes = []
    after = existing(target, new)
    if after is not None:
        back = origin(after, kind, found["id"])
        if back is not None:
            notes.append(f"cgcli: {kind} {found['id']} of {back[1]} is in use again")
        notes += claims_note(target, kind, found)
    return kind, found, notes


def _own_record(target: Target, current: str, ref: str) -> tuple[str, dict[str, Any]] | None:
    """The record REF (ID or KIND:ID) of the target's file itself, or None."""
    from ..domain.registry import kind_name, kinds
    from .reading import parse

    wanted_kind, _, wanted_id = ref.rpartition(":")
    doc = parse(current, str(target.path))
    names = [k for k in kinds() if not wanted_kind or kind_name(wanted_kind) == k]
    found = [
        (k, r)
        for k in names
        for r in doc.get(k, [])
        if isinstance(r, dict) and r.get("id") == wanted_id
    ]
    if len(found) > 1:
        raise Refusal(_several(ref, found))
    return found[0] if found else None


def _several(ref: str, found: list[tuple[str, dict[str, Any]]]) -> list[str]:
    choices = ", ".join(f"{k}:{r['id']}" for k, r in found)
    return [f"cgcli: {ref!r} names more than one record: {choices}"]


def _not_here(facts: Facts, record_id: str, path: Path) -> list[str]:
    from ..domain.selection import find_record

    try:
        kind, found = find_record(facts, record_id)
    except Exception:
        return [f"cgcli: no record {record_id!r} in {path}"]
    located = origin(facts, kind, found["id"])
    where = located[1] if located else "another file"
    return [
        f"cgcli: {kind} {found['id']} is in {where}, not in {path}: only records of your "
        f"own file can be removed; cgcli facts rank {found['id']} deprecated hides a claim"
    ]
