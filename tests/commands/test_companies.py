"""cgcli companies: the table and the JSON contract."""

from __future__ import annotations

from cover_glass_cli.domain.query import fields_of


def test_companies_table_names_both_partners(run):
    result = run.wide("companies")
    assert "Optiemus Infracom" in result.stdout
    assert "Corning International" in result.stdout
    assert "1993" in result.stdout
    assert result.stderr == ""


def test_companies_json_contract(run):
    data = run.json("companies", "--json")
    assert [c["id"] for c in data] == ["optiemus", "corning"]
    names = [f.name for f in fields_of("companies")]
    assert all(list(c) == names for c in data)  # same fields, same order, always present
    optiemus = data[0]
    assert optiemus["founded"] == 1993 and isinstance(optiemus["founded"], int)
    assert data[1]["founded"] is None  # the report gives no year for Corning
