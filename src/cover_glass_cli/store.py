"""Where fact files are, and loading them: read safely, parse, validate, merge, cache.

Fact files are untrusted. Reading refuses what is not a regular file or is too
large, parsing never executes anything (TOML, and a JSON cache), and every
problem comes back as a `Problem` naming the file and line, never a traceback.
"""

from __future__ import annotations

import json
import os
import stat
import zlib
from pathlib import Path
from typing import Any

from . import __version__
from .model import (
    KINDS,
    SCHEMA_VERSION,
    Lines,
    Problem,
    check_references,
    line_map,
    validate_document,
)

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
CACHE_FORMAT = 1


class FactsError(Exception):
    """The fact files could not be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__("\n".join(map(str, self.problems)))


class Facts:
    """The merged records by kind, and which file each record came from."""

    def __init__(
        self,
        records: dict[str, list[dict[str, Any]]],
        origins: dict[str, str],
        files: list[str],
    ) -> None:
        self.records = records
        self.origins = origins  # "kind:id" -> file
        self.files = files

    def __getitem__(self, kind: str) -> list[dict[str, Any]]:
        return self.records.get(kind, [])

    def by_id(self, kind: str) -> dict[str, dict[str, Any]]:
        return {r["id"]: r for r in self[kind]}


# --- which files ------------------------------------------------------------


def bundled_path() -> Path:
    """facts.toml inside the installed package, or at the repo root for an editable install."""
    here = Path(__file__).resolve().parent
    packaged = here / "facts.toml"
    return packaged if packaged.exists() else here.parent.parent / "facts.toml"


def user_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("cgcli", appauthor=False) / "facts.toml"


def cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("cgcli", appauthor=False)


def fact_paths(explicit: tuple[str, ...] = ()) -> list[tuple[Path, str]]:
    """The files in use, in order, each with why: later files override earlier ones.

    --facts PATH (repeatable) or CGCLI_FACTS (paths joined by os.pathsep) replace
    the default chain: the bundled file, then the user's file when it exists.
    """
    if explicit:
        return [(Path(p), "--facts") for p in explicit]
    env = os.environ.get("CGCLI_FACTS", "")
    if env.strip():
        return [(Path(p), "CGCLI_FACTS") for p in env.split(os.pathsep) if p.strip()]
    chain = [(bundled_path(), "bundled")]
    user = user_path()
    if user.exists():
        chain.append((user, "user"))
    return chain


# --- reading one file ---------------------------------------------------------


def max_bytes() -> int:
    text = os.environ.get("CGCLI_MAX_FACTS_BYTES", "")
    try:
        return int(text) if text.strip() else DEFAULT_MAX_BYTES
    except ValueError:
        return DEFAULT_MAX_BYTES


def read_bytes(path: Path) -> bytes:
    """The whole file, or FactsError: never blocks on a FIFO, never reads /dev/zero forever."""
    name = str(path)

    def fail(message: str) -> FactsError:
        return FactsError([Problem(name, None, "", message)])

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
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
        chunks = []
        size = 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise fail(f"grew past the {limit:,}-byte limit while being read")
        after = os.fstat(fd)
    except OSError as e:
        raise fail(f"cannot read: {e.strerror or e}") from None
    finally:
        os.close(fd)
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns) or (
        size != after.st_size
    ):
        raise fail("changed while it was being read; try again")
    return b"".join(chunks)


def decode(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise FactsError(
            [Problem(name, line, "", "not UTF-8 text (is this a fact file?)")]
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise FactsError([Problem(name, line, "", "contains a NUL byte; not a TOML text file")])
    return text.removeprefix("\ufeff")


def parse(text: str, name: str) -> dict[str, Any]:
    """TOML text to a document, or FactsError naming the line and column."""
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
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


def check_file(
    path: Path, text: str | None = None
) -> tuple[dict[str, list[dict[str, Any]]], dict[tuple[str, str], Lines]]:
    """Read (unless TEXT is given), parse and validate one file on its own;
    FactsError lists every problem."""
    name = str(path)
    if text is None:
        text = decode(read_bytes(path), name)
    doc = parse(text, name)
    records, where, problems = validate_document(doc, name, line_map(text))
    if problems:
        raise FactsError(problems)
    return records, where


# --- the merged, validated data -------------------------------------------------


def merge(paths: list[Path], texts: dict[Path, str] | None = None) -> Facts:
    """Validate each file, overlay them in order (same kind and id replaces), check references.

    TEXTS stands in for the content of some paths: a version not yet written.
    """
    records: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in KINDS}
    origins: dict[str, str] = {}
    where: dict[tuple[str, str], tuple[str, Lines]] = {}
    problems: list[Problem] = []
    for path in paths:
        try:
            found, lines = check_file(path, (texts or {}).get(path))
        except FactsError as e:
            problems.extend(e.problems)
            continue
        for kind, items in found.items():
            for record in items:
                records[kind][record["id"]] = record
                origins[f"{kind}:{record['id']}"] = str(path)
                where[(kind, record["id"])] = (str(path), lines[(kind, record["id"])])
    if problems:
        raise FactsError(problems)
    merged = {kind: list(items.values()) for kind, items in records.items()}
    problems = check_references(merged, where)
    if problems:
        raise FactsError(problems)
    return Facts(merged, origins, [str(p) for p in paths])


def load(explicit: tuple[str, ...] = (), *, use_cache: bool = True) -> Facts:
    """The facts in use: from the cache when every file is unchanged, else parsed anew."""
    paths = [path for path, _ in fact_paths(explicit)]
    if not use_cache or os.environ.get("CGCLI_NO_CACHE", "").strip() not in ("", "0"):
        return merge(paths)
    try:
        key = _cache_key(paths)
    except OSError:
        return merge(paths)  # let merge() explain what is wrong with the files
    cache_file = cache_dir() / f"facts-{zlib.crc32(key.encode()):08x}.json"
    cached = _read_cache(cache_file, key)
    if cached is not None:
        return cached
    facts = merge(paths)
    _write_cache(cache_file, key, facts)
    return facts


def _cache_key(paths: list[Path]) -> str:
    """Each file's resolved path, size, mtime_ns and a checksum of its bytes.

    The checksum catches an edit that keeps the size within the file system's
    timestamp granularity; reading bytes costs little next to parsing them.
    """
    parts: list[Any] = [CACHE_FORMAT, SCHEMA_VERSION, __version__]
    for path in paths:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes():
            raise OSError("not a cacheable file")
        with open(path, "rb") as f:
            crc = zlib.crc32(f.read())
        parts.append([str(path.resolve()), st.st_size, st.st_mtime_ns, crc])
    return json.dumps(parts)


def _read_cache(cache_file: Path, key: str) -> Facts | None:
    try:
        with open(cache_file, encoding="utf-8") as f:
            data = json.load(f)
        if data["key"] != key:
            return None
        records = data["records"]
        if not isinstance(records, dict) or set(records) - set(KINDS):
            return None
        return Facts(records, data["origins"], data["files"])
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None  # missing, corrupt or foreign: rebuild


def _write_cache(cache_file: Path, key: str, facts: Facts) -> None:
    """Best effort: a read-only or full cache folder only costs speed."""
    from .writer import atomic_write

    payload = {"key": key, "records": facts.records, "origins": facts.origins, "files": facts.files}
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(cache_file, json.dumps(payload, ensure_ascii=False).encode(), backup=False)
    except OSError:
        pass
