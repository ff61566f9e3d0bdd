"""The SQLite cache: always fresh, never trusted blindly, never required, never a hang."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EXPORT, SOURCE, cgcli_exe, run_exe, write_facts

from cover_glass_cli import store
from cover_glass_cli.domain import selection, tables
from cover_glass_cli.domain.kinds import exports as export_kind
from cover_glass_cli.store import cache, reading

COMPANY = """
[[companies]]
id = "acme"
name = "{name}"
business = "glass"
source = "src"
"""


def databases(env_dir: Path) -> list[Path]:
    folder = env_dir / "cache" / "cgcli"
    return sorted(folder.glob("facts-*.sqlite")) if folder.exists() else []


@contextlib.contextmanager
def connected(db: Path):
    """A connection to DB, its changes committed and itself closed at the end (the
    sqlite3 context manager commits but does not close)."""
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        yield conn


def cached_names(db: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return [name for (name,) in conn.execute("SELECT name FROM companies ORDER BY pos")]


def names(run, path) -> list[str]:
    return [c["name"] for c in run.json("--facts", str(path), "companies", "--json")]


@pytest.fixture
def no_parse(monkeypatch):
    """Fail the test if the fact files are read: the cache must answer."""

    def refuse(*args, **kwargs):
        raise AssertionError("read the file although the cache is fresh")

    def arm():
        monkeypatch.setattr(reading, "merge", refuse)

    return arm


def test_first_use_writes_one_database_that_later_runs_use(run, clean_env, tmp_path, no_parse):
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    assert names(run, path) == ["Acme"]
    (db,) = databases(clean_env)
    assert cached_names(db) == ["Acme"]
    with connected(db) as conn:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        (app_id,) = conn.execute("PRAGMA application_id").fetchone()
    assert {"meta", "companies", "exports", "exports.fy", "companies.id", "cited"} <= tables
    assert "search" in tables  # built with the cache: the first search costs no more
    assert app_id == cache.APPLICATION_ID
    no_parse()
    assert names(run, path) == ["Acme"]
    assert [r["id"] for r in run.json("--facts", str(path), "search", "acme", "--json")] == ["acme"]
    with connected(db) as conn:
        found = conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'search'")
        assert found.fetchone() == (1,)
    assert len(databases(clean_env)) == 1  # one file per chain, whatever its versions


def test_one_file_named_two_ways_is_one_cache(run, clean_env, tmp_path, no_parse, monkeypatch):
    """A cache made through an absolute --facts path answers for the same file named by a
    relative path (and back): it was thrown away and rebuilt whenever the name changed."""
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    assert names(run, path.resolve()) == ["Acme"]
    monkeypatch.chdir(tmp_path)
    no_parse()
    assert names(run, "f.toml") == ["Acme"]
    assert names(run, "./f.toml") == ["Acme"]
    assert names(run, path.resolve()) == ["Acme"]
    assert len(databases(clean_env)) == 1


def test_a_new_version_of_the_file_replaces_the_database(run, clean_env, tmp_path):
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    names(run, path)
    write_facts(path, SOURCE + COMPANY.format(name="Acme Two"))
    assert names(run, path) == ["Acme Two"]
    (db,) = databases(clean_env)
    assert cached_names(db) == ["Acme Two"]


def test_edit_within_the_same_timestamp_and_size_is_seen(run, tmp_path):
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    assert names(run, path) == ["Acme"]
    st = path.stat()
    write_facts(path, SOURCE + COMPANY.format(name="Acmf"))  # same size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same mtime, to the nanosecond
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    assert names(run, path) == ["Acmf"]


def test_an_old_file_edited_with_its_mtime_put_back_is_seen(run, tmp_path):
    """Not racy (an old mtime), same size, same mtime: the ctime still tells."""
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    old = time.time_ns() - 3600 * 10**9
    os.utime(path, ns=(old, old))
    assert names(run, path) == ["Acme"]
    write_facts(path, SOURCE + COMPANY.format(name="Acmf"))
    os.utime(path, ns=(old, old))
    assert names(run, path) == ["Acmf"]


def test_a_replaced_or_touched_file_is_seen(run, tmp_path):
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    assert names(run, path) == ["Acme"]
    other = write_facts(tmp_path / "g.toml", SOURCE + COMPANY.format(name="Acmf"))
    os.replace(other, path)  # same size, a new inode
    assert names(run, path) == ["Acmf"]
    os.utime(path)
    assert names(run, path) == ["Acmf"]


def test_a_file_changed_while_being_read_is_not_cached_as_the_new_version(
    run, tmp_path, monkeypatch
):
    """The key is what was read, not what the file was before or after."""
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    real = reading.read_bytes

    def read_then_edit(p, stamps=None):
        data = real(p, stamps)
        write_facts(path, SOURCE + COMPANY.format(name="Later"))
        return data

    monkeypatch.setattr(reading, "read_bytes", read_then_edit)
    assert names(run, path) == ["Acme"]
    monkeypatch.setattr(reading, "read_bytes", real)
    assert names(run, path) == ["Later"]


def test_changed_file_is_reparsed_and_revalidated(run, tmp_path):
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    assert names(run, path) == ["Acme"]
    write_facts(path, SOURCE + COMPANY.format(name="Acme").replace('business = "glass"\n', ""))
    result = run("--facts", str(path), "companies")
    assert result.exit_code == 3 and "business: missing" in result.stderr


# Rows a hand or a tool may have changed: each is a reason to rebuild, never a crash.
ROW_DAMAGE = {
    "id-missing": "UPDATE exports SET id = NULL",
    "name-a-list": """UPDATE companies SET name = '["a", "list"]' , aliases = 1""",
    "fy-text": "UPDATE exports SET fy = 'twenty'",
    "value-a-blob": "UPDATE exports SET value = x'00ff'",
    "list-not-json": "UPDATE exports SET inferred = 'not json'",
    "list-nested-deep": "UPDATE exports SET inferred = '" + "[" * 200_000 + "'",
    "rank-unknown": "UPDATE exports SET rank = 'best of all'",
    "row-added": 'INSERT INTO companies (pos, "file:", id, name, business, source) '
    "VALUES (99, 0, 'forged', 'Forged', 'x', 'src')",
    "meta-nested-deep": "UPDATE meta SET value = '" + "[" * 200_000 + "'",
    "meta-not-json": "UPDATE meta SET value = 'not json'",
    "counts-gone": """UPDATE meta SET value = json_remove(value, '$.counts')""",
    "search-points-nowhere": "INSERT INTO search (rowid, text) VALUES (12345, 'india')",
    "tables-gone": "DROP TABLE exports",
}


@pytest.mark.parametrize(
    "damage",
    [
        *("half", "first-page", "garbage", "empty", "foreign", "old-format", "meta", "zeros"),
        *ROW_DAMAGE,
    ],
)
def test_corrupt_truncated_or_foreign_database_is_rebuilt_silently(
    run, clean_env, tmp_path, damage
):
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme") + EXPORT)
    args = ("--facts", str(path), "exports", "--fy", "2023", "--json")
    expected = run.json(*args)
    (db,) = databases(clean_env)
    good = db.read_bytes()
    if damage == "half":
        db.write_bytes(good[: len(good) // 2])
    elif damage == "first-page":
        db.write_bytes(good[:4096])
    elif damage == "garbage":
        db.write_bytes(b"\x00\xff garbage" * 100)
    elif damage == "empty":
        db.write_bytes(b"")
    elif damage == "zeros":
        db.write_bytes(good[:4096] + b"\x00" * (len(good) - 4096))
    elif damage == "foreign":
        db.unlink()
        with connected(db) as conn:
            conn.execute("CREATE TABLE companies (record TEXT)")
            conn.execute("""INSERT INTO companies VALUES ('{"name": "Forged"}')""")
    elif damage == "old-format":
        with connected(db) as conn:
            conn.execute(f"PRAGMA user_version = {cache.FORMAT + 1}")
    elif damage == "meta":
        with connected(db) as conn:
            conn.execute("UPDATE meta SET value = '{\"files\": 1}'")
    elif damage in ROW_DAMAGE:
        with contextlib.closing(sqlite3.connect(db)) as conn:
            try:
                conn.execute(ROW_DAMAGE[damage])
                conn.commit()
            except sqlite3.IntegrityError:  # a STRICT table refuses it: no harm done
                pass
    result = run(*args)
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.stdout) == expected
    for command in (("company", "acme", "--json"), ("search", "india", "--json"), ("graph",)):
        damaged = db.read_bytes()
        result = run("--facts", str(path), *command)
        assert result.exit_code == 0 and result.stderr == "", (command, result.stderr)
        db.write_bytes(damaged)
    assert names(run, path) == ["Acme"]
    (db,) = databases(clean_env)
    assert cached_names(db) == ["Acme"]  # whole again afterwards


def test_a_database_cut_short_after_it_was_opened_still_answers(
    run, clean_env, tmp_path, monkeypatch
):
    """Queries run lazily: a database that fails half way falls back to reading the files."""
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme") + EXPORT)
    run.json("--facts", str(path), "companies", "--json")
    (db,) = databases(clean_env)
    facts = cache._open(db, [path])
    assert facts is not None
    db.write_bytes(b"\x00" * 1024)  # SQLite notices only when it reads
    merged = []
    real = reading.merge
    monkeypatch.setattr(reading, "merge", lambda *a, **k: merged.append(1) or real(*a, **k))
    assert [r["name"] for r in facts["companies"]] == ["Acme"]
    assert [r["id"] for r in export_kind.select(facts, 2023, 2023)] == ["e1"]
    assert merged == [1]  # answered by reading the files again, once
    facts.close()


def test_a_row_selected_again_is_not_decoded_again(run, clean_env, tmp_path, monkeypatch):
    """A lookup asks for a year's exports, then for them with the year before: the rows it
    holds already are not decoded twice; facts read anew decode their own."""
    earlier = EXPORT.replace('"e1"', '"e0"').replace("2023", "2022")
    path = write_facts(tmp_path / "f.toml", SOURCE + EXPORT + earlier)
    run.json("--facts", str(path), "exports", "--json")
    (db,) = databases(clean_env)
    facts = cache._open(db, [path])
    assert facts is not None
    decoded: list[int] = []
    real = tables.record
    monkeypatch.setattr(tables, "record", lambda k, row: decoded.append(row[0]) or real(k, row))
    (year,) = export_kind.select(facts, 2023, 2023)
    both = export_kind.select(facts, 2022, 2023)
    assert [r["id"] for r in both] == ["e1", "e0"] and both[0] == year
    assert decoded == [0, 1]
    db.write_bytes(b"\x00" * 1024)  # fails under the next query: the files are read anew
    assert [r["id"] for r in export_kind.select(facts, 2022, 2023)] == ["e1", "e0"]
    assert decoded[2:] == [0, 1]  # the rows of the facts read anew, not those held before
    facts.close()


@pytest.mark.parametrize(
    "damage", ["value = 'x'", "inferred = '{}'", "rank = 'top'", "evidence = '[1]'"]
)
def test_one_bad_row_among_many_reads_the_files(run, clean_env, tmp_path, damage):
    """Rows that answer stay in use until one does not: then the files answer, whole."""
    exports = "".join(
        EXPORT.replace('"e1"', f'"e{i}"').replace("2023", str(2000 + i % 25)) for i in range(60)
    )
    path = write_facts(tmp_path / "f.toml", SOURCE + exports)
    args = ("--facts", str(path), "exports", "--json")
    expected = run.json(*args)
    (db,) = databases(clean_env)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute(f"UPDATE exports SET {damage} WHERE pos = 33")
        conn.commit()
    result = run(*args)
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.stdout) == expected


def test_a_run_answers_from_the_database_it_opened_when_another_rebuilds_it(
    run, clean_env, tmp_path
):
    """Run A opens the cache; the file changes and run B rebuilds it: A's search answers
    from what A opened, and leaves B's database as B made it."""
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme Old"))
    run.json("--facts", str(path), "companies", "--json")
    (db,) = databases(clean_env)
    earlier = cache._open(db, [path])
    assert earlier is not None
    time.sleep(0.01)
    write_facts(path, SOURCE + COMPANY.format(name="Acme New"))
    assert names(run, path) == ["Acme New"]  # run B: rebuilt
    rebuilt = db.read_bytes()
    found = selection.search(earlier, "acme")
    assert [r["label"] for r in found if r["kind"] == "companies"] == ["Acme Old"]
    assert db.read_bytes() == rebuilt  # B's database, without A's index
    earlier.close()
    assert run.json("--facts", str(path), "search", "acme", "--json")[0]["label"] == "Acme New"


@pytest.mark.parametrize("special", ["fifo", "dev-zero", "folder", "dangling"])
def test_anything_but_a_regular_file_at_the_database_path_is_never_opened(
    clean_env, tmp_path, special
):
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    db = cache.database_path([path])
    db.parent.mkdir(parents=True)
    if special == "fifo":
        os.mkfifo(db)
    elif special == "dev-zero":
        db.symlink_to("/dev/zero")
    elif special == "folder":
        (db / "inside").mkdir(parents=True)
    else:
        db.symlink_to(tmp_path / "nowhere")
    result = run_exe("--facts", str(path), "companies", "--json", timeout=20)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["name"] == "Acme"
    assert db.is_file() and not db.is_symlink()
    assert cached_names(db) == ["Acme"]


def test_leftovers_of_killed_builds_are_cleaned_on_the_next_build(run, clean_env, tmp_path):
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    folder = clean_env / "cache" / "cgcli"
    folder.mkdir(parents=True)
    leftovers = [
        folder / "facts-0123456789abcdef.sqlite.4242.1.tmp",
        folder / "facts-0123456789abcdef.sqlite.notapid.tmp",
    ]
    old = time.time() - cache.STALE_TMP_S - 60  # untouched for longer than any build
    for leftover in leftovers:
        leftover.write_bytes(b"x" * 1000)
        os.utime(leftover, (old, old))
    live = folder / "facts-0123456789abcdef.sqlite.4243.2.tmp"  # a build going on
    live.write_bytes(b"x")
    old_json = folder / "facts-0a1b2c3d-4e5f6a7b"  # cgcli 1.0's folders
    (old_json / "exports-2023.json").parent.mkdir()
    (old_json / "exports-2023.json").write_text("[]")
    half_built = folder / ".facts-0a1b2c3d-xyz"
    half_built.mkdir()
    names(run, path)
    assert not any(p.exists() for p in [*leftovers, old_json, half_built])
    assert live.exists()


def test_no_process_is_signalled_and_no_posix_only_call_is_made(
    run, clean_env, tmp_path, monkeypatch
):
    """os.kill(pid, 0) terminates a process on Windows; os.O_NONBLOCK and fcntl do not
    exist there: the cache tells leftovers by their age and never needs them."""
    import cover_glass_cli.store.cache as module

    def refuse(*args):
        raise AssertionError("os.kill called")

    monkeypatch.setattr(os, "kill", refuse)
    folder = clean_env / "cache" / "cgcli"
    folder.mkdir(parents=True)
    (folder / "facts-0123456789abcdef.sqlite.1.2.tmp").write_bytes(b"x")
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    assert names(run, path) == ["Acme"]
    source = Path(module.__file__).read_text(encoding="utf-8")
    assert not {"os.kill", "O_NONBLOCK", "fcntl"} & {w for w in source.split() if w}
    assert "fcntl" not in source and "O_NONBLOCK" not in source and "os.kill" not in source


def test_unwritable_cache_folder_only_costs_speed(run, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    result = run("--facts", str(path), "companies", "--json", env={"XDG_CACHE_HOME": str(blocker)})
    assert result.exit_code == 0 and json.loads(result.stdout)[0]["name"] == "Acme"
    assert result.stderr == ""


def test_no_cache_flag_and_env(run, clean_env, tmp_path):
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    assert run("--no-cache", "--facts", str(path), "companies").exit_code == 0
    assert run("--facts", str(path), "companies", env={"CGCLI_NO_CACHE": "1"}).exit_code == 0
    assert databases(clean_env) == []


def test_concurrent_first_use(clean_env, tmp_path):
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme") + EXPORT)
    procs = [
        subprocess.Popen(
            [cgcli_exe(), "--facts", str(path), "exports", "--json"],
            env={**os.environ},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(10)
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert {out for out, _ in outputs} == {outputs[0][0]}
    assert all(err == "" for _, err in outputs)
    (db,) = databases(clean_env)
    with connected(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert not list(db.parent.glob("*.tmp"))  # no half-written file left behind


def test_a_file_name_that_is_not_utf8_is_cached_too(run, clean_env, tmp_path, no_parse):
    """A Linux file name may be any bytes: argv carries them as lone surrogates."""
    path = tmp_path / os.fsdecode(b"caf\xe9.toml")  # Latin-1, not UTF-8
    write_facts(path, SOURCE + COMPANY.format(name="Acme"))
    assert names(run, path) == ["Acme"]
    assert len(databases(clean_env)) == 1
    no_parse()
    assert names(run, path) == ["Acme"]


def export_block(rid: str, country: str, product: str, fy: int) -> str:
    return (
        EXPORT.replace('id = "e1"', f'id = "{rid}"')
        .replace('country = "India"', f'country = "{country}"')
        .replace('product = "phones"', f'product = "{product}"')
        .replace("fy = 2023", f"fy = {fy}")
    )


def test_filters_and_search_are_answered_from_the_database(run, tmp_path, no_parse):
    blocks = [
        export_block(f"{c[:2].lower()}-{p[:2]}-{fy}", c, p, fy)
        for c in ("India", "Vietnam")
        for p in ("phones", "glass")
        for fy in (2021, 2022, 2023)
    ]
    path = write_facts(
        tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme Glass") + "".join(blocks)
    )
    facts = ("--facts", str(path))
    run.json(*facts, "companies", "--json")
    no_parse()
    got = run.json(
        *facts, "exports", "--fy", "2022", "--country", "VIETNAM", "--product", "glass", "--json"
    )
    assert [r["id"] for r in got] == ["vi-gl-2022"]
    assert got[0]["compared_with"] == "vi-gl-2021"  # the year before, of the same subject
    found = run.json(*facts, "search", "acme", "glass", "--json")
    assert [(r["kind"], r["id"]) for r in found] == [("companies", "acme")]
    found = run.json(*facts, "search", "vietnam", "FY2023", "--json")
    assert sorted(r["id"] for r in found) == ["vi-gl-2023", "vi-ph-2023"]


def test_the_database_holds_no_code(run, clean_env, tmp_path):
    """Only tables, indexes and the search index: no views, no triggers."""
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme") + EXPORT)
    names(run, path)
    (db,) = databases(clean_env)
    with connected(db) as conn:
        types = {t for (t,) in conn.execute("SELECT DISTINCT type FROM sqlite_master")}
    assert types <= {"table", "index"}


def test_a_racy_stamp_is_hashed_then_settled(run, clean_env, tmp_path, monkeypatch):
    """A file changed within a timestamp tick of its reading is checked by its hash until
    it is old enough; then the stamp is settled so that later runs need not hash it."""
    for name in ("RACY_NS", "FINE_NS"):  # a tick of 300 ms, whatever the file system
        monkeypatch.setattr(store, name, 300_000_000)
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    names(run, path)  # read just after it was written: racy
    hashed = []
    real = cache._sha256
    monkeypatch.setattr(cache, "_sha256", lambda p: hashed.append(p) or real(p))
    time.sleep(0.35)
    assert names(run, path) == ["Acme"] and len(hashed) == 1  # hashed, then settled
    hashed.clear()
    assert names(run, path) == ["Acme"]
    assert hashed == []


@pytest.mark.parametrize(
    "command",
    [("companies",), ("search", "acme"), ("company", "acme", "--json"), ("sources",)],
)
def test_every_connection_is_closed_when_the_command_ends(run, tmp_path, monkeypatch, command):
    """Python 3.13 warns of an unclosed database (ResourceWarning under -X dev)."""
    opened: list[sqlite3.Connection] = []
    real = sqlite3.connect

    def connect(*args, **kwargs):
        conn = real(*args, **kwargs)
        opened.append(conn)
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme") + EXPORT)
    for cached in (False, True, True):  # built, then read, then read --no-cache
        args = ("--no-cache",) if cached and opened else ()
        assert run(*args, "--facts", str(path), *command).exit_code == 0
        for conn in opened:
            with pytest.raises(sqlite3.ProgrammingError):  # "Cannot operate on a closed database"
                conn.execute("SELECT 1")
    assert opened


def test_no_resource_warning_under_development_mode(clean_env, tmp_path):
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme") + EXPORT)
    env = {**os.environ, "CGCLI_NO_FAST_EXIT": "1"}
    for command in (("companies",), ("companies",), ("search", "acme")):
        result = subprocess.run(
            [sys.executable, "-X", "dev", "-m", "cover_glass_cli", "--facts", str(path), *command],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert result.returncode == 0 and "ResourceWarning" not in result.stderr, result.stderr


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE cited SET n = 'many'",
        "INSERT INTO search (rowid, text) VALUES (-5, 'acme')",
        "UPDATE companies SET id = NULL",
    ],
)
def test_indexes_a_hand_changed_are_no_crash(run, clean_env, tmp_path, damage):
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme") + EXPORT)
    expected = [
        run.json("--facts", str(path), *c)
        for c in (("sources", "--json"), ("search", "acme", "--json"))
    ]
    (db,) = databases(clean_env)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        try:
            conn.execute(damage)
            conn.commit()
        except sqlite3.IntegrityError:  # a STRICT table refuses it
            pass
    got = [
        run.json("--facts", str(path), *c)
        for c in (("sources", "--json"), ("search", "acme", "--json"))
    ]
    assert got == expected


def test_a_coarse_file_system_keeps_the_two_second_tick():
    """Times in whole seconds (FAT, ext3, HFS+, many shares) may hide a change for up to
    2 s, so such a file read 1.5 s after its change is still racy (hashed); with finer
    times the tick is a clock tick: the same file read then is not, but read 20 ms after
    its change it is."""
    second = 1_700_000_000 * 1_000_000_000
    assert store.is_racy(second, second, second + 1_500_000_000) is True
    assert store.is_racy(second + 123, second, second + 1_500_000_000) is True  # ctime round
    assert store.is_racy(second + 123, second + 456, second + 1_500_000_000) is False
    assert store.is_racy(second + 123, second + 456, second + 20_000_000) is True
