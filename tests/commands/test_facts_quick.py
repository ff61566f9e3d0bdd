"""facts add and facts rank with a warm cache: checked by index, appended, the cache
updated in place; never the whole chain parsed again, and the same answers and
messages as without a cache."""

from __future__ import annotations

import contextlib
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
