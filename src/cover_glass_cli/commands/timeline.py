"""cgcli timeline"""

from __future__ import annotations

from typing import Any

import click

from ..domain.kinds.events import DATE_FORMS, order, period
from ..domain.kinds.events import KIND as EVENTS
from ..domain.query import listing
from ..domain.selection import company_ids
from ..options import company_option, examples, kind_output, single
from ..ui.output import Output
from . import App, Command


class EventDate(click.ParamType):  # type: ignore[type-arg]  # generic from click 8.3
    """A date as events write it: a day, a month, a quarter or a year; gives its days."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        found = period(str(value))
        if found is None:
            self.fail(f"{str(value)!r} is not a date: use {DATE_FORMS}", param, ctx)
        return found


@click.command(
    cls=Command,
    epilog=examples(
        "cgcli timeline",
        "cgcli timeline --since 2024               # also 2024-06, 2024-Q3, 2024-06-25",
        "cgcli timeline --company corning --all-claims",
        "cgcli timeline --json | jq '.[] | {date, event, status}'",
    ),
)
@single(
    "--since",
    type=EventDate(),
    help=f"Only events from this date on ({DATE_FORMS}): those whose date is not wholly before it.",
)
@company_option("Only events of this company and of its ventures")
@kind_output(EVENTS.name)
@click.pass_obj
def timeline(
    app: App, since: tuple[str, str, str] | None, company: str | None, out: Output
) -> None:
    """A dated timeline of the venture: what happened, and what was expected when.

    Dates are as precise as the sources: a day, a month, a quarter (2024-Q4) or a year.
    An event is a subject with claims: a row shows its best claim; a later promise of a
    date ranks above an earlier one, and --all-claims lists every promise beside what
    happened.
    """
    facts = app.load()
    selected = facts[EVENTS.name]
    if company:
        ids = company_ids(facts, company)
        selected = [
            r for r in selected if r.get("venture") in ids or ids & set(r.get("parties") or ())
        ]
    if since:
        selected = [r for r in selected if (period(r["date"]) or ("", ""))[1] >= since[0]]
    rows = sorted(listing(facts, EVENTS.name, selected, all_claims=out.all_claims), key=order)
    app.show(EVENTS.name, rows, out, empty="no events match")
