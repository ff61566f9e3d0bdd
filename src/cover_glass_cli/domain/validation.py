"""Validation of fact files, saying exactly what is wrong and where: the characters no
fact needs, values shown safely in messages, line numbers of keys, and the references
between records of the merged files. Each record is checked against its kind in
records.py.

Runs only when a fact file is parsed (a cached lookup never imports it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from .problems import Problem
from .registry import kinds
from .unsafe import BIDI, CONTROLS, NONCHARACTERS, SURROGATES, char_class, range_class

MAX_PROBLEMS = 100  # problems told per file (and for references): then "... and N more"
MAX_HINTED = 10_000  # ids compared with an unknown one, for "did you mean"
MAX_DEPTH = 16  # lists and tables inside each other in one value


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


def line_of(lines: dict[tuple[Any, ...], int], *key: Any) -> int | None:
    while key:
        if key in lines:
            return lines[key]
        key = key[:-1]
    return None


def suggest(word: str, options: list[str]) -> str:
    import difflib  # only on the error path

    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def describe(value: Any) -> str:
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


def more_problems(file: str, line: int | None, count: int) -> Problem:
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
    declared = {k.name: k.fields for k in kinds().values()}
    targets = {k for fields in declared.values() for f in fields if f.ref for k in f.ref}
    ids = {kind: set(map(itemgetter("id"), records.get(kind, []))) for kind in targets}
    problems: list[Problem] = []
    more = 0
    for kind, fields in declared.items():
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
                    hint = (suggest(target, listed) if hinted else "") or (
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
        problems.append(more_problems(last.file, (last.line or 0) + 1, more))
    return problems
