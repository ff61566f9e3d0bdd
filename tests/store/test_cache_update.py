"""Curation's changes made to the cache in place (cache.updating): afterwards the cache
answers exactly as one built anew from the changed file, and is never rebuilt for it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXPORT, KINDS, write_facts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cover_glass_cli.domain import query, selection
from cover_glass_cli.domain.facts import Facts
from cover_glass_cli.domain.kinds import exports as export_kind
from cover_glass_cli.store import cache, cache_update, reading
from cover_glass_cli.store.tomltext import toml_document

COMPANY = {"id": "acme", "name": "Acme Glass", "business": "glass", "source": "src"}


def export(i: int, **extra: object) -> dict[str, object]:
    return {
        "id": f"e{i}",
        "country": "India",
        "product": "phones" if i % 2 else "glass",
        "fy": 2015 + i,
        "value": 10 + i,
        "unit": "INR crore",
        "qualifier": "exact",
        "source": "src",
        **extra,
    }


def document(exports: list[dict[str, object]], companies=(COMPANY,)) -> dict[str, object]:
    return {
        "schema_version": 2,
        "sources": [{"id": "src", "title": "A source", "kind": "test"}],
        "companies": list(companies),
        "exports": exports,
    }


def answers(facts: Facts) -> object:
    return (
        {kind: (facts[kind], facts.origins(kind)) for kind in KINDS},
        export_kind.years(facts),
        export_kind.select(facts, 2016, 2020, country="INDIA", product="Phones"),
        selection.search(facts, "india 2017"),
        selection.search(facts, "acme"),
        [selection.search(facts, f"e{i}") for i in range(8)],
        # what the search index itself holds: no more and no less than a new one would
        [
            facts.candidates([w])
            for w in ("india", "glass", "phones", "preferred", "filing", "12.5")
        ],
        query.rows(facts, "sources"),
        facts.with_id("e3"),
    )


def opened(path: Path) -> Facts:
    facts = cache._open(cache.database_path([path]), [path])
    assert facts is not None, "the cache was not kept fresh"
    facts._renew = None  # a failure must show, not be mended by reading the file again
    return facts


def change(path: Path, new: dict[str, object], edit) -> None:
    """EDIT(update) inside cache.updating, then the file written with NEW."""
    with cache_update.updating([path]) as update:
        assert update is not None
        edit(update)
        data = toml_document(new).encode()
        path.write_bytes(data)
        update.written(path, data)


def same_as_rebuilt(path: Path) -> None:
    import contextlib
    import sqlite3

    with contextlib.closing(sqlite3.connect(cache.database_path([path]))) as conn:
        conn.execute("INSERT INTO search (search) VALUES ('integrity-check')")
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    facts = opened(path)
    expected = reading.merge([path])
    assert answers(facts) == answers(expected)
    facts.close()
    expected.close()


@pytest.fixture
def start(clean_env, tmp_path) -> tuple[Path, list[dict[str, object]]]:
    exports = [export(i) for i in range(6)]
    path = tmp_path / "f.toml"
    path.write_text(toml_document(document(exports)), encoding="utf-8")
    cache.load([path]).close()
    return path, exports


def test_add_replace_and_delete_in_place(start, monkeypatch):
    path, exports = start
    built = []
    real = cache.build
    monkeypatch.setattr(cache, "build", lambda *a: built.append(1) or real(*a))
    added = export(6, growth_pct=12.5, growth_qualifier="exact", inferred=["growth_pct"])
    change(path, document([*exports, added]), lambda u: u.put("exports", added, 0))
    same_as_rebuilt(path)
    ranked = {**exports[3], "rank": "preferred", "rank_reason": "the filing"}
    now = [*exports[:3], ranked, *exports[4:], added]
    change(path, document(now), lambda u: u.put("exports", ranked, 0))
    same_as_rebuilt(path)
    kept = [r for r in now if r["id"] != "e1"]
    change(path, document(kept), lambda u: u.delete("exports", "e1"))
    same_as_rebuilt(path)
    assert built == []  # every change made in place


def test_a_later_file_overriding_a_record_keeps_its_place(clean_env, tmp_path):
    first = tmp_path / "a.toml"
    first.write_text(toml_document(document([export(i) for i in range(4)])), encoding="utf-8")
    later = tmp_path / "b.toml"
    write_facts(later, EXPORT.replace('"e1"', '"e9"'), version=2)
    cache.load([first, later]).close()
    override = {**export(2), "value": 999}
    with cache_update.updating([first, later]) as update:
        assert update is not None
        update.put("exports", override, 1)
        body = {"schema_version": 2, "exports": [{**EXPORT_E9}, override]}
        data = toml_document(body).encode()
        later.write_bytes(data)
        update.written(later, data)
    facts = cache._open(cache.database_path([first, later]), [first, later])
    assert facts is not None
    expected = reading.merge([first, later])
    assert answers(facts) == answers(expected)
    assert [r["id"] for r in facts["exports"]] == ["e0", "e1", "e2", "e3", "e9"]
    facts.close()
    expected.close()


EXPORT_E9 = {
    "id": "e9",
    "country": "India",
    "product": "phones",
    "fy": 2023,
    "value": 10,
    "unit": "INR crore",
    "qualifier": "exact",
    "source": "src",
}


@pytest.mark.parametrize("how", ["raised", "not-written", "renamed", "new-id-early", "unknown"])
def test_what_cannot_be_done_in_place_leaves_no_cache_to_trust(start, how):
    """The next read rebuilds: never a half change, never a stale answer."""
    path, _ = start
    db = cache.database_path([path])
    raised = pytest.raises(RuntimeError) if how == "raised" else _nothing()
    with raised, cache_update.updating([path]) as update:
        assert update is not None
        if how == "raised":
            update.put("exports", export(6), 0)
            raise RuntimeError("the file could not be written")
        if how == "not-written":
            update.put("exports", export(6), 0)
        elif how == "renamed":
            update.put("companies", {**COMPANY, "name": "Acme Two"}, 0)
        elif how == "new-id-early":
            update.put("exports", export(6), -1)
        else:
            update.delete("exports", "e99")
    assert not db.exists()
    assert cache._open(db, [path]) is None


def test_a_stale_cache_is_not_updated(start):
    path, exports = start
    path.write_text(toml_document(document(exports[:2])), encoding="utf-8")
    with cache_update.updating([path]) as update:
        assert update is None


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return False


# Any sequence of adds, replacements and removals, made in place, answers as a rebuild.
operations = st.lists(
    st.tuples(
        st.sampled_from(["add", "replace", "delete"]),
        st.integers(0, 30),
        st.sampled_from([None, "preferred", "deprecated"]),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations)
def test_any_sequence_of_changes_answers_as_a_rebuild(clean_env, tmp_path, steps) -> None:
    path = tmp_path / "seq.toml"
    exports = [export(i) for i in range(5)]
    path.write_text(toml_document(document(exports)), encoding="utf-8")
    cache.database_path([path]).unlink(missing_ok=True)
    cache.load([path]).close()
    for op, n, rank in steps:
        ids = [r["id"] for r in exports]
        if op == "add" and f"e{n}" not in ids:
            record = export(n, **({"rank": rank} if rank else {}))
            exports = [*exports, record]
            change(path, document(exports), lambda u, r=record: u.put("exports", r, 0))
        elif op == "replace" and exports:
            old = exports[n % len(exports)]
            record = {k: v for k, v in old.items() if k != "rank"}
            record.update({"rank": rank} if rank else {}, value=n)
            exports = [record if r is old else r for r in exports]
            change(path, document(exports), lambda u, r=record: u.put("exports", r, 0))
        elif op == "delete" and exports:
            gone = exports[n % len(exports)]["id"]
            exports = [r for r in exports if r["id"] != gone]
            change(path, document(exports), lambda u, g=gone: u.delete("exports", g))
    same_as_rebuilt(path)


@pytest.mark.parametrize("coarse", [True, False], ids=["whole-seconds", "fine-times"])
def test_based_on_checks_the_bytes_read_against_a_racy_stamp(start, monkeypatch, coarse):
    """The change's own read of the file stands for the freshness check's hash: bytes
    other than those cached (a change within the stamp's timestamp tick) are refused.
    Where times are whole seconds the new stamp stays racy and its hash extends that of
    the bytes read; where they are finer, the stamp cgcli wrote is settled, unhashed."""
    import hashlib

    from cover_glass_cli import store

    if coarse:
        monkeypatch.setattr(store, "tick", lambda mtime_ns, ctime_ns: store.RACY_NS)
    path, _ = start
    data, st = path.read_bytes(), path.stat()
    with cache_update.updating([path], based=path) as update:
        assert update is not None
        assert not update.based_on(path, st, lambda: data.replace(b"A source", b"B source"))
        assert update.based_on(path, st, lambda: data)
        more = b"\n# a comment\n"
        with path.open("ab") as f:
            f.write(more)
        update.written(path, data, more)
    import contextlib
    import sqlite3

    with contextlib.closing(sqlite3.connect(cache.database_path([path]))) as conn:
        key = cache.parse_key(cache.check_database(conn))
    expected = hashlib.sha256(data + more).hexdigest() if coarse else None
    assert key["files"][0]["sha256"] == expected
    assert store.racy(key["files"][0]) is coarse
    opened(path).close()  # and fresh


def test_based_on_reads_no_byte_of_a_file_whose_stamp_is_settled(start):
    """A stamp taken a tick after its file last changed tells it from any later change:
    the file the change opened is checked by its status alone, never read."""
    import time

    from cover_glass_cli import store

    path, _ = start
    time.sleep(2 * store.FINE_NS / 1e9)
    cache.remove(cache.database_path([path]))
    cache.load([path]).close()  # a stamp taken now: settled where times are fine
    st = path.stat()
    if st.st_mtime_ns % 1_000_000_000 == 0 or st.st_ctime_ns % 1_000_000_000 == 0:
        pytest.skip("this file system keeps whole seconds: its stamps stay racy for 2 s")

    def read() -> bytes:
        raise AssertionError("read")

    with cache_update.updating([path], based=path) as update:
        assert update is not None
        assert update.based_on(path, st, read)
        path.touch()  # the same bytes, but a change all the same
        assert not update.based_on(path, path.stat(), read)
