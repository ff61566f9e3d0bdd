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
  (store/cache_update.py), in time proportional to the change.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..domain.facts import SCHEMA_VERSION, Facts
from . import cache_dir, is_racy, named, racy

if TYPE_CHECKING:
    from . import Stamp

FORMAT = 8  # bump when the tables change: an older database is then rebuilt
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


def cached(paths: list[Path]) -> Facts | None:
    """The facts of PATHS from the cache when it is fresh, else None (nothing parsed)."""
    return _open(database_path(paths), paths)


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
        remove(db)
        return None
    try:
        conn = _connect(db)
    except sqlite3.Error:
        return None
    try:
        meta = check_database(conn)
        key = parse_key(meta)
        verdict = fresh(key, paths)
    except (sqlite3.Error, ValueError, TypeError, KeyError, RecursionError):
        conn.close()
        return None  # rebuilt over it
    if not verdict:
        conn.close()
        return None
    if verdict == "racy":
        with contextlib.suppress(OSError, sqlite3.Error, ValueError, KeyError):
            _settle(db, meta)
    counts = key.get("counts")
    if type(counts) is not dict:
        conn.close()
        return None
    return Facts.over(conn, [str(p) for p in paths], counts, lambda: _renew(db, paths))


def _renew(db: Path, paths: list[Path]) -> Facts:
    """The facts read anew when the database failed under a query."""
    remove(db)
    return rebuild(db, paths)


def check_database(conn: sqlite3.Connection) -> str:
    """The stored key of a database that is ours and of this format; DatabaseError else."""
    (app_id,) = conn.execute("PRAGMA application_id").fetchone()
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    if app_id != APPLICATION_ID or version != FORMAT:
        raise sqlite3.DatabaseError("not a cgcli cache of this format")
    row = conn.execute("SELECT value FROM meta WHERE key = 'key'").fetchone()
    if row is None or type(row[0]) is not str:
        raise sqlite3.DatabaseError("no key")
    return str(row[0])


def parse_key(meta: str) -> dict[str, Any]:
    key = json.loads(meta)  # RecursionError when nested beyond use, ValueError when not JSON
    if type(key) is not dict or type(key.get("files")) is not list:
        raise ValueError("not a key")
    return key


def _settle(db: Path, meta: str) -> None:
    """A racy stamp whose file has since grown old enough: mark it read now, so that later
    runs need not hash the file again. META is the key as read: a database rebuilt or
    changed since by another run is left as it is."""
    now = time.time_ns()
    key = parse_key(meta)
    if any(is_racy(s["mtime_ns"], s["ctime_ns"], now) for s in key["files"]):
        return  # still within a timestamp tick of its change
    settled = {**key, "files": [{**s, "read_ns": now} for s in key["files"]]}
    with contextlib.closing(sqlite3.connect(db, isolation_level=None, timeout=0.1)) as conn:
        conn.execute(
            "UPDATE meta SET value = ? WHERE key = 'key' AND value = ?",
            (json.dumps(settled), meta),
        )


def _key_head() -> dict[str, Any]:
    return {"program": __version__, "schema": SCHEMA_VERSION, "format": FORMAT}


def fresh(key: dict[str, Any], paths: list[Path]) -> bool | str:
    """Whether every file of PATHS is the one KEY was made from: True, False, or "racy"
    when that took hashing a file changed within a timestamp tick of its reading."""
    if {k: key.get(k) for k in _key_head()} != _key_head():
        return False
    verdict: bool | str = True
    stamps = key["files"]
    if len(stamps) != len(paths):
        return False
    for stamp, path in zip(stamps, paths, strict=True):
        if stamp["path"] != named(path):
            return False
        try:
            st = os.stat(path)
        except OSError:
            return False
        now = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        then = (stamp["dev"], stamp["ino"], stamp["size"], stamp["mtime_ns"], stamp["ctime_ns"])
        if now != then:
            return False
        if racy(stamp):
            if _sha256(path) != stamp["sha256"]:  # changed within one timestamp tick
                return False
            verdict = "racy"
    return verdict


def _sha256(path: Path) -> str | None:
    """The file's SHA-256, read as fact files are (never blocking on a FIFO); None when it
    cannot be read."""
    import hashlib

    from ..domain.problems import FactsError
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
    from ..domain.tables_build import build as build_tables  # a lookup never builds

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
            key = {**_key_head(), "files": stamps, "counts": counts}
            conn.execute("INSERT INTO meta VALUES ('key', ?)", (json.dumps(key),))
            build_tables(conn, records, {kind: facts.origins(kind) for kind in records})
        # A journal left by a curation killed mid-commit belongs to the database being
        # replaced: SQLite would play it back into the new one.
        remove(db.with_name(db.name + "-journal"))
        os.replace(tmp, db)
    finally:
        remove(tmp)


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
                remove(entry)
        elif name.startswith(("facts-", ".facts-")) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


def remove(path: Path) -> None:
    import shutil

    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
    except OSError:
        pass
