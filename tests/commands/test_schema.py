"""cgcli schema: lists the names, prints each schema as JSON, refuses unknown names."""

from __future__ import annotations

import json

import pytest

from cover_glass_cli.domain.jsonschema import NAMES, schema_for


def test_without_a_name_it_lists_every_name_one_a_line(run):
    result = run("schema")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == list(NAMES)
    assert {"companies", "value-addition", "search", "company", "export", "verify"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_each_name_prints_its_schema_as_json(run, name):
    result = run("schema", name)
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed == schema_for(name)
    assert printed["title"] == f"cgcli {name}"


def test_unknown_name_exits_2_and_lists_the_names(run):
    result = run("schema", "companys")
    assert result.exit_code == 2
    assert result.stdout == ""
    for name in NAMES:
        assert repr(name) in result.stderr


def test_printed_schema_validates_the_command_it_names(run):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(run("schema", "value-addition").stdout)
    rows = run.json("value-addition", "--json")
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(rows)) == []
    rows[0]["low"] = "twenty"
    assert not validator.is_valid(rows)


def test_output_shaped_by_fields_validates_against_the_narrowed_schema(run):
    from jsonschema import Draft202012Validator as Validator

    for line in (("exports", "--json"), ("search", "glass", "--json"), ("companies", "--json")):
        name = line[0]
        for fields in ("id,value" if name == "exports" else "id", "id,kind,record"):
            if name != "search" and "record" in fields:
                continue
            schema = run.json("schema", name, "--fields", fields)
            data = run.json(*line, "--fields", fields)
            assert list(Validator(schema).iter_errors(data)) == []
            # and the whole rows no longer fit it: the narrowed schema is exact
            whole = run.json(*line)
            assert list(Validator(schema).iter_errors(whole))


def test_schema_fields_typo_gets_a_suggestion(run):
    result = run("schema", "exports", "--fields", "id,valeu")
    assert result.exit_code == 2
    assert "did you mean value?" in result.stderr


def test_facts_path_has_a_schema(run):
    from jsonschema import Draft202012Validator as Validator

    schema = run.json("schema", "facts-path")
    assert list(Validator(schema).iter_errors(run.json("facts", "path", "--json"))) == []


def test_schema_takes_jq(run):
    result = run("schema", "exports", "--jq", ".title")
    assert result.exit_code == 0
    assert result.stdout == "cgcli exports\n"
