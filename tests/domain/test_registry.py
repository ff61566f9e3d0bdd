"""The registry of kinds is the one place a kind is declared: a kind's identifier appears
only in its kind module, its command module and the command list, and a new kind needs
only its module to be validated, exported, listed by `cgcli fields` and in the schemas."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from conftest import SOURCE, write_facts

from cover_glass_cli.domain import registry
from cover_glass_cli.domain.jsonschema import schema_for
from cover_glass_cli.domain.records import validate_record
from cover_glass_cli.domain.registry import Col, Field, Kind, derived

PACKAGE = Path(registry.__file__).resolve().parent.parent


def _naming(kind: str) -> set[str]:
    """The package's files that name KIND, by the rule of shared/hooks/kinds.py: as an
    identifier or a command name when it has an underscore, else as a quoted string."""
    if "_" in kind:
        pattern = rf"\b{re.escape(kind)}\b|\b{re.escape(kind.replace('_', '-'))}\b"
    else:
        pattern = rf"[\"']{re.escape(kind)}[\"']"
    found = re.compile(pattern)
    return {
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if found.search(p.read_text(encoding="utf-8"))
    }


def _own(kind: str) -> set[str]:
    """Where a kind may be named: its kind module, its command module(s), the command list,
    and for a kind with figures its charts."""
    declared = registry.kind_of(kind)
    own = {f"domain/kinds/{kind}.py", "cli.py"}
    for command in (kind, declared.singular):
        own.add(f"commands/{command}.py")
    if declared.figures:
        own |= {"ui/charts.py", "ui/printcharts.py"}
    return own


@pytest.mark.parametrize(
    "kind",
    ["market_facts", "statements", "value_addition", "ventures", "sites", "customers"],
)
def test_a_kind_is_named_only_in_its_own_modules(kind: str) -> None:
    assert _naming(kind) <= _own(kind)


def test_no_kind_is_named_anywhere_else() -> None:
    for kind in registry.kinds():
        assert _naming(kind) <= _own(kind), kind


def test_the_kinds_come_from_their_modules_in_order() -> None:
    kinds = registry.kinds()
    modules = {p.stem for p in (PACKAGE / "domain" / "kinds").glob("*.py")} - {"__init__"}
    assert set(kinds) == modules
    orders = [k.order for k in kinds.values()]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)
    assert registry.source_kind() == "sources"


def test_a_kind_is_found_by_its_module_name_and_nothing_else() -> None:
    """kind_of imports domain/kinds/NAME.py by its name (no listing of the folder for a
    lookup of one kind); a name of no such module is no kind, whether every kind has been
    read or not."""
    assert registry.kind_of("exports").name == "exports"
    for name in ("nope", "__init__", "", "kinds.exports", "../exports", "Exports", "registry"):
        assert registry.find_kind(name) is None, name
        with pytest.raises(KeyError):
            registry.kind_of(name)
    registry.kinds()
    assert registry.find_kind("nope") is None and registry.find_kind("sources") is not None


def test_every_declaration_names_fields_that_exist() -> None:
    for kind in registry.kinds().values():
        names = set(kind.field_map) | {f.name for f in kind.derived}
        assert set(kind.subject) <= set(kind.field_map), kind
        # no derived field hides a stored one: a record's subject is its row's (query.listing)
        assert not set(kind.field_map) & {f.name for f in kind.derived}, kind
        assert {c.field for c in kind.columns if c.field} <= names, kind
        for f in kind.fields:
            assert set(f.ref) <= set(registry.kinds()), (kind, f)
            assert f.qualifier is None or f.qualifier in kind.field_map, (kind, f)
        for f in kind.derived:
            assert f.names_of is None or f.names_of in kind.field_map, (kind, f)


# --- a kind of its own -----------------------------------------------------------------

GADGETS = Kind(
    "gadgets",
    95,
    (
        Field("name", "str", True, "Its name.", evidence="name"),
        Field(
            "maker",
            "str",
            True,
            "Id of the company that makes it.",
            ref=("companies",),
            indexed=True,
        ),
        Field(
            "weight",
            "int",
            False,
            "Grams.",
            bounds=(1, 5000),
            bounds_message="is not a weight; use 1 to 5,000",
        ),
    ),
    derived=(derived("maker_name", "str", "Name of the maker.", names_of="maker", searched=True),),
    subject=("name", "maker"),
    title="Gadgets",
    doc="Gadgets, each with its maker.",
    columns=(Col("Name", "name"), Col("Maker", "maker_name"), Col("Weight", "weight")),
)

FILE = (
    SOURCE
    + """
[[companies]]
id = "acme"
name = "Acme"
business = "glass"
source = "src"

[[gadgets]]
id = "g1"
name = "Gizmo"
maker = "acme"
weight = 120
source = "src"
"""
)


@pytest.fixture
def gadgets():
    registry.register(GADGETS)
    yield GADGETS
    registry.unregister(GADGETS.name)


def test_a_new_kind_is_validated(gadgets) -> None:
    good = {"id": "g1", "name": "Gizmo", "maker": "acme", "source": "src"}
    assert validate_record("gadgets", good) == []
    bad = {**good, "weight": 9000, "colour": "red"}
    assert validate_record("gadgets", bad) == [
        ("colour", "unknown field for gadgets"),
        ("weight", "9000 is not a weight; use 1 to 5,000"),
    ]


def test_a_new_kind_is_read_listed_searched_and_exported(gadgets, run, tmp_path) -> None:
    path = write_facts(tmp_path / "f.toml", FILE, version=2)
    assert run("validate", str(path)).exit_code == 0
    fields = run.json("--facts", str(path), "fields", "--json")
    assert [f["name"] for f in fields["gadgets"]][:4] == ["id", "name", "maker", "weight"]
    found = run.json("--facts", str(path), "search", "gizmo", "--json")
    assert [(m["kind"], m["record"]["maker_name"]) for m in found] == [("gadgets", "Acme")]
    exported = run.json("--facts", str(path), "export", "--format", "json")
    assert exported["gadgets"][0]["weight"] == 120
    db = tmp_path / "out.sqlite"
    result = run("--facts", str(path), "export", "--format", "sqlite", str(db))
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, maker, weight FROM gadgets").fetchall()
        (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'gadgets'").fetchone()
    assert rows == [("g1", "acme", 120)]
    assert 'REFERENCES "companies"' in sql
    metadata = json.loads(db.with_suffix(".metadata.json").read_text(encoding="utf-8"))
    gadget_meta = metadata["databases"]["out"]["tables"]["gadgets"]
    assert gadget_meta["description"] == "Gadgets, each with its maker."


def test_a_new_kind_is_in_the_json_schemas(gadgets) -> None:
    export = schema_for("export")
    assert "gadgets" in export["properties"] and export["$defs"]["gadgets"]["required"] == [
        "id",
        "name",
        "maker",
        "source",
    ]
    listing = schema_for("gadgets")
    assert "maker_name" in listing["$defs"]["gadgets"]["properties"]
    assert "gadgets" in schema_for("search")["items"]["properties"]["kind"]["enum"]


def test_a_kind_listed_by_a_command_of_another_name_has_its_schema_by_that_name(gadgets) -> None:
    from cover_glass_cli.domain.jsonschema import listings

    gadgets.listed = "inventory"
    try:
        assert listings()["inventory"] == "gadgets" and "gadgets" not in listings()
        assert "maker_name" in schema_for("inventory")["$defs"]["gadgets"]["properties"]
    finally:
        gadgets.listed = True


def test_a_kind_rules_tie_its_fields_together(gadgets) -> None:
    gadgets.rules = lambda r: (
        [("weight", "a gizmo weighs 100 or more")] if r.get("weight", 100) < 100 else []
    )
    try:
        good = {"id": "g1", "name": "Gizmo", "maker": "acme", "source": "src"}
        assert validate_record("gadgets", good) == []
        light = {**good, "weight": 50}
        assert validate_record("gadgets", light) == [("weight", "a gizmo weighs 100 or more")]
    finally:
        gadgets.rules = None
