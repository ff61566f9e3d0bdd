"""cgcli facts path|init|add|edit: the user's fact file, checked before it is written."""

from __future__ import annotations

import json
import sys
import tomllib

import pytest
from conftest import ADD_FY2024, run_exe, write_facts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cover_glass_cli.domain.validation import unsafe_character


def test_init_creates_a_valid_commented_file(run, user_file):
    result = run("facts", "init")
    assert result.exit_code == 0, result.output
    text = user_file.read_text()
    assert text.startswith("# Your own cgcli facts.")
    assert tomllib.loads(text) == {"schema_version": 2}
    assert run("validate", str(user_file)).exit_code == 0


def test_init_never_overwrites_without_force(run, user_file):
    run("facts", "init")
    user_file.write_text(user_file.read_text() + "# mine\n")
    result = run("facts", "init")
    assert result.exit_code == 1 and "--force" in result.stderr
    assert user_file.read_text().endswith("# mine\n")
    result = run("facts", "init", "--force")
    assert result.exit_code == 0
    assert not user_file.read_text().endswith("# mine\n")
    kept = user_file.with_name("facts.toml.bak.1")
    assert kept.read_text().endswith("# mine\n")
    assert str(kept) in result.stderr  # says where the old file is


def test_add_appends_and_keeps_what_the_user_wrote(run, user_file):
    run("facts", "init")
    user_file.write_text(user_file.read_text() + "\n# my own note, kept\n")
    result = run(*ADD_FY2024)
    assert result.exit_code == 0, result.output
    text = user_file.read_text()
    assert "# my own note, kept" in text and text.startswith("# Your own cgcli facts.")
    row = next(
        r
        for r in run.json("exports", "--fy", "2024", "--json", "--all-claims")
        if r["id"] == "exports-fy2024"
    )
    assert (row["id"], row["value"], row["unit"], row["qualifier"]) == (
        "exports-fy2024",
        128000,
        "INR crore",
        "over",
    )
    assert user_file.with_name("facts.toml.bak.1").exists()


def test_the_issue_example_works_as_written(run, user_file):
    assert (
        run("facts", "add", "sources", "id=my-report", "title=My figures", "kind=dataset").exit_code
        == 0
    )
    result = run(
        "facts",
        "add",
        "exports",
        "fy=2024",
        "value=128000",
        "unit=crore",
        "qualifier=over",
        "source=my-report",
    )
    assert result.exit_code == 0, result.output
    assert "country = 'India' (the default" in result.stderr
    row = next(
        r
        for r in run.json("exports", "--fy", "FY24", "--json", "--all-claims")
        if r["id"] == "exports-fy2024"
    )
    assert (row["country"], row["product"], row["source"]) == (
        "India",
        "mobile phones",
        "my-report",
    )


def test_add_without_init_creates_the_file(run, user_file):
    assert not user_file.exists()
    assert run(*ADD_FY2024).exit_code == 0
    assert tomllib.loads(user_file.read_text())["exports"][0]["fy"] == 2024


def test_user_record_with_a_bundled_id_replaces_it_with_replace(run, user_file):
    result = run(
        "facts",
        "add",
        "value_addition",
        "id=va-india",
        "country=India",
        "value=18",
        "unit=percent",
        "qualifier=approximate",
        "scope=overall local value addition",
        "source=jv-report",
        "--replace",
    )
    assert result.exit_code == 0, result.output
    assert "replaces value_addition va-india of" in result.stderr
    rows = run.json("value-addition", "--json", "--all-claims")
    replaced = [r for r in rows if r["id"] == "va-india"]
    assert [(r["value"], r["scope"]) for r in replaced] == [(18, "overall local value addition")]
    assert len({r["id"] for r in rows}) == len(rows)  # replaced, not added beside


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [
                "exports",
                "fy=2024",
                "value=1",
                "unit=crore",
                "qualifier=over",
                "country=India",
                "product=x",
                "source=nobody",
            ],
            "no sources record has id 'nobody'",
        ),
        (
            [
                "exports",
                "fy=2024",
                "valu=1",
                "unit=crore",
                "qualifier=over",
                "country=India",
                "product=x",
                "source=jv-report",
            ],
            "did you mean value?",
        ),
        (
            [
                "value_addition",
                "id=v",
                "country=X",
                "low=30",
                "high=20",
                "unit=percent",
                "qualifier=range",
                "source=jv-report",
            ],
            "low (30) is greater than high (20)",
        ),
        (
            ["companies", "id=corning2", "name=X", "source=jv-report"],
            "cgcli: business: missing",
        ),
    ],
)
def test_add_rejects_invalid_records_and_changes_nothing(run, user_file, args, message):
    run("facts", "init")
    before = user_file.read_text()
    result = run("facts", "add", *args)
    assert result.exit_code == 1
    assert message in result.stderr and "unchanged" in result.stderr
    assert user_file.read_text() == before


def test_add_usage_errors(run):
    assert run("facts", "add", "widgets", "id=x").exit_code == 2
    assert run("facts", "add", "exports", "novalue").exit_code == 2
    assert run("facts", "add", "exports", "fy=20x4").exit_code == 2
    assert run("facts", "add", "customers", "name=x").exit_code == 2  # no id


def test_facts_path_lists_the_chain(run, user_file):
    info = run.json("facts", "path", "--json")
    assert [f["origin"] for f in info["files"]] == ["bundled"]
    assert info["user_file"] == str(user_file)
    run("facts", "init")
    info = run.json("facts", "path", "--json")
    assert [f["origin"] for f in info["files"]] == ["bundled", "user"]
    assert "bundled" in run("facts", "path").stdout
    run("facts", "add", "customers", "id=c9", "supplier=optiemus", "name=Nokia", "source=jv-report")
    files = run.json("facts", "path", "--json")["files"]
    everything = run.json("export")
    total = sum(len(v) for k, v in everything.items() if k != "schema_version")
    assert files[1]["records_in_use"] == 1
    assert files[0]["records_in_use"] + files[1]["records_in_use"] == total


def test_edit_saves_only_a_valid_result(run, user_file, tmp_path):
    run("facts", "init")
    good = tmp_path / "good.py"
    good.write_text(
        "import sys\np = sys.argv[1]\nopen(p, 'a').write(\n"
        '\'\\n[[customers]]\\nid = "c1"\\nsupplier = "optiemus"\\nname = "Nokia"\\n'
        'source = "jv-report"\\n\')\n'
    )
    result = run("facts", "edit", env={"EDITOR": f"{sys.executable} {good}"})
    assert result.exit_code == 0, result.output
    assert "Nokia" in [c["name"] for c in run.json("customers", "--json")]

    bad = tmp_path / "bad.py"
    bad.write_text("import sys\nopen(sys.argv[1], 'a').write('\\n[[customers]]\\nid = 5\\n')\n")
    before = user_file.read_text()
    result = run("facts", "edit", env={"EDITOR": f"{sys.executable} {bad}"})
    assert result.exit_code == 1
    assert "customers[1].id: expected a string" in result.stderr and "unchanged" in result.stderr
    assert user_file.read_text() == before


@pytest.mark.parametrize("args", [["facts", "init"], ADD_FY2024, ["facts", "edit"]])
def test_a_file_in_the_way_of_the_folder_is_a_clear_error(run, tmp_path, args):
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    result = run(*args, env={"XDG_DATA_HOME": str(blocker), "EDITOR": "true"})
    assert result.exit_code == 1
    assert "cannot write in" in result.stderr


def test_file_changed_under_the_write(run, user_file, monkeypatch):
    from cover_glass_cli.store import records

    run("facts", "init")
    original = records.found_problems

    def meddling(path, text):
        user_file.write_text(user_file.read_text() + "\n# someone else's edit\n")
        return original(path, text)

    monkeypatch.setattr(records, "found_problems", meddling)
    result = run(*ADD_FY2024)
    assert result.exit_code == 1 and "changed while being updated" in result.stderr
    assert user_file.read_text().endswith("# someone else's edit\n")


names = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() and not s.startswith("-") and unsafe_character(s) is None)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=names, sector=names, value=st.integers(0, 10**12) | st.floats(0, 1e12, allow_nan=False))
def test_added_records_load_back_unchanged(run, user_file, name, sector, value):
    if user_file.exists():
        user_file.unlink()
    result = run(
        "facts",
        "add",
        "customers",
        "id=h1",
        "supplier=optiemus",
        f"name={name}",
        f"sector={sector}",
        "source=jv-report",
    )
    assert result.exit_code == 0, result.output
    row = next(c for c in run.json("customers", "--json") if c["id"] == "h1")
    assert (row["name"], row["sector"]) == (name, sector)
    result = run(
        "facts",
        "add",
        "exports",
        f"value={value!r}",
        "fy=2010",
        "unit=INR crore",
        "qualifier=exact",
        "country=India",
        "product=phones",
        "source=jv-report",
    )
    assert result.exit_code == 0, result.output
    (row,) = run.json("exports", "--fy", "2010", "--json")
    assert row["value"] == value


def test_installed_command_honours_xdg_data_home(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg")}
    assert run_exe("facts", "init", env=env).returncode == 0
    info = json.loads(run_exe("facts", "path", "--json", env=env).stdout)
    assert info["user_file"] == str(tmp_path / "xdg" / "cgcli" / "facts.toml")
    assert (tmp_path / "xdg" / "cgcli" / "facts.toml").exists()


def test_a_figure_for_a_year_not_yet_ended_needs_an_estimate_or_forecast_status(run, user_file):
    """Issue 22: `facts add exports fy=2099 ...` is not taken as a figure of a year that
    has ended: it needs status=estimate or status=forecast."""
    line = ("facts", "add", "exports", "fy=2099", "value=5", "qualifier=exact", "unit=crore")
    refused = run(*line, "source=jv-report")
    assert refused.exit_code == 2
    assert "status: added today, before FY2099 ended (2099-03-31)" in refused.stderr
    assert not user_file.exists()
    added = run(*line, "source=jv-report", "status=forecast")
    assert added.exit_code == 0, added.output
    past = run(
        "facts",
        "add",
        "exports",
        "fy=2011",
        "value=5",
        "qualifier=exact",
        "unit=crore",
        "source=jv-report",
    )
    assert past.exit_code == 0, past.output


def test_a_refused_add_speaks_of_the_new_record_by_its_fields(run, user_file):
    """The new record's problems name its fields, as typed, never a line of a file that
    does not hold it; a problem of a record already in the file keeps its FILE:LINE."""
    user_file.parent.mkdir(parents=True, exist_ok=True)
    write_facts(
        user_file,
        """\
        [[exports]]
        id = "old"
        country = "India"
        product = "mobile phones"
        fy = 2019
        value = 5
        unit = "INR crore"
        source = "jv-report"
        """,
    )
    before = user_file.read_text()
    result = run(
        "facts", "add", "exports", "fy=2018", "value=12", "unit=dollars", "source=nope",
        "qualifier=exact",
    )  # fmt: skip
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "cgcli: unit: unknown value 'dollars'" in "\n".join(lines)
    (old,) = [line for line in lines if "qualifier" in line]  # the file's own record
    assert old.startswith(f"{user_file}:") and "exports[0].qualifier" in old
    assert not any("exports[1]" in line for line in lines)
    assert user_file.read_text() == before


def test_a_bad_field_is_not_also_blamed_for_the_missing_default_id(run, user_file):
    result = run("facts", "add", "exports", "fy=2200", "value=1", "unit=INR crore", "source=pib")
    assert result.exit_code == 2
    assert "2200 is not a plausible fiscal year" in result.stderr
    assert "id=..." not in result.stderr  # the id is made from fy once fy is right
    customers = run("facts", "add", "customers", "name=x", "supplier=optiemus", "source=nope")
    assert customers.exit_code == 2 and "give the new customers record an id=" in customers.stderr


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("big = " + "1" * 5000, "a number of 5,000 digits"),
        ("x = " + "[" * 3000 + "]" * 3000, "nested over 16 deep"),
    ],
)
def test_add_to_a_hostile_file_is_refused_with_its_problem(run, user_file, body, said):
    """The add's own look at the file parses it as the loader does: shape first, so a
    number or a nesting no parser should be given is a problem of the file, not a crash."""
    user_file.parent.mkdir(parents=True, exist_ok=True)
    write_facts(user_file, body + "\n")
    before = user_file.read_bytes()
    result = run(*ADD_FY2024)
    assert result.exit_code == 1, result.output
    assert said in result.stderr and "internal error" not in result.stderr
    assert user_file.read_bytes() == before
