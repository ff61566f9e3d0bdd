"""Venture facts: what the sources say of a venture after its announcement (its name, the
partners' stakes, the investment, the jobs, the capacity), each a claim with its source,
side by side with the others on the same measure.

A figure is a value (or a range) with a unit and a qualifier, compared as an interval as
every figure is; "undisclosed" records that a source said the amount was not given. The
venture's name is text, as the source writes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..registry import QUALIFIERS, Col, Field, Kind, Record, derived, reference
from .companies import KIND as COMPANIES
from .events import DATE_FORMS, period
from .ventures import KIND as VENTURES

UNITS = {
    "name": (),
    "stake": ("percent",),
    "investment": ("INR crore",),
    "jobs": ("jobs",),
    "capacity": ("million pieces",),
}
MEASURES = tuple(UNITS)
UNDISCLOSED = "undisclosed"
STATUSES = ("planned", "reported")
_FIGURE = ("value", "low", "high", "unit", "qualifier")


def _rules(r: Record) -> list[tuple[str, str]]:
    """A name has text and no figure; a figure has the unit of its measure and a
    qualifier (no amount when undisclosed); a stake names whose it is."""
    measure, out = r.get("measure"), list[tuple[str, str]]()
    if type(measure) is not str or measure not in UNITS:
        return out  # the field's own check says so
    if measure == "name":
        if not r.get("text"):
            out.append(("text", "missing: a name is given as text"))
        out += [(name, "a name has no figure") for name in _FIGURE if name in r]
        return out
    if "text" in r:
        out.append(("text", f"only a name is text; {measure} is a figure"))
    qualifier = r.get("qualifier")
    if qualifier is None:
        out.append(("qualifier", f"missing: {measure} is a figure with a qualifier"))
    elif qualifier == UNDISCLOSED:
        out += [(n, "an undisclosed amount has no figure") for n in _FIGURE[:4] if n in r]
    elif r.get("unit") not in UNITS[measure]:
        out.append(("unit", f"{measure} is given in {' or '.join(UNITS[measure])}"))
    if measure == "stake" and not r.get("company"):
        out.append(("company", "missing: a stake is some company's"))
    stated = r.get("stated")
    if type(stated) is str and period(stated) is None:
        out.append(("stated", f"not a date of the form {DATE_FORMS}"))
    return out


def shown(r: Record) -> str:
    """What the claim says, for people: "₹1,003 crore", "500–700 jobs", "> 500 jobs
    (first phase)", "not disclosed", or the name."""
    from .. import figures

    if r.get("measure") == "name":
        return str(r.get("text") or "")
    qualifier, unit = r.get("qualifier"), r.get("unit")
    if qualifier == UNDISCLOSED:
        text = "not disclosed"
    elif qualifier == "range" and unit not in ("percent", *figures.RUPEE_FACTORS):
        low, high = r.get("low"), r.get("high")
        text = f"{figures.number(low)}–{figures.number(high)} {unit}" if low and high else ""
    else:
        text = figures.figure(r)
    return f"{text} ({r['phase']})" if r.get("phase") and text else text


def _derive(facts: Any, records: list[Record]) -> Callable[[Record], Record]:
    return lambda r: {"shown": shown(r)}


def _cited_as(row: Record) -> str:
    """What a citation says the claim is; its figure follows where it has one: "jobs of
    the Optiemus–Corning cover glass joint venture (first phase)", "name of ...: BIG"."""
    whose = f"{row['company_name']}'s " if row.get("company_name") else ""
    word = "in" if row["measure"] == "stake" else "of"
    what = f"{whose}{row['measure']} {word} {row.get('venture_name') or row['venture']}"
    what += f" ({row['phase']})" if row.get("phase") else ""
    figureless = row["measure"] == "name" or row.get("qualifier") == UNDISCLOSED
    return f"{what}: {shown({**row, 'phase': None})}" if figureless else what


def _detail(row: Record) -> tuple[str, str]:
    whose = f"{row['company_name']} " if row.get("company_name") else ""
    return f"{whose}{row['measure']}", f"{row['shown']} ({row['source']})"


KIND = Kind(
    "venture_facts",
    48,
    (
        Field("venture", "str", True, "Id of the venture.", ref=(VENTURES.name,), indexed=True),
        Field(
            "measure",
            "str",
            True,
            "What is said: its name, a partner's stake, the investment, the jobs, the capacity.",
            choices=MEASURES,
            indexed=True,
        ),
        reference("company", "str", False, "Id of the company whose stake it is.", COMPANIES.name),
        Field("text", "str", False, "The venture's name as the source writes it.", evidence="name"),
        Field("value", "number", False, "The figure, when one is given.", evidence="figure"),
        Field("low", "number", False, "Low end, when a range is given."),
        Field("high", "number", False, "High end, when a range is given."),
        Field(
            "unit",
            "str",
            False,
            "Unit of the figure: INR crore (investment), percent (stake), jobs, million "
            "pieces (capacity).",
            choices=tuple(u for units in UNITS.values() for u in units),
        ),
        Field(
            "qualifier",
            "str",
            False,
            "How the source states the figure; undisclosed: it says the amount was not given.",
            choices=(*QUALIFIERS, UNDISCLOSED),
        ),
        Field("phase", "str", False, "What the figure covers: the first phase, a year ..."),
        Field(
            "status",
            "str",
            False,
            "planned (a plan or an estimate before the plant opened) or reported (said of "
            "the plant as built).",
            choices=STATUSES,
        ),
        Field("stated", "str", False, f"When the source said it: {DATE_FORMS}."),
    ),
    derived=(
        derived("shown", "str", "What the claim says, for people: the figure or the name."),
        derived("venture_name", "str", "Name of the venture.", names_of="venture", searched=False),
        derived("company_name", "str", "Name of the company.", names_of="company"),
    ),
    derive=_derive,
    figures=True,
    subject=("venture", "measure", "company"),
    title="What the sources say of the venture",
    doc="The venture's name, stakes, investment, jobs and capacity, each claim with its source.",
    columns=(Col("Measure"), Col("Company", "company_name"), Col("Said", "shown"), Col("Status")),
    label=lambda row: f"{row['measure']}: {shown(row)}",
    cited_as=_cited_as,
    detail=_detail,
    related=7,
    rules=_rules,
    examples=(
        "cgcli venture-facts",
        "cgcli venture-facts --measure jobs --all-claims",
    ),
)
