"""Records as TOML text, the way a curator writes them (for `facts add`, `facts rank` and
`export --format toml`)."""

from __future__ import annotations

from typing import Any


def toml_records(kind: str, records: list[dict[str, Any]]) -> str:
    """RECORDS as TOML array-of-tables blocks ([[kind]] then one key per line), the way
    a curator writes them; tomli_w alone would put short records on one inline line."""
    import tomli_w

    def block(record: dict[str, Any]) -> str:
        if any(_is_tables(value) for value in record.values()):  # evidence spans
            return tomli_w.dumps({kind: [record]})  # [[kind]] then [[kind.evidence]]
        return f"[[{kind}]]\n{tomli_w.dumps(record)}"

    return "\n".join(block(record) for record in records)


def _is_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def toml_document(data: dict[str, Any]) -> str:
    """A whole fact file: schema_version first, then each kind's records."""
    parts = [f"schema_version = {data['schema_version']}\n"]
    parts += [
        toml_records(kind, records)
        for kind, records in data.items()
        if kind != "schema_version" and records
    ]
    return "\n".join(parts)


def _table_lines(
    text: str, kind: str, rid: Any
) -> tuple[dict[str, Any], int, list[str], list[str]] | None:
    """The parsed TEXT, the index of KIND's record RID, and TEXT's lines before and after
    its table: from its [[kind]] line to the next table, comments after its last key kept
    out. None when the text does not parse or has no such record."""
    import tomllib

    from ..domain.validation import line_map

    try:
        doc = tomllib.loads(text)
        index = [r.get("id") for r in doc[kind]].index(rid)
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
    return doc, index, lines[: start - 1], lines[end:]


def _parses_to(text: str, expected: dict[str, Any]) -> str | None:
    """TEXT when it parses to EXPECTED, else None: an edit is used only when it is safe."""
    import tomllib

    try:
        return text if tomllib.loads(text) == expected else None
    except tomllib.TOMLDecodeError:
        return None


def rewrite_record(text: str, kind: str, record: dict[str, Any]) -> str | None:
    """TEXT with KIND's table whose id is RECORD's written anew as RECORD, or None when
    that cannot be done safely: the result must parse to the same document with only
    that record changed, or it is not used."""
    found = _table_lines(text, kind, record["id"])
    if found is None:
        return None
    doc, index, before, after = found
    new = "".join(before) + toml_records(kind, [record]) + "".join(after)
    return _parses_to(new, {**doc, kind: [*doc[kind][:index], record, *doc[kind][index + 1 :]]})


def remove_record(text: str, kind: str, rid: str) -> str | None:
    """TEXT without KIND's table whose id is RID (comments and blank lines around it
    kept), or None when that cannot be done safely: the result must parse to the same
    document with only that record gone."""
    found = _table_lines(text, kind, rid)
    if found is None:
        return None
    doc, index, before, after = found
    rest = [*doc[kind][:index], *doc[kind][index + 1 :]]
    expected = {**doc, kind: rest} if rest else {k: v for k, v in doc.items() if k != kind}
    return _parses_to("".join(before + after), expected)
