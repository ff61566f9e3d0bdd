"""cgcli fields: the fields of every kind."""

from __future__ import annotations

from conftest import KINDS


def test_fields_lists_every_kind(run):
    spec = run.json("fields", "--json")
    assert set(spec) == set(KINDS)
    exports = {f["name"]: f for f in spec["exports"]}
    assert exports["fy"]["required"] and exports["fy"]["type"] == "int"
    assert exports["growth_check"]["derived"]
