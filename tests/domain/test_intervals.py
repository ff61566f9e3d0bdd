"""Interval arithmetic for figures and growth: the issue's cases, and properties that hold
for any figures (soundness, monotonicity, no NaN or infinity escaping to JSON)."""

from __future__ import annotations

import json
import math
import re
import sys

import pytest
from conftest import REPORT
from hypothesis import assume, example, given
from hypothesis import strategies as st

from cover_glass_cli.domain import figures
from cover_glass_cli.domain.intervals import (
    APPROXIMATE_TOLERANCE,
    Growth,
    Interval,
    compare,
    figure_interval,
    format_growth,
    growth_interval,
    stated_growth,
)
from cover_glass_cli.domain.kinds.exports import growth_fields

INF = math.inf


def growth(cur: float, cq: str, prev: float, pq: str) -> Growth:
    return growth_interval(figure_interval(cur, cq), figure_interval(prev, pq))


# --- strategies ------------------------------------------------------------------------

amounts = st.floats(min_value=0, max_value=1e15, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=1e-300, max_value=1e15, allow_nan=False, allow_infinity=False)


@st.composite
def figure_intervals(draw: st.DrawFn, values: st.SearchStrategy[float] = amounts) -> Interval:
    """Any interval a valid figure can give."""
    qualifier = draw(st.sampled_from(["exact", "over", "under", "approximate", "range"]))
    if qualifier == "range":
        low, high = sorted((draw(values), draw(values)))
        return figure_interval(None, "range", low, high)
    value = draw(values)
    if qualifier == "under":
        assume(value > 0)
    return figure_interval(value, qualifier)


bases = figure_intervals(positive).filter(lambda iv: iv.high > 0)

ends = st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.just(INF), st.just(-INF))


@st.composite
def intervals(draw: st.DrawFn) -> Interval:
    """Any valid interval at all, open or closed, bounded or not."""
    low, high = sorted((draw(ends), draw(ends)))
    assume(low != INF and high != -INF)
    low_open = draw(st.booleans()) or math.isinf(low)
    high_open = draw(st.booleans()) or math.isinf(high)
    if low == high:
        low_open = high_open = False
    return Interval(low, high, low_open, high_open)


def closure_contains(iv: Interval, x: float) -> bool:
    return iv.low <= x <= iv.high


def subset(inner: Interval, outer: Interval) -> bool:
    low_ok = outer.low < inner.low or (
        outer.low == inner.low and (not outer.low_open or inner.low_open)
    )
    high_ok = inner.high < outer.high or (
        outer.high == inner.high and (not outer.high_open or inner.high_open)
    )
    return low_ok and high_ok


# --- Interval ----------------------------------------------------------------------------


def test_open_ends_are_respected() -> None:
    a = Interval(1, 2, high_open=True)
    b = Interval(2, 3)
    assert not a.overlaps(b)
    assert Interval(1, 2).overlaps(b)
    assert not a.contains(2) and a.contains(1) and b.contains(2)
    assert Interval(0, INF, True, True).overlaps(Interval(-INF, 1e-300, True, False))
    assert not Interval(0, INF, True, True).overlaps(Interval(-INF, 0, True, False))


@pytest.mark.parametrize(
    "args",
    [
        (2, 1, False, False),  # low above high
        (1, 1, True, False),  # empty: (1, 1]
        (0, INF, False, False),  # closed at infinity
        (-INF, 0, False, False),
        (math.nan, 1, False, False),
        (INF, INF, True, True),
    ],
)
def test_interval_rejects_nonsense(args: tuple[float, float, bool, bool]) -> None:
    with pytest.raises(ValueError):
        Interval(*args)


@given(intervals(), intervals())
def test_overlaps_is_symmetric_and_matches_intersection(a: Interval, b: Interval) -> None:
    assert a.overlaps(b) == b.overlaps(a)
    common = a.intersection(b)
    assert (common is not None) == a.overlaps(b)
    if common is not None:
        assert subset(common, a) and subset(common, b)
        hull = a.hull(b)
        assert subset(a, hull) and subset(b, hull)


@given(intervals(), intervals(), st.floats(allow_nan=False))
def test_a_shared_number_means_overlap(a: Interval, b: Interval, x: float) -> None:
    if a.contains(x) and b.contains(x):
        assert a.overlaps(b)
    common = a.intersection(b)
    assert (common is not None and common.contains(x)) == (a.contains(x) and b.contains(x))


@given(intervals())
def test_an_interval_overlaps_itself(a: Interval) -> None:
    assert a.overlaps(a) and a.intersection(a) == a and a.hull(a) == a


# --- figure_interval ------------------------------------------------------------------------


def test_the_five_qualifiers() -> None:
    assert figure_interval(90000, "exact") == Interval(90000, 90000)
    assert figure_interval(90000, "over") == Interval(90000, INF, True, True)
    assert figure_interval(30, "under") == Interval(0, 30, False, True)
    assert figure_interval(15, "approximate") == Interval(13.5, 16.5)
    assert figure_interval(None, "range", 20, 22) == Interval(20, 22)
    assert APPROXIMATE_TOLERANCE == 0.10


@pytest.mark.parametrize(
    ("value", "qualifier", "low", "high"),
    [
        (-1, "exact", None, None),
        (math.nan, "exact", None, None),
        (INF, "over", None, None),
        (0, "under", None, None),
        (5, "roughly", None, None),
        (None, "exact", None, None),
        (True, "exact", None, None),
        (None, "range", 22, 20),
        (None, "range", 20, None),
    ],
)
def test_figure_interval_rejects_what_no_amount_satisfies(
    value: float | None, qualifier: str, low: float | None, high: float | None
) -> None:
    with pytest.raises(ValueError):
        figure_interval(value, qualifier, low, high)


# --- growth: the cases ---------------------------------------------------------------


def test_over_against_over_is_unknown_and_says_why() -> None:
    g = growth(128000, "over", 90000, "over")
    assert g.qualifier == "unknown"
    assert g.point is None
    assert g.reason is not None and "lower bounds" in g.reason and "−100%" in g.reason
    assert format_growth(g) == "unknown"
    assert g.interval.low == -100 and g.interval.high == INF


def test_over_against_exact_is_a_lower_bound() -> None:
    g = growth(90000, "over", 45000, "exact")
    assert g.qualifier == "over"
    assert g.interval == Interval(100, INF, True, True)
    assert format_growth(g) == "> 100%"


def test_fy2023_stated_100_per_cent_cannot_be_told() -> None:
    """'surpassed ₹90,000 crore, an increase of 100 per cent from ₹45,000 crore'."""
    g = growth(90000, "over", 45000, "exact")
    assert compare(stated_growth(100, "exact"), g) == "cannot tell"
    assert compare(stated_growth(100, "over"), g) == "cannot tell"
    assert compare(stated_growth(80, "exact"), g) == "differs"


def test_the_report_sentence_itself() -> None:
    """The FY23 sentence of the source document, read from it: its words are what make the
    figures 'over' and 'exact', and its verdict is 'cannot tell'."""
    if not REPORT.exists():
        pytest.skip(f"source document not found at {REPORT}")
    text = REPORT.read_text(encoding="utf-8")
    found = re.search(
        r"surpassed Rs ([\d,]+) crore, an increase of (\d+) per cent from Rs ([\d,]+) crore", text
    )
    assert found, "the FY23 sentence is no longer in the source"
    cur, pct, prev = (float(found[i].replace(",", "")) for i in (1, 2, 3))
    g = growth_interval(figure_interval(cur, "over"), figure_interval(prev, "exact"))
    assert format_growth(g) == f"> {figures.number(pct)}%"
    assert compare(stated_growth(pct), g) == "cannot tell"


def test_exact_figures_give_an_exact_growth() -> None:
    g = growth(90000, "exact", 45000, "exact")
    assert (g.qualifier, g.point, format_growth(g)) == ("exact", 100, "+100%")
    assert compare(stated_growth(100), g) == "agrees"
    g = growth(128000, "exact", 90000, "exact")
    assert format_growth(g) == "+42.2%"
    assert compare(stated_growth(42), g) == "agrees"  # 42.22 is within half a point
    assert compare(stated_growth(43), g) == "differs"
    assert format_growth(growth(45, "exact", 90, "exact")) == "-50%"
    assert format_growth(growth(90, "exact", 90, "exact")) == "0%"


@pytest.mark.parametrize(
    ("current", "previous", "shown", "qualifier"),
    [
        ((120, "exact"), (100, "over"), "< 20%", "under"),
        ((128000, "approximate"), (90000, "exact"), "≈ 42%", "approximate"),
        ((None, "range", 120, 122), (100, "exact"), "20–22%", "range"),
        ((None, "range", 50, 120), (100, "exact"), "-50% to 20%", "range"),
        ((30, "under"), (20, "exact"), "< 50%", "under"),
        ((90, "exact"), (0, "exact"), "unknown", "unknown"),
        ((90, "over"), (45, "under"), "> 100%", "over"),
    ],
)
def test_format_growth_keeps_the_qualifier(
    current: tuple[object, ...], previous: tuple[object, ...], shown: str, qualifier: str
) -> None:
    g = growth_interval(figure_interval(*current), figure_interval(*previous))  # type: ignore[arg-type]
    assert g.qualifier == qualifier
    assert format_growth(g) == shown
    assert figures.to_ascii(format_growth(g)).isascii()


def test_bounds_round_outwards_when_shown() -> None:
    # 128,000 / 90,000 is 42.22...%: "> 42.2%" is true, "> 42.3%" would not be.
    assert format_growth(growth(128000, "over", 90000, "exact")) == "> 42.2%"
    # 90,000 / 128,000 - 1 is -29.6875%: an upper bound shows as "< -29.6%".
    assert format_growth(growth(90000, "exact", 128000, "over")) == "< -29.6%"


def test_a_base_that_may_be_zero_leaves_growth_unbounded() -> None:
    g = growth(90, "exact", 20, "under")
    assert g.interval.high == INF and g.interval.low == 350 and g.interval.low_open
    assert g.qualifier == "over"
    assert format_growth(growth(90, "over", 20, "under")) == "> 350%"
    g = growth(90, "under", 20, "under")
    assert g.qualifier == "unknown"
    assert g.reason is not None and "zero" in g.reason


def test_overflow_is_unknown_and_stays_out_of_json() -> None:
    g = growth(1e15, "exact", 5e-324, "exact")
    assert g.qualifier == "unknown"
    assert g.reason is not None and "too large" in g.reason
    assert g.interval.high == INF and g.interval.low == sys.float_info.max
    assert g.point is None
    data = growth_fields(g)  # the row fields every output carries
    json.dumps(data, allow_nan=False)
    assert data["growth_computed_high"] is None and data["growth_computed_pct"] is None
    assert format_growth(g) == "unknown"
    assert compare(stated_growth(100), g) == "differs"


def test_stated_growth_slack() -> None:
    assert stated_growth(100) == Interval(99.5, 100.5)
    assert stated_growth(100, "over") == Interval(100, INF, True, True)
    assert stated_growth(20, "under") == Interval(-INF, 20, True, True)
    assert stated_growth(40, "approximate") == Interval(35.5, 44.5)
    assert stated_growth(0, "range", 20, 22) == Interval(19.5, 22.5)


# --- growth: properties --------------------------------------------------------------------


@given(positive, positive)
@example(1e15, 5e-324)
@example(5e-324, 1e15)
def test_exact_growth_contains_its_point(cur: float, prev: float) -> None:
    g = growth_interval(figure_interval(cur, "exact"), figure_interval(prev, "exact"))
    pct = (cur / prev - 1) * 100
    if math.isfinite(pct):
        assert g.qualifier == "exact" and g.point == pct
        assert g.interval.contains(pct)
    else:
        assert g.qualifier == "unknown" and g.point is None


@given(figure_intervals(), bases, st.floats(0, 1), st.floats(0, 1), st.floats(0, 1e6))
def test_growth_holds_every_growth_the_figures_allow(
    cur: Interval, prev: Interval, s: float, t: float, spread: float
) -> None:
    """Soundness: pick amounts the figures allow; their growth lies in the interval (its
    closure: an open end may be reached by rounding)."""
    g = growth_interval(cur, prev)

    def pick(iv: Interval, f: float) -> float:
        high = iv.high if iv.bounded else iv.low + spread
        return iv.low + f * (high - iv.low)

    x, y = pick(cur, s), pick(prev, t)
    assume(cur.contains(x) and prev.contains(y) and y > 0)
    assert closure_contains(g.interval, (x / y - 1) * 100)


@given(figure_intervals(), bases, figure_intervals(), figure_intervals(positive))
def test_widening_a_figure_never_narrows_growth(
    cur: Interval, prev: Interval, more_cur: Interval, more_prev: Interval
) -> None:
    """Compared as closures: whether an end is open can flip when rounding lands a
    growth just above −100% on −100% itself."""
    narrow = growth_interval(cur, prev).interval
    wide = growth_interval(cur.hull(more_cur), prev.hull(more_prev)).interval
    assert wide.low <= narrow.low and narrow.high <= wide.high


@given(positive, positive)
def test_over_against_over_is_always_unknown(cur: float, prev: float) -> None:
    g = growth(cur, "over", prev, "over")
    assert g.qualifier == "unknown" and g.point is None and g.reason
    assert format_growth(g) == "unknown"


@given(figure_intervals(), bases)
def test_a_growth_never_differs_from_itself(cur: Interval, prev: Interval) -> None:
    g = growth_interval(cur, prev)
    assert compare(g.interval, g) != "differs"
    if g.point is not None and g.qualifier in ("exact", "approximate"):
        assert compare(stated_growth(g.point), g) == "agrees"


@given(figure_intervals(), figure_intervals())
@example(figure_interval(1e15, "exact"), figure_interval(5e-324, "exact"))
@example(figure_interval(0, "exact"), figure_interval(0, "exact"))
def test_nothing_infinite_or_nan_escapes(cur: Interval, prev: Interval) -> None:
    g = growth_interval(cur, prev)
    data = growth_fields(g)
    json.dumps(data, allow_nan=False)  # raises on NaN or infinity
    numbers = [data[f"growth_computed_{end}"] for end in ("low", "high", "pct")]
    assert all(v is None or math.isfinite(v) for v in numbers)
    assert g.qualifier in ("exact", "over", "under", "approximate", "range", "unknown")
    assert (g.reason is not None) == (g.qualifier == "unknown")
    shown = format_growth(g)
    assert shown and "nan" not in shown and "inf" not in shown


@given(figure_intervals(), bases)
def test_shown_bounds_never_claim_more_than_the_interval(cur: Interval, prev: Interval) -> None:
    """ "> x%" shows x at or below the true lower bound; "< y%" y at or above the upper."""
    g = growth_interval(cur, prev)
    shown = format_growth(g).replace(",", "")
    found = re.fullmatch(r"([<>]=?|[≥≤]) (\S+)%", shown)
    if g.qualifier == "over":
        assert found and float(found[2]) <= g.interval.low * (1 + 1e-12) + 1e-9
    if g.qualifier == "under":
        assert found and float(found[2]) >= g.interval.high * (1 - 1e-12) - 1e-9


# --- figures: the digits growth is shown with ----------------------------------------------


def test_number_keeps_huge_growth_short() -> None:
    assert figures.number(90000) == "90,000"
    assert figures.number(1e15) == "1,000,000,000,000,000"  # the largest real figure
    assert figures.number(2.5e20) == "2.5e+20"
    assert figures.number(-2.5e20) == "-2.5e+20"
    # (1e15 / 3 - 1) * 100 is 3.333...e16: a lower bound shows rounded down, an upper up.
    assert format_growth(growth(1e15, "over", 3, "exact")) == "> 3.33e+16%"
    assert format_growth(growth(1e15, "under", 3, "exact")) == "< 3.34e+16%"


def test_ascii_fallback_covers_the_growth_marks() -> None:
    assert figures.to_ascii("≥ 5% ≤ 7% −100% ≈ 3%") == ">= 5% <= 7% -100% ~ 3%"
