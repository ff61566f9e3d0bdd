"""Writes that lose nothing: atomic replace, a backup of the previous version, a lock."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
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


def atomic_write(path: Path, data: bytes, *, backup: bool = True) -> None:
    """Replace PATH with DATA so that a reader, or a crash, sees the old file or the new one.

    The data goes to a temporary file in the same folder, is flushed and fsynced,
    then renamed over PATH. With BACKUP, the previous version is kept as PATH.bak.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, path.stat().st_mode & 0o777)
            if backup:
                bak = path.with_name(path.name + ".bak")
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(bak)
                os.link(path, bak)  # the old file itself, under a second name
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on PATH.lock; other writers wait their turn."""
    import fcntl

    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
