"""Events: a dated timeline of a venture and its companies, what happened and what was
expected, and when.

A date is written as precisely as the source knows it: a day (2023-09-01), a month
(2025-12), a quarter of the calendar year (2024-Q4) or a year (2024); its form is its
precision. What is particular to events lives here: reading those dates, the days each
covers, and the order of a timeline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..registry import Col, Field, Kind, Record, derived, reference
from .companies import KIND as COMPANIES
from .ventures import KIND as VENTURES

STATUSES = ("expected", "happened")
PRECISIONS = ("day", "month", "quarter", "year")
DATE_FORMS = "YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY"
FIRST_YEAR, LAST_YEAR = 1900, 2100


def period(text: Any) -> tuple[str, str, str] | None:
    """The first and last day (ISO) a date as written covers, and its precision; None
    when TEXT is not a date of DATE_FORMS or names no real day."""
    import calendar
    import re

    if type(text) is not str:
        return None
    m = re.fullmatch(r"(\d{4})(?:-[Qq]([1-4])|-(\d\d)(?:-(\d\d))?)?", text.strip(), re.ASCII)
    if m is None or not FIRST_YEAR <= int(m.group(1)) <= LAST_YEAR:
        return None
    year, quarter, month, day = int(m.group(1)), m.group(2), m.group(3), m.group(4)
    if quarter:
        first, last = 3 * int(quarter) - 2, 3 * int(quarter)
        days = calendar.monthrange(year, last)[1]
        return f"{year}-{first:02d}-01", f"{year}-{last:02d}-{days}", "quarter"
    if month is None:
        return f"{year}-01-01", f"{year}-12-31", "year"
    if not 1 <= int(month) <= 12:
        return None
    days = calendar.monthrange(year, int(month))[1]
    if day is None:
        return f"{year}-{month}-01", f"{year}-{month}-{days}", "month"
    if not 1 <= int(day) <= days:
        return None
    return f"{year}-{month}-{day}", f"{year}-{month}-{day}", "day"


def order(row: Record) -> tuple[str, int, str]:
    """Where a record comes in a timeline: by its first day, the more precise date first
    (a day before the month that holds it), then by id."""
    found = period(row.get("date"))
    if found is None:  # not a date: validation says so; at the end here
        return ("9999", len(PRECISIONS), str(row.get("id")))
    return (found[0], PRECISIONS.index(found[2]), str(row.get("id")))


def _rules(r: Record) -> list[tuple[str, str]]:
    out = []
    for name in ("date", "stated"):
        value = r.get(name)
        if type(value) is str and period(value) is None:
            out.append(
                (
                    name,
                    f"not a date of the form {DATE_FORMS}, between the years "
                    f"{FIRST_YEAR} and {LAST_YEAR}",
                )
            )
    if not r.get("venture") and not r.get("parties"):
        out.append(("", "an event names its venture or its parties (or both)"))
    return out


def _derive(facts: Any, records: list[Record]) -> Callable[[Record], Record]:
    def derive(r: Record) -> Record:
        found = period(r.get("date"))
        return dict(zip(("starts", "ends", "precision"), found, strict=True)) if found else {}

    return derive


def _label(row: Record) -> str:
    return f"{row['event']}, {row['date']}"


def _cited_as(row: Record) -> str:
    """ "operations start, 2025-12 (expected, as stated 2025-08-13): ..." for a citation."""
    stated = f", as stated {row['stated']}" if row.get("stated") else ""
    status = f" ({row['status']}{stated})" if row["status"] != "happened" else ""
    return f"{row['event']}, {row['date']}{status}: {row['summary']}"


def _detail(row: Record) -> tuple[str, str]:
    status = "" if row["status"] == "happened" else f" ({row['status']})"
    return row["date"], f"{row['event']}{status}: {row['summary']}"


KIND = Kind(
    "events",
    45,
    (
        Field(
            "venture",
            "str",
            False,
            "Id of the venture the event belongs to.",
            ref=(VENTURES.name,),
            indexed=True,
        ),
        reference(
            "parties",
            "strlist",
            False,
            "Ids of the companies the source names as acting in it.",
            COMPANIES.name,
        ),
        Field(
            "event",
            "str",
            True,
            "What happens, in a few words: announced, ground broken, inaugurated ...",
            indexed=True,
            casefold=True,
        ),
        Field(
            "date",
            "str",
            True,
            f"When, as precisely as the source knows it: {DATE_FORMS} (a quarter of the "
            "calendar year).",
            indexed=True,
        ),
        Field(
            "status",
            "str",
            True,
            "happened, or expected (a plan or a promise, as of `stated`).",
            choices=STATUSES,
            indexed=True,
        ),
        Field("stated", "str", False, f"When the source said it: {DATE_FORMS}."),
        Field(
            "summary", "str", True, "What happened or is expected, in our words.", long_text=True
        ),
    ),
    derived=(
        derived(
            "precision",
            "str",
            "How precisely the date is known: day, month, quarter or year (the form of `date`).",
            exported=True,
        ),
        derived("starts", "str", "The first day the date covers, YYYY-MM-DD.", exported=True),
        derived("ends", "str", "The last day the date covers, YYYY-MM-DD.", exported=True),
        derived("venture_name", "str", "Name of the venture.", names_of="venture"),
        derived("party_names", "strlist", "Names of the companies.", names_of="parties"),
    ),
    derive=_derive,
    subject=("venture", "event"),
    title="Timeline",
    doc="A dated timeline of ventures and companies: what happened, and what was expected.",
    columns=(Col("Date"), Col("Event"), Col("Status"), Col("What", "summary")),
    label=_label,
    cited_as=_cited_as,
    detail=_detail,
    related=6,
    rules=_rules,
    listed="timeline",
    examples=("cgcli timeline", "cgcli timeline --since 2024 --company corning"),
)
