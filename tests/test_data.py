"""The bundled facts: valid, every reference resolves, and every claim of the report is there.

The expected values below were read off the source report by hand
(../shared/source/jv-announcement-report.txt), not from the program.
"""

from __future__ import annotations

import tomllib

import pytest
from conftest import KINDS

from cover_glass_cli.domain.registry import QUALIFIERS, UNITS
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
    exports = facts.by_id("exports")
    fy22, fy23, q1 = (
        exports["exports-fy2022"],
        exports["exports-fy2023"],
        exports["exports-fy2024-q1"],
    )
    assert (fy22["value"], fy22["qualifier"]) == (45000, "exact")
    assert (fy23["value"], fy23["qualifier"], fy23["growth_pct"]) == (90000, "over", 100)
    assert (q1["value"], q1["qualifier"]) == (30000, "over")
    assert (q1["growth_pct"], q1["growth_qualifier"]) == (100, "over")
    assert q1["inferred"] == ["fy"] and "April-June" in q1["note"]
    assert "convention" in q1["note"]  # Q1 = April-June is the Indian convention, not the report
    assert all(r["unit"] == "INR crore" for r in exports.values())


# The later sources, read off the saved pages by hand (figure, qualifier, status, source).
LATER_EXPORTS = {
    "exports-fy2015-newsdrum-2024-03-07": (2015, 1556, "exact", "recorded"),
    "exports-fy2021-ani-2022-12-22": (2021, 22500, "exact", "recorded"),
    "exports-fy2021-latestly-2022-03-24": (2021, 24000, "approximate", "recorded"),
    "exports-fy2022-latestly-2022-03-24": (2022, 43500, "over", "estimate"),
    "exports-fy2022-ani-2022-12-22": (2022, 45000, "exact", "recorded"),
    "exports-fy2023-moneycontrol-2023-04-12": (2023, 90000, "over", "provisional"),
    "exports-fy2024-newsdrum-2024-03-07": (2024, 120000, "exact", "estimate"),
    "exports-fy2024-mpost-2025-04-11": (2024, 129000, "exact", "recorded"),
    "exports-fy2025-mpost-2025-04-11": (2025, 200000, "over", "recorded"),
    "exports-fy2025-hawk-2026-03-11": (2025, 200000, "approximate", "recorded"),
    "exports-fy2025-bharatbiz-2025-07-24": (2025, 208248, "exact", "recorded"),
}


def test_later_exports(facts):
    exports = facts.by_id("exports")
    for rid, (fy, value, qualifier, status) in LATER_EXPORTS.items():
        r = exports[rid]
        assert (r["fy"], r["value"], r["qualifier"], r["status"]) == (fy, value, qualifier, status)
        assert r["source"] in rid and r["stated"] <= "2026-12-04"
    # the figure recorded after the year ended ranks above the estimate, and says why
    assert exports["exports-fy2024-mpost-2025-04-11"]["rank"] == "preferred"
    assert "estimate" in exports["exports-fy2024-mpost-2025-04-11"]["rank_reason"]
    assert exports["exports-fy2025-mpost-2025-04-11"]["growth_pct"] == 55


def test_value_addition(facts):
    va = facts.by_id("value_addition")
    assert (va["va-india"]["value"], va["va-india"]["qualifier"]) == (15, "approximate")
    assert (va["va-brazil"]["low"], va["va-brazil"]["high"]) == (20, 22)
    assert (va["va-vietnam"]["low"], va["va-vietnam"]["high"]) == (30, 33)
    assert (va["va-china"]["low"], va["va-china"]["high"]) == (50, 52)
    # the later sources: Counterpoint > 15, MeitY 10-15, CDS 23 (another measure), 2016 baseline
    assert (
        va["va-india-dtnext-2023-08-14"]["value"],
        va["va-india-dtnext-2023-08-14"]["qualifier"],
    ) == (15, "over")
    assert (va["va-india-bs-2023-12-05"]["low"], va["va-india-bs-2023-12-05"]["high"]) == (10, 15)
    cds = va["va-india-dva-bharatbiz-2025-07-24"]
    assert cds["value"] == 23 and cds["scope"] != va["va-india"]["scope"]
    baseline = {r["country"]: r for r in va.values() if r.get("year") == 2016}
    assert {c: (r["value"], r["qualifier"]) for c, r in baseline.items()} == {
        "India": (5.6, "exact"),
        "Vietnam": (35, "exact"),
        "Brazil": (17, "exact"),
        "China": (70, "over"),
    }


def test_rankings_say_what_they_rank(facts):
    ranks = {(r["among"], r["product"], r.get("year"), r["position"]) for r in facts["rankings"]}
    assert ("exporters", "smartphones", None, 2) in ranks  # the report and BS, no year
    assert ("exporters", "smartphones", 2022, 7) in ranks  # The Hindu's trade data
    assert ("exporters", "mobile phones", 2024, 3) in ranks  # the CDS study, calendar 2024
    assert ("producers", "mobile phones", None, 2) in ranks  # not an export rank
    report = facts.by_id("rankings")["india-export-rank"]  # moved from market facts, same id
    assert (report["subject"], report["position"], report["source"]) == ("India", 2, "jv-report")


def test_market_facts(facts):
    challenge = facts.by_id("market_facts")["india-value-addition-challenge"]
    assert "unsolved" not in challenge["statement"]  # the report: "has remained a challenge"
    assert "india-export-rank" not in facts.by_id("market_facts")


def test_about_forty_claims(facts):
    """The report makes about forty claims; count the facts the data holds."""
    count = 0
    for kind in KINDS:
        for record in facts[kind]:
            count += sum(
                1 for k, v in record.items() if k not in ("id", "source", "note", "inferred") and v
            )
    assert count >= 40
