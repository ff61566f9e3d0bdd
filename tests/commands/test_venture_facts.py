"""cgcli venture-facts and the venture_facts kind: the venture's name, stakes, investment,
jobs and capacity as claims side by side, the preferred marked, disagreement shown."""

from __future__ import annotations

import json
import sqlite3

import pytest
from conftest import SOURCE, run_exe, write_facts
from hypothesis import given
from hypothesis import strategies as st

from cover_glass_cli.domain.jsonschema import schema_for
from cover_glass_cli.domain.kinds.venture_facts import shown
from cover_glass_cli.domain.records import validate_record


def test_one_row_per_measure_each_the_best_claim(run):
    rows = run.json("venture-facts", "--json")
    assert [(r["measure"], r["company"], r["shown"]) for r in rows] == [
        ("name", None, "Bharat Innovative Glass Technologies Private Limited (BIG TECH)"),
        ("stake", "optiemus", "70%"),
        ("stake", "corning", "30%"),
        ("investment", None, "₹1,003 crore"),
        ("jobs", None, "840 jobs"),
        ("capacity", None, "30 million pieces (first phase)"),
    ]
    assert not any(r["disputed"] for r in rows)
    assert rows[4]["rank"] == "preferred" and rows[4]["claims"] == 7


def test_jobs_side_by_side_with_the_preferred_marked(run):
    rows = run.json("venture-facts", "--measure", "jobs", "--all-claims", "--json")
    assert [(r["shown"], r["source"], r["best"]) for r in rows] == [
        ("840 jobs", "bs-2024-01-23", True),
        ("500–700 jobs", "hindu-2023-10-26", False),
        ("500–700 jobs", "bs-2023-10-26", False),
        ("> 500 jobs (first phase)", "techlusive-2023-10-27", False),
        ("840 jobs", "nie-2024-01-24", False),
        ("840 jobs", "bl-2024-06-25", False),
        ("≈840 jobs", "wion-2025-12-05", False),
    ]
    table = run.wide("venture-facts", "--measure", "jobs", "--all-claims").stdout
    assert "preferred" in table and "The figure of the state agreement" in table
    assert "500–700 jobs" in table and "> 500 jobs" in table and "Best" in table


def test_investment_undisclosed_beside_the_figures(run):
    rows = run.json("venture-facts", "--measure", "investment", "--all-claims", "--json")
    said = {r["source"]: r["shown"] for r in rows}
    assert said["hindu-2023-10-26"] == "not disclosed"
    assert said["toi-2023-10"] == "₹1,000 crore"  # the reporter's expectation, as written
    assert said["bs-2024-01-23"] == "₹1,003 crore"
    assert {r["status"] for r in rows} == {"planned", "reported"}


def test_a_contrary_stake_is_kept_deprecated(run):
    rows = run.json("venture-facts", "--measure", "stake", "--all-claims", "--json")
    livemint = next(r for r in rows if r["source"] == "livemint-2023-10-26")
    assert (livemint["value"], livemint["rank"], livemint["best"]) == (30, "deprecated", False)
    best = [r["value"] for r in rows if r["best"] and r["company"] == "optiemus"]
    assert best == [70, 70, 70]


FILE = (
    SOURCE
    + """
[[sources]]
id = "src2"
title = "Another source"
kind = "test"

[[companies]]
id = "acme"
name = "Acme"
business = "glass"
source = "src"

[[ventures]]
id = "jv"
name = "A venture"
kind = "joint venture"
partners = ["acme"]
country = "India"
source = "src"

[[venture_facts]]
id = "jobs-a"
venture = "jv"
measure = "jobs"
low = 500
high = 700
unit = "jobs"
qualifier = "range"
source = "src"

[[venture_facts]]
id = "jobs-b"
venture = "jv"
measure = "jobs"
value = 840
unit = "jobs"
qualifier = "exact"
source = "src2"
"""
)


def test_claims_that_cannot_both_be_true_are_marked_disputed(run, tmp_path):
    path = write_facts(tmp_path / "f.toml", FILE, version=2)
    (row,) = run.json("--facts", str(path), "venture-facts", "--json")
    assert row["disputed"] and "840 jobs (src2)" in row["dispute"]
    out = run("--facts", str(path), "venture-facts", env={"COLUMNS": "200"}).stdout
    assert "≠" in out and "sources disagree" in out


@pytest.mark.parametrize(
    ("record", "problems"),
    [
        ({"measure": "name"}, [("text", "missing: a name is given as text")]),
        ({"measure": "name", "text": "X", "value": 1}, [("value", "a name has no figure")]),
        (
            {"measure": "jobs", "value": 5, "unit": "jobs"},
            [("qualifier", "missing: jobs is a figure with a qualifier")],
        ),
        (
            {"measure": "jobs", "value": 5, "unit": "percent", "qualifier": "exact"},
            [("unit", "jobs is given in jobs")],
        ),
        (
            {"measure": "stake", "value": 5, "unit": "percent", "qualifier": "exact"},
            [("company", "missing: a stake is some company's")],
        ),
        (
            {"measure": "investment", "value": 5, "unit": "INR crore", "qualifier": "undisclosed"},
            [
                ("value", "an undisclosed amount has no figure"),
                ("unit", "an undisclosed amount has no figure"),
            ],
        ),
        (
            {"measure": "investment", "qualifier": "undisclosed", "stated": "2024-02-30"},
            [("stated", "not a date of the form YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY")],
        ),
        (
            {"measure": "jobs", "text": "many", "qualifier": "undisclosed"},
            [("text", "only a name is text; jobs is a figure")],
        ),
    ],
)
def test_rules_tie_the_measure_to_its_figure(record, problems):
    base = {"id": "x", "venture": "jv", "source": "src"}
    assert validate_record("venture_facts", {**base, **record}) == problems


def test_shown_for_people():
    assert (
        shown({"measure": "jobs", "low": 500, "high": 700, "unit": "jobs", "qualifier": "range"})
        == "500–700 jobs"
    )
    assert (
        shown({"measure": "stake", "value": 70, "unit": "percent", "qualifier": "exact"}) == "70%"
    )
    assert shown({"measure": "investment", "qualifier": "undisclosed"}) == "not disclosed"
    assert shown({"measure": "name", "text": "BIG"}) == "BIG"


def test_json_schema_export_and_fields(run, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = schema_for("venture-facts")
    jsonschema.validate(run.json("venture-facts", "--all-claims", "--json"), schema)
    db = tmp_path / "out.sqlite"
    assert run("export", "--format", "sqlite", str(db)).exit_code == 0
    with sqlite3.connect(db) as conn:
        got = conn.execute(
            "SELECT measure, low, high, unit, qualifier FROM venture_facts WHERE id = ?",
            ("jv-jobs-hindu-2023-10-26",),
        ).fetchall()
        (sql,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'venture_facts'"
        ).fetchone()
    assert got == [("jobs", 500, 700, "jobs", "range")]
    assert 'REFERENCES "ventures"' in sql and 'REFERENCES "companies"' in sql
    package = tmp_path / "pkg"
    assert run("export", "--format", "datapackage", str(package)).exit_code == 0
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert "venture_facts" in {r["name"] for r in descriptor["resources"]}
    fields = run.json("fields", "venture-facts", "--json")["venture_facts"]
    assert [f["name"] for f in fields][:4] == ["id", "venture", "measure", "company"]


def test_the_installed_command():
    result = run_exe("venture-facts", "--measure", "capacity", "--all-claims", "--json")
    assert result.returncode == 0, result.stderr
    assert {r["value"] for r in json.loads(result.stdout)} == {30}


@given(
    st.dictionaries(
        st.sampled_from(["measure", "text", "value", "unit", "qualifier", "company", "stated"]),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.text(max_size=5),
            st.lists(st.text(max_size=3), max_size=2),
            st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
        ),
    )
)
def test_rules_take_fields_of_any_type(fields):
    """Rules run after each field's check: a record of hostile values gets problems,
    never an exception."""
    record = {"id": "x", "venture": "jv", "source": "src", "measure": "jobs", **fields}
    assert isinstance(validate_record("venture_facts", record), list)


def test_cite_names_the_measure_and_the_venture_with_the_figure(run):
    jobs = run("cite", "jv-jobs-techlusive-2023-10-27").stdout
    assert jobs.startswith(
        "jobs of Optiemus–Corning cover glass joint venture (first phase): > 500 jobs "
    )
    stake = run("cite", "jv-stake-corning").stdout
    assert stake.startswith("Corning International Corporation's stake in ")
    assert ": 30% " in stake
    assert ": not disclosed " in run("cite", "jv-investment-hindu-2023-10-26").stdout
    assert ": Bharat Innovative Glass Technologies Private Limited (BIG TECH) " in (
        run("cite", "jv-name").stdout
    )


@pytest.mark.parametrize(("written", "code"), [("30 million pieces", 0), ("20 million pieces", 1)])
def test_a_capacity_in_millions_is_read_from_the_words(run, tmp_path, written, code):
    """'30 million pieces' states a capacity of 30 in the unit "million pieces": the
    reader of figures takes the scale word as the unit, as it does for rupees."""
    from cover_glass_cli.domain.quotes import find_quote
    from cover_glass_cli.domain.spans import Span, evidence_toml

    page = "The plant will make 30 million pieces in its first phase."
    span = evidence_toml([Span.of(page, *find_quote(page, "30 million pieces"))])
    path = write_facts(
        tmp_path / "f.toml",
        FILE.replace("url = ", "url = ")
        + f"""
[[venture_facts]]
id = "capacity"
venture = "jv"
measure = "capacity"
value = 30
unit = "million pieces"
qualifier = "exact"
source = "src"
{span}
""",
        version=2,
    )
    saved = tmp_path / "saved.txt"
    saved.write_text(page.replace("30 million pieces", written), encoding="utf-8")
    result = run("--facts", str(path), "verify", "--source", f"src={saved}")
    assert result.exit_code == code, result.output
