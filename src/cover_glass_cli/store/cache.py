"""A SQLite cache of the parsed and validated facts: one database file per chain of fact
files, so that a lookup reads only the rows it shows and never parses TOML again.

Layout, in platformdirs.user_cache_path("cgcli"):

    facts-<hash of the chain's paths>.sqlite

holding the tables of domain/tables.py (a table per kind, a column per field, the
indexes commands filter on, the citation counts and the search index, all built in
one transaction) and a `meta` table with the key: the program's, schema's and
format's versions and each file's Stamp (device, inode, size, mtime, ctime, and the
SHA-256 of a racy one).

- Never stale: a file whose stat differs from its stamp, or whose stamp is "racy" (read
  within the timestamp granularity of its last change) and whose hash differs, rebuilds.
- Never trusted blindly: the database is opened read-only with trusted_schema off; a
  wrong application_id, format or key, any SQLite error (corrupt, truncated, foreign)
  and any row that does not make a record discard it, and the facts are read anew, with
  no error shown. Anything at the path but a regular file is removed without being
  opened.
- Never able to run code: only plain values and JSON are stored; nothing is unpickled
  or executed.
- Concurrent first runs: each builds its own temporary file and renames it into place
  in one step, so a reader sees a whole database or none. A temporary file untouched
  for STALE_TMP_S belongs to no live build: the next build removes it.
- Curation changes a record in place, in one transaction with the file's new stamp
  (`updating`), in time proportional to the change.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..domain import tables
from ..domain.facts import Facts, Record
from ..domain.schema import SCHEMA_VERSION
from .paths import cache_dir
from .stamps import RACY_NS

if TYPE_CHECKING:
    from .stamps import Stamp

FORMAT = 4  # bump when the tables change: an older database is then rebuilt
APPLICATION_ID = 0x6367636C  # "cgcl", so that a foreign SQLite file is never taken for ours
STALE_TMP_S = 3600  # a temporary file untouched this long belongs to no live build
BUSY_MS = 5000  # how long a reader waits for a curation's commit


def database_path(paths: list[Path]) -> Path:
    """The database of a chain: named after a checksum of its paths (a clash between two
    chains costs only rebuilds, since the key names the paths)."""
    import zlib

    chain = json.dumps([os.path.abspath(p) for p in paths], ensure_ascii=True)
    return cache_dir() / f"facts-{zlib.crc32(chain.encode('ascii')):08x}.sqlite"


def load(paths: list[Path]) -> Facts:
    """The facts of PATHS: from the cache when it is fresh, else read anew and cached."""
    db = database_path(paths)
    cached = _open(db, paths)
    if cached is not None:
        return cached
    return rebuild(db, paths)


def rebuild(db: Path, paths: list[Path]) -> Facts:
    """Read PATHS anew (FactsError when they are unusable) and cache them, best effort:
    the facts answer from the new database, or from tables in memory without one."""
    from .reading import merge

    stamps: list[Stamp] = []
    facts = merge(paths, stamps=stamps)
    with contextlib.suppress(OSError, sqlite3.Error):
        build(db, facts, stamps)
        facts.attach(_connect(db))  # the same tables, not built a second time in memory
    return facts


# --- reading ---------------------------------------------------------------------


def _connect(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(
        f"{db.as_uri()}?mode=ro", uri=True, isolation_level=None, timeout=BUSY_MS / 1000
    )
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def _open(db: Path, paths: list[Path]) -> Facts | None:
    """The cache at DB when it is ours, whole and fresh; None (and DB removed when it is
    anything else than a regular file) otherwise."""
    try:
        st = os.lstat(db)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):  # a FIFO, a device, a symlink, a folder: never opened
        _remove(db)
        return None
    try:
        conn = _connect(db)
    except sqlite3.Error:
        return None
    try:
        meta = _check(conn)
        key = _parse_key(meta)
        fresh = _fresh(key, paths)
    except (sqlite3.Error, ValueError, TypeError, KeyError, RecursionError):
        conn.close()
        return None  # rebuilt over it
    if not fresh:
        conn.close()
        return None
    if fresh == "racy":
        with contextlib.suppress(OSError, sqlite3.Error, ValueError, KeyError):
            _settle(db, meta)
    counts = key.get("counts")
    if type(counts) is not dict:
        conn.close()
        return None
    return Facts.over(conn, [str(p) for p in paths], counts, lambda: _renew(db, paths))


def _renew(db: Path, paths: list[Path]) -> Facts:
    """The facts read anew when the database failed under a query."""
    _remove(db)
    return rebuild(db, paths)


def _check(conn: sqlite3.Connection) -> str:
    """The stored key of a database that is ours and of this format; DatabaseError else."""
    (app_id,) = conn.execute("PRAGMA application_id").fetchone()
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    if app_id != APPLICATION_ID or version != FORMAT:
        raise sqlite3.DatabaseError("not a cgcli cache of this format")
    row = conn.execute("SELECT value FROM meta WHERE key = 'key'").fetchone()
    if row is None or type(row[0]) is not str:
        raise sqlite3.DatabaseError("no key")
    return str(row[0])


def _parse_key(meta: str) -> dict[str, Any]:
    key = json.loads(meta)  # RecursionError when nested beyond use, ValueError when not JSON
    if type(key) is not dict or type(key.get("files")) is not list:
        raise ValueError("not a key")
    return key


def _settle(db: Path, meta: str) -> None:
    """A racy stamp whose file has since grown old enough: mark it read now, so that later
    runs need not hash the file again. META is the key as read: a database rebuilt or
    changed since by another run is left as it is."""
    now = time.time_ns()
    key = _parse_key(meta)
    if any(max(s["mtime_ns"], s["ctime_ns"]) >= now - RACY_NS for s in key["files"]):
        return  # still within a timestamp tick of its change
    settled = {**key, "files": [{**s, "read_ns": now} for s in key["files"]]}
    with contextlib.closing(sqlite3.connect(db, isolation_level=None, timeout=0.1)) as conn:
        conn.execute(
            "UPDATE meta SET value = ? WHERE key = 'key' AND value = ?",
            (json.dumps(settled), meta),
        )


def _key_head() -> dict[str, Any]:
    return {"program": __version__, "schema": SCHEMA_VERSION, "format": FORMAT}


def _fresh(key: dict[str, Any], paths: list[Path]) -> bool | str:
    """Whether every file of PATHS is the one KEY was made from: True, False, or "racy"
    when that took hashing a file changed within a timestamp tick of its reading."""
    if {k: key.get(k) for k in _key_head()} != _key_head():
        return False
    verdict: bool | str = True
    stamps = key["files"]
    if len(stamps) != len(paths):
        return False
    for stamp, path in zip(stamps, paths, strict=True):
        if stamp["path"] != str(path):
            return False
        try:
            st = os.stat(path)
        except OSError:
            return False
        now = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        then = (stamp["dev"], stamp["ino"], stamp["size"], stamp["mtime_ns"], stamp["ctime_ns"])
        if now != then:
            return False
        if max(stamp["mtime_ns"], stamp["ctime_ns"]) >= stamp["read_ns"] - RACY_NS:
            if _sha256(path) != stamp["sha256"]:  # changed within one timestamp tick
                return False
            verdict = "racy"
    return verdict


def _sha256(path: Path) -> str | None:
    """The file's SHA-256, read as fact files are (never blocking on a FIFO); None when it
    cannot be read."""
    import hashlib

    from ..domain.facts import FactsError
    from .reading import read_chunks

    digest = hashlib.sha256()
    try:
        for chunk in read_chunks(path):
            digest.update(chunk)
    except FactsError:
        return None
    return digest.hexdigest()


# --- building --------------------------------------------------------------------


def build(db: Path, facts: Facts, stamps: list[Stamp]) -> None:
    """Write FACTS to a new database and put it at DB in one rename."""
    db.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    _clean_leftovers(db.parent)
    tmp = _temporary(db)
    try:
        with contextlib.closing(sqlite3.connect(tmp, isolation_level=None)) as conn:
            conn.execute("PRAGMA journal_mode = OFF")  # a failed build is thrown away whole
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("PRAGMA page_size = 16384")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {FORMAT}")
            conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            records = facts.all()
            counts = {kind: len(items) for kind, items in records.items()}
            key = {**_key_head(), "files": [s.as_dict() for s in stamps], "counts": counts}
            conn.execute("INSERT INTO meta VALUES ('key', ?)", (json.dumps(key),))
            tables.build(conn, records, {kind: facts.origins(kind) for kind in records})
        # A journal left by a curation killed mid-commit belongs to the database being
        # replaced: SQLite would play it back into the new one.
        _remove(db.with_name(db.name + "-journal"))
        os.replace(tmp, db)
    finally:
        _remove(tmp)


def _temporary(db: Path) -> Path:
    """A name beside DB for a file being built, that no other build takes."""
    return db.with_name(f"{db.name}.{os.getpid()}.{time.time_ns()}.tmp")


def _clean_leftovers(folder: Path) -> None:
    """Temporary files of builds that died (untouched for STALE_TMP_S), and the folders
    of cgcli 1.0's JSON cache."""
    import shutil

    now = time.time()
    for entry in folder.iterdir():
        name = entry.name
        if name.startswith("facts-") and name.endswith(".tmp"):
            try:
                old = now - entry.lstat().st_mtime > STALE_TMP_S
            except OSError:
                continue
            if old:
                _remove(entry)
        elif name.startswith(("facts-", ".facts-")) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


def _remove(path: Path) -> None:
    import shutil

    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
    except OSError:
        pass


# --- curation: one record at a time ----------------------------------------------------


@contextlib.contextmanager
def updating(paths: list[Path]) -> Iterator[Update | None]:
    """The cache of PATHS opened for a curation's change, when it is fresh (None when
    there is none: the next read builds it anew).

    Call it holding the user file's lock, before writing the file. Inside the block,
    change records through the Update (`put`, `delete`), write the file, and say what
    was written (`written`): the rows and the files' new stamps are committed together
    when the block ends. On any exception, or when a change cannot be made in place, the
    cache is removed instead: the next read rebuilds it, never trusting a half change."""
    db = database_path(paths)
    update: Update | None = None
    try:
        update = Update.begin(db, paths)
    except (OSError, sqlite3.Error, ValueError, TypeError, KeyError, RecursionError):
        _remove(db)
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

    @classmethod
    def begin(cls, db: Path, paths: list[Path]) -> Update | None:
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
            key = _parse_key(_check(conn))
            if not _fresh(key, paths):
                raise ValueError("stale")
        except BaseException:
            conn.close()
            raise
        return cls(conn, db, paths, key)

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

    def written(self, path: Path, data: bytes) -> None:
        """PATH (one of the chain) now holds DATA: its stamp as of now, and its hash, since
        a file written a moment ago may change again within the same timestamp tick."""
        import hashlib

        from .stamps import Stamp

        def stamp() -> None:
            st = os.stat(path)
            if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
                raise NeedsRebuild
            digest = hashlib.sha256(data).hexdigest()
            self._stamps[str(path)] = Stamp(str(path), st, digest, time.time_ns()).as_dict()

        self._guard(stamp)

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
            if kind in tables.NAMED and self._referred(record["id"]):
                raise NeedsRebuild
            self._counts[kind] = self._counts.get(kind, 0) + 1
        else:
            pos = old[0]
            before = tables.record(kind, old)
            if kind in tables.NAMED and before.get("name") != record.get("name"):
                raise NeedsRebuild  # the search text of the records naming it changes too
            self._unindex(kind, pos, before)
            self._conn.execute(f'DELETE FROM "{kind}" WHERE pos = ?', (pos,))
        self._conn.execute(tables.insert_sql(kind), tables.row_of(kind, pos, origin, record))
        self._index(kind, pos, record, +1)

    def _delete(self, kind: str, rid: str) -> None:
        old = self._row(kind, rid)
        if old is None:
            raise NeedsRebuild
        before = tables.record(kind, old)
        if kind in tables.NAMED and self._referred(rid):
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
            (number << 40 | pos, tables.search_text(kind, record, self._names(record))),
        )
        self._cite(kind, record, -1)

    def _index(self, kind: str, pos: int, record: Record, step: int) -> None:
        number = tables.kinds().index(kind)
        self._conn.execute(
            "INSERT INTO search (rowid, text) VALUES (?, ?)",
            (number << 40 | pos, tables.search_text(kind, record, self._names(record))),
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
        for kind in tables.NAMED:
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

    def abandon(self) -> None:
        """Roll back and remove the database: the next read rebuilds it."""
        with contextlib.suppress(sqlite3.Error):
            self._conn.execute("ROLLBACK")
        self._conn.close()
        _remove(self._db)
