"""cgcli timeline and the events kind: dates of four precisions, --since, --company, one row
per event unless --all-claims, every output option, validation, export and schema."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date, timedelta

import pytest
from conftest import SOURCE, run_exe, write_facts
from hypothesis import given
from hypothesis import strategies as st

from cover_glass_cli.domain.jsonschema import schema_for
from cover_glass_cli.domain.kinds.events import order, period
from cover_glass_cli.domain.records import validate_record


def test_the_timeline_is_in_date_order_one_row_per_event(run):
    rows = run.json("timeline", "--json")
    assert [(r["date"], r["event"], r["status"]) for r in rows] == [
        ("2023-09-01", "announced", "happened"),
        ("2023-10-26", "plans given", "happened"),
        ("2024-01-22", "state agreement", "happened"),
        ("2024-06-25", "ground broken", "happened"),
        ("2025-12", "operations start", "expected"),
        ("2025-12-05", "inaugurated", "happened"),
    ]
    start = rows[4]
    assert (start["precision"], start["starts"], start["ends"]) == (
        "month",
        "2025-12-01",
        "2025-12-31",
    )
    assert start["stated"] == "2025-08-13" and "stated" in start["inferred"]
    assert start["rank"] == "preferred" and start["claims"] == 3


def test_all_claims_shows_each_promised_start_beside_what_happened(run):
    rows = run.json("timeline", "--all-claims", "--json")
    starts = [r for r in rows if r["event"] == "operations start"]
    assert [(r["date"], r["precision"], r["stated"], r["best"]) for r in starts] == [
        ("2024", "year", "2023-09-01", False),
        ("2024-Q4", "quarter", "2023-10-26", False),
        ("2025-12", "month", "2025-08-13", True),
    ]
    assert all(r["rank_reason"].startswith("Superseded") for r in starts if not r["best"])
    table = run.wide("timeline", "--all-claims").stdout
    assert "2024-Q4" in table and "Best" in table
    assert "deprecated" in table and "Superseded: in August 2025" in table


def test_since_keeps_events_not_wholly_before_the_date(run):
    since = run.json("timeline", "--since", "2024", "--json")
    assert [r["date"] for r in since] == ["2024-01-22", "2024-06-25", "2025-12", "2025-12-05"]
    # a promise of "2024" overlaps June 2024; a day before it does not
    promises = run.json("timeline", "--since", "2024-06", "--all-claims", "--json")
    assert [r["date"] for r in promises][:3] == ["2024", "2024-06-25", "2024-Q4"]
    assert run.json("timeline", "--since", "2025-Q4", "--json")[0]["date"] == "2025-12"


@pytest.mark.parametrize("bad", ["2024-13", "2024-02-30", "24", "2024-Q5", "yesterday", "1850"])
def test_since_refuses_what_is_not_a_date(run, bad):
    result = run("timeline", "--since", bad)
    assert result.exit_code == 2
    assert "is not a date: use YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY" in result.stderr


def test_company_keeps_its_own_events_and_its_ventures(run, tmp_path):
    corning = run.json("timeline", "--company", "corning", "--json")
    assert len(corning) == 6  # every event of its joint venture
    path = write_facts(
        tmp_path / "f.toml",
        SOURCE
        + """
[[companies]]
id = "acme"
name = "Acme"
business = "glass"
source = "src"

[[companies]]
id = "zenith"
name = "Zenith"
business = "phones"
source = "src"

[[events]]
id = "acme-founded"
parties = ["acme"]
event = "founded"
date = "1990"
status = "happened"
summary = "Acme is founded."
source = "src"

[[events]]
id = "zenith-listed"
parties = ["zenith"]
event = "listed"
date = "2001-Q2"
status = "happened"
summary = "Zenith lists its shares."
source = "src"
""",
        version=2,
    )
    acme = run.json("--facts", str(path), "timeline", "--company", "acme", "--json")
    assert [r["id"] for r in acme] == ["acme-founded"]
    assert acme[0]["party_names"] == ["Acme"]
    result = run("--facts", str(path), "timeline", "--company", "zen", "--since", "2002")
    assert result.exit_code == 1 and "no events match" in result.stderr


def test_every_output_option(run):
    rows = list(csv.DictReader(io.StringIO(run("timeline", "--csv").stdout)))
    assert rows[0]["date"] == "2023-09-01" and rows[0]["precision"] == "day"
    kept = run("timeline", "--fields", "date,event,stated", "--format", "tsv").stdout
    assert kept.splitlines()[0] == "date\tevent\tstated"
    assert "2025-12\toperations start\t2025-08-13" in kept
    cited = run.wide("timeline", "--sources").stdout
    assert "[1]" in cited and "Src" in cited


def test_the_table_marks_inferred_dates_and_names_other_claims(run):
    out = run.wide("timeline").stdout
    assert "2024-01-22 *" in out
    assert "* jv-state-agreement: date inferred, not stated" in out
    assert "+ jv-operations-start: " in out  # its other claims named
    assert "Best" not in out  # one row per event: not every claim


def test_json_schema_of_the_timeline_validates_its_output(run):
    jsonschema = pytest.importorskip("jsonschema")
    schema = schema_for("timeline")
    assert json.loads(run("schema", "timeline").stdout) == schema
    jsonschema.validate(run.json("timeline", "--all-claims", "--json"), schema)
    item = schema["$defs"]["events"]["properties"]
    assert {"date", "precision", "starts", "ends", "party_names"} <= item.keys()


def test_events_are_exported_and_read_back(run, tmp_path):
    exported = run.json("export", "--format", "json")
    assert {e["id"] for e in exported["events"]} >= {"jv-announced", "jv-inaugurated"}
    db = tmp_path / "out.sqlite"
    assert run("export", "--format", "sqlite", str(db)).exit_code == 0
    with sqlite3.connect(db) as conn:
        got = conn.execute(
            "SELECT date, precision, starts, ends, venture FROM events WHERE id = 'jv-operations-start'"
        ).fetchall()
    assert got == [("2025-12", "month", "2025-12-01", "2025-12-31", "optiemus-corning-jv")]
    package = tmp_path / "pkg"
    assert run("export", "--format", "datapackage", str(package)).exit_code == 0
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    names = {r["name"] for r in descriptor["resources"]}
    assert "events" in names
    text = (package / "events.csv").read_text(encoding="utf-8")
    assert "jv-ground-broken" in text and "2024-06-25" in text


def test_fields_lists_the_kind(run):
    fields = run.json("fields", "events", "--json")
    names = [f["name"] for f in fields["events"]]
    assert names[:7] == ["id", "venture", "parties", "event", "date", "status", "stated"]
    assert "precision" in names


GOOD = {
    "id": "e",
    "venture": "v",
    "event": "founded",
    "date": "2024-Q4",
    "status": "expected",
    "summary": "s",
    "source": "src",
}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"date": "2024-13"}, "date"),
        ({"date": "Q4 2024"}, "date"),
        ({"stated": "2023-02-29"}, "stated"),
        ({"status": "rumoured"}, "status"),
    ],
)
def test_validation_refuses_bad_dates_and_statuses(change, problem):
    assert [field for field, _ in validate_record("events", {**GOOD, **change})] == [problem]


def test_an_event_of_nothing_is_refused(run, tmp_path):
    assert validate_record("events", GOOD) == []
    lone = {k: v for k, v in GOOD.items() if k != "venture"}
    assert validate_record("events", lone) == [
        ("", "an event names its venture or its parties (or both)")
    ]
    path = write_facts(
        tmp_path / "f.toml",
        SOURCE + '\n[[events]]\nid = "e"\nevent = "x"\ndate = "2024-02-30"\n'
        'status = "happened"\nsummary = "s"\nsource = "src"\n',
        version=2,
    )
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "date: not a date of the form YYYY-MM-DD" in result.stdout + result.stderr


def test_the_installed_command():
    result = run_exe("timeline", "--since", "2025", "--json")
    assert result.returncode == 0, result.stderr
    assert [r["event"] for r in json.loads(result.stdout)] == ["operations start", "inaugurated"]


# --- dates ------------------------------------------------------------------------------


@given(st.dates(date(1900, 1, 1), date(2100, 12, 31)))
def test_a_day_is_its_own_period_and_lies_in_its_month_quarter_and_year(day):
    text = day.isoformat()
    assert period(text) == (text, text, "day")
    quarter = (day.month - 1) // 3 + 1
    for written, precision in (
        (text[:7], "month"),
        (f"{day.year}-Q{quarter}", "quarter"),
        (str(day.year), "year"),
    ):
        first, last, found = period(written)
        assert found == precision and first <= text <= last
        assert date.fromisoformat(first).day == 1
        assert (date.fromisoformat(last) + timedelta(days=1)).day == 1  # a month's last day


@given(st.text(max_size=12))
def test_any_text_is_a_period_or_none_never_an_error(text):
    found = period(text)
    assert found is None or found[0] <= found[1]


def test_order_puts_the_precise_date_first_and_nondates_last():
    rows = [
        {"id": "y", "date": "2024"},
        {"id": "q", "date": "2024-Q1"},
        {"id": "m", "date": "2024-01"},
        {"id": "d", "date": "2024-01-01"},
        {"id": "bad", "date": "soon"},
    ]
    assert [r["id"] for r in sorted(rows, key=order)] == ["d", "m", "q", "y", "bad"]


@given(
    st.dictionaries(
        st.sampled_from(["venture", "parties", "date", "stated", "status"]),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.text(max_size=8),
            st.lists(st.text(max_size=3), max_size=2),
        ),
    )
)
def test_event_rules_take_fields_of_any_type(fields):
    record = {**GOOD, **fields}
    assert isinstance(validate_record("events", record), list)


def test_cite_says_an_expected_event_is_expected_and_when_it_was_said(run):
    out = run("cite", "jv-operations-start-hindu-2023-10-26").stdout
    assert out.startswith("operations start, 2024-Q4 (expected, as stated 2023-10-26): ")
    happened = run("cite", "jv-inaugurated").stdout
    assert happened.startswith("inaugurated, 2025-12-05: ") and "WION" in happened
