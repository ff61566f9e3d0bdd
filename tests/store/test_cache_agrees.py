"""The cache answers every question exactly as the merged facts it was built from."""

from __future__ import annotations

from pathlib import Path

from conftest import KINDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cover_glass_cli.domain import query, selection
from cover_glass_cli.domain.facts import Facts
from cover_glass_cli.domain.kinds import exports as export_kind
from cover_glass_cli.store import Stamp, cache, reading
from cover_glass_cli.store.tomltext import toml_document

COUNTRIES = ["India", "INDIA", "Viet Nam", "Straße", "STRASSE", "Ĳsland", "Türkiye"]
PRODUCTS = ["mobile phones", "Mobile Phones", "cover glass", "ß-chips", '"Gorilla" gl\\ass']
WORDS = ["india", "phone", "glass", "ss", "straße", "fy2023", "apr", "20", "x1", "acme", "ĳ"]
WORDS += ['"gorilla"', 'la"', "gl\\a", "2023"]  # quotes and backslashes are searched too

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


class Plain(Facts):
    """The answers worked out in plain Python over the parsed records: the oracle."""

    def where(self, kind, field, values):
        return [r for r in self[kind] if r.get(field) in set(values)]

    def candidates(self, words):
        return self.all()

    def cited_by(self, source, limit=50, offset=0):
        cited = [f"{k}:{r['id']}" for k in KINDS for r in self[k] if r.get("source") == source]
        return cited[offset : offset + limit]

    def cited_count(self, source):
        return len(self.cited_by(source, limit=10**9))

    def with_id(self, rid, kinds=KINDS):
        return [(k, r) for k in kinds for r in self[k] if r["id"] == rid]


def plain_select(facts, first=None, last=None, *, country=None, product=None):
    """kinds.export_kind.select worked out in plain Python."""
    c = country.casefold() if country is not None else None
    p = product.casefold() if product is not None else None
    return [
        r
        for r in facts["exports"]
        if (first is None or r["fy"] >= first)
        and (last is None or r["fy"] <= last)
        and (c is None or r["country"].casefold() == c)
        and (p is None or r["product"].casefold() == p)
    ]


def plain_spans(facts, spans):
    """kinds.export_kind.select_spans worked out in plain Python."""
    return [
        r
        for r in facts["exports"]
        if (key := (r["country"].casefold(), r["product"].casefold())) in spans
        and spans[key][0] <= r["fy"] <= spans[key][1]
    ]


def plain_years(facts):
    return sorted({r["fy"] for r in facts["exports"]})


def answers(facts: Facts, words: list[str]) -> object:
    oracle = isinstance(facts, Plain)
    select = plain_select if oracle else export_kind.select
    select_spans = plain_spans if oracle else export_kind.select_spans
    years = (plain_years if oracle else export_kind.years)(facts)
    subjects = sorted({(r["country"], r["product"]) for r in facts["exports"]})
    return (
        {kind: (facts[kind], facts.origins(kind)) for kind in KINDS},
        years,
        [select(facts, fy, fy) for fy in years],
        [select(facts, 2020, 2023, country=c.upper(), product=p) for c, p in subjects],
        [facts.where("exports", "country", [c]) for c, _ in subjects],
        select_spans(facts, {(c.casefold(), p.casefold()): (2020, 2023) for c, p in subjects}),
        selection.search(facts, " ".join(words)),
        [selection.search(facts, w) for w in words],
        [facts.cited_by("s", 3, offset) for offset in range(0, 30, 3)],
        facts.cited_count("s"),
        [facts.with_id(f"x{i}") for i in range(5)],
        query.rows(facts, "sources"),
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
    expected = answers(Plain(facts.files, facts.all(), {k: facts.origins(k) for k in KINDS}), words)
    assert answers(cached, words) == expected
    assert answers(facts, words) == expected  # the same tables, built in memory
    cached.close()
    facts.close()


def test_records_giving_their_fields_in_any_order_or_an_unknown_one_keep_every_value(
    tmp_path: Path,
) -> None:
    """The tables are filled a group of records at a time, those giving the same fields in
    the same order, under an INSERT naming just those columns: a record giving its fields
    in another order, with a list, or (built from facts made in memory) with a key that is
    no field, still reads back exactly, whatever group it fell in."""
    given = {"id": "x0", "country": "India", "product": "Phones", "fy": 2023, "value": 5}
    given |= {"unit": "INR crore", "qualifier": "exact", "source": "s"}
    reordered = {k: given[k] for k in reversed(given)} | {"id": "x1", "fy": 2022, "value": 7777}
    listed = given | {"id": "x2", "inferred": ["value"], "note": "noted", "quarter": 2}
    relisted = {k: listed[k] for k in reversed(listed)} | {"id": "x3"}
    stray = given | {"id": "x4", "not a field": 1, "fy": 2021}
    doc = document([], ["Acme"])
    doc["exports"] = [given, reordered, listed, relisted]
    path = tmp_path / "facts.toml"
    path.write_text(toml_document(doc), encoding="utf-8")
    stamps: list[Stamp] = []
    facts = reading.merge([path], stamps=stamps)
    db = tmp_path / "facts.sqlite"
    cache.build(db, facts, stamps)
    cached = cache._open(db, [path])
    assert cached is not None
    assert cached["exports"] == doc["exports"]
    assert export_kind.select(cached, 2023, 2023, country="INDIA") == [given, listed, relisted]
    assert [r["id"] for r in selection.search(cached, "phones 7777")] == ["x1"]
    assert [r["id"] for r in selection.search(cached, "NOTED")] == ["x2", "x3"]
    cached.close()
    memory = Facts([str(path)], {**facts.all(), "exports": [*doc["exports"], stray]}, {})
    without = {k: v for k, v in stray.items() if k != "not a field"}
    assert export_kind.select(memory, 2021, 2022) == [reordered, without]  # from its tables
    memory.close()


def test_records_made_in_memory_with_a_number_in_a_filter_field_still_make_tables() -> None:
    """Tables built from records that were never validated (made in memory): a filter
    field holding no text gets no casefolded copy, rather than failing the build."""
    given = {"id": "x0", "country": "India", "product": "Phones", "fy": 2023, "value": 5}
    given |= {"unit": "INR crore", "qualifier": "exact", "source": "s"}
    odd = given | {"id": "x1", "country": 7}
    memory = Facts(["memory"], {"exports": [given, odd]}, {})
    assert export_kind.select(memory, 2023, 2023, country="india") == [given]
    assert [r["id"] for r in export_kind.select(memory, 2023, 2023)] == ["x0", "x1"]
    memory.close()
