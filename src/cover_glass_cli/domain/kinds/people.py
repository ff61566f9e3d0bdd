"""People named in the sources, and the company each works for."""

from __future__ import annotations

from ..registry import Col, Field, Kind, Record, derived, reference
from .companies import KIND as COMPANIES


def _detail(row: Record) -> tuple[str, str]:
    return row["id"], f"{row['name']}, {row['title']}"


KIND = Kind(
    "people",
    20,
    (
        Field("name", "str", True, "Full name.", evidence="name"),
        Field("title", "str", True, "Position held.", evidence="term"),
        reference("company", "str", True, "Id of the company.", COMPANIES.name, indexed=True),
    ),
    derived=(derived("company_name", "str", "Name of the company.", names_of="company"),),
    subject=("name", "company"),
    doc="People named in the sources, and the company each works for.",
    columns=(Col("ID"), Col("Name"), Col("Title"), Col("Company", "company_name")),
    detail=_detail,
    related=1,
    singular_name="person",
    named=True,
    examples=(
        "cgcli people",
        "cgcli people --json",
    ),
)
