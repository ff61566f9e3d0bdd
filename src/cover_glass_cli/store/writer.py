"""Every file cgcli writes for the user, written so that nothing is lost and nothing is
redirected: the fact file, its backups, a rejected edit, the editor's copy, the lock,
and the files `cgcli export` writes.

- A new file is created exclusively (O_EXCL, and O_NOFOLLOW where the platform has
  it) under a name nobody can guess, in the folder of the file it becomes; it is
  filled, flushed and renamed over its target, so a reader or a crash sees the old
  file or the new one.
- A target that is a symbolic link, or anything but a regular file (a pipe, a device,
  a folder), is refused with a message that says so (`Refused`, an OSError). The one
  exception is the user's fact file itself, which may be a link to a regular file
  (dotfiles): it is written at the link's target, which must be a regular file.
- Backups sit beside the file as facts.toml.bak.N, N growing with each write, so a
  backup keeps its number; the last BACKUPS are kept. Each is the old file itself
  under a new name (a hard link, or an exclusive copy where links fail), with a
  small facts.toml.bak.N.json saying when and by which command it was made.
- Writers take a lock (facts.toml.lock) through the `filelock` library, which locks
  the same way on Linux, macOS and Windows.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

BACKUPS = 5

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # POSIX: refuse a link as the last component
_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class Refused(OSError):
    """A write or read refused because a link or a special file is in the way."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(errno.EPERM, reason, str(path))


def check_regular(path: Path) -> None:
    """Nothing, when PATH is absent or a regular file; else Refused, saying what is there."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise Refused(path, "it is a symbolic link; cgcli does not write through links")
    if not stat.S_ISREG(st.st_mode):
        raise Refused(path, "it is not a regular file (a folder, pipe, socket or device)")


def fact_file(path: Path) -> Path:
    """Where the user's fact file PATH is really written: PATH itself, or, when PATH is a
    link (dotfiles), the regular file it points at; Refused for a link to anything else
    (a device, a pipe, nothing at all)."""
    if not os.path.islink(path):
        check_regular(path)
        return Path(path)
    real = Path(os.path.realpath(path))
    if not real.exists():
        raise Refused(path, "it is a symbolic link to a file that does not exist")
    check_regular(real)
    return real


class Span:
    """The first LENGTH bytes of the regular file open as FD, as they were when its status
    was ST (they were checked then): a part of a new file copied from the old one without
    passing through Python (see `copy_span`)."""

    __slots__ = ("fd", "length", "st")

    def __init__(self, fd: int, length: int, st: os.stat_result) -> None:
        self.fd, self.length, self.st = fd, length, st

    def __len__(self) -> int:
        return self.length

    def chunks(self, done: int = 0, size: int = 1 << 20) -> Iterator[bytes]:
        """Its bytes from offset DONE on, read in pieces of SIZE; OSError when the file is
        shorter now."""
        while done < self.length:
            chunk = read_at(self.fd, done, min(size, self.length - done))
            if not chunk:
                raise self.changed()
            done += len(chunk)
            yield chunk

    def check(self) -> None:
        """OSError unless the file is still as it was when its bytes were checked: the same
        size and times (a change since then shows in them; see Stamp in store/__init__.py)."""
        if status(os.fstat(self.fd)) != status(self.st):
            raise self.changed()

    def changed(self) -> OSError:
        return OSError(errno.EAGAIN, "the file changed while being copied")


def status(st: os.stat_result) -> tuple[int, ...]:
    """What tells a file from another, or from itself changed: device, inode, size, times."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


Part = bytes | memoryview | Span
Data = bytes | list[Part]  # the bytes of a file, or its parts in order

# What os.copy_file_range answers where it cannot copy these files, though a plain read
# and write can: no such call (old kernels, seccomp filters), another file system (before
# Linux 5.3), a file system that does not offer it.
_CANNOT_COPY = {
    errno.ENOSYS,
    errno.EXDEV,
    errno.EINVAL,
    errno.EOPNOTSUPP,
    errno.ENOTSUP,
    errno.EPERM,
    errno.EBADF,
}


def copy_span(span: Span, fd: int) -> None:
    """Append SPAN's bytes to the file open as FD (at its position), then check that the
    file they came from did not change meanwhile (OSError if it did). The kernel copies
    them (os.copy_file_range: a clone where the file system shares blocks, as xfs and
    btrfs do); where it cannot, they are read and written here."""
    done = 0
    copy = getattr(os, "copy_file_range", None)  # Linux only
    if copy is not None:
        try:
            while done < span.length:
                copied = copy(span.fd, fd, span.length - done, done)
                if not copied:
                    break  # the end of the file, or a file system that copies nothing
                done += copied
        except OSError as e:
            if e.errno not in _CANNOT_COPY:
                raise
    for chunk in span.chunks(done):  # what the kernel did not copy (all, where it cannot)
        _write_all(fd, chunk)
    span.check()


def read_at(fd: int, offset: int, size: int) -> bytes:
    """Up to SIZE bytes of the file open as FD from OFFSET on (os.pread is not on Windows)."""
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, size)


def _write_all(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def create_exclusive(path: Path, data: Data = b"", *, private: bool = False) -> None:
    """Create PATH, which must not exist (not even as a link), holding DATA, synced."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY | _CLOEXEC
    fd = os.open(path, flags, 0o600 if private else 0o666)
    try:
        try:
            for part in [data] if isinstance(data, bytes) else data:
                if isinstance(part, Span):
                    copy_span(part, fd)
                else:
                    _write_all(fd, part)
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise


def _temporary(target: Path) -> Path:
    """A name beside TARGET that nobody can guess (see remove_leftovers)."""
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp")


@contextlib.contextmanager
def replacing(target: Path, data: Data = b"", *, private: bool = False) -> Iterator[Path]:
    """A new file beside TARGET holding DATA, for the block to fill further by its name
    (or to make ready); moved over TARGET once the block succeeds, removed if it fails.
    TARGET must be absent or a regular file (else Refused, before anything is written)."""
    check_regular(target)
    temporary = _temporary(target)
    create_exclusive(temporary, data, private=private)
    try:
        yield temporary
        check_regular(target)  # nothing planted meanwhile
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_dir(target.parent)


def atomic_write(
    path: Path,
    data: Data,
    *,
    backup: bool = True,
    command: str = "",
    follow: bool = False,
    private: bool = True,
) -> Path:
    """Replace PATH with DATA so that a reader, or a crash, sees the old file or the new
    one; returns the path written. With BACKUP, the version replaced is kept as the next
    backup, made by COMMAND (see keep_backup). FOLLOW: PATH is the user's fact file and
    may be a link to a regular file (see fact_file); otherwise a link is refused. A new
    file is PRIVATE (0600), else made with the usual permissions; a replaced file keeps
    its own."""
    target = fact_file(Path(path)) if follow else Path(path)
    check_regular(target)
    existed = target.exists()
    with replacing(target, data, private=private) as temporary:
        if existed:
            with contextlib.suppress(OSError):
                os.chmod(temporary, target.stat().st_mode & 0o777)
            if backup:
                keep_backup(target, command)
    return target


def create_or_fill(path: Path, data: bytes) -> None:
    """Write DATA into PATH, an empty file this process just created (never a link)."""
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC | _NOFOLLOW | _BINARY | _CLOEXEC)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def read_regular(path: Path, limit: int) -> bytes:
    """PATH's bytes, only if PATH is a regular file and not a link (Refused otherwise)."""
    check_regular(path)
    if not path.exists():
        raise FileNotFoundError(errno.ENOENT, "no such file", str(path))
    flags = os.O_RDONLY | _NOFOLLOW | _BINARY | _CLOEXEC | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise Refused(path, "it is not a regular file")
        data = f.read(limit + 1)
    if len(data) > limit:
        raise Refused(path, f"it is over the {limit:,}-byte limit")
    return data


# --- backups -------------------------------------------------------------------------


def backup_path(path: Path, number: int) -> Path:
    """PATH's backup NUMBER (numbers grow with each write; the highest is the newest)."""
    return path.with_name(f"{path.name}.bak.{number}")


def backup_numbers(path: Path) -> list[int]:
    """The numbers of PATH's backups that exist, newest first."""
    prefix = f"{path.name}.bak."
    found = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(path.parent):
            number = entry.name.removeprefix(prefix)
            if entry.name.startswith(prefix) and number.isdigit() and number.isascii():
                found.append(int(number))
    return sorted(found, reverse=True)


def backups(path: Path) -> list[dict[str, Any]]:
    """PATH's backups, newest first: number, path, size, made (ISO time) and command
    (empty when not recorded, as for backups of older versions of cgcli)."""
    import datetime
    import json

    found = []
    for number in backup_numbers(path):
        backup = backup_path(path, number)
        try:
            st = os.lstat(backup)
        except OSError:
            continue
        info: dict[str, Any] = {}
        with contextlib.suppress(OSError, ValueError):
            info = json.loads(read_regular(_about(backup), 64 * 1024))
        if not isinstance(info, dict):
            info = {}
        made = info.get("made")
        if not isinstance(made, str):
            made = (
                datetime.datetime.fromtimestamp(st.st_mtime).astimezone().isoformat("T", "seconds")
            )
        command = info.get("command")
        found.append(
            {
                "id": number,
                "path": str(backup),
                "bytes": st.st_size,
                "made": made,
                "command": command if isinstance(command, str) else "",
                "regular": stat.S_ISREG(st.st_mode),
            }
        )
    return found


def _about(backup: Path) -> Path:
    return backup.with_name(backup.name + ".json")


def keep_backup(path: Path, command: str = "") -> Path:
    """Keep PATH as it is now as its next backup, recording when and by which COMMAND
    (the write that is about to replace it); drop the oldest beyond BACKUPS. Returns
    the new backup's path. Call with the lock held."""
    import datetime
    import json

    numbers = backup_numbers(path)
    newest = backup_path(path, (numbers[0] if numbers else 0) + 1)
    check_regular(newest)
    try:
        os.link(path, newest)  # the old file itself, under a second name; never over a file
    except FileExistsError:
        raise Refused(newest, "it is in the way of the next backup") from None
    except OSError:
        create_exclusive(newest, read_regular(path, 1 << 40))  # a file system without links
    made = datetime.datetime.now().astimezone().isoformat("T", "seconds")
    about = json.dumps({"made": made, "command": command}, ensure_ascii=False)
    with contextlib.suppress(OSError):
        create_exclusive(_about(newest), about.encode("utf-8") + b"\n")
    for number in numbers[BACKUPS - 1 :]:  # the new one plus BACKUPS - 1 kept
        for old in (backup_path(path, number), _about(backup_path(path, number))):
            with contextlib.suppress(OSError):
                if not stat.S_ISDIR(os.lstat(old).st_mode):
                    os.unlink(old)  # a link itself is removed, never what it points at
    return newest


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- the lock ----------------------------------------------------------------------------


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def locked(path: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on PATH.lock; other writers wait their turn, and WAITING()
    is called first when this one has to wait (so that the user hears why nothing
    happens). PATH is the file as written (see fact_file).

    A link or a special file at the lock's name is Refused, never followed. Holding the lock, no other cgcli writes PATH: temporary
    files of writes and edits that were killed (kill -9, a power cut) are removed."""
    import warnings

    with warnings.catch_warnings():  # "only soft file lock is available": no news to a user
        warnings.simplefilter("ignore")
        from filelock import FileLock, Timeout

    lock = lock_path(path)
    check_regular(lock)  # filelock itself creates it with O_EXCL and O_NOFOLLOW
    guard = FileLock(str(lock))
    try:
        guard.acquire(timeout=0)
    except Timeout:
        if waiting is not None:
            waiting()
        guard.acquire()
    try:
        remove_leftovers(path)
        yield
    finally:
        guard.release()


def remove_leftovers(path: Path) -> list[Path]:
    """Temporary files beside PATH that no writer owns any more (call with the lock held):
    files and links are removed (a link itself, never what it points at); folders stay."""
    removed = []
    for pattern in (f".{path.name}.*.tmp", f".{path.name}.edit-*.toml"):
        for leftover in path.parent.glob(pattern):
            with contextlib.suppress(OSError):
                if not stat.S_ISDIR(os.lstat(leftover).st_mode):
                    os.unlink(leftover)
                    removed.append(leftover)
    return removed


# --- kept aside: a rejected edit ---------------------------------------------------------


def keep_aside(wanted: Path, data: bytes, folders: list[Path]) -> Path:
    """Keep DATA at WANTED (replaced atomically, never through a link); where that cannot
    be, in a new file of its own, created exclusively under an unguessable name in each
    of FOLDERS in turn. Returns where it was kept; the last OSError when nowhere."""
    try:
        return atomic_write(wanted, data, backup=False)
    except OSError as e:
        last: OSError = e
    for folder in folders:
        place = folder / f"{wanted.name}.{secrets.token_hex(6)}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            create_exclusive(place, data, private=True)
        except OSError as e:
            last = e
            continue
        return place
    raise last
