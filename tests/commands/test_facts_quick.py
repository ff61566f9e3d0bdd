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


def assert_no_half_change() -> None:
    """A failed change kept nothing half done: no cache, or one as rebuilt."""
    facts = cache.cached(chain())
    if facts is not None:
        facts.close()
        assert_cache_as_rebuilt()


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
    from cover_glass_cli.domain.facts import SCHEMA_VERSION

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
    from cover_glass_cli import store

    if coarse:
        monkeypatch.setattr(store, "tick", lambda mtime_ns, ctime_ns: store.RACY_NS)
    many(user_file)
    time.sleep(2 * store.FINE_NS / 1e9)  # fine times: the cache's stamp is not racy
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


def test_a_failed_write_by_index_leaves_file_and_cache_as_they_were(
    run, warm, disk_full, monkeypatch
):
    before = warm.read_bytes()
    disk_full()
    result = run(*ADD_FY2024)
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr and "unchanged" in result.stderr
    assert warm.read_bytes() == before
    monkeypatch.undo()
    assert_no_half_change()


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


def commented(user_file: Path) -> bytes:
    """many(), with a comment above, inside and after m5, the way a curator writes."""
    text = many(user_file).read_text()
    text = text.replace('id = "m5"\n', '# checked twice\nid = "m5"\n# late\n')
    text = text.replace('[[exports]]\nid = "m6"', '# the next one\n\n[[exports]]\nid = "m6"')
    user_file.write_text(text)
    return user_file.read_bytes()


def test_remove_takes_out_only_its_lines_and_updates_the_cache(run, user_file, clean_env):
    """By index: neither the chain parsed nor the cache rebuilt, the file hashed at most
    twice (the racy stamp's check, the new stamp), only the subject's records read; the
    file as the whole way writes it (tomltext.remove_record)."""
    from cover_glass_cli.store.tomltext import remove_record

    before = commented(user_file)
    assert run("exports", "--json").exit_code == 0
    expected = remove_record(before.decode(), "exports", "m5")
    assert expected is not None and "# the next one" in expected
    with no_whole_reads() as calls, counted() as seen:
        result = run("facts", "remove", "m5")
    assert result.exit_code == 0, result.output
    assert calls == []
    assert "removed exports m5" in result.stderr
    assert user_file.read_text() == expected
    assert seen["hashed"] <= 2 * len(before)
    assert seen["records"] < 30, seen  # the subject's candidates (Land 5, 50-59...), not 200
    assert_cache_as_rebuilt()
    assert run("facts", "restore", "1").exit_code == 0  # the backup is the file before
    assert user_file.read_bytes() == before


def test_remove_of_a_record_others_need_is_refused_as_without_a_cache(run, user_file, clean_env):
    many(user_file)
    cold = run("facts", "remove", "mine")
    assert cold.exit_code == 1 and "other records still need mine" in cold.stderr
    assert run("exports", "--json").exit_code == 0
    warm = run("facts", "remove", "mine")
    assert (warm.exit_code, warm.stderr) == (cold.exit_code, cold.stderr)
    assert tomllib.loads(user_file.read_text())["sources"][0]["id"] == "mine"
    assert cache.cached(chain()) is not None  # nothing written: the cache stays fresh


def test_remove_of_a_claim_beside_the_bundled_ones_by_index(run, warm):
    add = ["facts", "add", "exports", "id=my-own-claim", "country=Land Y", "product=glass"]
    added = run(*add, "fy=2020", "value=5", "unit=crore", "qualifier=exact", "source=jv-report")
    assert added.exit_code == 0, added.output
    before = warm.read_text()
    assert run("exports", "--json").exit_code == 0
    with no_whole_reads() as calls:
        result = run("facts", "remove", "exports:my-own-claim")
    assert result.exit_code == 0, result.output
    assert calls == []
    assert "my-own-claim" not in warm.read_text() and "my-own-claim" in before
    assert_cache_as_rebuilt()


def test_remove_of_an_override_puts_the_bundled_record_back(run, warm):
    """The cache holds only the records in use: removing an override goes the whole way,
    which says the bundled record is in use again and leaves no stale cache."""
    claim = run.json("exports", "--json")[0]["id"]
    assert run("facts", "rank", claim, "deprecated").exit_code == 0
    assert run("exports", "--json").exit_code == 0
    result = run("facts", "remove", claim)
    assert result.exit_code == 0, result.output
    assert "is in use again" in result.stderr
    facts = cache.cached(chain())
    if facts is not None:
        facts.close()
        assert_cache_as_rebuilt()
    assert run.json("exports", "--json")[0]["id"] == claim


def test_rank_in_place_rewrites_only_its_lines(run, user_file, clean_env):
    from cover_glass_cli.store.tomltext import rewrite_record

    before = commented(user_file)
    assert run("exports", "--json").exit_code == 0
    old = tomllib.loads(before.decode())["exports"][5]
    ranked = {**old, "rank": "deprecated", "rank_reason": "a test"}
    expected = rewrite_record(before.decode(), "exports", ranked)
    assert expected is not None
    with no_whole_reads() as calls, counted() as seen:
        result = run("facts", "rank", "m5", "deprecated", "--reason", "a test")
    assert result.exit_code == 0, result.output
    assert calls == []
    assert "set the rank of exports m5 to deprecated" in result.stderr
    assert user_file.read_text() == expected
    assert seen["records"] < 10, seen
    assert_cache_as_rebuilt()


def test_a_file_with_multiline_strings_goes_the_whole_way(run, user_file, clean_env):
    text = many(user_file).read_text()
    text = text.replace('id = "m5"\n', 'id = "m5"\nnote = """\n[[exports]]\nid = "m6"\n"""\n')
    user_file.write_text(text)
    assert run("exports", "--json").exit_code == 0
    result = run("facts", "remove", "m6")
    assert result.exit_code == 0, result.output
    mine = tomllib.loads(user_file.read_text())["exports"]
    assert [r["id"] for r in mine if r["id"] in ("m5", "m6")] == ["m5"]
    assert '"""\n[[exports]]\nid = "m6"\n"""' in user_file.read_text()


@pytest.mark.parametrize(
    "change", [["remove", "m5"], ["rank", "m5", "preferred"]], ids=["remove", "rank"]
)
def test_a_failed_rewrite_by_index_leaves_file_and_cache_as_they_were(
    run, user_file, clean_env, disk_full, monkeypatch, change
):
    before = commented(user_file)
    assert run("exports", "--json").exit_code == 0
    disk_full()
    with no_whole_reads() as calls:
        result = run("facts", *change)
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr and "unchanged" in result.stderr
    assert calls == []
    assert user_file.read_bytes() == before
    monkeypatch.undo()
    assert_no_half_change()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("\n", "\r\n"),
        ('id = "m5"', "id = 'm5'  # a literal string"),
        ('[[exports]]\nid = "m5"', '  [[ exports ]]  # indented\nid = "m5"'),
    ],
    ids=["crlf", "literal-id", "indented-header"],
)
def test_remove_by_index_as_the_whole_way_writes_it(run, user_file, clean_env, old, new):
    from cover_glass_cli.store.tomltext import remove_record

    user_file.write_bytes(many(user_file).read_bytes().replace(old.encode(), new.encode()))
    before = user_file.read_bytes()
    expected = remove_record(before.decode(), "exports", "m5")
    assert expected is not None
    assert run("exports", "--json").exit_code == 0
    with no_whole_reads() as calls:
        result = run("facts", "remove", "m5")
    assert result.exit_code == 0, result.output
    assert calls == []
    assert user_file.read_bytes() == expected.encode()
    assert_cache_as_rebuilt()


def test_remove_of_a_company_a_venture_lists_is_refused_as_without_a_cache(run, user_file):
    """A reference in a list (partners) is found by index too: the whole check refuses."""
    from conftest import SOURCE, write_facts

    user_file.parent.mkdir(parents=True, exist_ok=True)
    body = SOURCE + "".join(
        f'\n[[companies]]\nid = "{c}"\nname = "Co {c}"\nbusiness = "glass"\nsource = "src"\n'
        for c in ("ca", "cb", "cc")
    )
    body += '\n[[ventures]]\nid = "jv"\nname = "JV"\nkind = "joint venture"\n'
    body += 'partners = ["ca", "cb"]\ncountry = "India"\nsource = "src"\n'
    write_facts(user_file, body)
    cold = run("facts", "remove", "cb")
    assert cold.exit_code == 1 and "other records still need cb" in cold.stderr, cold.output
    assert run("companies", "--json").exit_code == 0
    warm = run("facts", "remove", "cb")
    assert (warm.exit_code, warm.stderr) == (cold.exit_code, cold.stderr)
    with no_whole_reads() as calls:
        free = run("facts", "remove", "companies:cc")
    assert free.exit_code == 0, free.output
    assert 'id = "cc"' not in user_file.read_text() and 'id = "cb"' in user_file.read_text()
    assert calls == [] or cache.cached(chain()) is None  # a named kind may drop the cache
    facts = cache.cached(chain())
    if facts is not None:
        facts.close()
        assert_cache_as_rebuilt()
