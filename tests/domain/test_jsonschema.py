"""The JSON Schemas: valid draft 2020-12, true of every command's real output, strict
enough to reject a wrong row, and in step with fields_of (the README's field tables)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from conftest import FIELD_MAP, KINDS
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cover_glass_cli.domain.facts import Facts
from cover_glass_cli.domain.jsonschema import LISTINGS, NAMES, schema_for
from cover_glass_cli.domain.query import fields_of, rows
from cover_glass_cli.domain.records import validate_record

jsonschema = pytest.importorskip("jsonschema")
Validator = jsonschema.Draft202012Validator  # format checking stays off: none is asked for

# The command line whose JSON each schema describes, run against the bundled facts.
COMMAND_LINES: dict[str, tuple[str, ...]] = {
    **{name: (name, "--json") for name in LISTINGS},
    "search": ("search", "glass", "--json"),
    "company": ("company", "optiemus", "--json"),
    "venture": ("venture", "--json"),
    "export": ("export", "--format", "json"),
    "fields": ("fields", "--json"),
    "verify": ("verify", "--json"),
    "facts-path": ("facts", "path", "--json"),
    "evidence": ("evidence", "acme", "--json"),  # on verify_line's fact file
    "facts-backups": ("facts", "backups", "--json"),  # after two writes of a user file
}


def errors(name: str, data: Any) -> list[str]:
    return [e.message for e in Validator(schema_for(name)).iter_errors(data)]


@pytest.mark.parametrize("name", NAMES)
def test_each_schema_is_a_valid_draft_2020_12_schema(name):
    schema = schema_for(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Validator.check_schema(schema)


def test_every_json_output_has_a_schema_and_a_command():
    assert set(COMMAND_LINES) == set(NAMES)


def verify_line(tmp_path) -> tuple[str, ...]:
    """verify on a fact file of its own with its document beside it: the bundled facts'
    report lives outside the package (shared/), which an unpacked sdist does not have."""
    import hashlib

    text = "Acme Glass, founded in 1993, makes cover glass."
    document = tmp_path / "doc.txt"
    document.write_text(text, encoding="utf-8")

    def sha(data: str) -> str:
        return hashlib.sha256(data.encode("utf-8")).hexdigest()

    facts = tmp_path / "f.toml"
    facts.write_text(
        "schema_version = 2\n"
        f'[[sources]]\nid = "s"\ntitle = "A test"\nkind = "test"\nlocation = "doc.txt"\n'
        f'sha256 = "{sha(text)}"\n'
        '[[companies]]\nid = "acme"\nname = "Acme Glass"\nbusiness = "glass"\n'
        f'founded = 1993\nsource = "s"\nevidence = [{{ start = 0, end = {len(text)}, '
        f'sha256 = "{sha(text)}" }}]\n',
        encoding="utf-8",
    )
    return ("--facts", str(facts), "verify", "--json")


@pytest.mark.parametrize("name", sorted(COMMAND_LINES))
def test_real_output_of_each_command_fits_its_schema(run, name, tmp_path):
    line = verify_line(tmp_path) if name == "verify" else COMMAND_LINES[name]
    if name == "evidence":
        line = (*verify_line(tmp_path)[:2], *COMMAND_LINES[name])
    if name == "facts-backups":  # the default chain: the bundled facts and the user file
        for year in ("2010", "2011"):
            added = run(
                "facts",
                "add",
                "exports",
                f"fy={year}",
                "value=1",
                "qualifier=exact",
                "unit=INR crore",
                "source=jv-report",
            )
            assert added.exit_code == 0, added.output
    data = run.json(*line)
    assert data, f"{name} printed nothing to check"
    assert errors(name, data) == []


def test_exports_with_a_unit_fit_too(run):
    data = run.json("exports", "--unit", "billion", "--json")
    assert any(row["converted_unit"] == "INR billion" for row in data)
    assert errors("exports", data) == []


def test_search_across_kinds_fits(run):
    data = run.json("search", "india", "--json")
    assert len({match["kind"] for match in data}) > 2
    assert errors("search", data) == []


def _first(run: Any, name: str) -> dict[str, Any]:
    (row, *_) = run.json(*COMMAND_LINES[name])
    return dict(row)


@pytest.mark.parametrize(
    ("field", "wrong"),
    [("fy", "2023"), ("value", "90000"), ("quarter", 1.5), ("unit", "dollars"), ("id", "Bad Id")],
)
def test_an_exports_row_with_a_wrong_value_is_rejected(run, field, wrong):
    row = _first(run, "exports")
    assert errors("exports", [row]) == []
    row[field] = wrong
    assert errors("exports", [row])


def test_a_row_missing_a_field_or_with_an_extra_one_is_rejected(run):
    row = _first(run, "companies")
    missing = {k: v for k, v in row.items() if k != "founded"}
    assert errors("companies", [missing])
    assert errors("companies", [{**row, "ceo": "someone"}])
    assert errors("companies", [{**row, "aliases": None}]), "lists are never null"
    assert errors("companies", [{**row, "name": None}]), "a required field is never null"


def test_a_search_match_must_carry_its_own_kinds_record(run):
    (match, *_) = run.json("search", "gorilla", "--json")
    assert errors("search", [match]) == []
    other = "exports" if match["kind"] != "exports" else "companies"
    assert errors("search", [{**match, "kind": other}])


def test_company_and_venture_lists_are_checked_item_by_item(run):
    company = run.json("company", "optiemus", "--json")
    company["people"][0]["name"] = 7
    assert errors("company", company)
    (venture,) = run.json("venture", "--json")
    venture["sites"][0]["status"] = "demolished"
    assert errors("venture", [venture])


def test_export_records_are_stored_shapes_without_nulls(run):
    data = run.json("export", "--format", "json")
    broken = copy.deepcopy(data)
    broken["companies"][0]["founded"] = None
    assert errors("export", broken)
    assert errors("export", {**data, "schema_version": 99})


def test_fields_spec_is_checked(run):
    data = run.json("fields", "--json")
    data["companies"][0]["type"] = "date"
    assert errors("fields", data)
    assert errors("fields", {"nonsense": []})


VERIFY_OK = {"ok": True, "claims": [], "problems": [], "checked": 25, "waiting": {"page": 2}}
VERIFY_BAD = {
    "ok": False,
    "claims": [
        {
            "id": "exports-fy2023",
            "kind": "exports",
            "source": "jv-report",
            "rung": "changed",
            "ok": False,
            "spans": [
                {"recorded_start": 1, "recorded_end": 9, "start": 3, "end": 10, "rung": "changed"}
            ],
            "problems": ["x"],
        }
    ],
    "problems": [{"id": "exports-fy2023", "kind": "exports", "field": "value", "message": "x"}],
    "checked": 25,
    "waiting": {},
}


def test_verify_schema_accepts_the_designed_shape_and_ties_ok_to_problems():
    assert errors("verify", VERIFY_OK) == []
    assert errors("verify", VERIFY_BAD) == []
    assert errors("verify", {**VERIFY_BAD, "ok": True})
    assert errors("verify", {**VERIFY_OK, "ok": False})
    assert errors("verify", {**VERIFY_OK, "checked": -1})
    assert errors("verify", {"ok": True, "problems": []})


def test_unknown_name_is_refused_with_the_list():
    with pytest.raises(ValueError, match="companies"):
        schema_for("nope")


# --- the schemas and fields_of (the README's field tables) cannot disagree -----------


def _defs(name: str) -> dict[str, Any]:
    defs: dict[str, Any] = schema_for(name)["$defs"]
    return defs


@pytest.mark.parametrize("name", sorted(LISTINGS))
def test_listing_schema_has_exactly_the_fields_of_its_kind_in_order(name):
    kind = LISTINGS[name]
    row = _defs(name)[kind]
    assert list(row["properties"]) == [f.name for f in fields_of(kind)]
    assert row["required"] == [f.name for f in fields_of(kind)]


def test_search_company_and_venture_rows_match_fields_of():
    for kind, row in _defs("search").items():
        assert list(row["properties"]) == [f.name for f in fields_of(kind)], kind
    company = schema_for("company")
    lists = {
        "people",
        "ventures",
        "sites",
        "customers",
        "statements",
        "events",
        "venture_facts",
        "sources",
    }
    assert [p for p in company["properties"] if p not in lists] == [
        f.name for f in fields_of("companies")
    ]
    venture = schema_for("venture")["items"]
    assert [p for p in venture["properties"] if p != "sites"] == [
        f.name for f in fields_of("ventures")
    ]


def test_export_schema_has_exactly_the_stored_fields():
    defs = _defs("export")
    assert set(defs) == set(KINDS)
    for kind, record in defs.items():
        assert list(record["properties"]) == [f.name for f in KINDS[kind]]
        assert record["required"] == [f.name for f in KINDS[kind] if f.required]


def test_nullable_exactly_where_not_required_and_lists_never():
    for name, kind in LISTINGS.items():
        derived = {f.name for f in fields_of(kind)} - set(FIELD_MAP[kind])
        for field in fields_of(kind):
            prop = _defs(name)[kind]["properties"][field.name]
            if field.type in ("strlist", "spans"):
                assert prop["type"] == "array", (kind, field.name)
            else:
                nullable = "null" in prop["type"]
                assert nullable == (not field.required or field.name in derived)


# --- property: what the fact-file validator accepts, the schemas accept ----------------

_text = st.text(min_size=1, max_size=30).filter(lambda s: s.strip() != "")
_id = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,20}", fullmatch=True)


def _value(kind: str, name: str) -> st.SearchStrategy[Any]:
    field = FIELD_MAP[kind][name]
    if name == "id" or field.ref:
        return st.lists(_id, max_size=3) if field.type == "strlist" else _id
    if field.choices:
        return st.sampled_from(field.choices)
    if field.type == "strlist":
        return st.lists(_text, max_size=3)
    if field.type == "int":
        return st.integers(1950, 2100) if name != "quarter" else st.integers(1, 4)
    if field.type == "number":
        return st.integers(0, 100) | st.floats(0, 100, allow_nan=False)
    return _text


@st.composite
def records(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    kind = draw(st.sampled_from(list(KINDS)))
    record = {}
    for field in KINDS[kind]:
        if field.required or draw(st.booleans()):
            record[field.name] = draw(_value(kind, field.name))
    record.pop("inferred", None)
    return kind, record


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_every_valid_record_fits_the_export_schema_and_its_row_the_listing_schema(item):
    kind, record = item
    assume(validate_record(kind, record) == [])
    stored = Validator(_defs("export")[kind])
    assert list(stored.iter_errors(record)) == []
    facts = Facts(["test.toml"], {kind: [record]}, {kind: [0]})
    (row,) = rows(facts, kind)
    assert list(Validator(_defs("search")[kind]).iter_errors(row)) == []
