"""Validation of fact files against the schema, saying exactly what is wrong and where.

Runs only when a fact file is parsed (a cached lookup never imports it): once per
record of every file, so the common case, a valid record, takes a fast path.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from .schema import (
    FIELD_MAP,
    KINDS,
    MAX_FIGURE,
    MAX_TEXT,
    QUALIFIERS,
    SCHEMA_VERSION,
    Field,
    Problem,
)

_TYPE_WORDS = {
    "str": "a string",
    "int": "a whole number",
    "number": "a number",
    "strlist": "a list of strings",
    "spans": "a list of { start, end, sha256 } tables",
}


# --- where things are in the text -------------------------------------------

_HEADER = r"^\s*\[\[\s*([A-Za-z0-9_-]+)\s*\]\]"
_TABLE = r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]"
_KEY = r"^\s*([A-Za-z0-9_-]+)\s*="


def line_map(text: str) -> dict[tuple[Any, ...], int]:
    """Map ("kind", i) and ("kind", i, key) and (key,) to 1-based line numbers.

    A light scan, not a parser: it only needs to be right for files that
    tomllib accepted, and is used only to point at lines in messages.
    """
    where: dict[tuple[Any, ...], int] = {}
    counts: dict[str, int] = {}
    current: tuple[Any, ...] = ()
    in_multiline: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if in_multiline:
            if line.count(in_multiline) % 2:
                in_multiline = None
            continue
        m = re.match(_HEADER, line)
        if m:
            kind = m.group(1)
            index = counts.get(kind, 0)
            counts[kind] = index + 1
            current = (kind, index)
            where.setdefault(current, number)
            where.setdefault((kind,), number)
            continue
        m = re.match(_TABLE, line)
        if m:
            current = (m.group(1),)
            where.setdefault(current, number)
            continue
        m = re.match(_KEY, line)
        if m:
            where.setdefault((*current, m.group(1)), number)
        for quote in ('"""', "'''"):
            if line.count(quote) % 2:
                in_multiline = quote
                break
    return where


def _line(lines: dict[tuple[Any, ...], int], *key: Any) -> int | None:
    while key:
        if key in lines:
            return lines[key]
        key = key[:-1]
    return None


def _suggest(word: str, options: list[str]) -> str:
    import difflib  # only on the error path

    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def _describe(value: Any) -> str:
    import datetime

    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return "a date or time"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


_MISSING = object()


def validate_record(kind: str, record: Any) -> list[tuple[str, str]]:
    """Problems in one record, as (field, message); field '' is the record itself.

    Written for speed on the common case, a valid record: this runs once per record
    of every fact file parsed (100,000 times for a large file).
    """
    if type(record) is not dict:
        return [("", f"each {kind} entry must be a table, not {_describe(record)}")]
    if _plainly_valid(kind, record):
        return []
    return _full_check(kind, record)


def _full_check(kind: str, record: dict[str, Any]) -> list[tuple[str, str]]:
    """Every check on one record, with its message (the slow path of validate_record)."""
    fields = FIELD_MAP[kind]
    found: list[tuple[str, str]] = []
    for key in record:
        if key not in fields:
            found.append((key, f"unknown field for {kind}{_suggest(key, list(fields))}"))
    for field in KINDS[kind]:
        name = field.name
        value = record.get(name, _MISSING)
        if value is _MISSING:
            if field.required:
                found.append((name, f"missing required field ({_TYPE_WORDS[field.type]})"))
            continue
        problem = _check_value(field, value)
        if problem:
            found.append((name, problem))
        elif field.choices and value not in field.choices:
            found.append(
                (name, f"unknown value {value!r}; expected one of: {', '.join(field.choices)}")
            )
    found.extend(_record_rules(kind, record))
    return found


def _check_value(field: Field, value: Any) -> str | None:
    """What is wrong with VALUE as FIELD's type, or None."""
    ftype, vtype = field.type, type(value)
    if ftype == "str":
        if vtype is not str:
            return f"expected a string, got {_describe(value)}"
        if len(value) > MAX_TEXT:
            return f"text longer than {MAX_TEXT} characters"
        if field.required and not value.strip():
            return "must not be empty"
        return None
    if ftype == "spans":
        return _check_spans(value)
    if ftype == "strlist":
        if vtype is not list or any(type(v) is not str for v in value):
            return f"expected a list of strings, got {_describe(value)}"
        return None
    if vtype is int:  # not bool: type(True) is bool
        return f"{value:.3g} is too large for any real figure" if abs(value) > MAX_FIGURE else None
    if vtype is float and ftype == "number":
        if value != value or value in (math.inf, -math.inf):
            return "must be a finite number, not nan or inf"
        return f"{value:.3g} is too large for any real figure" if abs(value) > MAX_FIGURE else None
    return f"expected {_TYPE_WORDS[ftype]}, got {_describe(value)}"


_SPAN_KEYS = frozenset(("start", "end", "sha256"))
_HEX = frozenset("0123456789abcdef")


def _check_spans(value: Any) -> str | None:
    """What is wrong with VALUE as evidence spans, or None: a list of tables of exactly
    start and end (whole numbers, 0 <= start < end) and sha256 (64 lower-case hex digits),
    the rules of evidence.Span.from_toml."""
    if type(value) is not list:
        return f"expected {_TYPE_WORDS['spans']}, got {_describe(value)}"
    for i, span in enumerate(value):
        where = f"span {i + 1}: "
        if type(span) is not dict:
            return f'{where}must be a table {{ start = 812, end = 870, sha256 = "…" }}'
        if span.keys() != _SPAN_KEYS:
            extra = ", ".join(sorted(map(str, span.keys() - _SPAN_KEYS)))
            missing = ", ".join(sorted(_SPAN_KEYS - span.keys()))
            what = f"unknown key(s) {extra}" if extra else f"missing {missing}"
            return f"{where}{what}; a span has exactly start, end and sha256"
        start, end, digest = span["start"], span["end"], span["sha256"]
        if type(start) is not int or type(end) is not int or not 0 <= start < end:
            return f"{where}start and end must be whole numbers with 0 <= start < end"
        if type(digest) is not str or len(digest) != 64 or not _HEX.issuperset(digest):
            return f"{where}sha256 must be 64 lower-case hex digits"
    return None


class _Plan:
    """What _plainly_valid needs of a kind, precomputed.

    types: "s" string, "l" list of strings, "i" whole number, "n" number."""

    __slots__ = ("choices", "figure", "names", "required", "types")

    def __init__(
        self,
        names: frozenset[str],
        required: frozenset[str],
        types: dict[str, str],
        choices: tuple[tuple[str, frozenset[str]], ...],
        figure: bool,
    ) -> None:
        self.names, self.required, self.types = names, required, types
        self.choices, self.figure = choices, figure


_PLANS: dict[str, _Plan] = {}  # filled on first validation: a cached load needs none


def _plan(kind: str) -> _Plan:
    if kind not in _PLANS:
        fields = KINDS[kind]
        _PLANS[kind] = _Plan(
            frozenset(f.name for f in fields),
            frozenset(f.name for f in fields if f.required),
            {
                f.name: {"str": "s", "strlist": "l", "int": "i", "number": "n", "spans": "e"}[
                    f.type
                ]
                for f in fields
            },
            tuple((f.name, frozenset(f.choices)) for f in fields if f.choices),
            kind in ("exports", "value_addition"),
        )
    return _PLANS[kind]


def _plainly_valid(kind: str, r: dict[str, Any]) -> bool:
    """True only if R passes every check of validate_record: the fast path for the
    common case. Anything unusual (a range, an empty string, a float where a whole
    number belongs ...) returns False and gets the full checks and their messages."""
    plan = _plan(kind)
    keys = r.keys()
    if not (plan.required <= keys and keys <= plan.names):
        return False
    types = plan.types
    for name, value in r.items():
        vtype, want = type(value), types[name]
        if vtype is str:
            if want != "s" or not value or len(value) > MAX_TEXT or value.isspace():
                return False
        elif vtype is int:
            if want not in "in" or not -MAX_FIGURE <= value <= MAX_FIGURE:
                return False
        elif vtype is float:
            if want != "n" or not -MAX_FIGURE <= value <= MAX_FIGURE:  # nan and inf fail too
                return False
        elif vtype is list:
            if want == "e":
                if _check_spans(value):
                    return False
            elif want != "l" or any(type(v) is not str for v in value):
                return False
        else:
            return False
    for name, allowed in plan.choices:
        if name in r and r[name] not in allowed:
            return False
    if _bad_id(r["id"]):
        return False
    if "inferred" in r and not plan.names.issuperset(r["inferred"]):
        return False
    fy, quarter, founded = r.get("fy"), r.get("quarter"), r.get("founded")
    if fy is not None and not 1950 <= fy <= 2100:
        return False
    if quarter is not None and not 1 <= quarter <= 4:
        return False
    if founded is not None and not 1000 <= founded <= 2100:
        return False
    if plan.figure:
        if r["qualifier"] == "range" or "value" not in r or "low" in r or "high" in r:
            return False
        value = r["value"]
        if value < 0 or (r["unit"] == "percent" and value > 100):
            return False
        if "growth_qualifier" in r and "growth_pct" not in r:
            return False
    return True


_ID_FIRST = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_ID_CHARS = _ID_FIRST | frozenset("._-")


def _bad_id(rid: str) -> bool:
    return not (len(rid) <= 100 and rid[0] in _ID_FIRST and _ID_CHARS.issuperset(rid))


def _record_rules(kind: str, r: dict[str, Any]) -> list[tuple[str, str]]:
    """Rules that tie fields together; each runs only on fields of the right type."""
    out: list[tuple[str, str]] = []
    rid = r.get("id")
    if type(rid) is str and rid and _bad_id(rid):
        out.append(("id", "ids use lower case letters, digits, '-', '.' or '_' (100 at most)"))
    inferred = r.get("inferred")
    if isinstance(inferred, list):
        for name in inferred:
            if isinstance(name, str) and name not in FIELD_MAP[kind]:
                out.append(("inferred", f"names no field of {kind}: {name!r}"))
    fy = _int(r.get("fy"))
    if fy is not None and not 1950 <= fy <= 2100:
        out.append(("fy", f"{fy} is not a plausible fiscal year (1950-2100)"))
    quarter = _int(r.get("quarter"))
    if quarter is not None and not 1 <= quarter <= 4:
        out.append(("quarter", f"{quarter} is not a quarter; use 1 to 4"))
    founded = _int(r.get("founded"))
    if founded is not None and not 1000 <= founded <= 2100:
        out.append(("founded", f"{founded} is not a plausible year"))
    if kind in ("exports", "value_addition"):
        out.extend(_figure_rules(r))
    return out


def _num(r: dict[str, Any], name: str) -> float | None:
    """R's field NAME when it is a finite number (int or float, not bool), else None."""
    v: Any = r.get(name)
    return v if type(v) in (int, float) and math.isfinite(v) else None


def _figure_rules(r: dict[str, Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    qualifier = r.get("qualifier")
    value, low, high = _num(r, "value"), _num(r, "low"), _num(r, "high")
    if qualifier == "range":
        if "value" in r:
            out.append(("value", "a range has low and high, not value"))
        for name in ("low", "high"):
            if name not in r:
                out.append((name, "missing: qualifier 'range' needs low and high"))
    elif qualifier in QUALIFIERS:
        if "value" not in r:
            out.append(("value", f"missing: qualifier {qualifier!r} needs a value"))
        for name in ("low", "high"):
            if name in r:
                out.append((name, "only a figure with qualifier 'range' has low and high"))
    if low is not None and high is not None and low > high:
        out.append(("low", f"low ({low}) is greater than high ({high})"))
    if r.get("unit") == "percent":
        for name, v in (("value", value), ("low", low), ("high", high)):
            if v is not None and not 0 <= v <= 100:
                out.append((name, f"{v} is outside 0-100 per cent"))
    for name in ("value", "low", "high"):
        v = _num(r, name)
        if v is not None and v < 0:
            out.append((name, "must not be negative"))
    if "growth_qualifier" in r and "growth_pct" not in r:
        out.append(("growth_qualifier", "given without growth_pct"))
    return out


def validate_document(
    doc: dict[str, Any], file: str, text: str
) -> tuple[dict[str, list[dict[str, Any]]], list[Problem]]:
    """Check one parsed fact file on its own (references are checked after merging).

    Returns the valid records by kind, and the problems. Line numbers are looked up
    in TEXT only when there is a problem to point at: a valid file costs no scan.
    """
    found: list[tuple[tuple[Any, ...], str, str]] = []  # (where in the file, key path, message)

    version = _int(doc.get("schema_version"))
    if "schema_version" not in doc:
        found.append(
            ((), "schema_version", f"missing; this program reads schema_version = {SCHEMA_VERSION}")
        )
    elif version is None:
        found.append((("schema_version",), "schema_version", "expected a whole number"))
    elif version > SCHEMA_VERSION:
        found.append(
            (
                ("schema_version",),
                "schema_version",
                f"the file uses schema {version} but this cgcli reads only up to "
                f"{SCHEMA_VERSION}; upgrade cgcli (pip install -U cover-glass-cli)",
            )
        )
    elif version < 1:
        found.append((("schema_version",), "schema_version", f"{version} is not a schema version"))

    records: dict[str, list[dict[str, Any]]] = {}
    for key, value in doc.items():
        if key == "schema_version":
            continue
        if key not in KINDS:
            found.append(((key,), key, f"unknown kind of record{_suggest(key, list(KINDS))}"))
            continue
        if type(value) is not list:
            message = f"must be an array of tables ([[{key}]]), not {_describe(value)}"
            found.append(((key,), key, message))
            continue
        seen: dict[str, int] = {}
        good: list[dict[str, Any]] = []
        for i, record in enumerate(value):
            wrong = validate_record(key, record)
            for name, message in wrong:
                path = f"{key}[{i}].{name}" if name else f"{key}[{i}]"
                found.append(((key, i, name) if name else (key, i), path, message))
            if wrong:
                continue
            rid = record["id"]
            if rid in seen:
                message = f"duplicate id {rid!r} (first used at {key}[{seen[rid]}])"
                found.append(((key, i, "id"), f"{key}[{i}].id", message))
                continue
            seen[rid] = i
            good.append(record)
        records[key] = good
    if not found:
        return records, []
    lines = line_map(text)
    problems = [
        Problem(file, _line(lines, *where) if where else 1, path, message)
        for where, path, message in found
    ]
    return records, problems


def _all_known(records: list[dict[str, Any]], name: str, known: set[str]) -> bool:
    """Whether every id that RECORDS name in field NAME is in KNOWN (set operations in C)."""
    values = [record.get(name) for record in records]
    named = {v for v in values if type(v) is str}
    for v in values:
        if type(v) is list:
            named.update(v)
    return named <= known and all(type(v) in (str, list) or v is None for v in values)


# Where a record of the merged data is: its file, and its index in that file's array.
Locate = Callable[[str, str, str], tuple[str, int | None]]


def check_references(records: dict[str, list[dict[str, Any]]], locate: Locate) -> list[Problem]:
    """Every id named in a reference field must exist in the merged data.

    LOCATE(kind, id, field) gives the file and line of a field, for the messages.
    """
    ids = {kind: {r["id"] for r in records.get(kind, [])} for kind in KINDS}
    problems: list[Problem] = []
    for kind, fields in KINDS.items():
        refs = [(f.name, f.ref) for f in fields if f.ref]
        if not refs:
            continue
        items = records.get(kind, [])
        known_ids = [set().union(*(ids[k] for k in ref_kinds)) for _, ref_kinds in refs]
        if all(
            _all_known(items, name, known) for (name, _), known in zip(refs, known_ids, strict=True)
        ):
            continue  # the common case, checked in bulk
        for record in items:
            for name, ref_kinds in refs:
                value = record.get(name)
                targets = value if type(value) is list else (value,)
                for target in targets:
                    if target is None or any(target in ids[k] for k in ref_kinds):
                        continue
                    known = sorted(i for k in ref_kinds for i in ids[k])
                    hint = _suggest(target, known) or (
                        f" (known: {', '.join(known[:8])})" if known else ""
                    )
                    file, line = locate(kind, record["id"], name)
                    problems.append(
                        Problem(
                            file,
                            line,
                            f"{kind}[id={record['id']}].{name}",
                            f"no {' or '.join(ref_kinds)} record has id {target!r}{hint}",
                        )
                    )
    return problems
