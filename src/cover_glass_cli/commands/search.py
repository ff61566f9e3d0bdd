"""cgcli search TEXT"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from ..domain.selection import search as find_records
from ..options import complete_kinds, examples, output_options
from ..ui.output import Output, show
from . import App, Command

if TYPE_CHECKING:
    from rich.console import Console

    from ..domain.facts import Facts
    from ..ui.views import TableView

FIELDS = [
    ("kind", "Kind of the record."),
    ("id", "Its id."),
    ("label", "A short human name for it."),
    ("matched_fields", "The fields in which the words were found."),
    ("record", "The whole record, as its kind's listing shows it."),
]


@click.command(
    cls=Command,
    epilog=examples(
        "cgcli search gorilla",
        "cgcli search 'value addition' --json",
        "cgcli search FY23                   # also 'FY 2023', 2022-23, 'Q1 FY24'",
        "cgcli search '₹90,000 crore'        # also 90,000, 'Rs 90k crore', '9 billion'",
        "if cgcli search jio >/dev/null; then echo named; fi",
    ),
)
@click.argument("text", nargs=-1, required=True)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    shell_complete=complete_kinds,
    help="Only records of this kind (repeatable).",
)
@output_options(lambda: FIELDS, what="of: kind, id, label, matched_fields, record")
@click.pass_obj
def search(app: App, text: tuple[str, ...], kinds: tuple[str, ...], out: Output) -> None:
    """Find every record in which each word of TEXT appears, whatever its kind.

    Words match anywhere in a field, in any case: in every stored field, the names
    behind ids, and an export's period and months. Exits 1 when nothing matches, like
    grep.

    Periods and figures match as people write them: FY23, FY 2023, 2022-23 and Q1 FY24
    find the records of that fiscal year or quarter; 90,000, ₹90,000, Rs 90k crore,
    1.29 lakh crore and 15% find the records that state that figure, in whatever unit
    (a dollar figure where the record's words state it too). "over ₹90,000 crore" wants a
    lower bound.
    """
    from ..domain import registry

    wanted = set()
    for kind in kinds:
        name = registry.kind_name(kind)
        if name is None:
            raise click.BadParameter(
                f"{kind!r}; kinds are: {', '.join(registry.kinds())}", param_hint="--kind"
            )
        wanted.add(name)
    found = [r for r in _find(app, " ".join(text)) if not wanted or r["kind"] in wanted]
    found = out.shape(found)

    def view() -> TableView:
        from ..ui.views import Column, TableView, plain

        columns = [
            Column("Kind", lambda r: r["kind"]),
            Column("ID", lambda r: r["id"]),
            Column("Record", lambda r: r["label"]),
            Column("Matched in", lambda r: plain(r["matched_fields"])),
        ]
        return TableView(f"{len(found)} matching records", columns, found, [])

    def draw(console: Console) -> None:
        from ..ui.tables import draw_table

        draw_table(view(), console)

    fields = [name for name, _ in FIELDS]
    empty = f"nothing matches {' '.join(text)!r}"
    show(out, found, fields, draw=draw, empty=empty, view=view)


def _find(app: App, text: str) -> list[dict[str, Any]]:
    """Search results for TEXT: its words as ever, and its periods and figures (read by
    domain.spelling) matched against each record's fields."""
    from ..domain.spelling import read_query

    query = read_query(text)
    if not query.periods and not query.amounts:
        return find_records(app.load(), text)
    from ..domain.selection import searched as looked_in
    from ..domain.spelling import amount_fields, period_fields

    facts = app.load()
    found = []
    for result in find_records(facts, " ".join(query.words)) if query.words else _every(facts):
        looked = looked_in(result["kind"])  # the fields domain.selection.search looks in
        searched = {k: v for k, v in result["record"].items() if k in looked}
        matched = list(result["matched_fields"])
        for fields in [period_fields(searched, p) for p in query.periods] + [
            amount_fields(searched, a) for a in query.amounts
        ]:
            if not fields:
                break
            matched += [f for f in fields if f not in matched]
        else:
            found.append({**result, "matched_fields": matched})
    # records whose own period or figure it is first, then those whose words name it
    found.sort(key=lambda r: not set(r["matched_fields"]) & _STATED)
    return found


_STATED = frozenset({"fy", "quarter", "value", "low", "high", "growth_pct"})


def _every(facts: Facts) -> list[dict[str, Any]]:
    """Every record, as a search result that matched no word yet."""
    from ..domain.query import rows
    from ..domain.registry import kinds
    from ..domain.selection import label

    return [
        {
            "kind": kind,
            "id": row["id"],
            "label": label(kind, row),
            "matched_fields": [],
            "record": row,
        }
        for kind in kinds()
        for row in rows(facts, kind)
    ]
