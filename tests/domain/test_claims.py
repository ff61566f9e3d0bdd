"""Claims grouped by subject: subject keys, ranks, which claims are best, when best claims
are disputed, growth from best claims, and the ids new claims get."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from conftest import KINDS
from hypothesis import given
from hypothesis import strategies as st

from cover_glass_cli.domain.claims import (
    RANKS,
    Subject,
    best,
    claim_suffix,
    combined_interval,
    disagree,
    dispute_note,
    group,
    interval_of,
    rank_of,
    subject_fields,
    subject_key,
)
from cover_glass_cli.domain.intervals import (
    Interval,
    compare,
    format_growth,
    growth_interval,
    stated_growth,
)

Record = dict[str, Any]


def export(
    value: float,
    qualifier: str = "exact",
    *,
    fy: int = 2023,
    source: str = "jv-report",
    rank: str | None = None,
    unit: str = "INR crore",
    rid: str | None = None,
) -> Record:
    record: Record = {
        "id": rid or f"exports-fy{fy}",
        "country": "India",
        "product": "mobile phones",
        "fy": fy,
        "value": value,
        "unit": unit,
        "qualifier": qualifier,
        "source": source,
    }
    if rank is not None:
        record["rank"] = rank
    return record


def subject(*claims: Record) -> Subject:
    (only,) = group("exports", claims)
    return only


# --- subjects ----------------------------------------------------------------------------


def test_every_kind_has_subject_fields_that_exist() -> None:
    for kind in KINDS:
        names = subject_fields(kind)
        known = {f.name for f in KINDS[kind]}
        assert names and set(names) <= known, kind
    assert subject_fields("exports") == ("country", "product", "fy", "quarter")
    assert subject_fields("companies") == ("id",)


def test_subject_key_folds_text_and_marks_missing_parts() -> None:
    a = export(90000)
    b = {**export(90600, source="pib"), "country": "  INDIA ", "product": "Mobile Phones"}
    assert subject_key("exports", a) == ("india", "mobile phones", 2023, None)
    assert subject_key("exports", a) == subject_key("exports", b)
    assert subject_key("exports", {**a, "quarter": 1}) != subject_key("exports", a)
    assert subject_key("companies", {"id": "corning"}) == ("corning",)
    assert subject_key("sites", {"operator": "corning"}) == ("corning", None, None)


@given(st.text(), st.text())
def test_subject_key_ignores_case_and_surrounding_space(country: str, pad: str) -> None:
    pad = "".join(c for c in pad if c.isspace())
    a = {"country": country, "scope": "local"}
    b = {"country": pad + country.upper() + pad, "scope": "LOCAL "}
    if country.upper().casefold() == country.casefold():
        assert subject_key("value_addition", a) == subject_key("value_addition", b)


# --- ranks and best claims ---------------------------------------------------------------------


def test_preferred_beats_normal_and_deprecated_is_never_best() -> None:
    normal = export(90000)
    preferred = export(90600, source="pib", rank="preferred")
    deprecated = export(85000, source="old", rank="deprecated")
    assert best([normal, preferred, deprecated]) == [preferred]
    assert best([normal, deprecated]) == [normal]
    assert best([deprecated]) == []
    assert subject(deprecated).shown is None
    assert subject(normal, preferred).shown is preferred


def test_a_market_fact_position_is_not_a_claim_rank() -> None:
    assert rank_of({"rank": 2}) == "normal"
    assert rank_of({}) == "normal"
    assert rank_of({"rank": "Preferred"}) == "preferred"


ranked = st.lists(st.sampled_from([*RANKS, None]), max_size=8)


@given(ranked)
def test_best_claims_by_rank(ranks: list[str | None]) -> None:
    claims = [export(1000 + i, rank=r, rid=f"c{i}") for i, r in enumerate(ranks)]
    chosen = best(claims)
    assert all(rank_of(c) != "deprecated" for c in chosen)
    assert [c for c in claims if c in chosen] == chosen  # file order kept
    if "preferred" in ranks:
        assert chosen and all(rank_of(c) == "preferred" for c in chosen)
    else:
        assert chosen == [c for c in claims if rank_of(c) == "normal"]


# --- disputes ---------------------------------------------------------------------------------


def test_over_90000_and_exactly_90600_agree() -> None:
    s = subject(export(90000, "over"), export(90600, source="pib"))
    assert not s.disputed
    assert s.shown is not None and s.shown["source"] == "jv-report"


def test_90000_and_95000_are_disputed() -> None:
    s = subject(export(90000), export(95000, source="pib"))
    assert s.disputed
    note = dispute_note(s)
    assert "₹90,000 crore (jv-report)" in note and "₹95,000 crore (pib)" in note


def test_a_deprecated_claim_cannot_dispute() -> None:
    s = subject(export(90000), export(95000, source="pib", rank="deprecated"))
    assert not s.disputed
    assert len(s.claims) == 2 and len(s.best) == 1


def test_units_are_compared_in_crore() -> None:
    # 90,000 crore is 9,000,000 lakh: the same figure.
    lakh = "INR lakh"
    assert not disagree("exports", [export(90000), export(9_000_000, unit=lakh, source="b")])
    assert disagree("exports", [export(90000), export(90000, unit=lakh, source="b")])
    assert disagree("exports", [export(50), export(50, unit="percent", source="b")])


def test_approximate_figures_overlap_within_their_tolerance() -> None:
    va = {"country": "India", "scope": "overall", "unit": "percent", "source": "a"}
    around_15 = {**va, "id": "a", "value": 15, "qualifier": "approximate"}
    other = {**va, "source": "b"}
    assert not disagree("value_addition", [around_15, {**other, "id": "b", "value": 16.4}])
    assert disagree("value_addition", [around_15, {**other, "id": "c", "value": 17}])
    assert disagree(
        "value_addition",
        [around_15, {**other, "id": "d", "low": 20, "high": 22, "qualifier": "range"}],
    )


def test_bad_figures_give_no_interval() -> None:
    assert interval_of("exports", export(-5)) is None
    assert interval_of("exports", {**export(5), "value": "five"}) is None
    assert interval_of("exports", {**export(5), "qualifier": ["over"]}) is None
    assert interval_of("companies", {"id": "x"}) is None
    assert interval_of("exports", export(5, unit="INR billion")) == Interval(500, 500)


figures_ = st.tuples(
    st.integers(0, 20).map(lambda v: v * 1000.0),
    st.sampled_from(["exact", "over", "under", "approximate"]),
).filter(lambda f: not (f[1] == "under" and f[0] == 0))


@given(st.lists(figures_, min_size=1, max_size=6))
def test_disputed_means_some_pair_of_best_claims_does_not_overlap(
    given_figures: list[tuple[float, str]],
) -> None:
    claims = [export(v, q, rid=f"c{i}", source=f"s{i}") for i, (v, q) in enumerate(given_figures)]
    intervals = [interval_of("exports", c) for c in claims]
    pairwise = any(
        a is not None and b is not None and not a.overlaps(b)
        for a, b in itertools.combinations(intervals, 2)
    )
    assert disagree("exports", claims) == pairwise
    assert disagree("exports", claims[::-1]) == pairwise


@given(st.lists(st.tuples(st.sampled_from(["India", "INDIA", "Brazil"]), st.integers(2022, 2024))))
def test_group_puts_every_record_in_exactly_one_subject(pairs: list[tuple[str, int]]) -> None:
    records = [
        {**export(1000, fy=fy), "country": c, "id": f"r{i}"} for i, (c, fy) in enumerate(pairs)
    ]
    subjects = group("exports", records)
    assert sorted(r["id"] for s in subjects for r in s.claims) == sorted(r["id"] for r in records)
    assert len({s.key for s in subjects}) == len(subjects)
    firsts = [s.claims[0]["id"] for s in subjects]
    assert firsts == sorted(firsts, key=lambda rid: int(rid[1:]))  # order of first appearance
    for s in subjects:
        assert all(subject_key("exports", r) == s.key for r in s.claims)


# --- growth from best claims ------------------------------------------------------------------


def growth_between(current: Subject, previous: Subject):
    """Growth from PREVIOUS's best claims to CURRENT's, each side's claims combined."""
    now, before = (combined_interval("exports", s.best) for s in (current, previous))
    assert now is not None and before is not None
    return growth_interval(now, before)


def test_growth_uses_every_agreeing_best_claim() -> None:
    fy22 = subject(export(45000, fy=2022))
    fy23 = subject(export(90000, "over"), export(90600, source="pib"))
    g = growth_between(fy23, fy22)
    # Both claims hold, so the amount is 90,600: growth is exact.
    assert g.qualifier == "exact" and format_growth(g) == "+101.3%"
    assert not g.notes


def test_report_only_growth_cannot_confirm_the_stated_100_per_cent() -> None:
    fy22 = subject(export(45000, fy=2022))
    fy23 = subject(export(90000, "over"))
    g = growth_between(fy23, fy22)
    assert format_growth(g) == "> 100%"
    assert compare(stated_growth(100), g) == "cannot tell"


def test_growth_from_a_disputed_base_spans_every_origin() -> None:
    fy22 = subject(export(45000, fy=2022), export(50000, fy=2022, source="pib"))
    fy23 = subject(export(90000))
    assert fy22.disputed
    g = growth_between(fy23, fy22)
    assert g.qualifier == "range" and format_growth(g) == "80–100%"
    assert "pib" in dispute_note(fy22)


def test_no_growth_from_deprecated_claims_alone() -> None:
    assert combined_interval("exports", subject(export(1, rank="deprecated")).best) is None


# --- ids for new claims -------------------------------------------------------------------------


def test_a_new_claim_takes_its_source_into_its_id() -> None:
    pib = export(90600, source="pib")
    assert claim_suffix(pib, {"exports-fy2023"}) == "exports-fy2023-pib"
    assert claim_suffix(pib, {"exports-fy2023", "exports-fy2023-pib"}) == "exports-fy2023-pib-2"
    taken = {"exports-fy2023", "exports-fy2023-pib", "exports-fy2023-pib-2"}
    assert claim_suffix(pib, taken) == "exports-fy2023-pib-3"
    assert claim_suffix(pib, set(), default="x") == "x-pib"


@pytest.mark.parametrize("n", [0, 1, 5])
def test_claim_ids_stay_within_100_characters(n: int) -> None:
    long = export(1, rid="e" * 95, source="s" * 20)
    taken: set[str] = set()
    for _ in range(n + 1):
        new = claim_suffix(long, taken)
        assert len(new) <= 100 and new not in taken
        taken.add(new)


# --- one origin counted once -----------------------------------------------------------

SOURCES = {
    "pti-a": {"id": "pti-a", "origin": "ICEA", "via": "PTI"},
    "pti-b": {"id": "pti-b", "origin": "icea ", "via": "IANS"},
    "gov": {"id": "gov", "origin": "MeitY"},
}


def test_reports_of_one_origin_never_dispute_each_other() -> None:
    """Two outlets printing one statement differently are one origin: a slip between them
    is not a disagreement between sources."""
    claims = [export(90000, source="pti-a", rid="a"), export(95000, source="pti-b", rid="b")]
    assert not disagree("exports", claims, SOURCES)
    assert disagree("exports", claims)  # without the sources, each is its own origin
    (s,) = group("exports", claims, SOURCES)
    assert s.origins == 1 and not s.disputed


def test_origins_disagree_when_no_amount_fits_both() -> None:
    claims = [
        export(90000, source="pti-a", rid="a"),
        export(90000, source="pti-b", rid="b"),
        export(85000, source="gov", rid="c"),
    ]
    (s,) = group("exports", claims, SOURCES)
    assert s.disputed and s.origins == 2
    note = dispute_note(s)
    assert "pti-a, pti-b: 2 reports, 1 origin: ICEA" in note
    assert "₹85,000 crore (gov)" in note


def test_a_source_without_an_origin_is_its_own() -> None:
    claims = [export(90000, source="x", rid="a"), export(95000, source="y", rid="b")]
    assert disagree("exports", claims, {"x": {"id": "x"}, "y": {"id": "y"}})
