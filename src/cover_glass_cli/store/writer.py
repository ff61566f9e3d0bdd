"""Writes that lose nothing: atomic replace, backups of the last versions, a lock.

Backups sit beside the file: facts.toml.bak.1 is the version before the last write,
facts.toml.bak.2 the one before that, up to BACKUPS; the oldest is dropped. Each is
the old file itself under a new name (a hard link, or a copy where links fail), so a
backup costs no copy and is never half-written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
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
    then renamed over PATH. With BACKUP, the previous version is kept as PATH.bak.1
    and older backups move up one (see keep_backup).
    """
    path = Path(os.path.realpath(path))  # a symlinked file (dotfiles) is written through the link
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
                keep_backup(path)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


BACKUPS = 5


def backup_path(path: Path, n: int) -> Path:
    """PATH's Nth backup: 1 is the newest."""
    return path.with_name(f"{path.name}.bak.{n}")


def backups(path: Path) -> list[Path]:
    """PATH's backups that exist, newest first."""
    return [b for n in range(1, BACKUPS + 1) if (b := backup_path(path, n)).exists()]


def keep_backup(path: Path) -> Path:
    """Keep PATH as it is now as backup 1, moving older backups up one and dropping the
    oldest beyond BACKUPS. Returns backup 1's path."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(backup_path(path, BACKUPS))
    for n in range(BACKUPS - 1, 0, -1):
        with contextlib.suppress(FileNotFoundError):
            os.replace(backup_path(path, n), backup_path(path, n + 1))
    newest = backup_path(path, 1)
    try:
        os.link(path, newest)  # the old file itself, under a second name
    except OSError:
        import shutil

        shutil.copy2(path, newest)  # a file system without hard links
    return newest


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def locked(path: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on PATH.lock; other writers wait their turn, and WAITING() is
    called first when this one has to wait (so that the user hears why nothing happens).

    Holding the lock, no other cgcli writes PATH: temporary files of writes and edits
    that were killed (kill -9, a power cut) are removed here."""
    import fcntl

    path = Path(os.path.realpath(path))
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting()
            fcntl.flock(fd, fcntl.LOCK_EX)
        remove_leftovers(path)
        yield
    finally:
        os.close(fd)


def remove_leftovers(path: Path) -> list[Path]:
    """Temporary files beside PATH that no writer owns any more (call with the lock held)."""
    removed = []
    for pattern in (f".{path.name}.*.tmp", f".{path.name}.edit-*.toml"):
        for leftover in path.parent.glob(pattern):
            with contextlib.suppress(OSError):
                if leftover.is_file() and not leftover.is_symlink():
                    leftover.unlink()
                    removed.append(leftover)
    return removed
