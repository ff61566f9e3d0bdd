"""Customers the sources name for each supplier."""

from __future__ import annotations

from ..registry import Col, Field, Kind, Record, derived, reference, row_notes
from .companies import KIND as COMPANIES


def _detail(row: Record) -> tuple[str, str]:
    return row["name"], str(row.get("sector") or "")


KIND = Kind(
    "customers",
    60,
    (
        reference(
            "supplier", "str", True, "Id of the supplying company.", COMPANIES.name, indexed=True
        ),
        Field("name", "str", True, "Customer's name.", evidence="name"),
        Field("sector", "str", False, "What kind of customer."),
    ),
    derived=(derived("supplier_name", "str", "Name of the supplier.", names_of="supplier"),),
    subject=("supplier", "name"),
    doc="Customers the sources name for each supplier.",
    columns=(Col("Supplier", "supplier_name"), Col("Customer", "name"), Col("Sector")),
    detail=_detail,
    related=4,
    notes_of=row_notes,
    examples=(
        "cgcli customers",
        "cgcli customers --company optiemus --json",
    ),
)
