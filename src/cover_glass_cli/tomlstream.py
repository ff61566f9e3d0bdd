"""Fact-file TOML read a record at a time: the plain lines here, everything else by tomllib.

A fact file is a preamble (schema_version, comments) and blocks, each opened by an
`[[kind]]` header. Most lines are plain: blank, a comment, or `key = value` with a bare
key and, as value, a string without escapes, a decimal integer or float, or a boolean.
Those are parsed here, three to four times faster than tomllib. A block holding any other
line (an array, an escape, a sub-table, odd spacing ...) goes to tomllib, in one call
with the other such blocks next to it.

`records()` never holds more than a batch of blocks, so a large file is read in
bounded memory. Whenever reading block by block could give a different answer from
reading the whole document (a header inside a multi-line string, a table extended
across blocks, a key both in the preamble and as a header ...), it raises NotPlain:
then the caller parses the whole text with tomllib, which gives the answer or the error
with its line. tests/test_tomlstream.py checks this against tomllib on random documents.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_SLOW = object()  # a value this module leaves to tomllib
_BATCH_LINES = 20_000  # lines of slow blocks sent to tomllib in one call, at most


class NotPlain(Exception):
    """Reading the text block by block cannot vouch for the result: parse it whole."""


def _value(text: str) -> Any:
    """The value of a plain TOML value TEXT, or _SLOW."""
    first = text[:1]
    if first == '"':
        inner = text[1:-1]
        if (
            len(text) > 1
            and text[-1] == '"'
            and '"' not in inner
            and "\\" not in inner
            and inner.isprintable()  # no control characters; odd spaces are left to tomllib
        ):
            return inner
        return _SLOW
    if text == "true":
        return True
    if text == "false":
        return False
    whole, dot, fraction = (text[1:] if first == "-" else text).partition(".")
    if not (whole.isdigit() and whole.isascii()) or (len(whole) > 1 and whole[0] == "0"):
        return _SLOW  # not decimal digits, or a leading zero (TOML forbids them)
    if not dot:
        return int(text) if len(whole) <= 18 else _SLOW  # tomllib judges huge ones
    if fraction.isdigit() and fraction.isascii():
        return float(text)
    return _SLOW


def _header(line: str) -> str | None:
    """KIND when LINE is exactly `[[kind]]` with a bare key."""
    if line[:2] == "[[" and line[-2:] == "]]":
        kind = line[2:-2]
        if kind and _BARE.issuperset(kind):
            return kind
    return None


def _without_cr(raws: list[str], unterminated: bool) -> list[str]:
    """RAWS with each CRLF's CR removed; a last line with no newline after it that holds
    a CR is made not plain (a CR alone is not a TOML line end)."""
    plains = [raw[:-1] if raw[-1:] == "\r" else raw for raw in raws]
    if unterminated and "\r" in raws[-1]:
        plains[-1] = "\r"
    return plains


class _Batch:
    """Consecutive blocks that need tomllib: their text, and the kind each header names."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.kinds: list[str] = []

    def add(self, kind: str, lines: list[str]) -> None:
        self.kinds.append(kind)
        self.lines.extend(lines)

    def parse(self, newline: bool = True) -> Iterator[tuple[str, dict[str, Any]]]:
        """The blocks' records in order, or NotPlain when tomllib reads them otherwise.
        NEWLINE: whether a line end followed the last line."""
        doc = _parse(self.lines, newline)
        counts: dict[str, int] = {}
        for kind in self.kinds:
            counts[kind] = counts.get(kind, 0) + 1
        if doc.keys() != counts.keys() or any(
            type(doc[kind]) is not list or len(doc[kind]) != n for kind, n in counts.items()
        ):
            raise NotPlain  # a header or table the line scan did not see
        taken = dict.fromkeys(counts, 0)
        for kind in self.kinds:
            yield kind, doc[kind][taken[kind]]
            taken[kind] += 1
        self.lines, self.kinds = [], []


def records(chunks: Iterable[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The document in CHUNKS of text (split at line ends) as ('', top-level keys), then
    (kind, record) for each [[kind]] block in order. Raises NotPlain (see the module)."""
    top: dict[str, Any] = {}  # the preamble's keys, once its end is seen
    kind = ""  # the current block's kind; '' while in the preamble
    record: dict[str, Any] = {}  # the current block's keys, while it is plain
    block: list[str] = []  # the current block's raw lines, should tomllib need them
    slow = False  # the current block has a line that is not plain
    batch = _Batch()
    newline = True  # whether the text read so far ends with a line end
    for chunk in chunks:
        raws = chunk.split("\n")
        last = raws.pop()  # '' after a final line end, else a last line without one
        newline = not last
        if last:
            raws.append(last)
        plains = raws if "\r" not in chunk else _without_cr(raws, not newline)
        for raw, line in zip(raws, plains, strict=True):
            if not line:
                pass
            elif line[0] == "[":
                new_kind = _header(line)
                if new_kind is not None:
                    if not kind:
                        top = _parse(block) if slow else record
                        yield "", top
                    elif slow:
                        batch.add(kind, block)
                        if len(batch.lines) > _BATCH_LINES:
                            yield from batch.parse()
                    else:
                        if batch.kinds:
                            yield from batch.parse()
                        yield kind, record
                    if new_kind in top:
                        raise NotPlain  # a kind both as a top-level key and as [[kind]]
                    kind, record, block, slow = new_kind, {}, [raw], False
                    continue
                slow = True  # a table, an array on its own line ...
            elif line[0] == "#":
                slow = slow or not line.isprintable()  # a control character: tomllib says where
            elif not slow:
                key, eq, text = line.partition(" = ")
                value = _value(text) if eq and key and _BARE.issuperset(key) else _SLOW
                if value is _SLOW or key in record:
                    slow = True
                else:
                    record[key] = value
            block.append(raw)
    if not kind:  # no [[kind]] at all
        yield "", _parse(block, newline) if slow else record
        return
    if slow:
        batch.add(kind, block)
    if batch.kinds:
        yield from batch.parse(newline)
    if not slow:
        yield kind, record


def _parse(lines: list[str], newline: bool = True) -> dict[str, Any]:
    """LINES parsed by tomllib on their own (NEWLINE: with a line end after the last)."""
    import tomllib

    try:
        return tomllib.loads("\n".join(lines) + ("\n" if newline else ""))
    except (tomllib.TOMLDecodeError, ValueError, RecursionError):
        raise NotPlain from None


def loads(text: str) -> dict[str, Any]:
    """What tomllib.loads(TEXT) returns, faster for plain fact files; tomllib's error
    (TOMLDecodeError and the like) where the text is not TOML."""
    doc: dict[str, Any] = {}
    try:
        for kind, record in records([text]):
            if kind:
                doc.setdefault(kind, []).append(record)
            else:
                doc.update(record)
    except NotPlain:
        import tomllib

        return tomllib.loads(text)
    return doc
