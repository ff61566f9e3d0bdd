"""A SQLite cache of the parsed and validated facts: one database file per chain of fact
files, so that a lookup reads only the rows it shows and never parses TOML again.

Layout, in platformdirs.user_cache_path("cgcli"):

    facts-<hash of the chain's paths>.sqlite

with a table per kind (`pos`, `origin`, and the columns lookups filter on, indexed; text
matched in any case as the number of its casefolded form in `names`), the records
themselves as JSON in `chunks` (CHUNK records of a kind per row), and a `meta` table
holding the key: the program's and schema's versions and each file's Stamp
(device, inode, size, mtime, ctime, and the SHA-256 of a racy one).
The first `search` adds a `search` FTS5 table (trigram, contentless, over the casefolded
text of every record; rowid = kind's number << 40 | pos) to a copy put in place by
rename: an index that costs as much to build as the records themselves is built only
for those who search.

- Never stale: a file whose stat differs from its stamp, or whose stamp is "racy" (read
  within the timestamp granularity of its last change) and whose hash differs, rebuilds.
- Never trusted blindly: the database is opened read-only and immutable with
  trusted_schema off; a wrong application_id, format, or any SQLite error (corrupt,
  truncated, foreign) discards it and the facts are read anew, with no error shown.
  Anything at the path but a regular file is removed without being opened.
- Never able to run code: only JSON and plain values are stored; nothing is unpickled
  or executed.
- Concurrent first runs: each builds its own temporary file and renames it into place
  in one step, so a reader sees a whole database or none. Temporary files of builds that
  were killed are removed by the next build.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..domain.facts import Facts, Record
from ..domain.registry import kind_of, kinds, source_kind
from ..domain.schema import SCHEMA_VERSION
from .paths import cache_dir
from .stamps import RACY_NS

if TYPE_CHECKING:
    from .stamps import Stamp

FORMAT = 3  # bump when the tables change: an older database is then rebuilt
APPLICATION_ID = 0x6367636C  # "cgcl", so that a foreign SQLite file is never taken for ours
STALE_TMP_S = 3600  # a temporary file this old belongs to no live build

# Columns each kind's table adds for lookups to filter on: its indexed fields (see the
# registry). Those matched in any case (casefold) hold the number of their casefolded text
# in the `names` table: a column of small numbers is quicker to fill and to index than
# one of text.


def table_columns(kind: str) -> tuple[tuple[str, str], ...]:
    """(name, SQL type) of each column KIND's table adds, plain ones first."""
    fields = kind_of(kind).indexed()
    plain = [f for f in fields if not f.casefold]
    return tuple(
        (f.name, "INTEGER" if f.casefold or f.type == "int" else "TEXT")
        for f in plain + [f for f in fields if f.casefold]
    )


def casefolded(kind: str) -> frozenset[str]:
    return frozenset(f.name for f in kind_of(kind).indexed() if f.casefold)


_NAMED = "(SELECT code FROM names WHERE text = ?)"  # the number of a casefolded text
POS_MASK = (1 << 40) - 1
# Records per row of `chunks`. Encoding JSON costs about as much per call as per record,
# so one call per 16 records saves 40% of a first build's encoding (larger chunks save
# little more); a lookup decodes the chunks holding its rows, at most 16 times as many
# records as it shows when they lie scattered through the file.
CHUNK = 16


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
    """Read PATHS anew (FactsError when they are unusable) and cache them, best effort."""
    from .reading import merge

    stamps: list[Stamp] = []
    facts = merge(paths, stamps=stamps)
    with contextlib.suppress(OSError, sqlite3.Error):
        build(db, facts, stamps)
    return facts


# --- reading ---------------------------------------------------------------------


def _open(db: Path, paths: list[Path]) -> CachedFacts | None:
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
        conn = sqlite3.connect(f"{db.as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        (app_id,) = conn.execute("PRAGMA application_id").fetchone()
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        if app_id != APPLICATION_ID or version != FORMAT:
            raise sqlite3.DatabaseError("not a cgcli cache of this format")
        (meta,) = conn.execute("SELECT value FROM meta WHERE key = 'key'").fetchone()
        key = json.loads(meta)
        fresh = _fresh(key, paths)
    except (sqlite3.Error, ValueError, TypeError, KeyError):
        conn.close()
        return None  # rebuilt over it
    if not fresh:
        conn.close()
        return None
    if fresh == "racy":
        with contextlib.suppress(OSError, sqlite3.Error):
            _settle(db, meta)
    return CachedFacts(conn, db, paths, meta)


def _stored_key(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = 'key'").fetchone()
    return row[0] if row else None


def _settle(db: Path, meta: str) -> None:
    """A racy stamp whose file has since grown old enough: mark it read now, in a copy put
    in place by rename, so that later runs need not hash the file again. META is the key
    as read: a database rebuilt since by another run is left as it is."""
    import shutil

    now = time.time_ns()
    key = json.loads(meta)
    if any(max(s["mtime_ns"], s["ctime_ns"]) >= now - RACY_NS for s in key["files"]):
        return  # still within a timestamp tick of its change
    tmp = _temporary(db)
    try:
        shutil.copyfile(db, tmp)
        with contextlib.closing(sqlite3.connect(tmp, isolation_level=None)) as conn:
            if _stored_key(conn) != meta:
                return
            settled = {**key, "files": [{**s, "read_ns": now} for s in key["files"]]}
            conn.execute("UPDATE meta SET value = ? WHERE key = 'key'", (json.dumps(settled),))
        os.replace(tmp, db)
    finally:
        _remove(tmp)


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
    import hashlib

    digest = hashlib.sha256()
    try:
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                return None
            while chunk := f.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


class CachedFacts(Facts):
    """Facts answered from the cache: a kind is read when first asked for, exports and
    searches with indexed queries. Should the database fail under a query (a file cut
    short after it was opened, rows that do not fit together), the facts are read anew
    and the answer comes from them."""

    def __init__(self, conn: sqlite3.Connection, db: Path, paths: list[Path], key: str) -> None:
        super().__init__([str(p) for p in paths], {}, {})
        self._conn: sqlite3.Connection | None = conn
        self._db, self._paths, self._key = db, paths, key
        self._fallback: Facts | None = None
        self._chunks: dict[str, dict[int, list[Any]]] = {}  # kind -> chunk number -> records

    def _query(self, sql: str, args: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        """SQL's rows; Unusable when there is no database or it fails."""
        if self._conn is None:
            raise Unusable
        try:
            return self._conn.execute(sql, tuple(args)).fetchall()
        except (sqlite3.Error, ValueError):
            raise Unusable from None

    def _files(self) -> Facts:
        """The facts read anew from the files, once: what answers when the database fails."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._fallback is None:
            _remove(self._db)
            self._fallback = rebuild(self._db, self._paths)
        return self._fallback

    def _records_at(self, kind: str, positions: list[int]) -> list[Record]:
        """The records of KIND at POSITIONS (sorted), from the chunks that hold them; each
        chunk is read and decoded once per run, however many queries it answers."""
        chunks = self._chunks.setdefault(kind, {})
        wanted = sorted({pos // CHUNK for pos in positions} - chunks.keys())
        for start in range(0, len(wanted), 500):  # SQLite's limit on parameters
            part = wanted[start : start + 500]
            marks = ", ".join("?" * len(part))
            rows = self._query(
                f"SELECT n, records FROM chunks WHERE kind = ? AND n IN ({marks})", [kind, *part]
            )
            chunks.update((n, _chunk(text)) for n, text in rows)
        try:
            return [_record(chunks[pos // CHUNK][pos % CHUNK]) for pos in positions]
        except (KeyError, IndexError):
            raise Unusable from None

    def __getitem__(self, kind: str) -> list[Record]:
        if self._fallback is None and kind not in self._records:
            try:
                rows = self._query("SELECT records FROM chunks WHERE kind = ? ORDER BY n", [kind])
                origins = [o for (o,) in self._query(f'SELECT origin FROM "{kind}" ORDER BY pos')]
                records = [_record(r) for (text,) in rows for r in _chunk(text)]
                if len(records) != len(origins):
                    raise Unusable
            except Unusable:
                return self._files()[kind]
            self._records[kind], self._origins[kind] = records, origins
        return self._fallback[kind] if self._fallback is not None else self._records[kind]

    def origins(self, kind: str) -> list[int]:
        self[kind]
        if self._fallback is not None:
            return self._fallback.origins(kind)
        return self._origins.get(kind, [])

    def export_years(self) -> list[int]:
        try:
            return [fy for (fy,) in self._query('SELECT DISTINCT fy FROM "exports" ORDER BY fy')]
        except Unusable:
            return self._files().export_years()

    def exports(
        self,
        first: int | None = None,
        last: int | None = None,
        *,
        country: str | None = None,
        product: str | None = None,
    ) -> list[Record]:
        where, args = [], []
        for clause, value in (
            ("fy >= ?", first),
            ("fy <= ?", last),
            (f"country = {_NAMED}", country.casefold() if country is not None else None),
            (f"product = {_NAMED}", product.casefold() if product is not None else None),
        ):
            if value is not None:
                where.append(clause)
                args.append(value)
        sql = 'SELECT pos FROM "exports"'
        if where:
            sql += " WHERE " + " AND ".join(where)
        try:
            return self._records_at("exports", _column_of(self._query(sql + " ORDER BY pos", args)))
        except Unusable:
            return self._files().exports(first, last, country=country, product=product)

    def exports_of(self, spans: dict[tuple[str, str], tuple[int, int]]) -> list[Record]:
        """An indexed query per subject (a few rows each, out of any number), then the
        records in the order of the files."""
        sql = (
            f'SELECT pos FROM "exports" WHERE country = {_NAMED} AND product = {_NAMED} '
            "AND fy BETWEEN ? AND ?"
        )
        try:
            positions = {
                pos
                for (country, product), (first, last) in spans.items()
                for (pos,) in self._query(sql, [country, product, first, last])
            }
            return self._records_at("exports", sorted(positions))
        except Unusable:
            return self._files().exports_of(spans)

    def where(self, kind: str, field: str, values: Iterable[str]) -> list[Record]:
        if field not in dict(table_columns(kind)) or field in casefolded(kind):
            return super().where(kind, field, values)
        wanted = sorted(set(values))
        marks = ", ".join("?" * len(wanted))
        sql = f'SELECT pos FROM "{kind}" WHERE "{field}" IN ({marks}) ORDER BY pos'
        try:
            return self._records_at(kind, _column_of(self._query(sql, wanted)))
        except Unusable:
            return self._files().where(kind, field, wanted)

    def candidates(self, words: list[str]) -> dict[str, list[Record]]:
        usable = [w for w in words if len(w) >= 3]  # the trigram index needs 3 characters
        if not usable:
            return self.all()
        try:
            if not self._query("SELECT 1 FROM sqlite_master WHERE name = 'search'"):
                self._add_search_index()
            # Each word as the trigrams it holds: the index keeps no positions, so a word is
            # found as "all its trigrams in one record", a superset that search then checks.
            trigrams = sorted({w[i : i + 3] for w in usable for i in range(len(w) - 2)})
            match = " AND ".join('"' + t.replace('"', '""') + '"' for t in trigrams)
            hits = self._query("SELECT rowid FROM search WHERE search MATCH ?", [match])
            names = list(kinds())
            by_kind: dict[str, list[int]] = {}
            for (rowid,) in hits:
                by_kind.setdefault(names[rowid >> 40], []).append(rowid & POS_MASK)
            found: dict[str, list[Record]] = {}
            for kind, positions in by_kind.items():
                found[kind] = self._records_at(kind, sorted(positions))
        except (Unusable, IndexError):
            return self._files().candidates(words)
        return {kind: found[kind] for kind in kinds() if kind in found}

    def _add_search_index(self) -> None:
        """Build the search index into a copy of the database, put it in place, and use it.
        Should another run have rebuilt the database since this one opened it, the index
        is not added to it, and the records this run read answer from memory."""
        import shutil

        records = self.all()
        if self._conn is None:  # the database failed while the records were read
            raise Unusable
        self._conn.close()
        self._conn = None
        tmp = _temporary(self._db)
        try:
            shutil.copyfile(self._db, tmp)
            with contextlib.closing(sqlite3.connect(tmp, isolation_level=None)) as conn:
                if _stored_key(conn) != self._key:  # not the database these records are from
                    self._fallback = Facts(self.files, records, dict(self._origins))
                    raise Unusable
                _index_search(conn, records)
            os.replace(tmp, self._db)
            self._conn = sqlite3.connect(f"{self._db.as_uri()}?mode=ro&immutable=1", uri=True)
        except (OSError, sqlite3.Error):
            raise Unusable from None  # the files answer, in full
        finally:
            _remove(tmp)


class Unusable(Exception):
    """The database cannot answer: a query failed, or its rows do not fit together."""


def _chunk(text: Any) -> list[Any]:
    try:
        chunk = json.loads(text)
    except (TypeError, ValueError, RecursionError):
        raise Unusable from None
    if type(chunk) is not list:
        raise Unusable
    return chunk


def _record(value: Any) -> Record:
    if type(value) is not dict:
        raise Unusable
    return value


def _column_of(rows: list[tuple[Any, ...]]) -> list[Any]:
    return [value for (value,) in rows]


# --- building --------------------------------------------------------------------


def search_text(kind: str, record: Record, names: dict[str, str]) -> str:
    """Every value of RECORD, and the names behind the ids it holds, casefolded: what the
    search index holds for it (a superset of what `search` matches in)."""
    parts: list[str] = []
    for value in record.values():
        for item in value if isinstance(value, list) else (value,):
            parts.append(str(item))
            if isinstance(item, str) and item in names:
                parts.append(names[item])
    extra = kind_of(kind).search_text
    if extra is not None:
        parts.extend(extra(record))
    return "\n".join(parts).casefold()


def build(db: Path, facts: Facts, stamps: list[Stamp]) -> None:
    """Write FACTS to a new database and put it at DB in one rename."""
    db.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    _clean_leftovers(db.parent)
    tmp = _temporary(db)
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            _fill(conn, facts, stamps)
        finally:
            conn.close()
        os.replace(tmp, db)
    finally:
        _remove(tmp)


def _temporary(db: Path) -> Path:
    """A name beside DB for a file being written: it names the writer's process, so that a
    leftover of a killed build can be told from a build going on."""
    return db.with_name(f"{db.name}.{os.getpid()}.{time.time_ns()}.tmp")


def _fill(conn: sqlite3.Connection, facts: Facts, stamps: list[Stamp]) -> None:
    conn.execute("PRAGMA journal_mode = OFF")  # a failed build is thrown away whole
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA page_size = 16384")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {FORMAT}")
    conn.execute("BEGIN")
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    key = {**_key_head(), "files": [s.as_dict() for s in stamps]}
    conn.execute("INSERT INTO meta VALUES ('key', ?)", (json.dumps(key),))
    # A parsed document is a tree: no record can contain itself, so no need to look.
    encode = json.JSONEncoder(
        ensure_ascii=False, separators=(",", ":"), check_circular=False
    ).encode
    conn.execute(
        "CREATE TABLE chunks (kind TEXT NOT NULL, n INTEGER NOT NULL, records TEXT NOT NULL, "
        "PRIMARY KEY (kind, n)) WITHOUT ROWID"
    )
    codes = _Codes()
    for kind in kinds():
        folded = [name for name, _ in table_columns(kind) if name in casefolded(kind)]
        plain = [name for name, _ in table_columns(kind) if name not in folded]
        types = dict(table_columns(kind))
        columns = "".join(f', "{name}" {types[name]}' for name in plain + folded)
        conn.execute(
            f'CREATE TABLE "{kind}" (pos INTEGER PRIMARY KEY, origin INTEGER NOT NULL{columns})'
        )
        records, origins = facts[kind], facts.origins(kind)
        code = codes.__getitem__
        chunks: list[tuple[str, int, str]] = []
        rows: list[tuple[Any, ...]] = []
        for start in range(0, len(records), CHUNK):  # a chunk's encoding and its rows together,
            part = records[start : start + CHUNK]  # while its records are in the CPU's cache
            chunks.append((kind, start // CHUNK, encode(part)))
            rows.extend(
                (pos, origin, *map(r.get, plain), *map(code, map(r.get, folded)))
                for pos, r, origin in zip(
                    range(start, start + len(part)),
                    part,
                    origins[start : start + CHUNK],
                    strict=True,
                )
            )
        conn.executemany("INSERT INTO chunks VALUES (?, ?, ?)", chunks)
        marks = ", ".join("?" * (2 + len(plain) + len(folded)))
        conn.executemany(f'INSERT INTO "{kind}" VALUES ({marks})', rows)
        for i, index in enumerate(kind_of(kind).indexes):
            cols = ", ".join(f'"{c}"' for c in index)
            conn.execute(f'CREATE INDEX "{kind}_{i}" ON "{kind}" ({cols})')
    conn.execute("CREATE TABLE names (code INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)")
    conn.executemany("INSERT INTO names VALUES (?, ?)", ((c, t) for t, c in codes.names.items()))
    conn.execute("COMMIT")


def _index_search(conn: sqlite3.Connection, records: dict[str, list[Record]]) -> None:
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    # Contentless and without positions: the index only narrows the records down; search
    # checks each candidate's fields itself, so a superset is all it must give.
    conn.execute(
        "CREATE VIRTUAL TABLE search USING fts5("
        "text, content = '', detail = 'none', tokenize = 'trigram case_sensitive 1')"
    )
    named = {t for k in kinds().values() for f in k.fields if f.ref for t in f.ref}
    names = {
        r["id"]: r.get("name") or r["id"]
        for kind in sorted(named - {source_kind()}, key=list(kinds()).index)
        for r in records[kind]
    }
    for number, kind in enumerate(kinds()):
        conn.executemany(
            "INSERT INTO search (rowid, text) VALUES (?, ?)",
            (
                (number << 40 | pos, search_text(kind, r, names))
                for pos, r in enumerate(records[kind])
            ),
        )
    conn.execute("COMMIT")


class _Codes(dict[Any, Any]):
    """The number in `names` of each text value, by its casefolded form; None for anything
    else. Each distinct value is casefolded once: a column holds few (countries, products)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: dict[str, int] = {}  # casefolded text -> its number

    def __missing__(self, value: Any) -> int | None:
        code = (
            self.names.setdefault(value.casefold(), len(self.names) + 1)
            if isinstance(value, str)
            else None
        )
        self[value] = code
        return code


def _clean_leftovers(folder: Path) -> None:
    """Temporary files of builds that died, and the folders of cgcli 1.0's JSON cache."""
    import shutil

    now = time.time()
    for entry in folder.iterdir():
        name = entry.name
        if name.startswith("facts-") and name.endswith(".tmp"):
            parts = name.split(".")
            pid = int(parts[-3]) if len(parts) >= 4 and parts[-3].isdigit() else 0
            try:
                old = now - entry.lstat().st_mtime > STALE_TMP_S
            except OSError:
                continue
            if old or not _alive(pid):
                _remove(entry)
        elif name.startswith(("facts-", ".facts-")) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: leave its file alone
    return True


def _remove(path: Path) -> None:
    import shutil

    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
    except OSError:
        pass
