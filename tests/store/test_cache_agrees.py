"""The cache answers every question exactly as the merged facts it was built from."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cover_glass_cli.domain import query
from cover_glass_cli.domain.facts import Facts
from cover_glass_cli.domain.schema import KINDS
from cover_glass_cli.store import cache, reading
from cover_glass_cli.store.stamps import Stamp
from cover_glass_cli.store.tomltext import toml_document

COUNTRIES = ["India", "INDIA", "Viet Nam", "Straße", "STRASSE", "Ĳsland", "Türkiye"]
PRODUCTS = ["mobile phones", "Mobile Phones", "cover glass", "ß-chips"]
WORDS = ["india", "phone", "glass", "ss", "straße", "fy2023", "apr", "20", "x1", "acme", "ĳ"]

exports = st.lists(
    st.fixed_dictionaries(
        {
            "country": st.sampled_from(COUNTRIES),
            "product": st.sampled_from(PRODUCTS),
            "fy": st.integers(2019, 2024),
            "quarter": st.sampled_from([None, 1, 2, 3, 4]),
            "value": st.integers(0, 10**6),
            "qualifier": st.sampled_from(["exact", "over", "under", "approximate"]),
        }
    ),
    max_size=25,
)
companies = st.lists(st.sampled_from(["Acme Glass", "Straße AG", "ĲSSEL", "Phone Co"]), max_size=4)


def document(export_specs: list[dict[str, object]], names: list[str]) -> dict[str, object]:
    records = []
    for i, spec in enumerate(export_specs):
        record = {k: v for k, v in spec.items() if v is not None}
        records.append({"id": f"x{i}", **record, "unit": "INR crore", "source": "s"})
    return {
        "schema_version": 1,
        "sources": [{"id": "s", "title": "A source", "kind": "test"}],
        "companies": [
            {"id": f"c{i}", "name": name, "business": "glass", "source": "s"}
            for i, name in enumerate(names)
        ],
        "exports": records,
    }


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 4 records, so that a few records already span several."""
    monkeypatch.setattr(cache, "CHUNK", 4)


def answers(facts: Facts, words: list[str]) -> object:
    years = facts.export_years()
    subjects = sorted({(r["country"], r["product"]) for r in facts["exports"]})
    return (
        {kind: (facts[kind], facts.origins(kind)) for kind in KINDS},
        years,
        [facts.exports(fy, fy) for fy in years],
        [facts.exports(2020, 2023, country=c.upper(), product=p) for c, p in subjects],
        [facts.where("exports", "country", [c]) for c, _ in subjects],
        facts.exports_of({(c.casefold(), p.casefold()): (2020, 2023) for c, p in subjects}),
        query.search(facts, " ".join(words)),
        [query.search(facts, w) for w in words],
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    exports,
    companies,
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
    st.none() | exports,
)
def test_the_cache_gives_the_same_answers(tmp_path: Path, specs, names, words, later) -> None:
    """One file, or two where the second's records replace the first's of the same id
    (x0, x1 ...) and add their own."""
    paths = [tmp_path / "facts.toml"]
    paths[0].write_text(toml_document(document(specs, names)), encoding="utf-8")
    if later is not None:
        paths.append(tmp_path / "later.toml")
        override = document(later, [])
        del override["sources"], override["companies"]
        paths[1].write_text(toml_document(override), encoding="utf-8")
    stamps: list[Stamp] = []
    facts = reading.merge(paths, stamps=stamps)
    db = tmp_path / "facts.sqlite"
    db.unlink(missing_ok=True)
    cache.build(db, facts, stamps)
    cached = cache._open(db, paths)
    assert cached is not None
    assert answers(cached, words) == answers(facts, words)
