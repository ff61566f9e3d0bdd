"""The JSON shape is a contract: this test fails when a field disappears, is renamed, or
changes type. Adding a field is fine: add it to FROZEN as well."""

from __future__ import annotations

from cover_glass_cli.domain.facts import SCHEMA_VERSION
from cover_glass_cli.domain.query import fields_of

# kind -> {field: type} as released in schema_version 1.
FROZEN = {
    "companies": {
        "id": "str",
        "name": "str",
        "aliases": "strlist",
        "founded": "int",
        "business": "str",
        "specialties": "strlist",
        "products": "strlist",
        "role": "str",
        "inferred": "strlist",
        "note": "str",
        "source": "str",
    },
    "exports": {
        "id": "str",
        "country": "str",
        "product": "str",
        "fy": "int",
        "quarter": "int",
        "value": "number",
        "unit": "str",
        "qualifier": "str",
        "growth_pct": "number",
        "growth_qualifier": "str",
        "inferred": "strlist",
        "note": "str",
        "source": "str",
        "period": "str",
        "months": "str",
        "compared_with": "str",
        "growth_computed_pct": "number",
        "growth_computed_qualifier": "str",
        "growth_check": "str",
        "converted_value": "number",
        "converted_unit": "str",
    },
    "value_addition": {
        "id": "str",
        "country": "str",
        "value": "number",
        "low": "number",
        "high": "number",
        "unit": "str",
        "qualifier": "str",
        "scope": "str",
        "inferred": "strlist",
        "note": "str",
        "source": "str",
    },
    "sites": {
        "id": "str",
        "operator": "str",
        "country": "str",
        "city": "str",
        "status": "str",
        "makes": "str",
        "inferred": "strlist",
        "note": "str",
        "source": "str",
        "operator_name": "str",
    },
    "customers": {
        "id": "str",
        "supplier": "str",
        "name": "str",
        "sector": "str",
        "inferred": "strlist",
        "note": "str",
        "source": "str",
        "supplier_name": "str",
    },
    "sources": {
        "id": "str",
        "title": "str",
        "kind": "str",
        "publisher": "str",
        "published": "str",
        "location": "str",
        "inferred": "strlist",
        "note": "str",
        "cited_by": "strlist",
    },
}

PY_TYPES = {"str": str, "int": int, "number": (int, float), "strlist": list}


def test_schema_version_is_2():
    # 2: rank and rank_reason (claim ranks) for every kind but sources; market_facts'
    # ranking position renamed from rank to position (schema-1 files are still read)
    assert SCHEMA_VERSION == 2


def test_no_field_removed_renamed_or_retyped():
    for kind, frozen in FROZEN.items():
        now = {f.name: f.type for f in fields_of(kind)}
        for name, ftype in frozen.items():
            assert name in now, f"{kind}.{name} disappeared: a breaking change"
            assert now[name] == ftype, f"{kind}.{name} changed type"


def test_printed_values_have_the_declared_types(run):
    for cmd, kind in (
        ("companies", "companies"),
        ("exports", "exports"),
        ("value-addition", "value_addition"),
        ("sites", "sites"),
        ("customers", "customers"),
        ("sources", "sources"),
    ):
        for record in run.json(cmd, "--json"):
            for name, ftype in FROZEN[kind].items():
                value = record[name]
                if value is not None:
                    assert isinstance(value, PY_TYPES[ftype]) and not isinstance(value, bool), (
                        kind,
                        name,
                    )
