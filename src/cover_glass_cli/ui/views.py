"""What a person sees of each kind: table columns in human form, and detail views.

Builds plain strings only; tables.py draws them with rich.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..domain import figures
from ..domain.query import label

Row = dict[str, Any]


class Column:
    """A table column: its header, how to get a cell's text from a row, and whether it
    holds numbers (right-aligned, never wrapped)."""

    __slots__ = ("cell", "header", "numeric")

    def __init__(self, header: str, cell: Callable[[Row], str], numeric: bool = False) -> None:
        self.header, self.cell, self.numeric = header, cell, numeric


class TableView:
    """What a table shows: a title, columns, rows, and notes under it."""

    __slots__ = ("columns", "footnotes", "rows", "title")

    def __init__(
        self, title: str, columns: list[Column], rows: list[Row], footnotes: list[str]
    ) -> None:
        self.title, self.columns, self.rows, self.footnotes = title, columns, rows, footnotes


def _f(name: str) -> Callable[[Row], str]:
    return lambda row: plain(row.get(name), name)


# Whole numbers that are years, counts or ranks: shown as written, never as "1,993".
UNGROUPED = frozenset({"founded", "fy", "quarter", "goal_years", "rank"})


def plain(value: Any, name: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(plain(v) for v in value)
    if isinstance(value, dict) and {"start", "end"} <= value.keys():  # an evidence span
        return f"characters {value['start']}-{value['end']}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value) if name in UNGROUPED else figures.number(value)
    return str(value)


def _year(row: Row) -> str:
    return str(row["founded"]) if row.get("founded") is not None else ""


def _check(row: Row) -> str:
    return {"agrees": "agrees", "differs": "DIFFERS"}.get(row.get("growth_check") or "", "")


def _computed(row: Row) -> str:
    return figures.growth(row.get("growth_computed_pct"), row.get("growth_computed_qualifier"))


def _shown(row: Row) -> Row:
    """The row's figure in the unit --unit asked for, when it did."""
    if row.get("converted_unit"):
        return {**row, "value": row["converted_value"], "unit": row["converted_unit"]}
    return row


COLUMNS: dict[str, list[Column]] = {
    "companies": [
        Column("ID", _f("id")),
        Column("Name", _f("name")),
        Column("Founded", _year, numeric=True),
        Column("Business", _f("business")),
        Column("Role", _f("role")),
    ],
    "people": [
        Column("ID", _f("id")),
        Column("Name", _f("name")),
        Column("Title", _f("title")),
        Column("Company", _f("company_name")),
    ],
    "statements": [
        Column("Speaker", _f("speaker_name")),
        Column("Topic", _f("topic")),
        Column("Summary", _f("summary")),
    ],
    "ventures": [
        Column("ID", _f("id")),
        Column("Name", _f("name")),
        Column("Partners", _f("partner_names")),
        Column("Country", _f("country")),
        Column("Goal", _f("goal")),
    ],
    "sites": [
        Column("ID", _f("id")),
        Column("Operator", _f("operator_name")),
        Column("Country", _f("country")),
        Column("City", _f("city")),
        Column("Status", _f("status")),
        Column("Makes", _f("makes")),
    ],
    "customers": [
        Column("Supplier", _f("supplier_name")),
        Column("Customer", _f("name")),
        Column("Sector", _f("sector")),
    ],
    "exports": [
        Column("Period", _f("period")),
        Column("Months", _f("months")),
        Column("Exports", lambda r: figures.figure(_shown(r)), numeric=True),
        Column(
            "Growth",
            lambda r: figures.growth(r.get("growth_pct"), r.get("growth_qualifier")),
            numeric=True,
        ),
        Column("Computed", _computed, numeric=True),
        Column("Check", _check),
    ],
    "value_addition": [
        Column("Country", _f("country")),
        Column("Local value addition", figures.figure, numeric=True),
        Column("Scope", _f("scope")),
    ],
    "market_facts": [
        Column("Subject", _f("subject")),
        Column("Topic", _f("topic")),
        Column("Rank", _f("rank"), numeric=True),
        Column("Fact", _f("statement")),
    ],
    "sources": [
        Column("ID", _f("id")),
        Column("Title", _f("title")),
        Column("Kind", _f("kind")),
        Column("Location", _f("location")),
        Column("Cited by", lambda r: f"{len(r.get('cited_by') or [])} records", numeric=True),
    ],
}

TITLES = {
    "companies": "Companies",
    "people": "People",
    "statements": "Statements",
    "ventures": "Ventures",
    "sites": "Sites",
    "customers": "Customers",
    "exports": "Exports, by Indian fiscal year (April-March)",
    "value_addition": "Local value addition in phone manufacturing, by country",
    "market_facts": "Market facts",
    "sources": "Sources",
}


def footnotes(rows: list[Row]) -> list[str]:
    """A line for each record with inferred fields or a disagreement worth seeing."""
    notes = []
    for row in rows:
        if row.get("inferred"):
            inferred = ", ".join(row["inferred"])
            note = f": {row['note']}" if row.get("note") else ""
            notes.append(f"* {row['id']}: {inferred} inferred, not stated{note}")
        if row.get("growth_check") == "differs":
            notes.append(
                f"! {row['id']}: stated growth "
                f"{figures.growth(row['growth_pct'], row.get('growth_qualifier'))} differs from "
                f"the {_computed(row)} computed against {row['compared_with']}"
            )
    return notes


def _marked(cell: Callable[[Row], str]) -> Callable[[Row], str]:
    """CELL with ' *' after it on rows that have inferred fields (see footnotes)."""
    return lambda row: cell(row) + (" *" if row.get("inferred") else "")


def exports_title(rows: list[Row]) -> str:
    """What the exports shown are: "India's exports of mobile phones" when the rows share
    one country and product, plain "Exports" when they differ in both."""
    countries = {r["country"] for r in rows}
    products = {r["product"] for r in rows}
    if len(countries) == 1 and len(products) == 1:
        what = f"{next(iter(countries))}'s exports of {next(iter(products))}"
    elif len(countries) == 1:
        what = f"{next(iter(countries))}'s exports"
    elif len(products) == 1:
        what = f"Exports of {next(iter(products))}"
    else:
        what = "Exports"
    return f"{what}, by Indian fiscal year (April-March)"


def _varying(rows: list[Row], *names: str) -> list[Column]:
    """A column for each of NAMES whose value differs between ROWS."""
    return [Column(n.capitalize(), _f(n)) for n in names if len({r.get(n) for r in rows}) > 1]


def table_view(kind: str, rows: list[Row], fields: list[str] | None = None) -> TableView:
    """The default human columns, or exactly FIELDS (raw values) when given."""
    title = exports_title(rows) if kind == "exports" and rows else TITLES[kind]
    if fields:
        columns = [Column(f, _f(f)) for f in fields]
    else:
        columns = list(COLUMNS[kind])
        first = columns[0]
        columns[0] = Column(first.header, _marked(first.cell), first.numeric)
        if kind == "exports":
            columns[1:1] = _varying(rows, "country", "product")
    return TableView(title, columns, rows, footnotes(rows))


def detail_pairs(row: Row, skip: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """A record's non-empty fields as (label, text) pairs, for a detail view."""
    pairs = []
    for name, value in row.items():
        if name in skip or value in (None, [], ""):
            continue
        pairs.append((name.replace("_", " "), plain(value, name)))
    return pairs


def with_citations(view: TableView, sources: dict[str, Row]) -> TableView:
    """VIEW with a [n] column naming each row's source, and the numbered sources as footnotes."""
    numbers: dict[str, int] = {}
    for row in view.rows:
        numbers.setdefault(row.get("source") or row["id"], len(numbers) + 1)
    column = Column("Src", lambda r: f"[{numbers[r.get('source') or r['id']]}]")
    notes = []
    for source_id, n in numbers.items():
        source = sources.get(source_id, {})
        where = f" ({source['location']})" if source.get("location") else ""
        notes.append(f"[{n}] {source.get('title', source_id)}{where}")
    return TableView(view.title, [*view.columns, column], view.rows, [*view.footnotes, *notes])


def detail_sections(related: dict[str, list[Row]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Related records of a detail view, one (heading, [(label, text)]) section per kind."""

    def line(kind: str, row: Row) -> tuple[str, str]:
        if kind == "sites":
            return row["id"], f"{row['country']}: {row['makes']} ({row['status']})"
        if kind == "people":
            return row["id"], f"{row['name']}, {row['title']}"
        if kind == "statements":
            return row.get("speaker_name") or row["speaker"], row["summary"]
        if kind == "sources":
            where = f" [{row['location']}]" if row.get("location") else ""
            return row["id"], f"{row['title']} ({row['kind']}){where}"
        if kind == "customers":
            return row["name"], plain(row.get("sector"))
        return row["id"], label(kind, row)

    return [
        (kind.capitalize(), [line(kind, row) for row in records])
        for kind, records in related.items()
    ]
