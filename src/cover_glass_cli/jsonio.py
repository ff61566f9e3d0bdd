"""JSON in and out for every run, without importing the json package.

`import json` compiles six regular expressions: about 5 M instructions, a fifth of what
a cached lookup costs beyond importing click. The work itself is done by the C functions
json uses too (`_json`), so the output is byte for byte what json.dumps writes
(tests/test_jsonio.py checks it against json for any value). Where `_json` is missing
or differs (not CPython), the json package does the work instead: slower, never wrong.

Writing the cache, a large one-off job, uses json itself (its C encoder is faster there).
"""

from __future__ import annotations

import functools  # already loaded by click
from collections.abc import Callable
from typing import Any

try:
    from _json import encode_basestring, encode_basestring_ascii, make_scanner
except ImportError:  # pragma: no cover - not CPython
    from json.encoder import py_encode_basestring as encode_basestring
    from json.encoder import py_encode_basestring_ascii as encode_basestring_ascii

    make_scanner = None  # type: ignore[assignment,misc]

_INFINITY = float("inf")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number cgcli writes")


class _Options:
    """What the C scanner reads from json.JSONDecoder: json.loads's defaults, but
    NaN and Infinity refused (no figure is ever either)."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    array_hook = None  # read from Python 3.15 on
    parse_float = float
    parse_int = int
    parse_constant = staticmethod(_no_constant)


@functools.cache
def _scan() -> Callable[[str, int], tuple[Any, int]]:
    try:
        return make_scanner(_Options)  # type: ignore[arg-type]
    except Exception:  # no _json, or one that wants more than _Options gives
        import json

        return json.JSONDecoder(parse_constant=_no_constant).raw_decode


def loads(text: str) -> Any:
    """The value of the JSON document TEXT; ValueError when it is not exactly one."""
    start, end = 0, len(text)
    while start < end and text[start] in " \t\n\r":
        start += 1
    try:
        value, stop = _scan()(text, start)
    except StopIteration as e:
        raise ValueError(f"no JSON value at character {e.value}") from None
    if text[stop:].strip(" \t\n\r"):
        raise ValueError(f"extra data after the JSON value, at character {stop}")
    return value


def dumps(value: Any, *, indent: int | None = None, ensure_ascii: bool = True) -> str:
    """json.dumps(VALUE, indent=INDENT, ensure_ascii=ENSURE_ASCII, allow_nan=False), for
    what cgcli writes: dicts with string keys, lists, strings, numbers, booleans, None."""
    out: list[str] = []
    quote = encode_basestring_ascii if ensure_ascii else encode_basestring
    _encode(value, out, quote, indent, 0)
    return "".join(out)


def _encode(
    value: Any, out: list[str], quote: Callable[[str], str], indent: int | None, level: int
) -> None:
    if isinstance(value, str):
        out.append(quote(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        if value != value or value in (_INFINITY, -_INFINITY):
            raise ValueError(f"{value!r} has no JSON form")
        out.append(float.__repr__(value))
    elif isinstance(value, list | tuple | dict):
        if not value:
            out.append("{}" if isinstance(value, dict) else "[]")
            return
        if indent is None:
            inner, separator, outer = "", ", ", ""
        else:
            inner = "\n" + " " * (indent * (level + 1))
            separator, outer = "," + inner, "\n" + " " * (indent * level)
        if isinstance(value, dict):
            out.append("{" + inner)
            for i, (key, item) in enumerate(value.items()):
                if type(key) is not str:
                    raise TypeError(f"keys must be strings, not {type(key).__name__}")
                out.append((separator if i else "") + quote(key) + ": ")
                _encode(item, out, quote, indent, level + 1)
            out.append(outer + "}")
        else:
            out.append("[" + inner)
            for i, item in enumerate(value):
                if i:
                    out.append(separator)
                _encode(item, out, quote, indent, level + 1)
            out.append(outer + "]")
    else:
        raise TypeError(f"{type(value).__name__} has no JSON form")
