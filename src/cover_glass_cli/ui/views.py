"""What a person sees of each kind: table columns in human form, and detail views.

Builds plain strings only; tables.py draws them with rich.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..domain import figures
from ..domain.registry import kind_of, loaded
from ..domain.selection import label

Row = dict[str, Any]


class Column:
    """A table column: its header, how to get a cell's text from a row, whether it holds
    numbers (right-aligned), and whether its values are never wrapped nor cut (numbers,
    ids, periods): a table that cannot fit them whole is shown as blocks instead."""

    __slots__ = ("cell", "header", "numeric", "whole")

    def __init__(
        self,
        header: str,
        cell: Callable[[Row], str],
        numeric: bool = False,
        *,
        whole: bool | None = None,
    ) -> None:
        self.header, self.cell, self.numeric = header, cell, numeric
        self.whole = numeric or header.casefold() in WHOLE_HEADERS if whole is None else whole


# Columns whose values a reader copies as they are: never wrapped nor cut, whether headed
# for people ("ID") or by the field's name (--fields id).
WHOLE_HEADERS = frozenset({"id", "period", "kind", "date"})


class TableView:
    """What a table shows: a title, columns, rows, and notes under it."""

    __slots__ = ("columns", "footnotes", "rows", "title")

    def __init__(
        self, title: str, columns: list[Column], rows: list[Row], footnotes: list[str]
    ) -> None:
        self.title, self.columns, self.rows, self.footnotes = title, columns, rows, footnotes


def _f(name: str) -> Callable[[Row], str]:
    return lambda row: plain(row.get(name), name)


_UNGROUPED: dict[int, set[str]] = {}


def ungrouped() -> set[str]:
    """Fields of whole numbers that are years, counts or ranks: shown as written, never
    as "1,993" (Field.ungrouped), of the kinds read so far (those of any row shown)."""
    read = list(loaded())
    if len(read) not in _UNGROUPED:
        _UNGROUPED[len(read)] = {f.name for k in read for f in k.all_fields if f.ungrouped}
    return _UNGROUPED[len(read)]


def plain(value: Any, name: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(plain(v) for v in value)
    if isinstance(value, dict) and {"start", "end"} <= value.keys():  # an evidence span
        return f"characters {value['start']}-{value['end']}"
    if isinstance(value, dict):  # a whole record (search's `record`): named by its id
        import json

        return str(value["id"]) if "id" in value else json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value) if name in ungrouped() else figures.number(value)
    return str(value)


def _check(row: Row) -> str:
    checks = {"agrees": "agrees", "differs": "DIFFERS", "cannot tell": "cannot tell"}
    return checks.get(row.get("growth_check") or "", "")


def _computed(row: Row) -> str:
    """The computed growth as format_growth wrote it: "+100%", "> 100%", "unknown"."""
    return str(row.get("growth_computed_text") or "")


DISPUTED = "≠"  # after a figure whose sources' best claims disagree (see footnotes)


def figure_cell(row: Row) -> str:
    """The row's figure with qualifier and unit (in --unit's unit when asked), marked when
    its subject's best claims disagree."""
    text = figures.figure(_shown(row))
    return f"{text} {DISPUTED}" if row.get("disputed") and text else text


# --- any field for people ------------------------------------------------------------------

_FIGURE_FIELDS = frozenset({"value", "converted_value"})
_GROWTH_FIELDS = frozenset({"growth_computed_pct", "growth_computed_qualifier"})


def human_cell(row: Row, field: str) -> str:
    """FIELD of ROW as people should read it, never a bare number that drops what the
    source said: `value` -> "> ₹90,000 crore" (qualifier and unit), `growth_pct` ->
    "+100%" or "> 100%", `growth_computed_pct` -> "> 100%" or "unknown", low/high with
    their unit; any other field as plain text. For tables with --fields and for
    markdown (call it on the whole row, before fields are selected: it reads unit and
    qualifier from the row)."""
    value = row.get(field)
    if field in _FIGURE_FIELDS and value is not None:
        return figure_cell(row) if field == "value" or row.get("converted_unit") else plain(value)
    if field == "value" and row.get("qualifier") == "range":
        return figure_cell(row)
    if field in ("low", "high") and value is not None:
        return figures.figure({"value": value, "unit": row.get("unit"), "qualifier": "exact"})
    if field == "growth_pct":
        return figures.growth(value, row.get("growth_qualifier"))
    if field == "unit" and row.get("converted_unit"):
        return str(row["converted_unit"])  # the unit of the figure shown beside it
    if field == "title" and "title" in (row.get("inferred") or ()):
        return title_of_source(row)  # a title of ours, bracketed
    if field in _GROWTH_FIELDS:
        return _computed(row)
    if field in ("growth_computed_low", "growth_computed_high"):
        if row.get("growth_computed_text") is None:
            return ""
        if value is None:
            return "no bound"
        return f"{figures.number(round(value, 1))}%"
    return plain(value, field)


def human_rows(rows: list[Row], fields: list[str]) -> list[dict[str, str]]:
    """ROWS with each of FIELDS in its human form (human_cell): what the markdown format,
    a human output, should write, computed from the whole rows before fields are kept."""
    return [{f: human_cell(row, f) for f in fields} for row in rows]


def _shown(row: Row) -> Row:
    """The row's figure in the unit --unit asked for, when it did."""
    if row.get("converted_unit"):
        return {**row, "value": row["converted_value"], "unit": row["converted_unit"]}
    return row


# The cells a kind's columns may name (registry.Col.cell) beside plain fields.
CELLS: dict[str, Callable[[Row], str]] = {
    "figure": figure_cell,
    "growth": lambda r: figures.growth(r.get("growth_pct"), r.get("growth_qualifier")),
    "computed": _computed,
    "check": _check,
    "count": lambda r: str(r.get("cited_by_count") or 0),
    "title": lambda r: title_of_source(r),
    "status": lambda r: ", ".join(str(r[f]) for f in ("status", "stated") if r.get(f)),
    "published": lambda r: ", ".join(str(r[f]) for f in ("publisher", "published") if r.get(f)),
}


def title_of_source(source: Row) -> str:
    """A source's title as a reader should take it: in brackets when it is ours (the page
    shows no headline), as catalogues mark a supplied title."""
    title = str(source.get("title") or source.get("id") or "")
    return f"[{title}]" if "title" in (source.get("inferred") or ()) else title


def columns_of(kind: str) -> list[Column]:
    """The columns a table of KIND shows by default, as its kind declares them."""
    return [
        Column(c.header, CELLS[c.cell] if c.cell else _f(c.field), c.numeric)
        for c in kind_of(kind).columns
    ]


def footnotes(
    rows: list[Row], *, all_claims: bool | None = None, inferred: bool = True
) -> list[str]:
    """A line for each row shown with inferred fields, disagreeing sources or a growth
    worth a word; the marks match those in the rows (* inferred, ≠ disputed, ! differs,
    ? cannot tell, + more claims). ALL_CLAIMS: whether ROWS are every claim (guessed
    from the rows when None). INFERRED False leaves the inferred fields to the kind's
    own notes (a source's bracketed title says it)."""
    if all_claims is None:
        all_claims = _every_claim(rows)
    notes: list[str] = []
    said: dict[tuple[str, str], int] = {}  # one line for the rows a note says alike

    def once(key: tuple[str, str], mark: str, rid: str, text: str) -> None:
        if key in said:
            ids, _, rest = notes[said[key]].partition(": ")
            notes[said[key]] = f"{ids}, {rid}: {rest}"
        else:
            said[key] = len(notes)
            notes.append(f"{mark} {rid}: {text}")

    for row in rows:
        name = _row_name(row)
        if inferred and row.get("inferred"):
            what = ", ".join(row["inferred"])
            note = f": {row['note']}" if row.get("note") else ""
            once((what, note), "*", row["id"], f"{what} inferred, not stated{note}")
        if row.get("rank_reason") and row.get("rank"):
            reason = str(row["rank_reason"])
            once((f"rank:{row['rank']}", reason), row["rank"], row["id"], reason)
        if row.get("disputed") and row.get("dispute"):
            notes.append(f"{DISPUTED} {name}: {row['dispute']}")
        elif (row.get("claims") or 0) > 1 and not all_claims:
            origins = row.get("origins") or 0
            count = f"{row['claims']} claims, {origins} origin{'s' if origins != 1 else ''}"
            notes.append(
                f"+ {name}: {count}; also {row.get('also')}: agreeing with this one or ranked "
                "below it (--all-claims lists every claim)"
            )
        stated = figures.growth(row.get("growth_pct"), row.get("growth_qualifier"))
        if row.get("growth_check") == "differs":
            notes.append(
                f"! {row['id']}: stated growth {stated} differs from the {_computed(row)} "
                f"computed against {row['compared_with']}"
            )
        elif row.get("growth_check") == "cannot tell":
            notes.append(
                f"? {row['id']}: stated growth {stated} fits the {_computed(row)} computed "
                f"against {row['compared_with']}, but the figures leave growth open-ended, "
                "so they cannot confirm it"
            )
        if row.get("growth_computed_note"):
            notes.append(f"  {row['id']}: computed growth: {row['growth_computed_note']}")
    return notes


def _row_name(row: Row) -> str:
    if row.get("ranked"):
        return f"{row['ranked']}, {row.get('period')}"
    if row.get("period"):
        return str(row["period"])
    if row.get("country"):
        return f"{row['country']} {row['year']}" if row.get("year") else str(row["country"])
    return str(row.get("id"))


def _marked(cell: Callable[[Row], str], *, disputed: bool = False) -> Callable[[Row], str]:
    """CELL with ' *' after it on rows that have inferred fields, and with DISPUTED ' ≠'
    on rows whose sources disagree (see footnotes)."""

    def marked(row: Row) -> str:
        text = cell(row) + (" *" if row.get("inferred") else "")
        return text + (f" {DISPUTED}" if disputed and row.get("disputed") else "")

    return marked


def _varying(rows: list[Row], *names: str) -> list[Column]:
    """A column for each of NAMES whose value differs between ROWS."""
    return [Column(n.capitalize(), _f(n)) for n in names if len({r.get(n) for r in rows}) > 1]


def table_view(kind: str, rows: list[Row], fields: list[str] | None = None) -> TableView:
    """The default human columns, or exactly FIELDS (raw values) when given."""
    declared = kind_of(kind)
    title = declared.title_of(rows) if declared.title_of and rows else declared.title
    if fields:
        columns = [Column(f, _human(f), numeric=f in _NUMERIC) for f in fields]
        first = columns[0]
        disputed = not _FIGURE_FIELDS & set(fields)  # else the figure cell carries ≠
        columns[0] = Column(first.header, _marked(first.cell, disputed=disputed), first.numeric)
    else:
        columns = columns_of(kind)
        first = columns[0]
        columns[0] = Column(first.header, _marked(first.cell), first.numeric)
        columns[1:1] = _varying(rows, *declared.varying)
        columns += claim_columns(rows, kind)
    notes = footnotes(rows, all_claims=_every_claim(rows, kind), inferred=declared.cited)
    if declared.notes_of and rows:
        notes += declared.notes_of(rows)
    return TableView(title, columns, rows, notes)


_NUMERIC = frozenset({"value", "converted_value", "growth_pct", "growth_computed_pct"})


def _human(name: str) -> Callable[[Row], str]:
    return lambda row: human_cell(row, name)


def claim_columns(rows: list[Row], kind: str | None = None) -> list[Column]:
    """Source and Rank columns when some row's subject has more than one claim; a Best
    column too when the rows are every claim (--all-claims): several rows of a subject,
    or a claim that is not its subject's best."""
    if not any((r.get("claims") or 0) > 1 for r in rows):
        return []
    columns = [Column("Source", _f("source_label"))]
    if _every_claim(rows, kind):
        columns.append(Column("Rank", lambda r: str(r.get("rank") or "normal")))
        columns.append(Column("Best", lambda r: "yes" if r.get("best") else "no"))
    return columns


def _every_claim(rows: list[Row], kind: str | None = None) -> bool:
    """Whether ROWS are every claim (--all-claims): a claim that is not its subject's best,
    or several claims of one subject (of KIND, when known)."""
    if any(r.get("best") is False for r in rows):
        return True
    if kind is not None:
        from ..domain.claims import subject_key

        keys = [subject_key(kind, r) for r in rows]
        return len(set(keys)) < len(keys)
    seen = [(r.get("period"), r.get("country"), r.get("product"), r.get("scope")) for r in rows]
    return len(set(seen)) < len(seen)


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
        where = source.get("url") or source.get("location")
        what = ", ".join(str(source[f]) for f in ("publisher", "published") if source.get(f))
        about = f" ({what})" if what else ""
        title = title_of_source(source) if source else source_id
        notes.append(f"[{n}] {title}{about}{f' {where}' if where else ''}")
    return TableView(view.title, [*view.columns, column], view.rows, [*view.footnotes, *notes])


def detail_sections(related: dict[str, list[Row]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Related records of a detail view, one (heading, [(label, text)]) section per kind."""

    def line(kind: str, row: Row) -> tuple[str, str]:
        detail = kind_of(kind).detail
        return detail(row) if detail else (row["id"], label(kind, row))

    return [
        (kind.replace("_", " ").capitalize(), [line(kind, row) for row in records])
        for kind, records in related.items()
    ]
