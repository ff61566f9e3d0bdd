"""Claims about subjects, Wikidata-style: records from different sources about the same
thing live side by side, each with a rank, and a view shows the best of them.

A record states a claim about a subject: India's mobile phone exports in FY2023, say.
The subject is what a few fields of the record name (its kind's `subject`); the claim is
the rest. Each claim has a `rank`: "preferred", "normal" (when none is given) or
"deprecated", and may say why in `rank_reason`. The best claims of a subject are its
preferred ones if any, else its normal ones; a deprecated claim is never best.

Best claims of a kind with figures are disputed when their intervals (intervals.py) do not
all overlap: "over ₹90,000 crore" and "₹90,600 crore" agree, "₹90,000 crore" and
"₹95,000 crore" do not.

Knows nothing of click or rich.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from functools import reduce
from typing import Any

from . import figures
from .intervals import Interval, figure_interval
from .registry import find_kind

Record = dict[str, Any]
Key = tuple[Any, ...]

RANKS = ("preferred", "normal", "deprecated")
DEFAULT_RANK = "normal"

_CRORE = figures.RUPEE_FACTORS["INR crore"]


def subject_fields(kind: str) -> tuple[str, ...]:
    """The fields that name what a record of KIND is about; ("id",) where only the
    record itself is (a company, a source, a statement ...)."""
    found = find_kind(kind)
    return found.subject if found is not None else ("id",)


def _compared(kind: str) -> tuple[str, ...]:
    """The fields whose values claims of KIND without figures must share (Kind.compared)."""
    found = find_kind(kind)
    return found.compared if found is not None else ()


def has_figures(kind: str) -> bool:
    """Whether records of KIND carry a figure (value or low and high, unit, qualifier)."""
    found = find_kind(kind)
    return found is not None and found.figures


def _part(value: Any) -> Any:
    """One part of a subject key: text casefolded and stripped, whole numbers as they
    are; missing, empty or any other type None."""
    if isinstance(value, str):
        text = value.strip().casefold()
        return text or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return None


def subject_key(kind: str, record: Record) -> Key:
    """What RECORD is about: ('india', 'mobile phones', 2023, None) for FY2023's exports."""
    return tuple(_part(record.get(name)) for name in subject_fields(kind))


def rank_of(record: Record) -> str:
    """The claim's rank; "normal" when absent or not one of RANKS (a schema-1 file's
    ranking position, a whole number, is not a claim rank and reads as "normal")."""
    rank = record.get("rank")
    if isinstance(rank, str) and rank.strip().casefold() in RANKS:
        return rank.strip().casefold()
    return DEFAULT_RANK


def best(claims: Iterable[Record]) -> list[Record]:
    """The preferred claims if any, else the normal ones, in their order; never deprecated."""
    claims = list(claims)
    preferred = [c for c in claims if rank_of(c) == "preferred"]
    return preferred or [c for c in claims if rank_of(c) == "normal"]


def unit_of(kind: str, record: Record) -> str | None:
    """The unit interval_of gives RECORD's figure in: every rupee unit becomes "INR crore"
    so that claims in lakh and in crore compare; None for kinds without figures."""
    if not has_figures(kind):
        return None
    unit = record.get("unit") or "percent"
    return "INR crore" if unit in figures.RUPEE_FACTORS else str(unit)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def interval_of(kind: str, record: Record) -> Interval | None:
    """The amounts RECORD's figure allows, rupees in crore (see unit_of); None for kinds
    without figures and for a figure no amount satisfies (bad data never raises here)."""
    if not has_figures(kind):
        return None
    qualifier = record.get("qualifier") or "exact"
    if not isinstance(qualifier, str):
        return None
    try:
        interval = figure_interval(
            _number(record.get("value")),
            qualifier,
            _number(record.get("low")),
            _number(record.get("high")),
        )
        factor = figures.RUPEE_FACTORS.get(record.get("unit") or "", _CRORE) / _CRORE
        return interval if factor == 1 else interval.scaled(factor)
    except (ValueError, TypeError):
        return None


def _figures(kind: str, claims: Iterable[Record]) -> list[tuple[str | None, Interval]]:
    out = []
    for claim in claims:
        interval = interval_of(kind, claim)
        if interval is not None:
            out.append((unit_of(kind, claim), interval))
    return out


def _common(intervals: Iterable[Interval]) -> Interval | None:
    """The numbers every interval holds, or None. Intervals on a line that overlap pairwise
    all share some number (Helly), so one pass answers the pairwise question too."""
    common: Interval | None = None
    for interval in intervals:
        common = interval if common is None else common.intersection(interval)
        if common is None:
            return None
    return common


def origin_label(source: Record | None, fallback: str = "") -> str:
    """Who made the statement a source repeats, as people read it: "ICEA via PTI"; the
    source's id (FALLBACK) when it names no origin."""
    if not source:
        return fallback
    origin = source.get("origin")
    label = origin.strip() if isinstance(origin, str) and origin.strip() else ""
    if not label:
        return str(source.get("id") or fallback)
    via = source.get("via")
    return f"{label} via {via.strip()}" if isinstance(via, str) and via.strip() else label


def origin_key(source: Record | None, fallback: str = "") -> str:
    """What makes two sources one origin: the same `origin` (any case), whatever carried
    it; a source that names none is an origin of its own (its id, else FALLBACK)."""
    if source:
        origin = source.get("origin")
        if isinstance(origin, str) and origin.strip():
            return origin.strip().casefold()
        return f"id:{source.get('id') or fallback}"
    return f"id:{fallback}"


Sources = dict[str, Record]
"""Source records by id: what tells a claim's origin (see origin_key)."""


def claim_origin(claim: Record, sources: Sources | None) -> str:
    """The origin key of CLAIM: its source's (see origin_key)."""
    source_id = claim.get("source")
    source_id = source_id if isinstance(source_id, str) else str(claim.get("id") or "")
    return origin_key((sources or {}).get(source_id), source_id)


def _by_origin(claims: Iterable[Record], sources: Sources | None) -> dict[str, list[Record]]:
    found: dict[str, list[Record]] = {}
    for claim in claims:
        found.setdefault(claim_origin(claim, sources), []).append(claim)
    return found


def disagree(kind: str, claims: Iterable[Record], sources: Sources | None = None) -> bool:
    """Whether the best of CLAIMS of different origins contradict each other: reports of
    one origin are combined first (see _combined), and a disagreement is counted only
    between origins. Figures disagree when the origins' intervals share no amount, or
    when they are in units that cannot be compared (percent against rupees); a kind
    without figures disagrees when the values of its `compared` fields (a position) of
    each origin have none in common. Other kinds never disagree here."""
    chosen = best(claims)
    if len(chosen) < 2:  # one claim cannot contradict itself
        return False
    origins = _by_origin(chosen, sources)
    if len(origins) < 2:
        return False
    if not has_figures(kind):
        compared = _compared(kind)
        if not compared:
            return False
        held = [{tuple(c.get(f) for f in compared) for c in group} for group in origins.values()]
        return not set.intersection(*held)
    stated = [_figures(kind, group) for group in origins.values()]  # each origin's figures
    if len({unit for found in stated for unit, _ in found}) > 1:
        return True
    combined = [iv for found in stated if (iv := _combined(found)) is not None]
    return len(combined) > 1 and _common(combined) is None


def combined_interval(kind: str, claims: Iterable[Record]) -> Interval | None:
    """The amounts CLAIMS allow together (see _combined); None without a figure."""
    return _combined(_figures(kind, claims))


def _combined(found: list[tuple[str | None, Interval]]) -> Interval | None:
    """The amounts the figures FOUND of one origin's claims (_figures) allow together: their
    common part, or, when the origin's own reports differ, the smallest interval holding
    them all."""
    intervals = [iv for _, iv in found]
    if not intervals:
        return None
    common = _common(intervals)
    return common if common is not None else reduce(Interval.hull, intervals)


class Subject:
    """One thing the facts speak about, and every claim about it.

    kind      the kind of its records
    key       subject_key of each of its claims
    claims    all of them, in file order
    best      the preferred ones if any, else the normal ones
    disputed  the best claims of different origins contradict each other (see disagree);
              worked out when first asked (None: not yet), since a listing asks it only
              of the subjects it shows
    by_id     the source records by id that tell each claim's origin (or None)
    """

    __slots__ = ("_disputed", "best", "by_id", "claims", "key", "kind")

    def __init__(
        self,
        kind: str,
        key: Key,
        claims: list[Record] | None = None,
        best: list[Record] | None = None,
        disputed: bool | None = None,
        sources: Sources | None = None,
    ) -> None:
        self.kind, self.key, self.by_id = kind, key, sources
        self.claims = claims if claims is not None else []
        self.best = best if best is not None else []
        self._disputed = disputed

    def __repr__(self) -> str:
        return (
            f"Subject(kind={self.kind!r}, key={self.key!r}, claims={len(self.claims)}, "
            f"best={len(self.best)}, disputed={self.disputed!r})"
        )

    @property
    def disputed(self) -> bool:
        if self._disputed is None:
            self._disputed = disagree(self.kind, self.best, self.by_id)
        return self._disputed

    @property
    def origins(self) -> int:
        """How many independent origins its claims come from."""
        return len(_by_origin(self.claims, self.by_id))

    @property
    def shown(self) -> Record | None:
        """The claim a one-row-per-subject view shows: the first best one; None when every
        claim is deprecated."""
        return self.best[0] if self.best else None


def group(kind: str, records: Iterable[Record], sources: Sources | None = None) -> list[Subject]:
    """RECORDS of KIND gathered by subject, subjects in the order each first appears;
    SOURCES (records by id) tell which claims are of one origin."""
    subjects: dict[Key, Subject] = {}
    for record in records:
        key = subject_key(kind, record)
        if key not in subjects:
            subjects[key] = Subject(kind, key, sources=sources)
        subjects[key].claims.append(record)
    for subject in subjects.values():
        subject.best = best(subject.claims)  # whether they disagree: when first asked
    return list(subjects.values())


def dispute_note(subject: Subject) -> str:
    """Plain text naming each best claim's figure and source, reports of one origin
    together, for a footnote: "sources disagree: ₹90,000 crore (jv-report); ₹95,000 crore
    (pib-1, pib-2: 2 reports, 1 origin: PIB)". Escape it for the output it goes to."""
    parts = []
    for group in _by_origin(subject.best, subject.by_id).values():
        seen: dict[str, list[str]] = {}
        for c in group:
            ids = seen.setdefault(_what(subject.kind, c), [])
            source = str(c.get("source") or c.get("id"))
            if source not in ids:
                ids.append(source)
        reports = len({i for ids in seen.values() for i in ids})
        named = [f"{what} ({', '.join(ids)})" for what, ids in seen.items()]
        if reports < 2:
            parts.extend(named)
            continue
        origin = _origin_name(group[0], subject.by_id)
        if len(seen) == 1:
            ((what, ids),) = seen.items()
            parts.append(f"{what} ({', '.join(ids)}: {reports} reports, 1 origin: {origin})")
        else:
            parts.append(f"{', '.join(named)} [{reports} reports, 1 origin: {origin}]")
    return "sources disagree: " + "; ".join(parts)


def _origin_name(claim: Record, sources: Sources | None) -> str:
    """The origin its source names (without the agency), else the source's id."""
    source_id = str(claim.get("source") or claim.get("id"))
    origin = ((sources or {}).get(source_id) or {}).get("origin")
    return origin.strip() if isinstance(origin, str) and origin.strip() else source_id


def _what(kind: str, claim: Record) -> str:
    """A claim's figure for a footnote, or the values of its kind's compared fields."""
    if has_figures(kind):
        return figures.figure(claim)
    compared = _compared(kind)
    return ", ".join(str(claim.get(f)) for f in compared) or str(claim.get("id"))


_MAX_ID = 100  # validation's limit on an id's length


def claim_suffix(record: Record, existing_ids: Collection[str], default: str | None = None) -> str:
    """The id a new claim on an existing subject gets: DEFAULT (RECORD's id when None)
    plus "-" and its source id, e.g. "exports-fy2023-pib"; then "-2", "-3" ... until it
    is not among EXISTING_IDS. The base is cut short to keep ids within 100 characters."""
    base = default if default is not None else str(record.get("id") or "claim")
    source = record.get("source")
    stem = f"{base}-{source}" if isinstance(source, str) and source else base
    n = 1
    while True:
        tail = "" if n == 1 else f"-{n}"
        candidate = stem[: _MAX_ID - len(tail)] + tail
        if candidate not in existing_ids:
            return candidate
        n += 1
