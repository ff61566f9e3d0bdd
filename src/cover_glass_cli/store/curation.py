"""Curation of the user's own fact file: init, add, rank, remove, restore and the save of
an edit, each checked against the chain of files in use before anything is written.

Nothing here talks to the user: each operation returns the notes to show, and refuses
with `Refusal` (the lines to show and an exit status). The commands (commands/facts/)
parse the command line and say what comes back. Every write goes through writer.py
(atomic, under the lock, keeping a backup that names the command that made it).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain.facts import Facts
from ..domain.problems import FactsError, Problem
from . import fact_paths, user_path

if TYPE_CHECKING:
    from .writer import Data

TEMPLATE = """\
# Your own cgcli facts. Records here are layered on the bundled facts:
# a record with the same kind and id replaces the bundled one; a new id adds.
# A second source's figure for the same year is a claim beside the first: give it its
# own id (cgcli facts add does) and, to choose between them, rank = "preferred",
# "normal" or "deprecated" with rank_reason = "why".
# Every record names its source: a bundled one (see `cgcli sources`) or your own.
# Check this file with `cgcli validate`; see every field with `cgcli fields`.
#
# Example (remove the leading '# ' to use it):
#
# [[sources]]
# id = "my-report"
# title = "Trade figures for FY2024"
# kind = "dataset"
#
# [[exports]]
# id = "exports-fy2024"
# country = "India"
# product = "mobile phones"
# fy = 2024
# value = 128000
# unit = "INR crore"
# qualifier = "over"
# source = "my-report"

schema_version = {version}
"""


class Refusal(Exception):
    """Nothing written: LINES say why (each a whole message line), STATUS is the exit."""

    def __init__(self, lines: list[str], status: int = 1) -> None:
        super().__init__("\n".join(lines))
        self.lines, self.status = lines, status


def template() -> str:
    from ..domain.facts import SCHEMA_VERSION

    return TEMPLATE.format(version=SCHEMA_VERSION)


# --- where a write goes -----------------------------------------------------------------


class Target:
    """Where a write goes and what it is checked against: PATH, the chain of files in
    use (with PATH in it, or appended when it is not), and whether PATH is in use."""

    __slots__ = ("chain", "in_use", "path")

    def __init__(self, path: Path, chain: list[Path], in_use: bool) -> None:
        self.path, self.chain, self.in_use = path, chain, in_use

    def where(self) -> str:
        """Which file was written and whether cgcli reads it, in words."""
        if self.in_use:
            n = self.chain.index(self.path) + 1
            return f"{self.path} (file {n} of {len(self.chain)} in use)"
        return (
            f"{self.path}; note: it is NOT among the files in use (--facts or CGCLI_FACTS "
            "name others), so cgcli will not show it until you add it there"
        )


def target(explicit: tuple[str, ...], to: Path | None) -> Target:
    """The file a facts write goes to and the chain it is checked against: the chain in
    use (see `cgcli facts path`), so that sources and ids are those cgcli will read."""
    from . import bundled_path

    pairs = fact_paths(explicit)
    chain = [path for path, _ in pairs]
    explicit_chain = any(why in ("--facts", "CGCLI_FACTS") for _, why in pairs)
    if to is None:
        last = chain[-1] if explicit_chain and chain else None
        usable = last is not None and same(last, bundled_path()) is False
        to = last if usable and last is not None else user_path()
    if not explicit_chain and not any(same(to, p) for p in chain) and same(to, user_path()):
        chain = [*chain, to]  # the user's file joins the default chain once it exists
    found = [i for i, p in enumerate(chain) if same(p, to)]
    if found:
        chain = [to if i == found[-1] else p for i, p in enumerate(chain)]
        return Target(to, chain, True)
    return Target(to, [*chain, to], False)


def same(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


# --- writing under the lock ---------------------------------------------------------------


@contextlib.contextmanager
def writing(path: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Make PATH's folder and hold the writers' lock on it; a folder that cannot be made or
    locked (read-only, a file in the way, a link at the lock) is a Refusal."""
    from .writer import fact_file, locked

    with contextlib.ExitStack() as stack:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            stack.enter_context(locked(fact_file(path), waiting=waiting))
        except OSError as e:
            where = e.filename or path.parent
            raise Refusal([f"cgcli: cannot write in {where}: {e.strerror or e}"]) from None
        yield


def snapshot(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_size, st.st_mtime_ns


def current_text(path: Path) -> str:
    """The user's file as it is, or the template for a file not yet created."""
    from .reading import decode, read_bytes

    if path.exists() or path.is_symlink():
        return decode(read_bytes(path), str(path))
    return template()


def replace(
    path: Path,
    text: str | Data,
    before: tuple[int, int] | None,
    command: str,
) -> None:
    """Write TEXT (or bytes as they are, or these parts joined: writer.Data) over PATH,
    atomically and keeping a backup made by COMMAND, unless PATH changed since BEFORE."""
    from .writer import atomic_write

    if snapshot(path) != before:
        raise Refusal([f"cgcli: {path} changed while being updated; nothing written"])
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        atomic_write(path, data, command=command, follow=True)
    except OSError as e:
        where = e.filename or path
        raise Refusal(
            [f"cgcli: cannot write {where}: {e.strerror or e}; it is unchanged"]
        ) from None


def refuse(path: Path, problems: list[str], status: int = 1) -> Refusal:
    return Refusal([*problems, f"cgcli: not written; {path} is unchanged"], status)


# --- checks ------------------------------------------------------------------------------


def problems(target: Target, text: str, shown_as: Path | None = None) -> list[str]:
    """What is wrong with TEXT as the target's file in its chain (empty: valid). Messages
    name SHOWN_AS, when given, instead of the target (a copy of TEXT kept there); a file
    not written yet is never cited by line: its problems name the command's input."""
    return [str(problem) for problem in found_problems(target, text, shown_as)]


def found_problems(target: Target, text: str, shown_as: Path | None = None) -> list[Problem]:
    """problems(), as Problems: their file, line and key apart."""
    from .reading import merge

    name = shown_as or target.path
    chain = [name if p == target.path else p for p in target.chain]
    try:
        merge(chain, texts={name: text})
    except FactsError as e:
        return e.problems
    return []


def existing(target: Target, current: str) -> Facts | None:
    """The facts of the target's chain as they are now (None when they do not load: the
    check of the new text then lists why)."""
    from .reading import merge

    try:
        return merge(target.chain, texts={target.path: current})
    except FactsError:
        return None


def origin(facts: Facts, kind: str, rid: str) -> tuple[dict[str, Any], str] | None:
    """KIND's record RID in FACTS and the file it comes from, or None."""
    found = facts.origin_of(kind, rid)
    return (found[0], facts.files[found[1]]) if found is not None else None


def too_large(text: str) -> list[str]:
    """A file past the size limit would lock its owner out of every command: refuse it."""
    from . import max_bytes

    size = len(text.encode("utf-8"))
    if size <= max_bytes():
        return []
    return [f"cgcli: the edited file is {size:,} bytes, over the {max_bytes():,}-byte limit"]


def replaced_records(chain: list[Path]) -> list[dict[str, Any]]:
    """Every record of CHAIN that a later file replaces (same kind and id), read file by
    file (see selection.overrides); files that do not read are skipped."""
    from ..domain.selection import overrides
    from .reading import check_file

    files = []
    for path in chain:
        try:
            records, _ = check_file(path)
        except FactsError:
            continue
        files.append((str(path), records))
    return overrides(files)


# --- the operations -----------------------------------------------------------------------


def init(path: Path, force: bool, waiting: Callable[[], None] | None = None) -> bool:
    """Create PATH from the template; returns whether a file was there (now backed up)."""
    with writing(path, waiting):
        existed = path.exists() or path.is_symlink()
        if existed and not force:
            raise Refusal([f"cgcli: {path} exists; use --force to replace it"])
        replace(path, template(), snapshot(path), "facts init --force")
    return existed


def restore(
    target: Target, number: int, waiting: Callable[[], None] | None = None
) -> tuple[Path, list[str]]:
    """Put backup NUMBER back as the target's file, byte for byte (the version replaced
    becomes a backup in turn). Only a regular file is restored, never what a link points
    at. Returns the backup's path and the restored file's problems."""
    from . import max_bytes
    from .writer import backup_path

    path = target.path
    backup = backup_path(path, number)
    with writing(path, waiting):
        try:
            data = _read_backup(backup, max_bytes())
        except FileNotFoundError:
            raise Refusal(
                [f"cgcli: no backup {number} of {path}: see cgcli facts backups"]
            ) from None
        except OSError as e:
            raise Refusal([f"cgcli: cannot restore {backup}: {e.strerror or e}"]) from None
        replace(path, data, snapshot(path), f"facts restore {number}")
    try:
        found = problems(target, current_text(path))
    except FactsError as e:  # not even UTF-8 text: say so, the file is back as it was
        found = [str(problem) for problem in e.problems]
    return backup, found


def _read_backup(backup: Path, limit: int) -> bytes:
    from .writer import read_regular

    return read_regular(backup, limit)


def backups_of(target: Target) -> list[dict[str, Any]]:
    """The target's backups, newest first (see writer.backups)."""
    from .writer import backups, fact_file

    try:
        path = fact_file(target.path)
    except OSError:
        path = target.path
    return backups(path)


def edited_path(path: Path) -> Path:
    """A new file beside PATH for the editor, created exclusively under a name nobody can
    guess (removed afterwards; one left by a killed run goes with the next write)."""
    import secrets

    from .writer import create_exclusive

    tmp = path.with_name(f".{path.name}.edit-{os.getpid()}-{secrets.token_hex(6)}.toml")
    create_exclusive(tmp, private=True)
    return tmp


def keep_rejected(rejected: Path, data: bytes) -> tuple[Path | None, list[str]]:
    """Keep DATA (an edit that was not saved) at REJECTED, else in a new file of its own in
    the user's data folder, else in the temporary folder: where it went (None: nowhere)
    and notes on the places that failed."""
    import tempfile

    from .writer import Refused, keep_aside

    notes = []
    with contextlib.suppress(OSError):
        os.lstat(rejected)
        from .writer import check_regular

        try:
            check_regular(rejected)
        except Refused as e:
            notes.append(f"cgcli: not keeping the edit in {rejected}: {e.strerror}")
    folders = [user_path().parent, Path(tempfile.gettempdir())]
    try:
        return keep_aside(rejected, data, folders), notes
    except OSError as e:
        notes.append(f"cgcli: could not keep the edit anywhere: {e.strerror or e}")
        return None, notes
