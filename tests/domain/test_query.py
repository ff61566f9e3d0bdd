"""query.py's claim-aware rows: one row per subject, claim fields, growth from best claims,
the records a later file replaces; numbers as people type them; schema-1 files read as 2."""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import KINDS
from hypothesis import given
from hypothesis import strategies as st

from cover_glass_cli.domain.facts import Facts
from cover_glass_cli.domain.query import fields_of, listing, rows
from cover_glass_cli.domain.records import upgrade_v1, validate_document
from cover_glass_cli.domain.registry import kind_of
from cover_glass_cli.domain.selection import overrides
from cover_glass_cli.domain.spelling import NumberError, parse_number

Record = dict[str, Any]


def export(rid: str, fy: int, value: int, qualifier: str = "exact", **extra: Any) -> Record:
    return {
        "id": rid,
        "country": "India",
        "product": "mobile phones",
        "fy": fy,
        "value": value,
        "unit": "INR crore",
        "qualifier": qualifier,
        "source": extra.pop("source", "jv-report"),
        **extra,
    }


def facts_of(*records: Record) -> Facts:
    data = {kind: [] for kind in KINDS}
    data["exports"] = list(records)
    return Facts(["f.toml"], data, {"exports": [0] * len(records)})


def test_every_kind_but_sources_has_the_claim_fields() -> None:
    for kind in KINDS:
        names = [f.name for f in fields_of(kind)]
        has = {"rank", "rank_reason", "claims", "disputed", "best"} <= set(names)
        assert has == (kind != "sources"), kind
    assert [f.name for f in kind_of("exports").derived][:2] == ["period", "months"]


def test_listing_shows_each_subject_once_from_its_best_claim() -> None:
    facts = facts_of(
        export("a", 2023, 90000, "over"),
        export("b", 2023, 85000, source="pib", rank="preferred"),
        export("c", 2022, 45000),
    )
    shown = listing(facts, "exports")
    assert [r["id"] for r in shown] == ["b", "c"]
    every = listing(facts, "exports", all_claims=True)
    assert [(r["id"], r["best"], r["claims"]) for r in every] == [
        ("a", False, 2),
        ("b", True, 2),
        ("c", True, 1),
    ]


class Watched(Facts):
    """Facts that note each kind read whole."""

    read: list[str]

    def __getitem__(self, kind: str) -> list[Record]:
        self.read.append(kind)
        return super().__getitem__(kind)


def test_a_listing_reads_only_the_sources_its_claims_cite() -> None:
    """Start-up: a lookup of a few rows reads a few sources by index, not all of them
    (issue 23); their labels are the same as from the whole kind."""
    data: dict[str, list[Record]] = {kind: [] for kind in KINDS}
    data["exports"] = [export("a", 2023, 90000, source="pib"), export("b", 2022, 45000)]
    data["sources"] = [
        {
            "id": sid,
            "title": sid,
            "kind": "news report",
            "publisher": sid.upper(),
            "published": "2024-01-02",
            "url": f"https://example.com/{sid}",
            "accessed": "2026-12-04",
            "voice": "news report",
            "origin": sid,
        }
        for sid in ("pib", "jv-report", "unused")
    ]
    facts = Watched(["f.toml"], data, {k: [0] * len(v) for k, v in data.items()})
    facts.read = []
    shown = listing(facts, "exports")
    assert [(r["id"], r["source_label"]) for r in shown] == [
        ("a", "PIB, 2024-01-02"),
        ("b", "JV-REPORT, 2024-01-02"),
    ]
    assert "sources" not in facts.read


@given(
    st.lists(
        st.tuples(
            st.sampled_from([2022, 2023]),
            st.sampled_from([None, "preferred", "normal", "deprecated"]),
            st.sampled_from(["jv-report", "pib"]),
        ),
        max_size=6,
    )
)
def test_a_listing_shows_what_every_row_would_show(claims: list[Any]) -> None:
    """The listing shapes only the rows it may show (an earlier best claim of a subject
    settles it), and shows exactly the rows chosen from every claim's row."""
    records = [
        export(f"e{i}", fy, 1000 * (i + 1), source=source, **({"rank": rank} if rank else {}))
        for i, (fy, rank, source) in enumerate(claims)
    ]
    facts = facts_of(*records)
    chosen: dict[Any, Record] = {}
    for row in rows(facts, "exports"):
        key = (row["fy"],)
        if key not in chosen or (row["best"] and not chosen[key]["best"]):
            chosen[key] = row
    assert listing(facts, "exports") == list(chosen.values())


def test_a_subject_whose_claims_are_all_deprecated_is_still_listed() -> None:
    facts = facts_of(export("a", 2023, 1, rank="deprecated"))
    (row,) = listing(facts, "exports")
    assert (row["id"], row["best"]) == ("a", False)


def test_growth_is_computed_within_one_source_first() -> None:
    """A second source's figure for the base year never changes the growth of a claim
    whose own source gives the base: the issue's +101.3% DIFFERS."""
    facts = facts_of(
        export("y22", 2022, 45000),
        export("y23", 2023, 90000, "over", growth_pct=100),
        export("y23-pib", 2023, 90600, source="pib"),
    )
    shaped = {r["id"]: r for r in rows(facts, "exports")}
    y23 = shaped["y23"]
    assert (y23["compared_with"], y23["growth_basis"]) == ("y22", "same source")
    assert y23["growth_computed_text"] == "> 100%" and y23["growth_check"] == "cannot tell"
    pib = shaped["y23-pib"]  # no FY2022 of its own: across sources, and said so
    assert (pib["growth_basis"], pib["growth_computed_pct"]) == ("across sources", 101.3)
    assert "computed across sources, against FY2022 from jv-report" in pib["growth_computed_note"]


def test_growth_across_sources_flags_a_disputed_base() -> None:
    facts = facts_of(
        export("y22", 2022, 100),
        export("y22-pib", 2022, 120, source="pib"),
        export("y23", 2023, 150, growth_pct=50, source="other"),
    )
    y23 = next(r for r in rows(facts, "exports") if r["id"] == "y23")
    assert y23["compared_with"] == "y22" and y23["growth_basis"] == "across sources"
    assert y23["growth_computed_pct"] is None  # the base is 100 or 120: a span
    assert (y23["growth_computed_low"], y23["growth_computed_high"]) == (25.0, 50.0)
    assert "earlier figure is disputed" in y23["growth_computed_note"]
    assert y23["growth_check"] == "agrees"


def test_an_estimate_is_not_compared_across_sources() -> None:
    facts = facts_of(
        export("y23", 2023, 90000),
        export("y24-est", 2024, 120000, source="icea", status="estimate"),
    )
    est = next(r for r in rows(facts, "exports") if r["id"] == "y24-est")
    assert est["growth_computed_text"] is None and est["growth_basis"] is None
    assert "not compared across sources" in est["growth_computed_note"]


def test_an_exact_growth_is_a_number() -> None:
    facts = facts_of(export("y22", 2022, 100), export("y23", 2023, 150, growth_pct=80))
    y23 = rows(facts, "exports")[1]
    assert (y23["growth_computed_pct"], y23["growth_computed_text"]) == (50.0, "+50%")
    assert y23["growth_check"] == "differs"


def test_overrides_name_the_hidden_record_and_both_files() -> None:
    first = {"exports": [{"id": "x"}, {"id": "y"}], "sources": [{"id": "s"}]}
    second = {"exports": [{"id": "y"}], "sources": [{"id": "x"}]}
    third = {"exports": [{"id": "y"}]}
    assert overrides([("1", first), ("2", second), ("3", third)]) == [
        {"kind": "exports", "id": "y", "file": "2", "replaces": "1"},
        {"kind": "exports", "id": "y", "file": "3", "replaces": "2"},
    ]


# --- schema 1 read as schema 2 ----------------------------------------------------------------


def test_a_schema_1_market_fact_rank_is_its_position() -> None:
    doc = {
        "schema_version": 1,
        "sources": [{"id": "s", "title": "t", "kind": "k"}],
        "market_facts": [
            {
                "id": "m",
                "subject": "India",
                "topic": "t",
                "rank": 2,
                "statement": "x",
                "source": "s",
            }
        ],
    }
    records, problems = validate_document(doc, "old.toml", "")
    assert problems == []
    assert records["market_facts"][0]["position"] == 2 and "rank" not in records["market_facts"][0]
    assert doc["market_facts"][0]["rank"] == 2  # the document itself is left alone
    assert upgrade_v1({"schema_version": 1}) == {"schema_version": 1}


def test_a_schema_2_file_takes_rank_as_a_claim_rank() -> None:
    fact = {"id": "m", "subject": "I", "topic": "t", "statement": "x", "source": "s"}
    _, problems = validate_document(
        {"schema_version": 2, "market_facts": [{**fact, "rank": 2}]}, "f", ""
    )
    assert problems and "expected a string" in str(problems[0])
    records, problems = validate_document(
        {"schema_version": 2, "market_facts": [{**fact, "rank": "preferred", "position": 1}]},
        "f",
        "",
    )
    assert problems == [] and records["market_facts"][0]["rank"] == "preferred"


# --- numbers as people type them -------------------------------------------------------------


def western(n: int) -> str:
    return f"{n:,}"


def indian(n: int) -> str:
    text = str(n)
    if len(text) <= 3:
        return text
    head, tail = text[:-3], text[-3:]
    pairs = re.findall(r"\d{1,2}(?=(?:\d{2})*$)", head)
    return ",".join([*pairs, tail])


@given(st.integers(min_value=0, max_value=10**15))
def test_grouped_numbers_read_back_as_the_same_int(n: int) -> None:
    for text in (str(n), western(n), indian(n)):
        value = parse_number(text)
        assert value == n and type(value) is int, text


@given(st.lists(st.integers(min_value=1, max_value=99), min_size=3, max_size=6))
def test_commas_that_do_not_group_digits_are_errors(parts: list[int]) -> None:
    text = ",".join(str(p) for p in parts)  # e.g. 1,2,3: never silently 123
    with pytest.raises(NumberError, match="commas must group digits in threes"):
        parse_number(text)


@pytest.mark.parametrize("text", ["", "abc", "1,,000", ",100", "100,", "nan", "inf", "1,00,00"])
def test_not_numbers(text: str) -> None:
    with pytest.raises(NumberError):
        parse_number(text)


def test_decimals_stay_floats() -> None:
    assert parse_number("12.5") == 12.5 and parse_number("1,00,000.5") == 100000.5
