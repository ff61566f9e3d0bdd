"""Reading fact files: safely, then parsed, validated and merged, or every problem told.

Fact files are untrusted. Reading refuses what is not a regular file or is too
large, parsing never executes anything, and every problem comes back as a `Problem`
naming the file and line, never a traceback.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..domain.facts import Facts
from ..domain.problems import FactsError, Problem
from ..domain.records import validate_document
from ..domain.registry import kinds
from ..domain.validation import check_references, line_map
from . import Stamp, is_racy, max_bytes, stamp


def read_bytes(path: Path, stamps: list[Stamp] | None = None) -> bytes:
    """The whole file, or FactsError (see read_chunks); its Stamp appended to STAMPS."""
    import hashlib
    import time

    if str(path) == STDIN:
        return read_stdin()
    read_ns = time.time_ns()
    seen: list[os.stat_result] = []
    data = b"".join(read_chunks(path, seen=seen))
    if stamps is not None:
        st = seen[0]
        racy = is_racy(st.st_mtime_ns, st.st_ctime_ns, read_ns)
        sha256 = hashlib.sha256(data).hexdigest() if racy else None  # only racy ones need it
        stamps.append(stamp(str(path), st, sha256, read_ns))
    return data


STDIN = "-"  # a fact file read from standard input (`validate -`, `--facts -`)


def read_stdin() -> bytes:
    """Standard input, whole, within the size limit: a pipe has no stamp to cache it by."""
    import sys

    limit = max_bytes()
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise FactsError([Problem(STDIN, None, "", "standard input is closed")])
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise FactsError(
            [Problem(STDIN, None, "", f"is over the {limit:,}-byte limit (CGCLI_MAX_FACTS_BYTES)")]
        )
    return bytes(data)


def read_chunks(
    path: Path, size: int = 1 << 20, *, seen: list[os.stat_result] | None = None
) -> Iterator[bytes]:
    """The file in pieces (its whole size first, then SIZE bytes while it grows), or
    FactsError: never blocks on a FIFO, never reads /dev/zero forever, refuses a file over
    the size limit or changed while being read. The file's status once read whole is
    appended to SEEN."""
    name = str(path)

    def fail(message: str) -> FactsError:
        return FactsError([Problem(name, None, "", message)])

    nonblock = getattr(os, "O_NONBLOCK", 0)  # POSIX: opening a FIFO never waits for a writer
    try:
        if not nonblock and os.path.exists(path) and not os.path.isfile(path):
            # Without O_NONBLOCK (Windows), refuse a special file before opening it.
            what = "a directory" if os.path.isdir(path) else "a pipe, socket or device"
            raise fail(f"is not a regular file ({what}); give a file")
        fd = os.open(path, os.O_RDONLY | nonblock | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        if path.is_symlink():
            return_error = fail("is a symbolic link to a file that does not exist")
        else:
            return_error = fail("no such file")
        raise return_error from None
    except IsADirectoryError:
        raise fail("is a directory, not a fact file") from None
    except PermissionError:
        raise fail("permission denied: cannot read the file") from None
    except OSError as e:
        raise fail(f"cannot open: {e.strerror or e}") from None
    except ValueError:  # a NUL in the name
        raise fail("cannot open: a file name cannot hold a NUL character") from None
    limit = max_bytes()
    try:
        before = os.fstat(fd)
        if stat.S_ISDIR(before.st_mode):
            raise fail("is a directory, not a fact file")
        if not stat.S_ISREG(before.st_mode):
            raise fail("is not a regular file (a pipe, socket or device); give a file")
        if before.st_size > limit:
            raise fail(
                f"is {before.st_size:,} bytes, over the {limit:,}-byte limit "
                "(raise it with CGCLI_MAX_FACTS_BYTES)"
            )
        total = 0
        piece = max(size, before.st_size + 1)  # the whole file in one read, as a rule
        while chunk := os.read(fd, piece):
            piece = size
            total += len(chunk)
            if total > limit:
                raise fail(f"grew past the {limit:,}-byte limit while being read")
            yield chunk
        after = os.fstat(fd)
    except OSError as e:
        raise fail(f"cannot read: {e.strerror or e}") from None
    finally:
        os.close(fd)
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns) or (
        total != after.st_size
    ):
        raise fail("changed while it was being read; try again")
    if seen is not None:
        seen.append(after)


def decode(data: bytes, name: str) -> str:
    """The file's bytes as text (a leading BOM dropped), or FactsError naming the line and
    column of the first byte that is not UTF-8, or of a NUL."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - data.rfind(b"\n", 0, e.start)
        message = (
            f"not UTF-8 text: byte 0x{data[e.start]:02x} at column {column} (is this a fact file?)"
        )
        raise FactsError([Problem(name, line, "", message)]) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise FactsError([Problem(name, line, "", "contains a NUL byte; not a TOML text file")])
    return text.removeprefix("\ufeff")


def parse(text: str, name: str) -> dict[str, Any]:
    """TOML text to a document, or FactsError naming the line (and column): the text's
    shape is checked first (check_shape), so that no small file costs long to parse.

    toml_rs parses it in pieces when it can vouch for the result (tomlpieces: 4x quicker
    than tomli on a large file, in memory within a tenth of tomli's), and only a plain
    text (see check_shape: toml_rs reads on past an error, and crashed on nesting the
    scan had not seen there); tomli parses the rest, and words every error."""
    from . import tomlpieces

    doc = tomlpieces.loads(text) if check_shape(text, name) else None
    if doc is not None:
        return doc
    import tomli  # tomllib's upstream, compiled: the same documents and messages, 2.5x quicker

    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as e:
        raise FactsError([_syntax_problem(str(e), text, name)]) from None
    except RecursionError:
        raise FactsError([Problem(name, None, "", "arrays or tables nested too deeply")]) from None
    except (ValueError, OverflowError, MemoryError) as e:
        raise FactsError([Problem(name, None, "", f"cannot be parsed: {e}")]) from None


def _syntax_problem(message: str, text: str, name: str) -> Problem:
    import re

    m = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if m:
        bare = message[: m.start()].strip()
        return Problem(name, int(m.group(1)), "", f"TOML syntax: {bare} (column {m.group(2)})")
    m = re.search(r"\(at end of document\)", message)
    line = text.count("\n") + 1 if m else None
    return Problem(name, line, "", f"TOML syntax: {message}")


# --- the shape of a file, checked before parsing ------------------------------------------
#
# tomllib's cost grows with the square of a dotted key's parts (an 80 KB key of 40,000
# parts takes 26 s and 6 GB), and it recurses once per level of nested arrays and inline
# tables. No fact file needs more than two levels of tables, dotted keys of a few parts or
# arrays inside arrays, so a cheap scan refuses, with the line, what goes past these limits:
MAX_KEY_PARTS = 8  # parts of one key or table header: a.b.c is 3
MAX_KEY_CHARS = 256  # characters of one part of a key, as written
MAX_NESTING = 16  # arrays and inline tables inside each other
MAX_WORD_CHARS = 100  # characters of one bare value: a number, a date, true, inf ...

# Most lines of a fact file are `key = "text"`, `key = 12.5`, `key = ["a", "b"]`, `[[kind]]`,
# a comment or nothing: one match of this pattern skips any number of them, within the
# limits above, at the speed of the regular expression engine. Every quantifier is
# possessive, so a line that does not fit costs one try, never a backtracking search.
_BARE = rf"[A-Za-z0-9_-]{{1,{MAX_KEY_CHARS}}}+"
_KEY = rf"{_BARE}(?:[ \t]*+\.[ \t]*+{_BARE}){{0,{MAX_KEY_PARTS - 1}}}+"
_STRING = r"""(?:"[^"\\\r\n]*+(?:\\[^\r\n][^"\\\r\n]*+)*+"|'[^'\r\n]*+')"""  # escapes: unrolled
_ARRAY = rf"\[[ \t]*+(?:{_STRING}[ \t]*+,[ \t]*+)*+(?:{_STRING}[ \t]*+)?+\]"
_VALUE = rf"(?:{_STRING}|{_ARRAY}|[A-Za-z0-9_+:.-]{{1,{MAX_WORD_CHARS}}}+)"
_SIMPLE_LINES = (
    rf"(?:[ \t]*+(?:\[\[?+[ \t]*+{_KEY}[ \t]*+\]\]?+|{_KEY}[ \t]*+=[ \t]*+{_VALUE})?+"
    r"[ \t]*+(?:#[^\r\n]*+)?+\r?\n){0,64}+"  # then the canonical pattern gets another go
)
# The lines cgcli itself writes, `key = "text"`, `key = 12.5`, `key = ["a", "b"]` and
# `[[kind]]`, and comment lines, fit a simpler pattern still, which the regular expression
# engine runs about twice as fast.
_CANONICAL_STRING = r'"[^"\\\r\n]*+"'
_CANONICAL_LINES = (
    rf"(?:(?:{_BARE} = (?:{_CANONICAL_STRING}|[A-Za-z0-9_+:.-]{{1,{MAX_WORD_CHARS}}}+"
    rf"|\[{_CANONICAL_STRING}(?:, {_CANONICAL_STRING})*+\])"
    rf"|\[\[?+{_BARE}\]\]?+|#[^\r\n]*+)?+\r?\n)*+"
)
# Everything else, a token at a time. An unterminated string runs to the end of its line
# (or of the file, for a multi-line one): tomllib will refuse the file, and the scan stays
# linear whatever the input.
# A one-line string or a comment ends at a carriage return or a newline, even escaped: the
# scan must see every bracket toml_rs reads, and it reads on past such an error, into the
# next line (it would recurse into deep nesting there until it crashed).
_TOKENS = (
    r'"""(?:[^"\\]++|\\.|"(?!""))*+"""(?:""|")?+'
    r"|'''(?:[^']++|'(?!''))*+'''(?:''|')?+"
    r'|(?P<open>"""[\s\S]*+'
    r"|'''[\s\S]*+)"
    r'|"(?:[^"\\\r\n]++|\\[^\r\n])*+"'
    r"|'[^'\r\n]*+'"
    r'|(?P<unclosed>"(?:[^"\\\r\n]++|\\[^\r\n])*+'
    r"|'[^'\r\n]*+)"
    r"|#[^\r\n]*+"
    r"|[A-Za-z0-9_-]++"
    r"|[\[\]{}=,.\n]"
    r"|(?P<stray>\r(?!\n)|[^ \t+:\r])"  # not between tokens: blanks, signs, the colons of times
)
_SCANNERS: list[tuple[re.Pattern[str], ...]] = []  # compiled on first use


def check_shape(text: str, name: str) -> bool:
    """Refuse, before parsing, keys with too many parts or characters, nesting too deep and
    bare values too long (the limits above), with the line: FactsError.

    A scan of tokens (strings, comments, brackets, keys), not a parser: it is right for
    every file tomllib accepts, and linear in time for any text at all.

    True when the text is plain: the scan met no stray character, no unclosed string and
    no string against a word. toml_rs reads on past such an error, and may read brackets
    there that the scan did not count (and recurse into them until it crashes): only a
    plain text is given to toml_rs (see parse); tomli refuses the others in its own words.
    """
    if not _SCANNERS:
        patterns = (_CANONICAL_LINES, _SIMPLE_LINES)
        _SCANNERS.append((*map(re.compile, patterns), re.compile(_TOKENS, re.DOTALL)))
    canonical, simple, tokens = _SCANNERS[0]

    def refuse(position: int, message: str) -> FactsError:
        line = text.count("\n", 0, position) + 1
        return FactsError([Problem(name, line, "", message)])

    stack: list[str] = []  # the open arrays "[" and inline tables "{"
    expect_key = True  # at the start of a line, or after "{" or "," in an inline table
    header = False  # inside [table] or [[table]]
    parts = 0  # parts of the key being read
    plain, word = True, False  # WORD: the token just before was a word or a string
    pos, end = 0, len(text)
    while pos < end:
        if expect_key and not stack and not header and parts == 0:  # at a line's start
            skipped = _skip_plain_lines(text, pos, canonical, simple)
            word, pos = word and skipped == pos, skipped
        match = tokens.search(text, pos)
        if match is None:
            break
        token, start, gap, pos = match.group(), match.start(), pos, match.end()
        first = token[0]
        if match.lastgroup or (word and gap == start and first not in "[]{}=,.\n#"):
            plain = False  # an unclosed string, a stray character, a word against a string
            if match.lastgroup == "stray":
                continue
        word = first in "\"'" or first.isalnum() or first in "_-"
        opens_header = first == "[" and expect_key and not stack and not header and parts == 0
        if first == "\n":
            if not stack:
                expect_key, header, parts = True, False, 0
        elif first == "#":
            continue
        elif (expect_key or header) and (first not in "[{" or opens_header):
            # any other bracket here is an error, but toml_rs reads on and may nest: counted
            if first in "\"'" or first.isalnum() or first in "_-":
                parts += 1
                if parts > MAX_KEY_PARTS:
                    raise refuse(
                        start, f"a key of more than {MAX_KEY_PARTS} dotted parts (the limit)"
                    )
                if len(token) > MAX_KEY_CHARS:
                    raise refuse(start, f"a key longer than {MAX_KEY_CHARS} characters (the limit)")
            elif opens_header:
                header = True
                if text.startswith("[", pos):
                    pos += 1
            elif first == "]" and header:
                header, expect_key, parts = False, False, 0
                if text.startswith("]", pos):
                    pos += 1
            elif first == "=":
                expect_key, parts = False, 0
            elif first == "}" and stack:  # {} or a trailing ",": refused later by tomllib
                stack.pop()
                expect_key = False
        elif first in "[{":
            stack.append(first)
            if len(stack) > MAX_NESTING:
                raise refuse(
                    start, f"arrays or inline tables nested over {MAX_NESTING} deep (the limit)"
                )
            expect_key = first == "{"
        elif first in "]}":
            if stack:
                stack.pop()
        elif first == ",":
            expect_key = bool(stack) and stack[-1] == "{"
        elif (first.isalnum() or first in "_-") and len(token) > MAX_WORD_CHARS:
            digits = sum(c.isdigit() for c in token)
            what = f"a number of {digits:,} digits" if digits * 2 > len(token) else "a value"
            raise refuse(
                start,
                f"{what} ({token[:10]}…, {len(token):,} characters): over the "
                f"{MAX_WORD_CHARS}-character limit, and out of range for any fact",
            )
    return plain


def _skip_plain_lines(
    text: str, pos: int, canonical: re.Pattern[str], simple: re.Pattern[str]
) -> int:
    """Where the lines from POS that need no token scan end: runs of canonical lines, each
    followed by up to 64 lines of any simple shape, until a line fits neither."""
    while True:
        start = pos
        for lines in (canonical, simple):
            run = lines.match(text, pos)
            pos = run.end() if run else pos
        if pos == start:
            return pos


def check_file(
    path: Path, text: str | None = None, stamps: list[Stamp] | None = None
) -> tuple[dict[str, list[dict[str, Any]]], str]:
    """Read (unless TEXT is given), parse and validate one file on its own.

    Returns the records by kind and the text (for line numbers later);
    FactsError lists every problem.
    """
    name = str(path)
    if text is None:
        text = decode(read_bytes(path, stamps), name)
    doc = parse(text, name)
    records, problems = validate_document(doc, name, text)
    if problems:
        raise FactsError(problems)
    return records, text


def merge(
    paths: list[Path], texts: dict[Path, str] | None = None, stamps: list[Stamp] | None = None
) -> Facts:
    """Validate each file, overlay them in order (same kind and id replaces), check references.

    TEXTS stands in for the content of some paths: a version not yet written. Each file
    read gets its Stamp appended to STAMPS (for the cache's key).
    """
    sources: list[str] = []  # each file's text, for line numbers in messages
    parsed: list[dict[str, list[dict[str, Any]]]] = []  # each file's records
    problems: list[Problem] = []
    for path in paths:
        try:
            found, text = check_file(path, (texts or {}).get(path), stamps)
        except FactsError as e:
            problems.extend(e.problems)
            sources.append("")
            parsed.append({})
            continue
        sources.append(text)
        parsed.append(found)
    if problems:
        raise FactsError(problems)
    merged, origins = _overlay(parsed)
    line_maps: dict[int, dict[tuple[Any, ...], int]] = {}
    positions: dict[int, dict[tuple[str, str], int]] = {}

    def locate(kind: str, rid: str, field: str) -> tuple[str, int | None]:
        for index in reversed(range(len(parsed))):  # the last file with the id is its origin
            if index not in positions:
                positions[index] = _positions(parsed[index])
            position = positions[index].get((kind, rid))
            if position is not None:
                break
        else:
            return str(paths[-1]), None
        if index not in line_maps:
            line_maps[index] = line_map(sources[index])
        lines = line_maps[index]
        return str(paths[index]), lines.get((kind, position, field)) or lines.get((kind, position))

    problems = check_references(merged, locate)
    if problems:
        raise FactsError(problems)
    return Facts([str(p) for p in paths], merged, origins)


def _overlay(
    parsed: list[dict[str, list[dict[str, Any]]]],
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[int]]]:
    """Each file's records laid over the earlier files' (same kind and id replaces, in the
    place the id first had), and for each record the index of the file it came from."""
    if len(parsed) == 1:  # one file, whose ids are unique: nothing to replace
        merged = {kind: parsed[0].get(kind, []) for kind in kinds()}
        return merged, {kind: [0] * len(items) for kind, items in merged.items()}
    records: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in kinds()}
    origin: dict[str, dict[str, int]] = {kind: {} for kind in kinds()}  # kind -> id -> file index
    for index, found in enumerate(parsed):
        for kind, items in found.items():
            ids = [record["id"] for record in items]
            records[kind].update(zip(ids, items, strict=True))  # a later file's id replaces
            origin[kind].update(dict.fromkeys(ids, index))
    merged = {kind: list(items.values()) for kind, items in records.items()}
    origins = {kind: [origin[kind][r["id"]] for r in items] for kind, items in merged.items()}
    return merged, origins


def _positions(found: dict[str, list[dict[str, Any]]]) -> dict[tuple[str, str], int]:
    """(kind, id) -> index in that kind's array of a file, from the records its one parse
    gave (all of them: merge looks positions up only once every file is valid)."""
    return {
        (kind, record["id"]): i for kind, items in found.items() for i, record in enumerate(items)
    }
