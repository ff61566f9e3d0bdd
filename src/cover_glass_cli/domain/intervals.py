"""Honest figure arithmetic: every figure is an interval, and so is every growth computed
from figures.

A source's figure says less than its digits suggest: "surpassed ₹90,000 crore" is any
amount above 90,000, so growth from one such figure to another can be almost anything.
Computing with intervals keeps what the figures allow, and nothing more:

    exact        [v, v]
    over         (v, ∞)
    under        [0, v)          figures here are amounts, never negative
    approximate  [v − t, v + t]  t = APPROXIMATE_TOLERANCE · |v|
    range        [low, high]

Exact figures carry no slack. Rounding is allowed for only where a *stated* growth
percentage meets a computed one (`stated_growth`): a source that writes "100 per cent"
has rounded to the point, so it means [99.5, 100.5].

Knows nothing of click or rich.
"""

from __future__ import annotations

import math
import sys

from .figures import number

APPROXIMATE_TOLERANCE = 0.10
"""'around v' means v ± 10% of v: wide enough for the roundings sources use ("around
15 per cent" for 14 or 16), narrow enough that two approximate figures can still differ."""

STATED_GROWTH_SLACK = 0.5
"""Half a percentage point either side of a stated growth: sources round to whole per cent."""


_INF = math.inf
_LARGEST = sys.float_info.max


# Plain classes with __slots__, not dataclasses: this module may be imported by every
# command that shows exports, and (as registry.py says of NamedTuple) start-up stays cheap
# without the dataclasses import and the code it generates per class.


class Interval:
    """A set of real numbers between LOW and HIGH; an open end excludes its bound.

    Infinite ends are always open. NOMINAL is the one value a source states when it
    states one (the v of exact, over, under, approximate; a growth's `point`), else None;
    it takes no part in equality. An empty interval cannot be built: it would be a figure
    that no amount satisfies. Immutable by convention (every operation makes a new one).
    """

    __slots__ = ("high", "high_open", "low", "low_open", "nominal")

    low: float
    high: float
    low_open: bool
    high_open: bool
    nominal: float | None

    def __init__(
        self,
        low: float,
        high: float,
        low_open: bool = False,
        high_open: bool = False,
        nominal: float | None = None,
    ) -> None:
        if math.isnan(low) or math.isnan(high):
            raise ValueError("an interval bound is not a number")
        if low == _INF or high == -_INF:
            raise ValueError(f"no number lies between {low} and {high}")
        if (low == -_INF and not low_open) or (high == _INF and not high_open):
            raise ValueError("an infinite end must be open")
        if low > high or (low == high and (low_open or high_open)):
            raise ValueError(f"empty interval: {low}, {high}")
        if nominal is not None and not math.isfinite(nominal):
            raise ValueError(f"nominal value {nominal} is not finite")
        self.low, self.high, self.low_open, self.high_open = low, high, low_open, high_open
        self.nominal = nominal

    def _ends(self) -> tuple[float, float, bool, bool]:
        return (self.low, self.high, self.low_open, self.high_open)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Interval) and self._ends() == other._ends()

    def __hash__(self) -> int:
        return hash(self._ends())

    def __repr__(self) -> str:
        return (
            f"Interval(low={self.low!r}, high={self.high!r}, low_open={self.low_open!r}, "
            f"high_open={self.high_open!r}, nominal={self.nominal!r})"
        )

    @classmethod
    def point(cls, value: float) -> Interval:
        """[value, value]."""
        return cls(value, value, nominal=value)

    @property
    def bounded(self) -> bool:
        """Both ends finite."""
        return math.isfinite(self.low) and math.isfinite(self.high)

    @property
    def degenerate(self) -> bool:
        """A single number."""
        return self.low == self.high

    def contains(self, x: float) -> bool:
        """Whether X lies in the interval (NaN never does)."""
        above = self.low < x or (self.low == x and not self.low_open)
        below = x < self.high or (x == self.high and not self.high_open)
        return above and below

    def intersection(self, other: Interval) -> Interval | None:
        """The numbers in both, or None when there are none."""
        first, second = (self, other) if self.low >= other.low else (other, self)
        low, low_open = first.low, first.low_open or (first.low == second.low and second.low_open)
        first, second = (self, other) if self.high <= other.high else (other, self)
        high = first.high
        high_open = first.high_open or (first.high == second.high and second.high_open)
        if low < high or (low == high and not low_open and not high_open):
            return Interval(low, high, low_open, high_open)
        return None

    def overlaps(self, other: Interval) -> bool:
        """Whether some number lies in both (open ends respected: [1, 2) and [2, 3] do not)."""
        return self.intersection(other) is not None

    def hull(self, other: Interval) -> Interval:
        """The smallest interval holding both."""
        first, second = (self, other) if self.low <= other.low else (other, self)
        low, low_open = first.low, first.low_open and (first.low != second.low or second.low_open)
        first, second = (self, other) if self.high >= other.high else (other, self)
        high = first.high
        high_open = first.high_open and (first.high != second.high or second.high_open)
        return Interval(low, high, low_open, high_open)

    def scaled(self, factor: float) -> Interval:
        """Every number times FACTOR (> 0): a change of unit."""
        if not (factor > 0 and math.isfinite(factor)):
            raise ValueError(f"scale factor {factor} is not a positive number")
        nominal = None if self.nominal is None else self.nominal * factor
        if nominal is not None and not math.isfinite(nominal):
            nominal = None
        low, high = self.low * factor, self.high * factor
        low_open = self.low_open or math.isinf(low)
        if self.degenerate:
            high, high_open = low, low_open
        else:
            high_open = self.high_open or math.isinf(high)
        return Interval(low, high, low_open, high_open, nominal)

    def __str__(self) -> str:
        left = "(" if self.low_open else "["
        right = ")" if self.high_open else "]"
        return f"{left}{_end(self.low)}, {_end(self.high)}{right}"


def _end(x: float) -> str:
    return "∞" if x == _INF else "−∞" if x == -_INF else f"{x:,.6g}"


def _finite(name: str, x: float) -> float:
    if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x):
        raise ValueError(f"{name} is not a finite number: {x!r}")
    return float(x)


def figure_interval(
    value: float | None,
    qualifier: str,
    low: float | None = None,
    high: float | None = None,
) -> Interval:
    """The amounts a figure allows: VALUE under QUALIFIER, or LOW to HIGH for a range.

    Raises ValueError for a figure no amount satisfies or that is not an amount
    (negative, infinite, missing); callers holding untrusted records catch it.
    """
    if qualifier == "range":
        if low is None or high is None:
            raise ValueError("a range needs low and high")
        lo, hi = _finite("low", low), _finite("high", high)
        if lo < 0 or lo > hi:
            raise ValueError(f"not a range of amounts: {lo} to {hi}")
        return Interval(lo, hi)
    if value is None:
        raise ValueError(f"qualifier {qualifier!r} needs a value")
    v = _finite("value", value)
    if v < 0:
        raise ValueError(f"an amount is never negative: {v}")
    if qualifier == "exact":
        return Interval(v, v, nominal=v)
    if qualifier == "over":
        return Interval(v, _INF, True, True, nominal=v)
    if qualifier == "under":
        if v == 0:
            raise ValueError("no amount is under 0")
        return Interval(0.0, v, False, True, nominal=v)
    if qualifier == "approximate":
        tolerance = APPROXIMATE_TOLERANCE * v
        return Interval(v - tolerance, v + tolerance, nominal=v)
    raise ValueError(f"unknown qualifier {qualifier!r}")


def stated_growth(
    pct: float,
    qualifier: str = "exact",
    low: float | None = None,
    high: float | None = None,
) -> Interval:
    """The growth, in per cent, that a source's stated growth allows.

    "100 per cent" (exact) is [99.5, 100.5]: STATED_GROWTH_SLACK for rounding.
    "around 40" is 40 ± (APPROXIMATE_TOLERANCE · 40 + the slack). "over 100" is (100, ∞)
    and "under 20" is (−∞, 20): a stated bound is taken as stated. A range widens by
    the slack at both ends.
    """
    slack = STATED_GROWTH_SLACK
    if qualifier == "range":
        if low is None or high is None:
            raise ValueError("a range needs low and high")
        lo, hi = _finite("low", low), _finite("high", high)
        if lo > hi:
            raise ValueError(f"not a range: {lo} to {hi}")
        return Interval(lo - slack, hi + slack)
    p = _finite("growth", pct)
    if qualifier == "exact":
        return Interval(p - slack, p + slack, nominal=p)
    if qualifier == "approximate":
        width = APPROXIMATE_TOLERANCE * abs(p) + slack
        return Interval(p - width, p + width, nominal=p)
    if qualifier == "over":
        return Interval(p, _INF, True, True, nominal=p)
    if qualifier == "under":
        return Interval(-_INF, p, True, True, nominal=p)
    raise ValueError(f"unknown qualifier {qualifier!r}")


# --- growth ------------------------------------------------------------------------


class Growth:
    """Growth from one figure to another, in per cent. Immutable by convention.

    interval   every growth the two figures allow (never NaN; ends may be infinite)
    point      the growth of the stated values, when both figures state one value and
               the growth is not unknown; None otherwise. Not a claim by itself: for
               "over" growth it is where the open-ended interval starts.
    qualifier  how to show it: exact, over, under, approximate, range or unknown
    reason     why it is unknown, in a short English sentence; None otherwise
    notes      further caveats, e.g. that the earlier figure is disputed between sources
    """

    __slots__ = ("interval", "notes", "point", "qualifier", "reason")

    def __init__(
        self,
        interval: Interval,
        point: float | None,
        qualifier: str,
        reason: str | None = None,
        notes: tuple[str, ...] = (),
    ) -> None:
        self.interval, self.point, self.qualifier = interval, point, qualifier
        self.reason, self.notes = reason, notes

    def __repr__(self) -> str:
        return (
            f"Growth(interval={self.interval!r}, point={self.point!r}, "
            f"qualifier={self.qualifier!r}, reason={self.reason!r}, notes={self.notes!r})"
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Growth) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def _fields(self) -> tuple[object, ...]:
        return (self.interval, self.point, self.qualifier, self.reason, self.notes)

    @property
    def bounded(self) -> bool:
        """Both ends of the allowed growth are finite."""
        return self.interval.bounded

    def with_notes(self, *notes: str) -> Growth:
        return Growth(self.interval, self.point, self.qualifier, self.reason, self.notes + notes)


def _percent(ratio: float) -> float:
    return (ratio - 1.0) * 100.0


_ANY_GROWTH = "any growth above −100% is possible"
_OVERFLOW = (
    "the growth is too large to compute: the figures differ by more than any number can hold"
)


def _unknown_reason(current: Interval, previous: Interval) -> str:
    """Why the figures allow any growth at all: which end of which figure is missing."""
    if current.high == _INF and previous.high == _INF:
        return f"both figures are lower bounds, so {_ANY_GROWTH}"
    if current.low == 0 and previous.low == 0:
        return f"both figures may be as low as zero, so {_ANY_GROWTH}"
    floor = (
        "the earlier figure has no upper bound"
        if previous.high == _INF
        else "the later figure may be as low as zero"
    )
    ceiling = (
        "the later figure has no upper bound"
        if current.high == _INF
        else "the earlier figure may be as low as zero"
    )
    return f"{floor} and {ceiling}, so {_ANY_GROWTH}"


def growth_interval(current: Interval, previous: Interval) -> Growth:
    """Growth from PREVIOUS to CURRENT (amounts, both ≥ 0) as interval arithmetic:
    the ratio's low end is current.low / previous.high, its high end current.high /
    previous.low (∞ when the base may be 0).

    Lower bound over lower bound ("over" both) allows any growth above −100%: that is
    "unknown", with the reason. A ratio too large for a float is "unknown" as well, its
    interval (largest float, ∞). Raises ValueError for intervals reaching below zero.
    """
    if current.low < 0 or previous.low < 0:
        raise ValueError("growth is computed between amounts, never negative ones")
    if previous.high == 0:
        return Growth(
            Interval(-100.0, _INF, False, True),
            None,
            "unknown",
            "the earlier figure is zero, so growth from it is undefined",
        )
    # Ratio low end: current.low / previous.high (previous.high > 0 here).
    if current.low == 0 and not current.low_open:
        r_low, low_open = 0.0, False  # current may be 0: ratio 0 is reached
    else:
        r_low = current.low / previous.high
        low_open = current.low_open or previous.high_open
    # Ratio high end: current.high / previous.low, unbounded when the base may be 0.
    if previous.low == 0 or current.high == _INF:
        r_high, high_open = _INF, True
    else:
        r_high = current.high / previous.low
        high_open = current.high_open or previous.low_open or math.isinf(r_high)

    low, high = _percent(r_low), _percent(r_high)
    overflow = math.isinf(low)
    if overflow:
        low, low_open = _LARGEST, True
    if math.isinf(high):
        high_open = True
    if low == high and (low_open or high_open):
        low_open = high_open = False  # rounding made both ends one number
    nominal = _nominal_growth(current, previous)

    if overflow:
        return Growth(Interval(low, high, low_open, high_open), None, "unknown", _OVERFLOW)
    if low == high:
        return Growth(Interval.point(low), low, "exact")
    if r_low == 0 and high == _INF:
        reason = _unknown_reason(current, previous)
        return Growth(Interval(low, high, low_open, high_open), None, "unknown", reason)
    if high == _INF:
        qualifier = "over"
    elif r_low == 0:
        qualifier = "under"
    else:
        qualifier = "approximate" if nominal is not None else "range"
    return Growth(Interval(low, high, low_open, high_open, nominal), nominal, qualifier)


def _nominal_growth(current: Interval, previous: Interval) -> float | None:
    cur, prev = current.nominal, previous.nominal
    if cur is None or prev is None or prev <= 0:
        return None
    pct = _percent(cur / prev)
    return pct if math.isfinite(pct) else None


def compare(stated: Interval, computed: Growth) -> str:
    """A stated growth against the computed one: "differs" when no growth fits both;
    "agrees" when some does and the computed interval is bounded; "cannot tell" when
    they fit but the figures leave growth open-ended (e.g. stated 100% against a
    computed "> 100%": consistent, yet the figures cannot confirm it)."""
    if not stated.overlaps(computed.interval):
        return "differs"
    return "agrees" if computed.bounded else "cannot tell"


# --- for people ------------------------------------------------------------------------

_HUGE = 1e15  # from here figures.number shows three significant digits, not tenths


def _step(x: float) -> float:
    """The unit a bound is shown to: a tenth, or the third significant digit when huge."""
    if abs(x) < _HUGE:
        return 0.1
    return 10.0 ** (math.floor(math.log10(abs(x))) - 2)


def _steps(x: float, step: float) -> float:
    """X in STEPs, with float noise removed: 999.9999999999994 steps is 1000. Only a
    difference of a few parts in 10^12, far below any digit shown, counts as noise."""
    q = x / step
    n = round(q)
    return float(n) if abs(q - n) <= 1e-12 * max(abs(q), 1.0) else q


def _down(x: float) -> float:
    """X rounded down to the digits shown: a lower bound shown is never above the true one."""
    step = _step(x)
    shown = math.floor(_steps(x, step)) * step
    return shown if math.isfinite(shown) else x


def _up(x: float) -> float:
    """X rounded up to the digits shown: an upper bound shown is never below the true one."""
    step = _step(x)
    shown = math.ceil(_steps(x, step)) * step
    return shown if math.isfinite(shown) else x


def _pct(x: float) -> str:
    return f"{number(x)}%"


def format_growth(growth: Growth) -> str:
    """The growth for people, its qualifier visible: "+100%", "> 100%", "< 20%", "≈ 42%",
    "20–22%" or "unknown". Bounds round outwards (a lower bound down, an upper bound up),
    so the text never claims more than the figures do."""
    iv, q = growth.interval, growth.qualifier
    if q == "exact" and growth.point is not None:
        value = round(growth.point, 1)
        return f"+{_pct(value)}" if value > 0 else _pct(value + 0.0)  # -0.0 shows as 0
    if q == "approximate" and growth.point is not None:
        return f"≈ {_pct(round(growth.point) + 0.0)}"
    if q == "over" and math.isfinite(iv.low):
        return f"{'>' if iv.low_open else '≥'} {_pct(_down(iv.low))}"
    if q == "under" and math.isfinite(iv.high):
        return f"{'<' if iv.high_open else '≤'} {_pct(_up(iv.high))}"
    if q in ("range", "approximate") and iv.bounded:
        low, high = _down(iv.low), _up(iv.high)
        if low < 0:
            return f"{_pct(low)} to {_pct(high)}"
        return f"{number(low)}–{_pct(high)}"
    return "unknown"
