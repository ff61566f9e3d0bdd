"""Indian fiscal years (April-March) and their quarters.

A fiscal year is named here by the calendar year it ends in: FY2023 is
April 2022 - March 2023, also written FY23, 2022-23 or 2022-2023.
"""

from __future__ import annotations

from datetime import date

ACCEPTED = (
    "2023, FY23, FY 2023, 2022-23, 2022-2023, FY2022-23, Q1 FY24, or a range such as "
    "2021..2023 (..2023 and 2021.. leave an end open)"
)

EARLIEST, LATEST = 1900, 2199  # an open range's ends
FIRST_YEAR, LAST_YEAR = 1950, 2100  # the fiscal years a fact or a query may name

_QUARTER_MONTHS = {1: ("Apr", "Jun"), 2: ("Jul", "Sep"), 3: ("Oct", "Dec"), 4: ("Jan", "Mar")}


class FiscalYearError(ValueError):
    """The text is not a fiscal year in any form we accept."""


def _full_year(digits: str) -> int:
    """'2023' -> 2023; two digits pivot as strptime's %y does: 69-99 -> 1969-1999,
    00-68 -> 2000-2068 (so FY99 is FY1999, FY23 is FY2023)."""
    if len(digits) == 4:
        return int(digits)
    two = int(digits)
    return 1900 + two if two >= 69 else 2000 + two


def _split(text: str) -> tuple[str, str | None] | None:
    """'FY2022-23' -> ('2022', '23'); None when TEXT is not of that shape.

    Hand-written rather than a regex: compiling one costs more start-up time
    than the whole parse, and this runs on every --fy.
    """
    body = text.strip().lower()
    if body.startswith("fy"):
        body = body[2:].lstrip()
    body = body.removeprefix("'")
    for sep in "-/–":
        if sep in body:
            a, _, b = body.partition(sep)
            a, b = a.strip(), b.strip()
            break
    else:
        a, b = body, None
    for part in (a, b):
        if part is not None and not (part.isascii() and part.isdigit() and len(part) in (2, 4)):
            return None
    return a, b


def parse_year(text: str) -> int:
    """Return the fiscal year (its ending calendar year) that TEXT names."""
    parts = _split(text)
    if parts is None:
        raise FiscalYearError(f"{text!r} is not a fiscal year; use {ACCEPTED}")
    a, b = parts
    if b is None:
        year = _full_year(a)
    else:
        start = _full_year(a)
        end = int(b) if len(b) == 4 else (start // 100) * 100 + int(b)
        if len(b) == 2 and end <= start:
            end += 100  # 1999-00
        if end != start + 1:
            raise FiscalYearError(
                f"{text!r} spans {start}-{end}; a fiscal year runs April {start} - "
                f"March {start + 1}, written {start}-{str(start + 1)[2:]}"
            )
        year = end
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise FiscalYearError(out_of_range(year))
    return year


def out_of_range(year: int) -> str:
    """The one message for a year no fiscal year of ours can be (validation says it too)."""
    return f"{year} is not a plausible fiscal year ({FIRST_YEAR}-{LAST_YEAR})"


def _quarter(part: str) -> int | None:
    """'Q1' -> 1 (any case); None when PART is not a quarter's name."""
    part = part.strip().lower()
    if len(part) == 2 and part[0] == "q" and part[1] in "1234":
        return int(part[1])
    return None


def parse_period(text: str) -> tuple[int, int | None]:
    """A fiscal year, or a quarter of one, as people write it: (fy, quarter or None).

    'FY23', 'FY 2023', '2022-23' give (2023, None); 'Q1 FY24', 'Q1FY24', 'FY24 Q1',
    'Q1 2023-24' and 'FY2024-Q1' give (2024, 1)."""
    body = text.strip()
    low = body.lower()
    if low.startswith("q") and len(body) > 2:
        quarter = _quarter(body[:2])
        if quarter is not None:
            rest = body[2:].strip().removeprefix("-").removeprefix(",").strip()
            if rest:
                return parse_year(rest), quarter
    for sep in (" ", "-", ","):
        head, found, tail = body.rpartition(sep)
        if found and head.strip():
            quarter = _quarter(tail)
            if quarter is not None:
                return parse_year(head.strip().rstrip(",-").strip()), quarter
    if _quarter(body) is not None:
        raise FiscalYearError(f"{text!r} names no fiscal year; write Q1 FY24 or Q1 2023-24")
    return parse_year(body), None


def parse_span(text: str) -> tuple[int, int]:
    """A year or an inclusive range 'A..B' of fiscal years, as (first, last); either end of
    a range may be left open: '..2023' is every year up to FY2023, '2021..' from FY2021."""
    if ".." in text:
        first_text, _, last_text = text.partition("..")
        if not first_text.strip() and not last_text.strip():
            raise FiscalYearError(
                f"{text!r} names no year; write a range as 2021..2023, ..2023 or 2021.."
            )
        first = parse_year(first_text) if first_text.strip() else EARLIEST
        last = parse_year(last_text) if last_text.strip() else LATEST
        if first > last:
            raise FiscalYearError(f"{text!r} runs backwards; write {last}..{first}")
        return first, last
    year = parse_year(text)
    return year, year


def parse_selection(text: str) -> tuple[int, int, int | None]:
    """What --fy takes: a range (parse_span) or one period (parse_period), as
    (first, last, quarter or None)."""
    if ".." in text:
        return (*parse_span(text), None)
    fy, quarter = parse_period(text)
    return fy, fy, quarter


def parse_quarter(text: str) -> int:
    """A quarter for --quarter: '1', 'Q1' or 'q1' -> 1."""
    body = text.strip()
    quarter = _quarter(body) if len(body) == 2 else None
    if quarter is None and body in ("1", "2", "3", "4"):
        quarter = int(body)
    if quarter is None:
        raise FiscalYearError(
            f"{text!r} is not a quarter; use 1-4 or Q1-Q4 (Q1 is April-June, Q4 January-March)"
        )
    return quarter


def span_label(first: int, last: int, quarter: int | None = None) -> str:
    """'FY2023', 'FY2021..FY2023', '..FY2023' or 'FY2021..' for an open end; with a
    QUARTER of a single year, 'Q1 FY2024'."""
    if first == last and quarter:
        return label(first, quarter)
    if first == last:
        return f"FY{first}"
    start = "" if first == EARLIEST else f"FY{first}"
    end = "" if last == LATEST else f"FY{last}"
    return f"{start}..{end}"


def label(fy: int, quarter: int | None = None) -> str:
    """'FY2023' or 'Q1 FY2024'."""
    return f"Q{quarter} FY{fy}" if quarter else f"FY{fy}"


def last_day(fy: int, quarter: int | None = None) -> date:
    """The last day of a fiscal year or quarter: 31 March 2023 for FY2023, 30 June 2023
    for Q1 FY2024."""
    import calendar

    if not quarter:
        return date(fy, 3, 31)
    month = {1: 6, 2: 9, 3: 12, 4: 3}[quarter]
    year = fy if quarter == 4 else fy - 1
    return date(year, month, calendar.monthrange(year, month)[1])


def months(fy: int, quarter: int | None = None) -> str:
    """The calendar months a fiscal year or quarter covers: 'Apr 2022 - Mar 2023'."""
    if not quarter:
        return f"Apr {fy - 1} - Mar {fy}"
    first, last = _QUARTER_MONTHS[quarter]
    year = fy if quarter == 4 else fy - 1
    return f"{first}-{last} {year}"
