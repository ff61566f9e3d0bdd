"""facts add and facts rank with a warm cache: checked by index, appended, the cache
updated in place; never the whole chain parsed again, and the same answers and
messages as without a cache."""

from __future__ import annotations

import contextlib
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ADD_FY2024

from cover_glass_cli.store import cache, curation, reading


@pytest.fixture
def warm(run, user_file) -> Path:
    assert run("facts", "init").exit_code == 0
    assert run("exports", "--json").exit_code == 0  # builds the cache of the chain
    return user_file


def chain() -> list[Path]:
    return curation.target((), None).chain


@contextlib.contextmanager
def no_whole_reads() -> Iterator[list[int]]:
    """A list that grows on every parse of the chain or rebuild of its cache."""
    calls: list[int] = []
    real_merge, real_build = reading.merge, cache.build
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(reading, "merge", lambda *a, **k: calls.append(1) or real_merge(*a, **k))
        mp.setattr(cache, "build", lambda *a, **k: calls.append(1) or real_build(*a, **k))
        yield calls


def assert_cache_as_rebuilt() -> None:
    paths = chain()
    facts = cache.cached(paths)
    assert facts is not None, "the cache was not kept fresh"
    expected = reading.merge(paths)
    assert facts.all() == expected.all()
    assert {k: facts.origins(k) for k in expected.all()} == {
        k: expected.origins(k) for k in expected.all()
    }
    facts.close()
    expected.close()


def test_add_appends_and_updates_the_cache_in_place(run, warm):
    before = warm.read_text()
    with no_whole_reads() as calls:
        result = run(*ADD_FY2024)
    assert result.exit_code == 0, result.output
    assert calls == []  # neither the chain parsed nor the cache rebuilt
    assert "added exports exports-fy2024" in result.stderr
    text = warm.read_text()
    assert text.startswith(before.rstrip("\n") + '\n\n[[exports]]\nid = "exports-fy2024"\n')
    assert tomllib.loads(text)["exports"][0]["value"] == 128000
    assert_cache_as_rebuilt()
    assert run("validate", str(warm)).exit_code == 0


def test_a_second_claim_gets_its_id_and_notes_by_index(run, warm):
    cold = run(*ADD_FY2024[:-1], "source=ministry-trade-data")
    assert cold.exit_code in (0, 1), cold.output
    run("exports", "--json")  # the cache again
    with no_whole_reads() as calls:
        result = run(*ADD_FY2024)
    assert result.exit_code == 0, result.output
    assert calls == []
    assert_cache_as_rebuilt()


def test_problems_read_the_same_with_a_warm_cache(run, user_file, clean_env):
    bad = [*ADD_FY2024[:-1], "source=no-such-source"]
    assert run("facts", "init").exit_code == 0
    cold = run(*bad)
    assert run("exports", "--json").exit_code == 0
    assert cache.cached(chain()) is not None
    warm = run(*bad)
    assert (warm.exit_code, warm.stderr) == (cold.exit_code, cold.stderr)
    assert cold.exit_code == 1 and "no-such-source" in cold.stderr


def test_rank_of_a_bundled_claim_is_an_appended_override(run, warm):
    rows = run.json("exports", "--json")
    claim = rows[0]["id"]
    with no_whole_reads() as calls:
        result = run("facts", "rank", claim, "deprecated", "--reason", "a test")
    assert result.exit_code == 0, result.output
    assert calls == []
    assert "wrote an override" in result.stderr
    assert_cache_as_rebuilt()
    mine = tomllib.loads(warm.read_text())["exports"]
    assert [(r["id"], r["rank"]) for r in mine] == [(claim, "deprecated")]


def many(user_file: Path, n: int = 200) -> Path:
    """A user file of N exports of FY2020, a country each, citing a source of its own."""
    from cover_glass_cli.domain.schema import SCHEMA_VERSION

    blocks = ['[[sources]]\nid = "mine"\ntitle = "My figures"\nkind = "dataset"\n']
    for i in range(n):
        blocks.append(
            f'[[exports]]\nid = "m{i}"\ncountry = "Land {i}"\nproduct = "glass"\nfy = 2020\n'
            f'value = {i + 1}\nunit = "INR crore"\nqualifier = "exact"\nsource = "mine"\n'
        )
    user_file.parent.mkdir(parents=True, exist_ok=True)
    user_file.write_text(f"schema_version = {SCHEMA_VERSION}\n\n" + "\n".join(blocks))
    return user_file


@contextlib.contextmanager
def counted() -> Iterator[dict[str, int]]:
    """Bytes hashed with SHA-256 and export records read back from the tables, while inside."""
    import hashlib

    from cover_glass_cli.domain import tables

    seen = {"hashed": 0, "records": 0}
    real_sha, real_record = hashlib.sha256, tables.record

    class Counting:
        def __init__(self, data: bytes = b"") -> None:
            self.digest = real_sha(data)
            seen["hashed"] += len(data)

        def update(self, data: bytes) -> None:
            seen["hashed"] += len(data)
            self.digest.update(data)

        def copy(self) -> Counting:
            other = Counting()
            other.digest = self.digest.copy()
            return other

        def hexdigest(self) -> str:
            return self.digest.hexdigest()

    def record(kind, row):
        seen["records"] += kind == "exports"
        return real_record(kind, row)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(hashlib, "sha256", Counting)
        mp.setattr(tables, "record", record)
        yield seen


ADD_LAND = ["facts", "add", "exports", "id=new", "country=Land X", "product=glass", "fy=2020"]
ADD_LAND += ["value=5", "unit=crore", "qualifier=exact", "source=mine"]


@pytest.mark.parametrize("coarse", [True, False], ids=["whole-seconds", "fine-times"])
def test_add_hashes_the_file_at_most_once_and_reads_only_the_subject(
    run, user_file, clean_env, monkeypatch, coarse
):
    """With a cache made a moment ago on a file system keeping whole seconds (racy: its
    stamp needs the hash), one add hashes the user file once, the new text extending that
    hash; where times are finer, not at all. Either way it reads back only the records of
    the new one's subject, not every record of its year."""
    from cover_glass_cli.store import stamps

    if coarse:
        monkeypatch.setattr(stamps, "tick", lambda mtime_ns, ctime_ns: stamps.RACY_NS)
    many(user_file)
    time.sleep(2 * stamps.FINE_NS / 1e9)  # fine times: the cache's stamp is not racy
    assert run("exports", "--json").exit_code == 0
    size = user_file.stat().st_size
    with no_whole_reads() as calls, counted() as seen:
        result = run(*ADD_LAND)
    assert result.exit_code == 0, result.output
    assert calls == []
    grown = user_file.stat().st_size - size
    if coarse:
        assert size <= seen["hashed"] <= size + grown
    else:
        assert seen["hashed"] == 0
    assert seen["records"] < 10, seen
    assert_cache_as_rebuilt()


def test_the_next_command_trusts_the_stamp_an_add_wrote(run, user_file, clean_env):
    """The file cgcli has just written under its lock, from bytes it holds, is not hashed
    again by the next command (the search after an add costs what the search costs), on
    a file system whose times are finer than a second."""
    many(user_file)
    assert run("exports", "--json").exit_code == 0
    assert run(*ADD_LAND).exit_code == 0
    st = user_file.stat()
    if st.st_mtime_ns % 1_000_000_000 == 0 or st.st_ctime_ns % 1_000_000_000 == 0:
        pytest.skip("this file system keeps whole seconds: its stamps stay racy for 2 s")
    with no_whole_reads() as calls, counted() as seen:
        found = run("search", "land x", "--json")
    assert found.exit_code == 0 and "new" in found.output
    assert calls == [] and seen["hashed"] == 0


def test_the_claims_note_is_asked_of_the_same_transaction(run, user_file, clean_env):
    many(user_file)
    assert run("exports", "--json").exit_code == 0
    other = ["facts", "add", "exports", "id=m7b", "country=  LAND 7 ", "product=Glass"]
    with no_whole_reads() as calls:
        result = run(*other, "fy=2020", "value=9", "unit=crore", "qualifier=exact", "source=mine")
    assert result.exit_code == 0, result.output
    assert calls == []
    assert "this subject now has 2 claims (m7, m7b)" in result.stderr
    assert_cache_as_rebuilt()


def test_a_refusal_by_index_keeps_the_cache(run, user_file, clean_env):
    many(user_file)
    assert run("exports", "--json").exit_code == 0
    same = ["facts", "add", "exports", "id=m3", "country=Land 3", "product=glass", "fy=2020"]
    with no_whole_reads() as calls:
        result = run(*same, "value=4", "unit=crore", "qualifier=exact", "source=mine")
    assert result.exit_code == 1
    assert "already holds this claim as m3" in result.stderr
    assert calls == []
    assert cache.cached(chain()) is not None  # nothing written: the cache stays fresh


def test_a_failed_write_by_index_leaves_file_and_cache_as_they_were(run, warm, monkeypatch):
    import errno

    from cover_glass_cli.store import writer

    before = warm.read_bytes()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writer.os, "replace", full)
    result = run(*ADD_FY2024)
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr and "unchanged" in result.stderr
    assert warm.read_bytes() == before
    monkeypatch.undo()
    facts = cache.cached(chain())  # the half change was not kept: none, or as rebuilt
    if facts is not None:
        facts.close()
        assert_cache_as_rebuilt()


def test_a_cache_failing_under_a_question_goes_the_whole_way(run, warm):
    """A row that does not make a record (a hand edited the cache) is never trusted: the
    add is checked against the whole chain and written once, and the cache is dropped."""
    import sqlite3

    db = cache.database_path(chain())
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("UPDATE exports SET unit = 'bogus'")
        conn.commit()
    result = run(*ADD_FY2024)
    assert result.exit_code == 0, result.output
    mine = tomllib.loads(warm.read_text())["exports"]
    assert [r["value"] for r in mine] == [128000]  # written once
    assert not db.exists() or cache.cached(chain()) is None or assert_cache_as_rebuilt() is None
