"""The bundled facts: valid, every reference resolves, and every claim of the report is there.

The expected values below were read off the source report by hand
(../shared/source/jv-announcement-report.txt), not from the program.
"""

from __future__ import annotations

import tomllib

import pytest

from cover_glass_cli.domain.schema import KINDS, QUALIFIERS, UNITS
from cover_glass_cli.store import bundled_path
from cover_glass_cli.store.reading import merge


@pytest.fixture(scope="module")
def facts():
    return merge([bundled_path()])


@pytest.fixture(scope="module")
def raw():
    return tomllib.loads(bundled_path().read_text(encoding="utf-8"))


def test_bundled_file_is_valid_and_cites_sources(facts):
    source_ids = {s["id"] for s in facts["sources"]}
    for kind in KINDS:
        for record in facts[kind]:
            if kind != "sources":
                assert record["source"] in source_ids, (kind, record["id"])


def test_every_figure_has_unit_and_qualifier(facts):
    for kind in ("exports", "value_addition"):
        for record in facts[kind]:
            assert record["unit"] in UNITS
            assert record["qualifier"] in QUALIFIERS
            assert ("value" in record) != ("low" in record and "high" in record)


def test_schema_version_first(raw):
    assert next(iter(raw)) == "schema_version"


def test_companies(facts):
    companies = facts.by_id("companies")
    assert companies["optiemus"]["founded"] == 1993
    assert companies["optiemus"]["name"] == "Optiemus Infracom"
    assert "Optiemus Infracom Limited" in companies["optiemus"]["aliases"]
    assert companies["corning"]["name"] == "Corning International Corporation"
    assert companies["corning"]["products"] == ["Gorilla Glass"]
    assert set(companies["corning"]["specialties"]) >= {"specialty glass", "ceramics"}


def test_gorilla_glass_sites(facts):
    gorilla = [s for s in facts["sites"] if s["makes"] == "Gorilla Glass"]
    assert sorted(s["country"] for s in gorilla) == ["Japan", "Taiwan", "United States"]
    assert {s["operator"] for s in gorilla} == {"corning"}
    venture = [s for s in facts["sites"] if s["operator"] == "optiemus-corning-jv"]
    assert {(s["country"], s["makes"]) for s in venture} == {
        ("India", "Finished smartphone cover glass")
    }  # one plant: each later report a claim on the same subject
    assert [s["status"] for s in venture] == ["planned"] * 4 + ["operating"]


def test_customers(facts):
    assert sorted(c["name"] for c in facts["customers"]) == ["HTC", "Jio", "LG", "OnePlus", "Oppo"]


def test_person_and_statements(facts):
    (person,) = facts["people"]
    assert (person["name"], person["title"], person["company"]) == (
        "Ashok Kumar Gupta",
        "Chairman",
        "optiemus",
    )
    speakers = {s["speaker"] for s in facts["statements"]}
    assert speakers == {"ashok-kumar-gupta", "optiemus"}


def test_venture(facts):
    (venture,) = facts["ventures"]
    assert venture["partners"] == ["optiemus", "corning"]
    assert venture["announced_by"] == "optiemus"
    assert venture["country"] == "India"
    assert venture["goal_years"] == 5


def test_exports_figures(facts):
    exports = {(r["fy"], r.get("quarter")): r for r in facts["exports"]}
    fy22, fy23, q1 = exports[(2022, None)], exports[(2023, None)], exports[(2024, 1)]
    assert (fy22["value"], fy22["qualifier"]) == (45000, "exact")
    assert (fy23["value"], fy23["qualifier"], fy23["growth_pct"]) == (90000, "over", 100)
    assert (q1["value"], q1["qualifier"]) == (30000, "over")
    assert (q1["growth_pct"], q1["growth_qualifier"]) == (100, "over")
    assert q1["inferred"] == ["fy"] and "April-June" in q1["note"]
    assert all(r["unit"] == "INR crore" for r in exports.values())


def test_value_addition(facts):
    va = {r["country"]: r for r in facts["value_addition"]}
    assert (va["India"]["value"], va["India"]["qualifier"]) == (15, "approximate")
    assert (va["Brazil"]["low"], va["Brazil"]["high"]) == (20, 22)
    assert (va["Vietnam"]["low"], va["Vietnam"]["high"]) == (30, 33)
    assert (va["China"]["low"], va["China"]["high"]) == (50, 52)


def test_market_facts(facts):
    rank = facts.by_id("market_facts")["india-export-rank"]
    assert (rank["subject"], rank["position"]) == ("India", 2)
    assert "rank" not in rank  # a claim rank, not given: normal


def test_about_forty_claims(facts):
    """The report makes about forty claims; count the facts the data holds."""
    count = 0
    for kind in KINDS:
        for record in facts[kind]:
            count += sum(
                1 for k, v in record.items() if k not in ("id", "source", "note", "inferred") and v
            )
    assert count >= 40
