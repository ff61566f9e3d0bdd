"""Search through the cache's trigram index finds exactly what a plain scan of every record
finds: the index only narrows the records down, whatever the texts, numbers, cases and
words (the oracle is the same search with every record a candidate)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cover_glass_cli.domain import selection
from cover_glass_cli.domain.facts import Facts
from cover_glass_cli.store import Stamp, cache, reading
from cover_glass_cli.store.tomltext import toml_document

# Letters whose casefold is longer or other than their lower case, digits, spaces, quotes.
ALPHABET = "abcxyzABCXYZ019 -.\"\\'ßẞİıﬁΣσςĲĳéÉ"
texts = st.text(ALPHABET, min_size=1, max_size=12).filter(lambda t: t.strip())
numbers = st.integers(0, 10**6) | st.floats(0, 10**6, allow_nan=False, allow_infinity=False)


class Scan(Facts):
    """Every record a candidate: search worked out without the index."""

    def candidates(self, words: list[str]) -> dict[str, list[dict[str, object]]]:
        return self.all()


def document(
    names: list[str], aliases: list[list[str]], sites: list[tuple[int, str]], figures: list
) -> dict[str, object]:
    return {
        "schema_version": 2,
        "sources": [{"id": "s", "title": "A source", "kind": "test"}],
        "companies": [
            {"id": f"c{i}", "name": name, "aliases": aliases[i % len(aliases)] if aliases else []}
            | {"business": "glass", "source": "s"}
            for i, name in enumerate(names)
        ],
        "sites": [
            {"id": f"site{i}", "operator": f"c{operator % max(len(names), 1)}", "country": country}
            | {"status": "planned", "makes": "glass", "source": "s"}
            for i, (operator, country) in enumerate(sites)
            if names
        ],
        "exports": [
            {"id": f"x{i}", "country": country, "product": "phones", "fy": 2023, "value": value}
            | {"unit": "INR crore", "qualifier": "exact", "source": "s"}
            for i, (country, value) in enumerate(figures)
        ],
    }


def words_from(doc: dict[str, object], draw: st.DrawFn) -> list[str]:
    """Words to search for: parts of the values written (any case), numbers as written,
    and text of the same alphabet that may be in none."""
    values = [
        str(v) for kind in ("companies", "sites", "exports") for r in doc[kind] for v in r.values()
    ]  # type: ignore[attr-defined]
    words = []
    for _ in range(draw(st.integers(1, 3))):
        if values and draw(st.booleans()):
            value = draw(st.sampled_from(values))
            start = draw(st.integers(0, len(value) - 1))
            part = value[start : start + draw(st.integers(1, 8))]
            words.append(draw(st.sampled_from([part, part.upper(), part.casefold()])))
        else:
            words.append(draw(texts))
    return words


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, object], list[str]]:
    names = draw(st.lists(texts, max_size=4))
    aliases = draw(st.lists(st.lists(texts, max_size=2), max_size=2))
    sites = draw(st.lists(st.tuples(st.integers(0, 3), texts), max_size=3))
    figures = draw(st.lists(st.tuples(texts, numbers), max_size=6))
    doc = document(names, aliases, sites, figures)
    return doc, words_from(doc, draw)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cases())
def test_search_through_the_index_finds_what_a_scan_finds(
    tmp_path: Path, case: tuple[dict[str, object], list[str]]
) -> None:
    doc, words = case
    path = tmp_path / "facts.toml"
    path.write_text(toml_document(doc), encoding="utf-8")
    stamps: list[Stamp] = []
    facts = reading.merge([path], stamps=stamps)
    db = tmp_path / "facts.sqlite"
    db.unlink(missing_ok=True)
    cache.build(db, facts, stamps)
    cached = cache._open(db, [path])
    assert cached is not None
    scan = Scan(facts.files, facts.all(), {k: facts.origins(k) for k in facts.all()})
    for text in (" ".join(words), *words):
        assert selection.search(cached, text) == selection.search(scan, text), text
    cached.close()
    facts.close()
