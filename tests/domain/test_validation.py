"""Each validation rule, with a file that breaks it: the message names FILE:LINE: key.path."""

from __future__ import annotations

import pytest
from conftest import EXPORT, SOURCE, write_facts


def problems(run, path, *extra):
    result = run("validate", "--alone", str(path), *extra)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.stderr


# Line numbers count from the file's first line: "schema_version = 1", a blank line, then the body.
CASES = [
    # (body, expected fragment of one problem line)
    (
        SOURCE + EXPORT.replace("value = 10", "valu = 10"),
        ":14: exports[0].valu: unknown field for exports (did you mean value?)",
    ),
    (
        SOURCE + EXPORT.replace('country = "India"\n', ""),
        "exports[0].country: missing required field",
    ),
    (
        SOURCE + EXPORT.replace("fy = 2023", 'fy = "2023"'),
        ":13: exports[0].fy: expected a whole number, got a string",
    ),
    (
        SOURCE + EXPORT.replace("fy = 2023", "fy = 2023-04-01"),
        ":13: exports[0].fy: expected a whole number, got a date or time",
    ),
    (
        SOURCE + EXPORT.replace("fy = 2023", "fy = 3023"),
        ":13: exports[0].fy: 3023 is not a plausible fiscal year",
    ),
    (  # the status rule reads the year's last day: a year no date can hold is only reported
        SOURCE + EXPORT.replace("fy = 2023", 'fy = 999999999999\nstated = "2023-09-01"'),
        ":13: exports[0].fy: 999999999999 is not a plausible fiscal year",
    ),
    (
        SOURCE + EXPORT.replace("fy = 2023", "fy = 2023\nquarter = 5"),
        ":14: exports[0].quarter: 5 is not a quarter",
    ),
    (
        SOURCE + EXPORT.replace('unit = "INR crore"', 'unit = "crores"'),
        ":15: exports[0].unit: unknown value 'crores'",
    ),
    (
        SOURCE + EXPORT.replace('qualifier = "exact"', 'qualifier = "roughly"'),
        ":16: exports[0].qualifier: unknown value 'roughly'",
    ),
    (
        SOURCE + EXPORT.replace("value = 10", "value = nan"),
        ":14: exports[0].value: must be a finite number",
    ),
    (
        SOURCE + EXPORT.replace("value = 10", "value = 1e300"),
        ":14: exports[0].value: 1e+300 is too large",
    ),
    (
        SOURCE + EXPORT.replace("value = 10", "value = true"),
        ":14: exports[0].value: expected a number, got a boolean",
    ),
    (
        SOURCE + EXPORT.replace('source = "src"', 'source = "srx"'),
        ":17: exports[id=e1].source: no sources record has id 'srx' (did you mean src?)",
    ),
    (SOURCE + EXPORT + EXPORT, ":20: exports[1].id: duplicate id 'e1' (first used at exports[0])"),
    (
        SOURCE
        + """
[[value_addition]]
id = "v"
country = "X"
low = 30
high = 20
unit = "percent"
qualifier = "range"
source = "src"
""",
        ":12: value_addition[0].low: low (30) is greater than high (20)",
    ),
    (
        SOURCE
        + """
[[value_addition]]
id = "v"
country = "X"
value = 120
unit = "percent"
qualifier = "exact"
source = "src"
""",
        ":12: value_addition[0].value: 120 is outside 0-100 per cent",
    ),
    (
        SOURCE
        + """
[[value_addition]]
id = "v"
country = "X"
value = 12
unit = "percent"
qualifier = "range"
source = "src"
""",
        "value_addition[0].low: missing: qualifier 'range' needs low and high",
    ),
    (
        SOURCE + '\n[[compnies]]\nid = "x"\n',
        ":9: compnies: unknown kind of record (did you mean companies?)",
    ),
    (
        SOURCE + '\n[companies]\nid = "x"\n',
        ":9: companies: must be an array of tables ([[companies]]), not a table",
    ),
    (
        SOURCE
        + """
[[companies]]
id = "Bad Id!"
name = "X"
business = "Y"
source = "src"
""",
        ":10: companies[0].id: ids use lower case letters",
    ),
    (
        SOURCE
        + """
[[sites]]
id = "s"
operator = "nobody"
country = "X"
status = "closed"
makes = "glass"
source = "src"
""",
        ":13: sites[0].status: unknown value 'closed'; expected one of: planned, operating",
    ),
]


@pytest.mark.parametrize(
    ("body", "expected"), CASES, ids=[c[1].split(": ")[0] + str(i) for i, c in enumerate(CASES)]
)
def test_rule(run, tmp_path, body, expected):
    path = write_facts(tmp_path / "f.toml", body)
    err = problems(run, path)
    assert f"{path}{expected}" in err or expected in err, err
    assert str(path) in err


def test_syntax_error_with_line_and_column(run, tmp_path):
    path = tmp_path / "f.toml"
    path.write_text('schema_version = 1\n\n[[companies]]\nid = "x\nname = 1\n')
    err = problems(run, path)
    assert f"{path}:4: TOML syntax:" in err and "column" in err


def test_duplicate_keys_are_a_syntax_error(run, tmp_path):
    path = write_facts(tmp_path / "f.toml", SOURCE + 'title = "again"\n')
    err = problems(run, path)
    assert f"{path}:" in err and "TOML syntax" in err


def test_newer_schema_says_upgrade(run, tmp_path):
    path = write_facts(tmp_path / "f.toml", SOURCE, version=3)
    err = problems(run, path)
    assert f"{path}:1: schema_version:" in err and "upgrade cgcli" in err


def test_all_problems_in_one_run_sorted(run, tmp_path):
    body = SOURCE + EXPORT.replace("fy = 2023", "fy = 1").replace("value = 10", "value = -5")
    body = body.replace('title = "A test source"', 'titel = "x"')
    path = write_facts(tmp_path / "f.toml", body)
    err = problems(run, path)
    lines = [line for line in err.splitlines() if line.startswith(str(path))]
    assert len(lines) >= 4  # titel unknown, title missing, fy implausible, value negative
    numbers = [int(line[len(str(path)) + 1 :].split(":")[0]) for line in lines]
    assert numbers == sorted(numbers)
    assert "problems found" in err


def test_valid_file_exits_0(run, tmp_path):
    path = write_facts(tmp_path / "f.toml", SOURCE + EXPORT)
    result = run("validate", "--alone", str(path))
    assert result.exit_code == 0, result.output
    assert "ok" in result.stderr


def test_user_file_may_cite_bundled_sources(run, tmp_path):
    path = write_facts(tmp_path / "f.toml", EXPORT.replace('"src"', '"jv-report"'))
    assert run("validate", str(path)).exit_code == 0
    assert run("validate", "--alone", str(path)).exit_code == 1


def test_lookup_commands_exit_3_with_the_same_messages(run, tmp_path):
    path = write_facts(tmp_path / "f.toml", SOURCE + EXPORT.replace("fy = 2023", 'fy = "x"'))
    result = run("--facts", str(path), "exports")
    assert result.exit_code == 3
    assert f"{path}:13: exports[0].fy: expected a whole number, got a string" in result.stderr
    assert result.stdout == ""


def test_missing_file_exit_3(run, tmp_path):
    result = run("--facts", str(tmp_path / "nope.toml"), "companies")
    assert result.exit_code == 3
    assert "no such file" in result.stderr


def test_cgcli_facts_env_var(run, tmp_path):
    path = write_facts(tmp_path / "f.toml", SOURCE + EXPORT)
    result = run("exports", "--json", env={"CGCLI_FACTS": str(path)})
    assert result.exit_code == 0
    assert '"e1"' in result.stdout


# --- the fast path agrees with the full checks ------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from cover_glass_cli.domain import records  # noqa: E402
from cover_glass_cli.domain.records import validate_record  # noqa: E402

_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**18), 10**18),
    st.floats(),
    st.text(max_size=5),
    st.sampled_from(
        ["", " ", "exact", "range", "percent", "INR crore", "planned", "fy", "src", "A b"]
    ),
    st.lists(st.text(max_size=3), max_size=2),
    st.lists(st.integers(), max_size=2),
)
_samples = [
    (
        "exports",
        {
            "id": "e",
            "country": "C",
            "product": "p",
            "fy": 2023,
            "value": 5,
            "unit": "INR crore",
            "qualifier": "over",
            "source": "s",
            "growth_pct": 10,
            "growth_qualifier": "exact",
        },
    ),
    (
        "value_addition",
        {
            "id": "v",
            "country": "C",
            "value": 15,
            "unit": "percent",
            "qualifier": "approximate",
            "source": "s",
        },
    ),
    (
        "companies",
        {"id": "c", "name": "N", "business": "b", "founded": 1993, "aliases": ["x"], "source": "s"},
    ),
    (
        "sites",
        {
            "id": "s1",
            "operator": "o",
            "country": "C",
            "status": "planned",
            "makes": "m",
            "source": "s",
        },
    ),
]


@settings(max_examples=400, deadline=None)
@given(
    sample=st.sampled_from(_samples),
    field=st.text(max_size=12)
    | st.sampled_from(
        [
            "fy",
            "quarter",
            "value",
            "low",
            "high",
            "unit",
            "qualifier",
            "id",
            "inferred",
            "founded",
            "status",
            "growth_pct",
            "growth_qualifier",
            "name",
            "aliases",
        ]
    ),
    value=_values,
    drop=st.booleans(),
)
def test_the_early_exit_never_hides_what_the_full_listing_finds(sample, field, value, drop):
    kind, record = sample
    record = dict(record)
    if drop:
        record.pop(field, None)
    else:
        record[field] = value
    full = records._problems(records._plan(kind), record, hints=True)
    assert validate_record(kind, record) == full, (kind, record)


def test_the_common_case_is_valid():
    for kind, record in _samples:
        assert validate_record(kind, record) == []
