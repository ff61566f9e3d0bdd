"""Manufacturing sites, planned and operating, and who runs them."""

from __future__ import annotations

from ..registry import Col, Field, Kind, Record, derived, reference, row_notes
from .companies import KIND as COMPANIES
from .ventures import KIND as VENTURES

STATUSES = ("planned", "operating")


def _label(row: Record) -> str:
    return f"{row['makes']}, {row['country']} ({row['status']})"


def _detail(row: Record) -> tuple[str, str]:
    return row["id"], f"{row['country']}: {row['makes']} ({row['status']})"


KIND = Kind(
    "sites",
    50,
    (
        reference(
            "operator",
            "str",
            True,
            "Id of the company or venture.",
            COMPANIES.name,
            VENTURES.name,
            indexed=True,
        ),
        Field("country", "str", True, "Country.", indexed=True, casefold=True, evidence="name"),
        Field("city", "str", False, "City, town or industrial park, when known."),
        Field("district", "str", False, "District, when known."),
        Field("region", "str", False, "State or province, when known."),
        Field("status", "str", True, "planned or operating.", choices=STATUSES, indexed=True),
        Field("makes", "str", True, "What is made there.", evidence="term"),
    ),
    derived=(derived("operator_name", "str", "Name of the operator.", names_of="operator"),),
    subject=("operator", "country", "makes"),
    doc="Manufacturing sites, planned and operating.",
    columns=(
        Col("ID"),
        Col("Operator", "operator_name"),
        Col("Country"),
        Col("City"),
        Col("Region"),
        Col("Status"),
        Col("Makes"),
    ),
    label=_label,
    detail=_detail,
    related=3,
    notes_of=row_notes,
    examples=(
        "cgcli sites",
        "cgcli sites --company corning --status operating",
        "cgcli sites --country india --json",
    ),
)
