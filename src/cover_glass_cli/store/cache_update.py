"""Curation's changes to the cache, in place: one record put or taken out, and the
file's new stamp, in one transaction (see `updating`), in time proportional to the
change rather than to the facts.

How curation calls it, holding the user file's lock:

    with cache_update.updating(chain) as update:   # None: no fresh cache, nothing to do
        ...validate the new record against the chain...
        if update is not None:
            update.put(kind, record, origin)       # or update.delete(kind, id)
        data = ...the new text of the file, as bytes...
        write it atomically
        if update is not None:
            update.written(path, data)

An exception inside the block, or a change that cannot be made in place, removes the
cache: the next read rebuilds it. Never a half change, never a stale answer.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain import tables, tables_build
from ..domain.facts import Facts, Record
from . import RACY_NS, named, racy, settled, stamp
from .cache import BUSY_MS, check_database, database_path, fresh, parse_key, remove

if TYPE_CHECKING:
    from .writer import Part


@contextlib.contextmanager
def updating(paths: list[Path], based: Path | None = None) -> Iterator[Update | None]:
    """The cache of PATHS opened for a curation's change, when it is fresh (None when
    there is none: the next read builds it anew).

    Call it holding the user file's lock, before writing the file. Inside the block,
    change records through the Update (`put`, `delete`), write the file, and say what
    was written (`written`): the rows and the files' new stamps are committed together
    when the block ends. On any exception, or when a change cannot be made in place, the
    cache is removed instead (when something was changed): the next read rebuilds it,
    never trusting a half change.

    BASED: the file the change rewrites, which the caller opens anyway: its stamp is
    checked on that open file (`based_on`), the hash of a racy one on the bytes the
    change reads (not on a second read), and not at all on bytes it need not read."""
    db = database_path(paths)
    update: Update | None = None
    try:
        update = Update.begin(db, paths, based)
    except (OSError, sqlite3.Error, ValueError, TypeError, KeyError, RecursionError):
        remove(db)
    try:
        yield update
    except BaseException:
        if update is not None:
            update.abandon()
        raise
    if update is not None:
        update.commit()


class NeedsRebuild(Exception):
    """A change the cache cannot make in place: it is removed and built anew when next read."""


class Update:
    """A transaction on the cache's database, for curation (see `updating`)."""

    def __init__(self, conn: sqlite3.Connection, db: Path, paths: list[Path], key: Any) -> None:
        self._conn, self._db, self._paths, self._key = conn, db, paths, key
        self._stamps: dict[str, dict[str, Any]] = {}
        self._counts: dict[str, int] = dict(key["counts"])
        self._changed = False
        self._failed = False
        self._base: tuple[bytes, Any] | None = None  # bytes read by the change, any hash

    @classmethod
    def begin(cls, db: Path, paths: list[Path], based: Path | None = None) -> Update | None:
        try:
            st = os.lstat(db)
        except FileNotFoundError:
            return None
        if not stat.S_ISREG(st.st_mode):
            raise OSError("not a regular file")
        conn = sqlite3.connect(db, isolation_level=None, timeout=BUSY_MS / 1000)
        try:
            conn.execute("PRAGMA trusted_schema = OFF")
            conn.execute("BEGIN IMMEDIATE")
            key = parse_key(check_database(conn))
            files = [
                {**s, "read_ns": max(s["mtime_ns"], s["ctime_ns"]) + RACY_NS + 1}
                if based is not None and s["path"] == named(based)
                else s
                for s in key["files"]
            ]  # BASED's racy hash is left to based_on
            if not fresh({**key, "files": files}, paths):
                raise ValueError("stale")
        except BaseException:
            conn.close()
            raise
        return cls(conn, db, paths, key)

    def facts(self) -> Facts:
        """The facts of the chain as this transaction sees them (its changes included)."""
        return Facts.over(self._conn, [str(p) for p in self._paths], self._counts, None)

    def based_on(self, path: Path, st: os.stat_result, read: Callable[[], bytes]) -> bool:
        """Whether PATH, open under the lock with status ST, is the file the cache was made
        from: its stamp's device, inode, size and times, and, when the stamp is racy, the
        hash of its bytes, READ() (called only then: else they need not be read at all);
        that hash is kept for `written` to extend."""
        import hashlib

        from .writer import status

        stamps = [s for s in self._key["files"] if s["path"] == named(path)]
        if len(stamps) != 1:
            return False  # a file given twice in the chain: the whole check
        stamp = stamps[0]
        then = (stamp["dev"], stamp["ino"], stamp["size"], stamp["mtime_ns"], stamp["ctime_ns"])
        if status(st) != then:
            return False
        if racy(stamp):
            data = read()
            digest = hashlib.sha256(data)
            if len(data) != st.st_size or digest.hexdigest() != stamp["sha256"]:
                return False
            self._base = (data, digest)
        return True

    # The changes ------------------------------------------------------------------

    def put(self, kind: str, record: Record, origin: int) -> None:
        """RECORD (already validated against the chain) as the record of KIND with its
        id, from the file at index ORIGIN of the chain: in the place of the record it
        replaces, else after the last of its kind (a new id in the chain's last file)."""
        self._guard(lambda: self._put(kind, record, origin))

    def delete(self, kind: str, rid: str) -> None:
        """The record of KIND with id RID taken out (one that no record refers to: a
        record that hid an earlier file's is replaced with that one by `put` instead)."""
        self._guard(lambda: self._delete(kind, rid))

    def written(self, path: Path, *parts: Part) -> None:
        """PATH (one of the chain) now holds PARTS, joined: its stamp as of now, settled
        (see `settled` in store/__init__.py); where times are whole seconds it stays racy,
        so it keeps the hash of PARTS, extending that of the bytes given to `based_on` when
        they start PARTS."""
        import hashlib

        from .writer import Span

        def restamp() -> None:
            st = os.stat(path)
            if not stat.S_ISREG(st.st_mode) or st.st_size != sum(len(p) for p in parts):
                raise NeedsRebuild
            written = settled(stamp(str(path), st, None, time.time_ns()))
            if racy(written):  # times in whole seconds: the next run checks the hash
                rest = list(parts)
                base = self._base
                if base is not None and base[1] is not None and rest and rest[0] is base[0]:
                    digest = base[1].copy()
                    rest.pop(0)
                else:
                    digest = hashlib.sha256()
                for part in rest:
                    for piece in part.chunks() if isinstance(part, Span) else (part,):
                        digest.update(piece)
                written["sha256"] = digest.hexdigest()
            self._stamps[named(path)] = written

        self._guard(restamp)

    # Within the transaction ---------------------------------------------------------

    def _guard(self, change: Any) -> None:
        if self._failed:
            return
        try:
            change()
            self._changed = True
        except (NeedsRebuild, OSError, sqlite3.Error, tables.Unusable):
            self._failed = True

    def _row(self, kind: str, rid: str) -> tuple[Any, ...] | None:
        sql = f'SELECT {tables.select(kind)} FROM "{kind}" WHERE id = ?'
        rows = self._conn.execute(sql, (rid,)).fetchall()
        if len(rows) > 1:
            raise NeedsRebuild
        return rows[0] if rows else None

    def _put(self, kind: str, record: Record, origin: int) -> None:
        old = self._row(kind, record["id"])
        if old is None:
            if origin != len(self._paths) - 1:
                raise NeedsRebuild  # a new id in an earlier file lands among the later ones
            (last,) = self._conn.execute(f'SELECT max(pos) FROM "{kind}"').fetchone()
            pos = 0 if last is None else last + 1
            if kind in tables.named() and self._referred(record["id"]):
                raise NeedsRebuild
            self._counts[kind] = self._counts.get(kind, 0) + 1
        else:
            pos = old[0]
            before = tables.record(kind, old)
            if kind in tables.named() and before.get("name") != record.get("name"):
                raise NeedsRebuild  # the search text of the records naming it changes too
            self._unindex(kind, pos, before)
            self._conn.execute(f'DELETE FROM "{kind}" WHERE pos = ?', (pos,))
        self._conn.execute(
            tables_build.insert_sql(kind), tables_build.row_of(kind, pos, origin, record)
        )
        self._index(kind, pos, record, +1)

    def _delete(self, kind: str, rid: str) -> None:
        old = self._row(kind, rid)
        if old is None:
            raise NeedsRebuild
        before = tables.record(kind, old)
        if kind in tables.named() and self._referred(rid):
            raise NeedsRebuild
        self._unindex(kind, old[0], before)
        self._conn.execute(f'DELETE FROM "{kind}" WHERE pos = ?', (old[0],))
        self._counts[kind] = self._counts.get(kind, 0) - 1

    def _referred(self, rid: str) -> bool:
        """Whether the search index may hold RID's name in some record's text."""
        hits = self._conn.execute(
            "SELECT 1 FROM search WHERE search MATCH ? LIMIT 1",
            (tables.trigram_query([rid.casefold()]) or '""',),
        ).fetchall()
        return bool(hits) or len(rid) < 3

    def _unindex(self, kind: str, pos: int, record: Record) -> None:
        number = tables.kinds().index(kind)
        self._conn.execute(
            "INSERT INTO search (search, rowid, text) VALUES ('delete', ?, ?)",
            (number << 40 | pos, tables_build.search_text(kind, record, self._names(record))),
        )
        self._cite(kind, record, -1)

    def _index(self, kind: str, pos: int, record: Record, step: int) -> None:
        number = tables.kinds().index(kind)
        self._conn.execute(
            "INSERT INTO search (rowid, text) VALUES (?, ?)",
            (number << 40 | pos, tables_build.search_text(kind, record, self._names(record))),
        )
        self._cite(kind, record, step)

    def _cite(self, kind: str, record: Record, step: int) -> None:
        source = record.get("source")
        if source is None:
            return
        self._conn.execute(
            "INSERT INTO cited VALUES (?, ?, ?) "
            "ON CONFLICT (source, kind) DO UPDATE SET n = n + excluded.n",
            (source, kind, step),
        )
        self._conn.execute("DELETE FROM cited WHERE n <= 0")

    def _names(self, record: Record) -> dict[str, str]:
        """The names behind the ids RECORD holds, as the search index has them."""
        ids = {
            item
            for value in record.values()
            for item in (value if isinstance(value, list) else (value,))
            if isinstance(item, str)
        }
        names: dict[str, str] = {}
        for kind in tables.named():
            for rid in sorted(ids):
                row = self._conn.execute(
                    f'SELECT id, name FROM "{kind}" WHERE id = ?', (rid,)
                ).fetchone()
                if row is not None:
                    names[row[0]] = row[1] or row[0]
        return names

    # The end -----------------------------------------------------------------------

    def commit(self) -> None:
        try:
            if self._failed or (self._changed and not self._stamps):
                raise NeedsRebuild
            files = [self._stamps.get(s["path"], s) for s in self._key["files"]]
            key = {**self._key, "files": files, "counts": self._counts}
            self._conn.execute("UPDATE meta SET value = ? WHERE key = 'key'", (json.dumps(key),))
            self._conn.execute("COMMIT")
        except (NeedsRebuild, sqlite3.Error):
            self.abandon()
        finally:
            self._conn.close()

    def spoil(self) -> None:
        """The change cannot be made here: the database is removed when the block ends."""
        self._failed = True

    def abandon(self) -> None:
        """Roll back, and remove the database when anything was changed or spoiled (the
        next read rebuilds it); a transaction that changed nothing leaves it as it was."""
        with contextlib.suppress(sqlite3.Error):
            self._conn.execute("ROLLBACK")
        self._conn.close()
        if self._changed or self._failed:
            remove(self._db)
