"""export --format sqlite and --format datapackage: keys, counts, search, metadata, and
the real tools (Datasette, frictionless) opening what cgcli writes."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import KINDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cover_glass_cli.domain.facts import Facts
from cover_glass_cli.domain.query import fields_of
from cover_glass_cli.store.datapackage import write_datapackage
from cover_glass_cli.store.datasets import tables, write_sqlite

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def stored(run) -> dict[str, Any]:
    """Every stored record, by kind, as `export --format json` gives them."""
    data: dict[str, Any] = run.json("export", "--format", "json")
    return data


@pytest.fixture
def database(run, tmp_path: Path) -> Path:
    path = tmp_path / "cgcli.db"
    result = run("export", "--format", "sqlite", str(path))
    assert result.exit_code == 0, result.output
    assert "datasette" in result.stderr
    return path


def connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    return db


# --- SQLite -------------------------------------------------------------------------


def test_a_table_per_kind_with_every_record(database, stored):
    db = connect(database)
    for kind in KINDS:
        ids = [r["id"] for r in db.execute(f"select id from {kind} order by rowid")]
        assert ids == [r["id"] for r in stored[kind]], kind
    partners = sum(len(v["partners"]) for v in stored["ventures"])
    assert db.execute("select count(*) from venture_partners").fetchone()[0] == partners == 2


def test_primary_and_foreign_keys(database):
    db = connect(database)
    for kind, fields in KINDS.items():
        info = db.execute(f"pragma table_info({kind})").fetchall()
        assert [c["name"] for c in info if c["pk"]] == ["id"], kind
        keys = {
            (k["from"], k["table"], k["to"]) for k in db.execute(f"pragma foreign_key_list({kind})")
        }
        for field in fields:
            if len(field.ref) == 1 and field.type == "str":
                assert (field.name, field.ref[0], "id") in keys, (kind, field.name)
    statements = {
        (k["from"], k["table"]) for k in db.execute("pragma foreign_key_list(statements)")
    }
    assert {("speaker_person", "people"), ("speaker_company", "companies")} <= statements
    sites = {(k["from"], k["table"]) for k in db.execute("pragma foreign_key_list(sites)")}
    assert {("operator_company", "companies"), ("operator_venture", "ventures")} <= sites
    links = {
        (k["from"], k["table"]) for k in db.execute("pragma foreign_key_list(venture_partners)")
    }
    assert links == {("venture", "ventures"), ("partner", "companies")}
    exports = {(k["from"], k["table"]) for k in db.execute("pragma foreign_key_list(exports)")}
    assert ("compared_with", "exports") in exports
    assert db.execute("pragma foreign_key_check").fetchall() == []
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"


def test_references_to_two_kinds_are_split_by_the_kind_they_name(database):
    db = connect(database)
    by_id = {r["id"]: r for r in db.execute("select * from statements")}
    person, company = by_id["goal-top-maker"], by_id["world-class-facility"]
    assert (person["speaker_person"], person["speaker_company"]) == ("ashok-kumar-gupta", None)
    assert (company["speaker_person"], company["speaker_company"]) == (None, "optiemus")
    plant = db.execute("select * from sites where id = 'jv-india-plant'").fetchone()
    assert (plant["operator_company"], plant["operator_venture"]) == (None, "optiemus-corning-jv")


def test_lists_are_json_and_the_link_table_keeps_their_order(database, stored):
    db = connect(database)
    corning = db.execute("select aliases, products from companies where id = 'corning'").fetchone()
    assert json.loads(corning["aliases"]) == ["Corning"]
    assert json.loads(corning["products"]) == ["Gorilla Glass"]
    (venture,) = stored["ventures"]
    linked = db.execute("select partner from venture_partners order by position").fetchall()
    assert [r["partner"] for r in linked] == venture["partners"]


def test_export_rows_carry_period_months_and_the_computed_growth(database, run):
    db = connect(database)
    row = db.execute("select * from exports where id = 'exports-fy2023'").fetchone()
    (shown,) = run.json("exports", "--fy", "2023", "--json")
    for name in ("period", "months", "compared_with", "growth_computed_pct", "growth_check"):
        assert row[name] == shown[name], name
    assert row["period"] == "FY2023" and row["compared_with"] == "exports-fy2022"


def test_columns_are_typed_and_choices_enforced(database):
    db = connect(database)
    types = {c["name"]: c["type"] for c in db.execute("pragma table_info(exports)")}
    assert (types["fy"], types["value"], types["unit"]) == ("INTEGER", "NUMERIC", "TEXT")
    assert db.execute("select typeof(value) from exports limit 1").fetchone()[0] == "integer"
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("update sites set status = 'demolished' where id = 'jv-india-plant'")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("update companies set name = null where id = 'corning'")


def test_full_text_search_is_set_up_the_sqlite_utils_way(database):
    db = connect(database)
    found = db.execute(
        "select id from companies where rowid in "
        "(select rowid from companies_fts where companies_fts match 'gorilla')"
    ).fetchall()
    assert [r["id"] for r in found] == ["corning"]
    sql = db.execute("select sql from sqlite_master where name = 'companies_fts'").fetchone()[0]
    assert "content=[companies]" in sql


def test_metadata_describes_the_database_and_every_column(database, stored):
    meta = json.loads(database.with_suffix(".metadata.json").read_text(encoding="utf-8"))
    assert meta["title"] and meta["description"] and meta["license"] == "MIT"
    assert stored["sources"][0]["title"] in meta["source"]
    tables_meta = meta["databases"]["cgcli"]["tables"]
    db = connect(database)
    names = [
        r[0]
        for r in db.execute("select name from sqlite_master where type = 'table'")
        if "_fts" not in r[0]
    ]
    assert set(names) == set(tables_meta) == {*KINDS, "venture_partners", "event_parties"}
    for table in names:
        for column in db.execute(f"pragma table_info({table})"):
            assert tables_meta[table]["columns"][column["name"]].strip(), (table, column["name"])
    assert tables_meta["companies"]["label_column"] == "name"
    assert tables_meta["sources"]["label_column"] == "title"
    assert "Unit: the row's unit column" in tables_meta["exports"]["columns"]["value"]


def test_metadata_goes_where_asked(run, tmp_path):
    db, meta = tmp_path / "a.sqlite", tmp_path / "meta" / "datasette.json"
    meta.parent.mkdir()
    result = run("export", "--format", "sqlite", str(db), "--metadata", str(meta))
    assert result.exit_code == 0, result.output
    assert db.exists() and meta.exists() and not (tmp_path / "a.metadata.json").exists()


def test_existing_files_are_kept_unless_forced(run, database):
    before = database.read_bytes()
    result = run("export", "--format", "sqlite", str(database))
    assert result.exit_code == 2 and "--force" in result.stderr
    assert database.read_bytes() == before
    assert run("export", "--format", "sqlite", str(database), "--force").exit_code == 0
    assert [p.name for p in database.parent.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize(
    "args",
    [
        ("export", "--format", "sqlite"),
        ("export", "--format", "datapackage", "-"),
        ("export", "--format", "json", "out.json"),
        ("export", "--format", "datapackage", "dir", "--metadata", "m.json"),
    ],
)
def test_usage_errors_exit_2(run, args):
    result = run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_an_unwritable_target_is_a_message_not_a_traceback(run, tmp_path):
    result = run("export", "--format", "sqlite", str(tmp_path / "missing" / "x.db"))
    assert result.exit_code == 1
    assert "cannot write" in result.stderr and "Traceback" not in result.output
    assert list(tmp_path.glob("missing*")) == []


# --- Datasette serves it ------------------------------------------------------------------


def datasette(database: Path, path: str) -> Any:
    pytest.importorskip("datasette")
    exe = Path(sys.executable).parent / "datasette"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "datasette"]
    meta = database.with_suffix(".metadata.json")
    result = subprocess.run(
        [*command, str(database), "--metadata", str(meta), "--get", path],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_datasette_serves_tables_with_labelled_links_and_search(database):
    sites = datasette(database, "/cgcli/sites.json?_shape=array&_labels=on")
    plant = next(s for s in sites if s["id"] == "jv-india-plant")
    assert plant["operator_venture"]["label"] == "Optiemus–Corning cover glass joint venture"
    assert plant["source"]["value"] == "jv-report"
    found = datasette(database, "/cgcli/companies.json?_search=gorilla&_shape=array")
    assert [r["id"] for r in found] == ["corning"]


# --- the data package ------------------------------------------------------------------


@pytest.fixture
def package(run, tmp_path: Path) -> Path:
    directory = tmp_path / "pkg"
    result = run("export", "--format", "datapackage", str(directory))
    assert result.exit_code == 0, result.output
    return directory


def test_the_package_validates_and_reads_back_the_records(package, stored):
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(package / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])
    bundle = frictionless.Package(package / "datapackage.json")
    for kind in KINDS:
        read = bundle.get_resource(kind).read_rows()
        assert [r["id"] for r in read] == [r["id"] for r in stored[kind]], kind
    (venture,) = bundle.get_resource("ventures").read_rows()
    assert venture["partners"] == stored["ventures"][0]["partners"]
    assert venture["goal_years"] == stored["ventures"][0]["goal_years"]


def test_the_descriptor_has_keys_constraints_licence_and_sources(package):
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["licenses"][0]["name"] == "MIT"
    assert descriptor["sources"] and "RFC 4180" in descriptor["description"]
    resources = {r["name"]: r for r in descriptor["resources"]}
    sites = resources["sites"]["schema"]
    assert sites["primaryKey"] == ["id"]
    status = next(f for f in sites["fields"] if f["name"] == "status")
    assert status["constraints"] == {"required": True, "enum": ["planned", "operating"]}
    refs = {(k["fields"][0], k["reference"]["resource"]) for k in sites["foreignKeys"]}
    assert refs == {
        ("operator_company", "companies"),
        ("operator_venture", "ventures"),
        ("source", "sources"),
    }
    assert all(f.get("description") for r in resources.values() for f in r["schema"]["fields"])


def test_a_broken_link_makes_the_package_invalid(package):
    frictionless = pytest.importorskip("frictionless")
    path = package / "venture_partners.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(",corning", ",nobody"), encoding="utf-8"
    )
    report = frictionless.validate(package / "datapackage.json")
    assert not report.valid
    assert any(error[0] == "foreign-key" for error in report.flatten(["type"]))


def test_csv_is_rfc_4180(package):
    raw = (package / "statements.csv").read_bytes()
    assert raw.count(b"\r\n") == len(raw.splitlines())
    header = raw.split(b"\r\n", 1)[0].decode()
    assert header.split(",")[:4] == ["id", "speaker", "speaker_person", "speaker_company"]


# --- untrusted text goes in and comes out exactly ---------------------------------------

_SOURCE = {"id": "src", "title": "A source", "kind": "test"}
_awkward = st.text(
    st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=40
).filter(lambda s: s.strip() != "")


def _facts(**fields: Any) -> Facts:
    company = {"id": "c1", "name": "C", "business": "B", "source": "src", **fields}
    return Facts(["t.toml"], {"sources": [_SOURCE], "companies": [company]}, {})


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=_awkward, items=st.lists(_awkward, max_size=3))
def test_any_text_round_trips_through_sqlite_and_csv(tmp_path, text, items):
    facts = _facts(name=text, note=text, aliases=items)
    target = tmp_path / "t.db"
    write_sqlite(facts, target)
    db = connect(target)
    row = db.execute("select name, note, aliases from companies").fetchone()
    db.close()
    assert (row["name"], row["note"], json.loads(row["aliases"])) == (text, text, items)
    write_datapackage(facts, tmp_path / "pkg")
    with open(tmp_path / "pkg" / "companies.csv", encoding="utf-8", newline="") as f:
        (read,) = list(csv.DictReader(f))
    assert (read["name"], read["note"], json.loads(read["aliases"])) == (text, text, items)


def test_hostile_text_stays_data_in_sql_csv_and_the_package(tmp_path):
    frictionless = pytest.importorskip("frictionless")
    hostile = 'x\'); drop table companies; --\r\n=HYPERLINK("http://e.invalid")\n"quoted", and ,'
    facts = _facts(name=hostile, business=hostile)
    write_sqlite(facts, tmp_path / "h.db")
    db = connect(tmp_path / "h.db")
    assert db.execute("select name from companies").fetchone()[0] == hostile
    package = write_datapackage(facts, tmp_path / "pkg")
    with open(tmp_path / "pkg" / "companies.csv", encoding="utf-8", newline="") as f:
        (read,) = list(csv.DictReader(f))
    assert read["business"] == hostile
    report = frictionless.validate(package)
    assert report.valid, report.flatten(["type", "note"])
    (row,) = frictionless.Package(package).get_resource("companies").read_rows()
    assert row["name"] == hostile


def test_layout_columns_cover_every_stored_field(stored):
    from cover_glass_cli.store import load

    layout = {t.name: t for t in tables(load())}
    for kind in KINDS:
        names = [c.name for c in layout[kind].columns]
        assert [n for n in names if n in {f.name for f in KINDS[kind]}] == [
            f.name for f in KINDS[kind]
        ]
        assert set(names) - {f.name for f in fields_of(kind)} <= {
            f"{f.name}_{t}" for f in KINDS[kind] for t in ("person", "company", "venture")
        }


def test_the_package_sources_are_the_pages_as_readers_know_them(package):
    """Each source with its web address, publisher and date; a title of ours is bracketed
    (the report's page shows no headline), never given as the page's own."""
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    sources = descriptor["sources"]
    report = sources[0]
    assert report["path"].startswith("https://www.business-standard.com/")
    assert report["title"] == (
        "[Optiemus partners with Corning International to produce smartphone glass] "
        "(Business Standard, 2023-09-01)"
    )
    assert len(sources) > 10 and all(s["path"].startswith("https://") for s in sources)


def test_the_writer_imports_only_the_standard_library_and_cgcli():
    import ast

    import cover_glass_cli.store.datasets as module

    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
    }
    assert imported <= set(sys.stdlib_module_names), imported - set(sys.stdlib_module_names)


def test_many_sources_make_a_short_footer(tmp_path):
    sources = [{"id": f"s{i}", "title": f"Source {i}", "kind": "test"} for i in range(10)]
    write_sqlite(Facts(["t.toml"], {"sources": sources}, {}), tmp_path / "s.db")
    meta = json.loads((tmp_path / "s.metadata.json").read_text(encoding="utf-8"))
    assert meta["source"] == "Source 0; Source 1; Source 2; and 7 more (the sources table)"
