"""Checking the records of a fact file against their kinds, saying exactly what is wrong.

Runs only when a fact file is parsed (a cached lookup never imports it): once per
record of every file. Each field's check is built once from its declaration in the
registry (type, bounds, choices, long text); a valid record runs each check once and
stops there, a record with a problem runs the same checks again, in the fields' order,
for the messages.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .facts import SCHEMA_VERSION
from .problems import Problem
from .registry import MAX_FIGURE, MAX_TEXT, QUALIFIERS, Field, Kind, kind_of, kinds
from .validation import (
    MAX_PROBLEMS,
    check_depth,
    describe,
    line_map,
    line_of,
    more_problems,
    show_key,
    show_number,
    show_text,
    suggest,
    unsafe_character,
)

_TYPE_WORDS = {
    "str": "a string",
    "int": "a whole number",
    "number": "a number",
    "strlist": "a list of strings",
    "spans": "a list of { start, end, sha256 } tables",
}


_MISSING = object()
Check = Callable[[Any], "str | None"]  # what is wrong with a value of a field, or None


def validate_record(kind: str, record: Any, *, hints: bool = True) -> list[tuple[str, str]]:
    """Problems in one record, as (field, message); field '' is the record itself. A field
    is named as the record has it: pass it through show_key before showing it.

    This runs once per record of every fact file parsed (100,000 times for a large
    file): a valid record runs each field's check once, in the record's order, and the
    rules that tie fields together. HINTS False spares the "did you mean" search, for
    problems that will only be counted.
    """
    if type(record) is not dict:
        return [("", f"each {kind} entry must be a table, not {describe(record)}")]
    return _check(_plan(kind), record, hints)


def _check(plan: _Plan, record: dict[str, Any], hints: bool) -> list[tuple[str, str]]:
    checks, passed = plan.checks, plan.passed
    for name, value in record.items():
        if type(value) is str and value in passed.get(name, ()):
            continue  # a text this field's check accepted before
        check = checks.get(name)
        if check is None or check(value) is not None:
            break
        if type(value) is str and len(passed[name]) < _REMEMBERED:
            passed[name].add(value)
    else:
        if plan.required <= record.keys():
            return _rules(plan, record)
    return _problems(plan, record, hints=hints)


def _problems(plan: _Plan, record: dict[str, Any], *, hints: bool) -> list[tuple[str, str]]:
    """Every problem of RECORD, in order: unknown keys, then each field, then the rules."""
    name_of = plan.kind.name
    found: list[tuple[str, str]] = []
    for key in record:
        if key in plan.checks:
            continue
        unsafe = unsafe_character(key)
        if unsafe:
            found.append((key, f"a key that {unsafe}; no field has such a name"))
        else:
            fields = list(plan.checks)
            hint = suggest(key, fields) if hints and len(found) < MAX_PROBLEMS else ""
            found.append((key, f"unknown field for {name_of}{hint}"))
    for field in plan.kind.fields:
        value = record.get(field.name, _MISSING)
        if value is _MISSING:
            if field.required:
                found.append((field.name, f"missing required field ({_TYPE_WORDS[field.type]})"))
            continue
        problem = plan.checks[field.name](value)
        if problem:
            found.append((field.name, problem))
    found.extend(_rules(plan, record))
    return found


class _Plan:
    """A kind's checks, built from the registry on its first validation: a check for each
    field, the names a record must give, and the pairs of a figure and its qualifier."""

    __slots__ = ("checks", "figures", "kind", "paired", "passed", "required")

    def __init__(self, kind: Kind) -> None:
        self.kind, self.figures = kind, kind.figures
        self.checks: dict[str, Check] = {f.name: _checker(f) for f in kind.fields}
        # Texts each field's check accepted (a country, a unit, a source id recur in every
        # record): checked once, each. At most _REMEMBERED per field.
        self.passed: dict[str, set[str]] = {f.name: set() for f in kind.fields}
        self.required = frozenset(f.name for f in kind.fields if f.required)
        self.paired = [(f.qualifier, f.name) for f in kind.fields if f.qualifier]


_REMEMBERED = 1000
_PLANS: dict[str, _Plan] = {}  # filled on first validation: a cached load needs none


def _plan(kind: str) -> _Plan:
    declared = kind_of(kind)
    plan = _PLANS.get(kind)
    if plan is None or plan.kind is not declared:
        plan = _PLANS[kind] = _Plan(declared)
    return plan


def _checker(field: Field) -> Check:
    """The check of FIELD's values: its type, then what the type allows."""
    if field.type == "str":
        return _text_checker(field)
    if field.type == "strlist":
        return _check_strlist
    if field.type == "spans":
        return _check_evidence
    return _number_checker(field)


def _text_checker(field: Field) -> Check:
    long_text, required = field.long_text, field.required
    choices = frozenset(field.choices)
    expected = ", ".join(field.choices)

    def check(value: Any) -> str | None:
        if type(value) is not str:
            return check_depth(value) or f"expected a string, got {describe(value)}"
        if value in choices:
            return None
        if len(value) > MAX_TEXT:
            return f"text longer than {MAX_TEXT:,} characters"
        if not value.isprintable():
            unsafe = unsafe_character(value, long_text=long_text)
            if unsafe:
                return unsafe
        if required and not value.strip():
            return "must not be empty"
        if choices:
            return f"unknown value {show_text(value)}; expected one of: {expected}"
        return None

    return check


def _number_checker(field: Field) -> Check:
    """Whole numbers for "int", any finite number for "number", within the field's
    bounds, or within MAX_FIGURE: no real figure comes near it."""
    whole = field.type == "int"
    low, high = field.bounds or (-MAX_FIGURE, MAX_FIGURE)
    outside = field.bounds_message

    def check(value: Any) -> str | None:
        vtype = type(value)
        if vtype is int or (vtype is float and not whole):
            if low <= value <= high:  # nan fails too
                return None
            if value != value or value in (math.inf, -math.inf):
                return "must be a finite number, not nan or inf"
            if abs(value) > MAX_FIGURE:
                return f"{show_number(value)} is too large for any real figure"
            return f"{show_number(value)} {outside}"
        return check_depth(value) or f"expected {_TYPE_WORDS[field.type]}, got {describe(value)}"

    return check


def _check_strlist(value: Any) -> str | None:
    if type(value) is list and all(
        type(v) is str and v.isprintable() and len(v) <= MAX_TEXT for v in value
    ):
        return None
    problem = check_depth(value)
    if problem:
        return problem
    if type(value) is not list or any(type(v) is not str for v in value):
        return f"expected a list of strings, got {describe(value)}"
    for i, item in enumerate(value, 1):
        if len(item) > MAX_TEXT:
            return f"item {i} is longer than {MAX_TEXT:,} characters"
        unsafe = unsafe_character(item)
        if unsafe:
            return f"item {i} {unsafe}"
    return None


def _check_evidence(value: Any) -> str | None:
    problem = _check_spans(value)
    return problem and (check_depth(value) or problem)


def _check_spans(value: Any) -> str | None:
    """What is wrong with VALUE as evidence spans, or None: a list of spans, each as
    domain/spans.py's span_problem says (the evidence code owns the span's shape)."""
    from .spans import span_problem

    if type(value) is not list:
        return f"expected {_TYPE_WORDS['spans']}, got {describe(value)}"
    for i, span in enumerate(value):
        problem = span_problem(span)
        if problem:
            return f"span {i + 1}: {problem}"
    return None


_ID_FIRST = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_ID_CHARS = _ID_FIRST | frozenset("._-")


def _rules(plan: _Plan, r: dict[str, Any]) -> list[tuple[str, str]]:
    """Rules that tie fields together; each runs only on fields of the right type."""
    out: list[tuple[str, str]] = []
    rid = r.get("id")
    if (
        type(rid) is str
        and rid
        and not (len(rid) <= 100 and rid[0] in _ID_FIRST and _ID_CHARS.issuperset(rid))
        and not unsafe_character(rid)
    ):
        out.append(("id", "ids use lower case letters, digits, '-', '.' or '_' (100 at most)"))
    inferred = r.get("inferred")
    if type(inferred) is list:
        for name in inferred:
            if type(name) is str and name not in plan.checks:
                out.append(("inferred", f"names no field of {plan.kind.name}: {show_text(name)}"))
    if plan.figures:
        value = r.get("value")
        if not (  # the common case, checked here at once: one figure, in bounds
            (type(value) is int or type(value) is float)
            and 0 <= value <= MAX_FIGURE
            and r.get("unit") != "percent"
            and r.get("qualifier") != "range"
            and "low" not in r
            and "high" not in r
        ):
            out.extend(_figure_rules(r))
    for qualifier, name in plan.paired:
        if qualifier in r and name not in r:
            out.append((qualifier, f"given without {name}"))
    if plan.kind.rules is not None:  # the kind's own: it reads fields of any type safely
        out.extend(plan.kind.rules(r))
    return out


def _num(r: dict[str, Any], name: str) -> float | None:
    """R's field NAME when it is a number (int or float, not bool) within MAX_FIGURE, else
    None (nan, inf and huge ints too: they are told as such by the field's check)."""
    v: Any = r.get(name)
    return v if type(v) in (int, float) and -MAX_FIGURE <= v <= MAX_FIGURE else None


def _figure_rules(r: dict[str, Any]) -> list[tuple[str, str]]:
    """A figure is a value, or with qualifier "range" a low and a high; never negative,
    and a share in per cent within 0-100."""
    qualifier, value = r.get("qualifier"), _num(r, "value")
    most = 100 if r.get("unit") == "percent" else MAX_FIGURE
    one = qualifier != "range" and "low" not in r and "high" not in r
    if one and value is not None and 0 <= value <= most:
        return []  # the common case: one figure, in bounds
    out: list[tuple[str, str]] = []
    low, high = _num(r, "low"), _num(r, "high")
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
        out.append(("low", f"low ({show_number(low)}) is greater than high ({show_number(high)})"))
    if most == 100:
        for name, v in (("value", value), ("low", low), ("high", high)):
            if v is not None and not 0 <= v <= 100:
                out.append((name, f"{show_number(v)} is outside 0-100 per cent"))
    for name, v in (("value", value), ("low", low), ("high", high)):
        if v is not None and v < 0:
            out.append((name, "must not be negative"))
    return out


def upgrade(doc: dict[str, Any], version: int) -> dict[str, Any]:
    """A document of schema VERSION read as the current one: the fields each kind renamed
    since (Kind.renamed) get their new names, where the record does not give the new
    one too. Anything else is left for validation to judge; DOC itself is not changed."""
    out = doc
    for kind in kinds().values():
        renames = {
            old: new
            for since, names in sorted(kind.renamed.items())
            if since >= version
            for old, new in names.items()
        }
        records = doc.get(kind.name)
        if not renames or type(records) is not list:
            continue
        upgraded = [
            {renames.get(k, k) if renames.get(k, k) not in r else k: v for k, v in r.items()}
            if type(r) is dict
            else r
            for r in records
        ]
        out = {**out, kind.name: upgraded}
    return out


def upgrade_v1(doc: dict[str, Any]) -> dict[str, Any]:
    """A schema-1 document read as schema 2 (see upgrade)."""
    return upgrade(doc, 1)


def validate_document(
    doc: dict[str, Any], file: str, text: str
) -> tuple[dict[str, list[dict[str, Any]]], list[Problem]]:
    """Check one parsed fact file on its own (references are checked after merging).

    Returns the valid records by kind, and the problems: the first MAX_PROBLEMS, then
    one that counts the rest. Line numbers are looked up in TEXT only when there is a
    problem to point at: a valid file costs no scan.
    """
    found: list[tuple[tuple[Any, ...], str, str]] = []  # (where in the file, key path, message)

    version = doc.get("schema_version")
    version = version if type(version) is int else None
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
                f"the file uses schema {show_number(version)} but this cgcli reads only up to "
                f"{SCHEMA_VERSION}; upgrade cgcli (pip install -U cover-glass-cli)",
            )
        )
    elif version < 1:
        message = f"{show_number(version)} is not a schema version"
        found.append((("schema_version",), "schema_version", message))
    elif version < SCHEMA_VERSION:
        doc = upgrade(doc, version)

    records: dict[str, list[dict[str, Any]]] = {}
    known = kinds()
    for key, value in doc.items():
        if key == "schema_version":
            continue
        if key not in known:
            unsafe = unsafe_character(key)
            if unsafe:
                message = f"a key that {unsafe}; no kind of record has such a name"
            else:
                hint = suggest(key, list(known)) if len(found) < MAX_PROBLEMS else ""
                message = f"unknown kind of record{hint}"
            found.append(((key,), show_key(key), message))
            continue
        if type(value) is not list:
            message = f"must be an array of tables ([[{key}]]), not {describe(value)}"
            found.append(((key,), key, message))
            continue
        seen: dict[str, int] = {}
        good: list[dict[str, Any]] = []
        plan = _plan(key)
        for i, record in enumerate(value):
            if type(record) is dict:
                wrong = _check(plan, record, len(found) < MAX_PROBLEMS)
            else:
                wrong = validate_record(key, record)
            if wrong:
                for name, message in wrong:
                    path = f"{key}[{i}].{show_key(name)}" if name else f"{key}[{i}]"
                    found.append(((key, i, name) if name else (key, i), path, message))
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
        Problem(file, line_of(lines, *where) if where else 1, path, message)
        for where, path, message in found[:MAX_PROBLEMS]
    ]
    if len(found) > MAX_PROBLEMS:
        problems.append(more_problems(file, text.count("\n") + 1, len(found) - MAX_PROBLEMS))
    return records, problems
