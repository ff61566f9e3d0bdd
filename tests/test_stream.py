"""Streaming fact files into the cache gives exactly what reading them whole gives."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cover_glass_cli import cache, loader
from cover_glass_cli.model import KINDS
from cover_glass_cli.store import Facts, FactsError
from cover_glass_cli.writer import toml_records

SOURCE = {"id": "src", "title": "A source", "kind": "test"}


def export(rid: str, fy: int, value: int, **extra: object) -> dict[str, object]:
    return {
        "id": rid,
        "country": "India",
        "product": "phones",
        "fy": fy,
        "value": value,
        "unit": "INR crore",
        "qualifier": "exact",
        "source": "src",
        **extra,
    }


def write(path: Path, records: dict[str, list[dict[str, object]]], preamble: str = "") -> Path:
    body = "".join(toml_records(kind, items) + "\n" for kind, items in records.items() if items)
    path.write_text(f"schema_version = 1\n{preamble}\n{body}", encoding="utf-8")
    return path


def streamed(paths: list[Path], root: Path) -> Facts | None:
    """The facts as the cache holds them after streaming PATHS; None when the stream
    left them to merge()."""
    key = cache._key(paths)
    folder = root / "facts-test-key"
    if not cache._stream(paths, root, "facts-test", folder, key):
        return None
    facts = cache._open(folder, key, lambda: pytest.fail("the cache needed a rebuild"))
    assert facts is not None
    return facts


def snapshot(facts: Facts) -> dict[str, object]:
    """Every kind's records and origins; exports by fiscal year, as the cache keeps them
    (in the order of the files within a year)."""
    out: dict[str, object] = {kind: (facts[kind], facts.origins(kind)) for kind in KINDS}
    pairs = zip(facts["exports"], facts.origins("exports"), strict=True)
    out["exports"] = sorted(pairs, key=lambda pair: pair[0]["fy"])
    return out


exports_st = st.builds(
    export,
    st.sampled_from(["a", "b", "c", "d", "e"]),
    st.sampled_from([2021, 2022, 2023]),
    st.integers(1, 99),
)


@st.composite
def chains(draw):
    """1-3 fact files of exports and companies, ids drawn from small pools so that later
    files replace earlier ones (sometimes in another fiscal year) and duplicates happen."""
    files = []
    for i in range(draw(st.integers(1, 3))):
        exports = draw(st.lists(exports_st, max_size=6, unique_by=lambda r: r["id"]))
        if exports and draw(st.integers(0, 9)) == 0:
            exports.append(dict(exports[0]))  # a duplicate id within the file
        for record in exports:
            if draw(st.integers(0, 9)) == 0:
                record["inferred"] = ["fy"]  # an array: this block goes to tomllib
            if draw(st.integers(0, 39)) == 0:
                record["source"] = "nowhere"  # a broken reference
        companies = draw(
            st.lists(
                st.builds(
                    lambda rid, name: {"id": rid, "name": name, "business": "x", "source": "src"},
                    st.sampled_from(["co1", "co2"]),
                    st.sampled_from(["A", "B\\C", 'say "hi"']),
                ),
                max_size=2,
                unique_by=lambda c: c["id"],
            )
        )
        sources = [SOURCE] if i == 0 or draw(st.booleans()) else []
        inline = draw(st.booleans()) and not exports
        files.append((sources, companies, exports, inline))
    return files


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(chains())
def test_streaming_agrees_with_reading_whole(tmp_path, chain):
    run = Path(tempfile.mkdtemp(dir=tmp_path))  # hypothesis runs many examples per tmp_path
    paths = []
    for i, (sources, companies, exports, inline) in enumerate(chain):
        preamble = ""
        if inline and companies:  # companies as an inline array of tables, in the preamble
            items = ", ".join(
                "{" + ", ".join(f'{k} = "{v}"' for k, v in c.items()) + "}" for c in companies
            )
            preamble, companies = f"companies = [{items.replace(chr(92), chr(92) * 2)}]\n", []
        paths.append(
            write(
                run / f"f{i}.toml",
                {"sources": sources, "companies": companies, "exports": exports},
                preamble,
            )
        )
    try:
        whole = loader.merge(paths)
    except FactsError:
        assert streamed(paths, run / "cache") is None, "streamed what merge() refuses"
        return
    got = streamed(paths, run / "cache")
    if got is None:
        # The one valid chain left to merge(): a replaced export named a missing source
        # (merge() never sees the replaced record; the stream checked it on the way).
        named = {r["source"] for _, _, exports, _ in chain for r in exports}
        assert "nowhere" in named, "a valid chain was not streamed"
        return
    assert snapshot(got) == snapshot(whole)
    assert got.export_years() == whole.export_years()


def test_a_plain_file_is_streamed_not_read_whole(tmp_path, monkeypatch):
    exports = [export(f"x{i}", 2000 + i % 30, i + 1) for i in range(3000)]
    path = write(tmp_path / "big.toml", {"sources": [SOURCE], "exports": exports})
    monkeypatch.setattr(cache._Folder, "FLUSH", 100)  # several appends to each year's file
    monkeypatch.setattr(loader, "merge", lambda *a: pytest.fail("read whole"))
    monkeypatch.setattr(loader, "parse", lambda *a: pytest.fail("parsed whole"))
    facts = streamed([path], tmp_path / "cache")
    assert facts is not None
    assert [r["id"] for r in facts.exports_in(2005, 2005)] == [
        f"x{i}" for i in range(3000) if 2000 + i % 30 == 2005
    ]
    assert len(facts["exports"]) == 3000


def test_a_replacement_keeps_the_first_place_and_moves_year(tmp_path):
    first = write(
        tmp_path / "a.toml",
        {"sources": [SOURCE], "exports": [export("a", 2022, 1), export("b", 2022, 2)]},
    )
    second = write(
        tmp_path / "b.toml",
        {"exports": [export("c", 2023, 3), export("a", 2023, 9), export("b", 2022, 8)]},
    )
    facts = streamed([first, second], tmp_path / "cache")
    assert facts is not None
    assert snapshot(facts) == snapshot(loader.merge([first, second]))
    # by year; within a year, in the order the ids first appear
    assert [(r["id"], r["value"]) for r in facts["exports"]] == [("b", 8), ("a", 9), ("c", 3)]
    assert facts.origins("exports") == [1, 1, 1]
