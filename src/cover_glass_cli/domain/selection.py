"""Selecting records: one by its id, name or alias (or KIND:ID); those of a company and
its ventures; those related to a company or a venture, for its detail view; those in
which some words appear (search); a short name for any record; sources in the order of
their origins; and which records a later file of a chain hides. Rows are shaped by
query.py.

Knows nothing of click or rich.
"""

from __future__ import annotations

from typing import Any

from .claims import origin_key
from .facts import Facts
from .problems import NotShown
from .query import rows
from .registry import Field, Kind, find_kind, kind_name, kind_of, kinds, source_kind

Record = dict[str, Any]


def _keys(record: dict[str, Any]) -> list[str]:
    keys = [record["id"]]
    if isinstance(record.get("name"), str):
        keys.append(record["name"])
    keys.extend(a for a in record.get("aliases", []) if isinstance(a, str))
    return [k.casefold() for k in keys]


def find(records: list[dict[str, Any]], text: str, what: str) -> dict[str, Any]:
    """One record by id, name or alias: exact (case-insensitive) first, then a unique prefix."""
    needle = text.strip().casefold()
    if not needle:
        raise NotShown(f"no {what} given")
    exact = [r for r in records if needle in _keys(r)]
    if len(exact) == 1:
        return exact[0]
    matches = exact or [r for r in records if any(k.startswith(needle) for k in _keys(r))]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise NotShown(f"{text!r} matches more than one {what}:\n{_listing(matches)}")
    raise NotShown(f"no {what} matches {text!r}; known:\n{_listing(records)}")


def find_record(facts: Facts, ref: str, *, claims_only: bool = False) -> tuple[str, dict[str, Any]]:
    """The record REF names: its id, or KIND:ID where two kinds share an id (every kind,
    or only those that make claims, i.e. not sources). NotShown when none or several."""
    wanted_kind, _, wanted_id = ref.rpartition(":")
    what = "claim" if claims_only else "record"
    if wanted_kind:
        kind = kind_name(wanted_kind)
        if kind is None:
            raise NotShown(f"{wanted_kind!r} is not a kind of record; kinds: {', '.join(kinds())}")
        looked = [kind]
    else:
        looked = [k.name for k in kinds().values() if k.cited or not claims_only]
    found = facts.with_id(wanted_id, looked)
    if not found:
        raise NotShown(f"no {what} has id {ref!r}; try `cgcli search`")
    if len(found) > 1:
        choices = ", ".join(f"{k}:{r['id']}" for k, r in found)
        raise NotShown(f"{ref!r} names more than one {what}: {choices}")
    return found[0]


def _listing(records: list[dict[str, Any]]) -> str:
    return "\n".join(f"  {r['id']}  {r.get('name', '')}".rstrip() for r in records)


def company_ids(facts: Facts, text: str) -> set[str]:
    """Ids a filter such as --company X stands for: the company, and the records that
    list it among their partners (its ventures)."""
    from .kinds.companies import KIND as COMPANIES

    company = find(facts[COMPANIES.name], text, "company")
    partnered = {
        r["id"]
        for k in kinds().values()
        for f in k.fields
        if f.type == "strlist" and COMPANIES.name in f.ref
        for r in facts[k.name]
        if company["id"] in (r.get(f.name) or ())
    }
    return {company["id"], *partnered}


def of_company(facts: Facts, kind: str, field: str, company: str | None) -> list[dict[str, Any]]:
    """Records of KIND whose FIELD names COMPANY (or one of its ventures); all when None."""
    if not company:
        return facts[kind]
    return facts.where(kind, field, company_ids(facts, company))


def related(facts: Facts, ids: set[str]) -> dict[str, list[dict[str, Any]]]:
    """Rows of the records that name any of IDS (a company and its ventures, or a venture)
    in a reference field, or are one of them, by kind, for the kinds a detail view shows
    (Kind.related, in its order). Records found become names to look for in the kinds
    after them: a company's people, and so the statements they made."""
    wanted = set(ids)
    found: dict[str, list[Record]] = {}
    shown = sorted((k for k in kinds().values() if k.related is not None), key=_related_order)
    targets = {target for k in shown for f in _references(k) for target in f.ref}
    for k in shown:
        refs = _references(k)
        if len(refs) == 1 and refs[0].type == "str":  # an indexed lookup in the cache
            records = facts.where(k.name, refs[0].name, wanted)
        else:
            records = [r for r in facts[k.name] if wanted & _named(r, refs)]
        found[k.name] = records
        if k.name in targets:
            wanted |= {r["id"] for r in records}
    return {kind: rows(facts, kind, records) for kind, records in found.items()}


def _related_order(kind: Kind) -> int:
    return kind.related or 0


def _references(kind: Kind) -> list[Field]:
    """KIND's fields that name other records, but for the source every claim cites."""
    return [f for f in kind.fields if f.ref and f.ref != (source_kind(),)]


def _named(record: Record, refs: list[Field]) -> set[Any]:
    """The record's own id and every id its fields REFS name."""
    named = {record.get("id")}
    for f in refs:
        value = record.get(f.name)
        named.update(value if isinstance(value, list) else (value,))
    return named


def cited_sources(facts: Facts, *groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of the sources that the records in GROUPS cite."""
    cited = {r["source"] for records in groups for r in records if r.get("source")}
    sources = source_kind()
    return rows(facts, sources, [s for s in facts[sources] if s["id"] in cited])


def matches_text(value: Any, needle: str) -> bool:
    if isinstance(value, str):
        return needle in value.casefold()
    if isinstance(value, list):
        return any(matches_text(v, needle) for v in value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return needle == str(value)
    return False


def searched(kind: str) -> frozenset[str]:
    """The fields search looks in: every stored field, and the derived ones that say what
    a record is (the names behind ids, an export's period and months); not the others
    (other records' ids, computed figures, claims), so that the cache's search index,
    built from the same, holds all it needs."""
    declared = kind_of(kind)
    return frozenset(declared.field_map) | {f.name for f in declared.derived if f.searched}


def search(facts: Facts, text: str) -> list[dict[str, Any]]:
    """Every record in which each word of TEXT appears in some field, whatever its kind."""
    words = [w.casefold() for w in text.split()]
    found: list[dict[str, Any]] = []
    if not words:
        return found
    candidates = facts.candidates(words)
    for kind in kinds():
        if kind not in candidates:
            continue
        looked = searched(kind)
        for row in rows(facts, kind, candidates[kind]):
            fields = [
                k for k, v in row.items() if k in looked and any(matches_text(v, w) for w in words)
            ]
            if not all(any(matches_text(row[f], w) for f in fields) for w in words):
                continue
            found.append(
                {
                    "kind": kind,
                    "id": row["id"],
                    "label": label(kind, row),
                    "matched_fields": fields,
                    "record": row,
                }
            )
    return found


def label(kind: str, row: dict[str, Any]) -> str:
    """A short human name for any record."""
    for name in ("name", "title", "statement", "summary", "period"):
        if isinstance(row.get(name), str):
            return str(row[name])
    declared = find_kind(kind)
    if declared is not None and declared.label is not None:
        return declared.label(row)
    return str(row["id"])


# --- sources -----------------------------------------------------------------------


def by_origin(sources: list[Record]) -> list[Record]:
    """SOURCES grouped by origin (claims.origin_key), origins in the order each first
    appears, each origin's sources by publication date (undated last)."""
    order: dict[str, int] = {}
    for source in sources:
        order.setdefault(origin_key(source), len(order))
    return sorted(
        sources,
        key=lambda s: (order[origin_key(s)], str(s.get("published") or "9999")),
    )


# --- layered files ---------------------------------------------------------------------


def overrides(files: list[tuple[str, dict[str, list[Record]]]]) -> list[Record]:
    """Which records a later file replaces, given each file of a chain (name, records by
    kind) in order: the merge overlays a record of the same kind and id, so an earlier
    one is hidden. One entry per hidden record: kind, id, file (the one that wins) and
    replaces (the file whose record it hides), in chain order."""
    seen: dict[tuple[str, str], str] = {}
    found: list[Record] = []
    for name, records in files:
        for kind, items in records.items():
            for record in items:
                key = (kind, record["id"])
                if key in seen:
                    found.append(
                        {"kind": kind, "id": record["id"], "file": name, "replaces": seen[key]}
                    )
                seen[key] = name
    return found
