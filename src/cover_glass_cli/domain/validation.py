"""Validation of fact files against the schema, saying exactly what is wrong and where.

Runs only when a fact file is parsed (a cached lookup never imports it): once per
record of every file, so the common case, a valid record, takes a fast path.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from operator import itemgetter
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
from .unsafe import BIDI, CONTROLS, NONCHARACTERS, SURROGATES, char_class, range_class

_TYPE_WORDS = {
    "str": "a string",
    "int": "a whole number",
    "number": "a number",
    "strlist": "a list of strings",
    "spans": "a list of { start, end, sha256 } tables",
}


# Fields of several sentences, where a newline or a tab may belong; every other text
# (names, ids, titles, list items, keys) is one line.
LONG_TEXT = frozenset({"business", "note", "statement", "summary"})

MAX_PROBLEMS = 100  # problems told per file (and for references): then "... and N more"
MAX_HINTED = 10_000  # ids compared with an unknown one, for "did you mean"
MAX_DEPTH = 16  # lists and tables inside each other in one value
MAX_RANK = 1_000_000
MAX_GOAL_YEARS = 100


# --- characters no fact needs ----------------------------------------------------------
#
# They can drive a terminal (ESC, C1 CSI), reorder what a reader sees (bidi overrides and
# isolates), break other programs (NUL, noncharacters, lone surrogates), or hide a line
# break in a one-line field. Refused in every string, list item, id and key, so that no
# output format and no completion value can ever carry one. (Written as regular-expression
# escapes in raw strings, so that this file holds no such character.)
_CONTROLS = char_class(CONTROLS)  # the one table: domain/unsafe.py
_BIDI = char_class(BIDI)
_NONCHARACTERS = range_class(NONCHARACTERS)
_SURROGATES = range_class([SURROGATES])
_UNSAFE: list[re.Pattern[str]] = []  # [one-line fields, long-text fields], compiled on first use

# The abbreviations of the C0 and C1 control characters (ISO 6429), for messages.
_C0_C1 = (
    "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI "
    "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US "
    "PAD HOP BPH NBH IND NEL SSA ESA HTS HTJ VTS PLD PLU RI SS2 SS3 "
    "DCS PU1 PU2 STS CCH MW SPA EPA SOS SGCI SCI CSI ST OSC PM APC"
)
_CONTROL_NAMES = _C0_C1.split()  # C0 at 0-31, C1 at 32-63


def _unsafe_patterns() -> list[re.Pattern[str]]:
    if not _UNSAFE:
        chars = _CONTROLS + _BIDI + _NONCHARACTERS + _SURROGATES
        _UNSAFE.extend((re.compile(rf"[\t\n{chars}]"), re.compile(f"[{chars}]")))
    return _UNSAFE


def char_name(char: str) -> str:
    """'U+001B ESC', 'U+202E RIGHT-TO-LEFT OVERRIDE', 'U+FFFE noncharacter' ..."""
    import unicodedata  # only on the error path

    code = ord(char)
    if code < 0x20:
        name = _CONTROL_NAMES[code]
    elif code == 0x7F:
        name = "DEL"
    elif 0x80 <= code < 0xA0:
        name = _CONTROL_NAMES[code - 0x80 + 32]
    elif 0xD800 <= code <= 0xDFFF:
        name = "lone surrogate"
    elif 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        name = "noncharacter"
    else:
        name = unicodedata.name(char, "")
    return f"U+{code:04X} {name}".rstrip()


def unsafe_character(text: str, *, long_text: bool = False) -> str | None:
    """What is wrong with TEXT's characters, or None: 'contains U+001B ESC at character 3'.

    LONG_TEXT allows newline and tab (as in a note). Fast on the common case: text that
    str.isprintable() accepts has none of the characters refused."""
    if text.isprintable():
        return None
    found = _unsafe_patterns()[long_text].search(text)
    if found is None:
        return None
    return f"contains {char_name(found.group())} at character {found.start() + 1}"


def show_key(key: str) -> str:
    """KEY for a key path in a message: each refused character written as an escape
    (\\x1b, \\u202e), so that a message never carries one."""
    if key.isprintable():
        return key
    return _unsafe_patterns()[0].sub(lambda m: _escape(m.group()), key)


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def show_number(value: float) -> str:
    """VALUE for a message, whatever its size: never OverflowError or a thousand digits.

    2023 -> '2023'; 1 followed by 400 zeros -> '1000000000… (401 digits)'."""
    if type(value) is not int:
        return f"{value:.6g}"
    sign = "-" if value < 0 else ""
    try:
        digits = str(abs(value))
    except ValueError:  # past Python's limit on converting ints to text
        about = int(abs(value).bit_length() * 0.30103) + 1
        return f"{sign}a number of about {about:,} digits"
    if len(digits) <= 15:
        return sign + digits
    return f"{sign}{digits[:10]}… ({len(digits):,} digits)"


def show_text(text: str, limit: int = 60) -> str:
    """TEXT quoted for a message, as repr writes it (controls escaped), cut at LIMIT
    characters: a 10,000-character value must not make a 10,000-character message."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text):,} characters)"


def check_depth(value: Any, limit: int = MAX_DEPTH) -> str | None:
    """None if VALUE nests lists and tables (dicts) at most LIMIT deep, else the message.

    Iterative, so that any depth is safe to check (a recursive walk, tomli_w's dump or
    repr would raise RecursionError 1,000 deep); a list of strings is 1 deep."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if type(item) is list or type(item) is dict:
            if depth >= limit:
                return f"lists or tables nested more than {limit} deep"
            children = item.values() if type(item) is dict else item
            stack.extend((child, depth + 1) for child in children)
    return None


# --- where things are in the text -------------------------------------------

_HEADER = r"^\s*\[\[\s*([A-Za-z0-9_-]+)\s*\]\]"
_TABLE = r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]"
_KEY = r"""^\s*([A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')\s*="""


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
            where.setdefault((*current, _key_name(m.group(1))), number)
        for quote in ('"""', "'''"):
            if line.count(quote) % 2:
                in_multiline = quote
                break
    return where


def _key_name(written: str) -> str:
    """A key as written (bare, or quoted with escapes) to the key itself, read by tomllib:
    quoted keys are rare, and this runs only to point at a problem."""
    if written[0] not in "\"'":
        return written
    import tomllib

    try:
        return next(iter(tomllib.loads(f"{written} = 0")))
    except tomllib.TOMLDecodeError:
        return written


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


def validate_record(kind: str, record: Any, *, hints: bool = True) -> list[tuple[str, str]]:
    """Problems in one record, as (field, message); field '' is the record itself. A field
    is named as the record has it: pass it through show_key before showing it.

    Written for speed on the common case, a valid record: this runs once per record
    of every fact file parsed (100,000 times for a large file). HINTS False spares the
    "did you mean" search, for problems that will only be counted.
    """
    if type(record) is not dict:
        return [("", f"each {kind} entry must be a table, not {_describe(record)}")]
    if _plainly_valid(kind, record):
        return []
    return _full_check(kind, record, hints=hints)


def _full_check(kind: str, record: dict[str, Any], *, hints: bool = True) -> list[tuple[str, str]]:
    """Every check on one record, with its message (the slow path of validate_record)."""
    fields = FIELD_MAP[kind]
    found: list[tuple[str, str]] = []
    for key in record:
        if key in fields:
            continue
        unsafe = unsafe_character(key)
        if unsafe:
            found.append((key, f"a key that {unsafe}; no field has such a name"))
        else:
            hint = _suggest(key, list(fields)) if hints and len(found) < MAX_PROBLEMS else ""
            found.append((key, f"unknown field for {kind}{hint}"))
    for field in KINDS[kind]:
        name = field.name
        value = record.get(name, _MISSING)
        if value is _MISSING:
            if field.required:
                found.append((name, f"missing required field ({_TYPE_WORDS[field.type]})"))
            continue
        problem = check_depth(value) or _check_value(field, value)
        if problem:
            found.append((name, problem))
        elif field.choices and value not in field.choices:
            found.append(
                (
                    name,
                    f"unknown value {show_text(value)}; expected one of: {', '.join(field.choices)}",
                )
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
            return f"text longer than {MAX_TEXT:,} characters"
        unsafe = unsafe_character(value, long_text=field.name in LONG_TEXT)
        if unsafe:
            return unsafe
        if field.required and not value.strip():
            return "must not be empty"
        return None
    if ftype == "spans":
        return _check_spans(value)
    if ftype == "strlist":
        if vtype is not list or any(type(v) is not str for v in value):
            return f"expected a list of strings, got {_describe(value)}"
        for i, item in enumerate(value, 1):
            if len(item) > MAX_TEXT:
                return f"item {i} is longer than {MAX_TEXT:,} characters"
            unsafe = unsafe_character(item)
            if unsafe:
                return f"item {i} {unsafe}"
        return None
    if vtype is int:  # not bool: type(True) is bool
        too_large = abs(value) > MAX_FIGURE
        return f"{show_number(value)} is too large for any real figure" if too_large else None
    if vtype is float and ftype == "number":
        if value != value or value in (math.inf, -math.inf):
            return "must be a finite number, not nan or inf"
        too_large = abs(value) > MAX_FIGURE
        return f"{show_number(value)} is too large for any real figure" if too_large else None
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

    types: "s" string, "c" string with choices, "l" list of strings, "i" whole number,
    "n" number, "e" spans;
    bounds: the values a number may take; choices: the values a string may take."""

    __slots__ = ("bounds", "choices", "figure", "names", "required", "types")

    def __init__(self, fields: tuple[Field, ...], figure: bool) -> None:
        codes = {"str": "s", "strlist": "l", "int": "i", "number": "n", "spans": "e"}
        self.names = frozenset(f.name for f in fields)
        self.required = frozenset(f.name for f in fields if f.required)
        self.types = {f.name: "c" if f.choices else codes[f.type] for f in fields}
        self.bounds = {
            f.name: _BOUNDS.get(f.name, (-MAX_FIGURE, MAX_FIGURE))
            for f in fields
            if f.type in ("int", "number")
        }
        self.choices = {f.name: frozenset(f.choices) for f in fields if f.choices}
        self.figure = figure


# The values whole-number fields may take (any other number: within MAX_FIGURE).
_BOUNDS = {
    "position": (1, MAX_RANK),
    "goal_years": (1, MAX_GOAL_YEARS),
    "fy": (1950, 2100),
    "quarter": (1, 4),
    "founded": (1000, 2100),
}
_PLANS: dict[str, _Plan] = {}  # filled on first validation: a cached load needs none


def _plan(kind: str) -> _Plan:
    if kind not in _PLANS:
        _PLANS[kind] = _Plan(KINDS[kind], kind in ("exports", "value_addition"))
    return _PLANS[kind]


def _plainly_valid(kind: str, r: dict[str, Any]) -> bool:
    """True only if R passes every check of validate_record: the fast path for the
    common case. Anything unusual (a range, an empty string, a float where a whole
    number belongs ...) returns False and gets the full checks and their messages."""
    plan = _plan(kind)
    if not (r.keys() >= plan.required and plan.names.issuperset(r)):
        return False
    types, bounds, choices = plan.types, plan.bounds, plan.choices
    for name, value in r.items():
        vtype, want = type(value), types[name]
        if vtype is str:
            if want == "c":  # one of the field's choices, each a plain short text
                if value not in choices[name]:
                    return False
            elif (
                want != "s"
                or not 0 < len(value) <= MAX_TEXT
                or value.isspace()
                or (
                    not value.isprintable() and unsafe_character(value, long_text=name in LONG_TEXT)
                )
            ):
                return False
        elif vtype is int or vtype is float:
            if want != "n" and (want != "i" or vtype is float):  # floats only for numbers
                return False
            low, high = bounds[name]
            if not low <= value <= high:  # nan fails too
                return False
        elif vtype is list:
            if want == "e":
                if _check_spans(value):
                    return False
            elif want != "l" or any(type(v) is not str or not v.isprintable() for v in value):
                return False  # a list item with a space other than " " takes the full checks
        else:
            return False
    rid = r["id"]  # as _bad_id, inline: this runs once per record
    if not (len(rid) <= 100 and rid[0] in _ID_FIRST and _ID_CHARS.issuperset(rid)):
        return False
    if "inferred" in r and not plan.names.issuperset(r["inferred"]):
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


def _plainly_valid_array(kind: str, records: list[Any]) -> bool:
    """Whether every record passes _plainly_valid and no id is used twice."""
    if not all(type(r) is dict and _plainly_valid(kind, r) for r in records):
        return False
    return len({r["id"] for r in records}) == len(records)


_ID_FIRST = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_ID_CHARS = _ID_FIRST | frozenset("._-")


def _bad_id(rid: str) -> bool:
    return not (len(rid) <= 100 and rid[0] in _ID_FIRST and _ID_CHARS.issuperset(rid))


def _record_rules(kind: str, r: dict[str, Any]) -> list[tuple[str, str]]:
    """Rules that tie fields together; each runs only on fields of the right type."""
    out: list[tuple[str, str]] = []
    rid = r.get("id")
    if type(rid) is str and rid and _bad_id(rid) and not unsafe_character(rid):
        out.append(("id", "ids use lower case letters, digits, '-', '.' or '_' (100 at most)"))
    inferred = r.get("inferred")
    if isinstance(inferred, list):
        for name in inferred:
            if isinstance(name, str) and name not in FIELD_MAP[kind]:
                out.append(("inferred", f"names no field of {kind}: {show_text(name)}"))
    fy = _int(r.get("fy"))
    if fy is not None and not 1950 <= fy <= 2100:
        out.append(("fy", f"{show_number(fy)} is not a plausible fiscal year (1950-2100)"))
    quarter = _int(r.get("quarter"))
    if quarter is not None and not 1 <= quarter <= 4:
        out.append(("quarter", f"{show_number(quarter)} is not a quarter; use 1 to 4"))
    founded = _int(r.get("founded"))
    if founded is not None and not 1000 <= founded <= 2100:
        out.append(("founded", f"{show_number(founded)} is not a plausible year"))
    rank = _int(r.get("position"))
    if rank is not None and not 1 <= rank <= MAX_RANK:
        out.append(("position", f"{show_number(rank)} is not a position; use 1 to {MAX_RANK:,}"))
    goal_years = _int(r.get("goal_years"))
    if goal_years is not None and not 1 <= goal_years <= MAX_GOAL_YEARS:
        message = f"{show_number(goal_years)} is not a number of years; use 1 to {MAX_GOAL_YEARS}"
        out.append(("goal_years", message))
    if kind in ("exports", "value_addition"):
        out.extend(_figure_rules(r))
    return out


def _num(r: dict[str, Any], name: str) -> float | None:
    """R's field NAME when it is a number (int or float, not bool) within MAX_FIGURE, else
    None (nan, inf and huge ints too: they are told as such by _check_value)."""
    v: Any = r.get(name)
    return v if type(v) in (int, float) and -MAX_FIGURE <= v <= MAX_FIGURE else None


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
        out.append(("low", f"low ({show_number(low)}) is greater than high ({show_number(high)})"))
    if r.get("unit") == "percent":
        for name, v in (("value", value), ("low", low), ("high", high)):
            if v is not None and not 0 <= v <= 100:
                out.append((name, f"{show_number(v)} is outside 0-100 per cent"))
    for name in ("value", "low", "high"):
        v = _num(r, name)
        if v is not None and v < 0:
            out.append((name, "must not be negative"))
    if "growth_qualifier" in r and "growth_pct" not in r:
        out.append(("growth_qualifier", "given without growth_pct"))
    return out


def upgrade_v1(doc: dict[str, Any]) -> dict[str, Any]:
    """A schema-1 document read as schema 2: each market_facts table's `rank` (its ranking
    position, a whole number in schema 1) becomes `position`, since schema 2 gives `rank`
    to every kind as the claim's rank. Anything else is left for validation to judge.
    The one place schema 1 is translated; DOC itself is not changed."""
    facts = doc.get("market_facts")
    if type(facts) is not list:
        return doc
    upgraded = [
        {("position" if k == "rank" else k): v for k, v in r.items()}
        if type(r) is dict and "rank" in r and "position" not in r
        else r
        for r in facts
    ]
    return {**doc, "market_facts": upgraded}


def validate_document(
    doc: dict[str, Any], file: str, text: str
) -> tuple[dict[str, list[dict[str, Any]]], list[Problem]]:
    """Check one parsed fact file on its own (references are checked after merging).

    Returns the valid records by kind, and the problems: the first MAX_PROBLEMS, then
    one that counts the rest. Line numbers are looked up in TEXT only when there is a
    problem to point at: a valid file costs no scan.
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
                f"the file uses schema {show_number(version)} but this cgcli reads only up to "
                f"{SCHEMA_VERSION}; upgrade cgcli (pip install -U cover-glass-cli)",
            )
        )
    elif version < 1:
        message = f"{show_number(version)} is not a schema version"
        found.append((("schema_version",), "schema_version", message))
    elif version == 1:
        doc = upgrade_v1(doc)

    records: dict[str, list[dict[str, Any]]] = {}
    for key, value in doc.items():
        if key == "schema_version":
            continue
        if key not in KINDS:
            unsafe = unsafe_character(key)
            if unsafe:
                message = f"a key that {unsafe}; no kind of record has such a name"
            else:
                hint = _suggest(key, list(KINDS)) if len(found) < MAX_PROBLEMS else ""
                message = f"unknown kind of record{hint}"
            found.append(((key,), show_key(key), message))
            continue
        if type(value) is not list:
            message = f"must be an array of tables ([[{key}]]), not {_describe(value)}"
            found.append(((key,), key, message))
            continue
        if _plainly_valid_array(key, value):  # the common case: checked without a message
            records[key] = list(value)
            continue
        seen: dict[str, int] = {}
        good: list[dict[str, Any]] = []
        for i, record in enumerate(value):
            if type(record) is not dict or not _plainly_valid(key, record):  # as validate_record
                wrong = validate_record(key, record, hints=len(found) < MAX_PROBLEMS)
                for name, message in wrong:
                    path = f"{key}[{i}].{show_key(name)}" if name else f"{key}[{i}]"
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
        for where, path, message in found[:MAX_PROBLEMS]
    ]
    if len(found) > MAX_PROBLEMS:
        problems.append(_more(file, text.count("\n") + 1, len(found) - MAX_PROBLEMS))
    return records, problems


def _more(file: str, line: int | None, count: int) -> Problem:
    """The last problem told: how many more there are (the line sorts it last)."""
    return Problem(file, line, "", f"… and {count:,} more problem{'s' * (count != 1)}")


def _all_known(records: list[dict[str, Any]], name: str, known: set[str]) -> bool:
    """Whether every id that RECORDS name in field NAME is in KNOWN (set operations in C)."""
    values = [record.get(name) for record in records]
    types = set(map(type, values))
    if not types <= {str, list, type(None)}:
        return False
    named = set(values) if list not in types else set()
    if list in types:
        for v in values:
            named.update(v if type(v) is list else (v,))
    named.discard(None)
    return named <= known


# Where a record of the merged data is: its file, and its index in that file's array.
Locate = Callable[[str, str, str], tuple[str, int | None]]


def check_references(records: dict[str, list[dict[str, Any]]], locate: Locate) -> list[Problem]:
    """Every id named in a reference field must exist in the merged data.

    LOCATE(kind, id, field) gives the file and line of a field, for the messages. The
    first MAX_PROBLEMS are told, then one that counts the rest; "did you mean" is looked
    for only in the first few and among at most MAX_HINTED ids, as it costs a comparison
    with each.
    """
    targets = {k for fields in KINDS.values() for f in fields if f.ref for k in f.ref}
    ids = {kind: set(map(itemgetter("id"), records.get(kind, []))) for kind in targets}
    problems: list[Problem] = []
    more = 0
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
        for (name, ref_kinds), known in zip(refs, known_ids, strict=True):
            listed: list[str] | None = None  # sorted on the first problem only
            for record in items:
                value = record.get(name)
                for target in value if type(value) is list else (value,):
                    if target is None or target in known:
                        continue
                    if len(problems) >= MAX_PROBLEMS:
                        more += 1
                        continue
                    listed = sorted(known) if listed is None else listed
                    hinted = len(problems) < 10 and len(listed) <= MAX_HINTED
                    hint = (_suggest(target, listed) if hinted else "") or (
                        f" (known: {', '.join(listed[:8])})" if listed else ""
                    )
                    file, line = locate(kind, record["id"], name)
                    problems.append(
                        Problem(
                            file,
                            line,
                            f"{kind}[id={record['id']}].{name}",
                            f"no {' or '.join(ref_kinds)} record has id {show_text(target)}{hint}",
                        )
                    )
    if more:
        last = max(problems, key=Problem.sort_key)
        problems.append(_more(last.file, (last.line or 0) + 1, more))
    return problems
