"""Curation that never loses or hides anything: a second source's figure is a claim of its
own, replacing needs --replace and says so, writes go to the chain in use, every problem is
told at once, ranks are set from the command line, versions are kept and restorable."""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import run_exe, write_facts

ADD_PIB = ["facts", "add", "sources", "id=pib", "title=Press release", "kind=press release"]
ADD_90600 = [
    "facts",
    "add",
    "exports",
    "fy=2023",
    "value=90600",
    "unit=crore",
    "qualifier=exact",
    "source=pib",
]


def test_the_issue_scenario_adds_a_claim_beside_the_bundled_one(run, user_file):
    assert run(*ADD_PIB).exit_code == 0
    result = run(*ADD_90600)
    assert result.exit_code == 0, result.output
    assert "exports-fy2023 is taken by" in result.stderr and "exports-fy2023-pib" in result.stderr
    assert "5 claims" in result.stderr  # the report's, ICEA's three and the new one
    stored = tomllib.loads(user_file.read_text())["exports"]
    assert [r["id"] for r in stored] == ["exports-fy2023-pib"]
    rows = run.json("exports", "--fy", "2023", "--json", "--all-claims")
    values = {r["id"]: r["value"] for r in rows}
    assert (values["exports-fy2023"], values["exports-fy2023-pib"]) == (90000, 90600)
    # the bundled figure is still the one shown (preferred, the first), and not disputed
    (shown,) = run.json("exports", "--fy", "2023", "--json")
    assert (shown["id"], shown["claims"], shown["disputed"]) == ("exports-fy2023", 5, False)
    # running it again adds nothing: the data already holds that claim
    again = run(*ADD_90600)
    assert again.exit_code == 1 and "already holds this claim as exports-fy2023-pib" in again.stderr
    # the backup made by the add is labelled with the id the record was written under
    (newest, *_) = run.json("facts", "backups", "--json")
    assert newest["command"] == "facts add exports exports-fy2023-pib"


def test_replace_is_explicit_and_says_what_it_replaced(run, user_file):
    run(*ADD_PIB)
    result = run(*ADD_90600, "--replace")
    assert result.exit_code == 0, result.output
    assert (
        "replaces exports exports-fy2023 of" in result.stderr and "> ₹90,000 crore" in result.stderr
    )
    rows = run.json("exports", "--fy", "2023", "--json", "--all-claims")
    (row,) = [r for r in rows if r["id"] == "exports-fy2023"]
    assert (row["value"], row["source"]) == (90600, "pib")
    info = run.json("facts", "path", "--json")
    assert info["replaced"] == [
        {
            "kind": "exports",
            "id": "exports-fy2023",
            "file": str(user_file),
            "replaces": info["files"][0]["path"],
        }
    ]
    assert "exports exports-fy2023:" in run("facts", "path").stdout
    validated = run("validate")
    assert validated.exit_code == 0 and "exports exports-fy2023:" in validated.stderr


def test_add_with_facts_writes_and_checks_the_chain_in_use(run, user_file, tmp_path):
    mine = write_facts(
        tmp_path / "mine.toml",
        '[[sources]]\nid = "mine"\ntitle = "Mine"\nkind = "dataset"\n',
        version=2,
    )
    from cover_glass_cli.store import bundled_path

    chain = ["--facts", str(bundled_path()), "--facts", str(mine)]
    args = [
        "facts",
        "add",
        "exports",
        "fy=2025",
        "value=1,00,000",
        "unit=crore",
        "qualifier=over",
        "source=mine",
    ]
    result = run(*chain, *args)
    assert result.exit_code == 0, result.output
    assert f"to {mine} (file 2 of 2 in use)" in result.stderr
    assert not user_file.exists()  # not the default file, which this chain does not read
    rows = run.json(*chain, "exports", "--fy", "2025", "--json", "--all-claims")
    (row,) = [r for r in rows if r["source"] == "mine"]
    assert row["value"] == 100000 and isinstance(row["value"], int)
    # a file named with --to outside the chain: written, and said plainly
    other = tmp_path / "other.toml"
    result = run(*chain, *args[:-1], "source=jv-report", "--to", str(other))
    assert result.exit_code == 0, result.output
    assert "NOT among the files in use" in result.stderr


def test_every_problem_of_one_add_is_reported_at_once(run, user_file):
    run("facts", "init")
    before = user_file.read_text()
    result = run(
        "facts",
        "add",
        "exports",
        "fy=2024",
        "value=1,2,3",
        "quarter=x",
        "unit=parsecs",
        "qualifier=over",
        "source=nobody",
    )
    assert result.exit_code == 2
    err = result.stderr
    for expected in (
        "value: '1,2,3'",
        "quarter: 'x' is not a number",
        "unit",
        "parsecs",
        "no sources record has id 'nobody'",
    ):
        assert expected in err, expected
    assert user_file.read_text() == before


@pytest.mark.parametrize(
    ("raw", "stored"), [("1,00,000", 100000), ("90,600", 90600), ("128000", 128000), ("12.5", 12.5)]
)
def test_numbers_as_people_write_them(run, user_file, raw, stored):
    result = run(
        "facts",
        "add",
        "exports",
        "fy=2011",
        f"value={raw}",
        "unit=crore",
        "qualifier=over",
        "source=jv-report",
    )
    assert result.exit_code == 0, result.output
    (record,) = tomllib.loads(user_file.read_text())["exports"]
    assert record["value"] == stored and type(record["value"]) is type(stored)


def q1(run, *more: str) -> list[dict]:
    """The rows of Q1 FY2024: the report's alone in the bundled data."""
    rows = run.json("exports", "--fy", "2024", "--json", *more)
    return [r for r in rows if r["quarter"] == 1]


ADD_Q1 = [*ADD_90600[:3], "fy=2024", "quarter=1", "unit=crore", "qualifier=exact", "source=pib"]


def test_rank_overrides_a_bundled_claim_and_changes_an_own_one_in_place(run, user_file):
    run(*ADD_PIB)
    run(*ADD_Q1, "value=25000")  # the report: over 30,000
    (row,) = q1(run)
    assert row["disputed"]
    result = run("facts", "rank", "exports-fy2024-q1-pib", "preferred", "--reason", "official")
    assert result.exit_code == 0, result.output
    assert "set the rank of exports exports-fy2024-q1-pib to preferred" in result.stderr
    (row,) = q1(run)
    assert (row["id"], row["rank"], row["rank_reason"], row["disputed"]) == (
        "exports-fy2024-q1-pib",
        "preferred",
        "official",
        False,
    )
    result = run("facts", "rank", "exports-fy2024-q1", "deprecated", "--reason", "superseded")
    assert result.exit_code == 0, result.output
    assert (
        "wrote an override of exports exports-fy2024-q1" in result.stderr
        and "every field" in result.stderr
    )
    every = {r["id"]: r for r in q1(run, "--all-claims")}
    assert (
        every["exports-fy2024-q1"]["rank"] == "deprecated"
        and every["exports-fy2024-q1"]["value"] == 30000
    )
    assert every["exports-fy2024-q1"]["note"]  # every field copied
    assert run("validate").exit_code == 0
    assert run("facts", "rank", "no-such", "preferred").exit_code == 1


def test_add_takes_a_rank(run, user_file):
    run(*ADD_PIB)
    result = run(*ADD_Q1, "value=31000", "rank=preferred", "rank_reason=official")
    assert result.exit_code == 0, result.output
    (row,) = q1(run)
    assert (row["id"], row["rank"]) == ("exports-fy2024-q1-pib", "preferred")
    bad = run(*ADD_90600[:4], "value=1", "unit=crore", "qualifier=over", "source=pib", "rank=best")
    assert bad.exit_code == 1 and "preferred, normal, deprecated" in bad.stderr


def test_backups_keep_five_versions_and_restore(run, user_file):
    run("facts", "init")
    for n in range(7):
        assert (
            run(
                "facts",
                "add",
                "customers",
                f"id=c{n}",
                "supplier=optiemus",
                f"name=N{n}",
                "source=jv-report",
            ).exit_code
            == 0
        )
    # Backups keep their number: 1 was made by the first add, 7 by the last; 5 are kept.
    names = sorted(p.name for p in user_file.parent.glob("facts.toml.bak.?"))
    assert names == [f"facts.toml.bak.{n}" for n in range(3, 8)]
    assert "c5" in user_file.with_name("facts.toml.bak.7").read_text()
    assert "c6" not in user_file.with_name("facts.toml.bak.7").read_text()
    listed = run("facts", "backups", "--json")
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert [r["id"] for r in rows] == [7, 6, 5, 4, 3]
    assert rows[0]["command"] == "facts add customers c6"
    assert rows[0]["path"] == str(user_file.with_name("facts.toml.bak.7"))
    table = run("facts", "backups")
    assert "facts add customers c6" in table.stdout
    latest = user_file.read_text()
    result = run("facts", "restore", "6")
    assert result.exit_code == 0, result.output
    assert "c4" in user_file.read_text() and "c5" not in user_file.read_text()
    # the restore can be undone: the version it replaced is backup 8, made by the restore
    assert user_file.with_name("facts.toml.bak.8").read_text() == latest
    assert run("facts", "backups", "--json").stdout.count('"facts restore 6"') == 1
    assert run("facts", "restore", "1").exit_code == 1  # dropped long ago


def test_a_rejected_edit_is_kept_and_its_lines_point_into_it(run, user_file, tmp_path):
    run("facts", "init")
    before = user_file.read_text()
    bad = tmp_path / "bad.py"
    bad.write_text("import sys\nopen(sys.argv[1], 'a').write('\\n[[customers]]\\nid = 5\\n')\n")
    result = run("facts", "edit", env={"EDITOR": f"{sys.executable} {bad}"})
    assert result.exit_code == 1
    rejected = user_file.with_name("facts.toml.rejected")
    assert str(rejected) in result.stderr and user_file.read_text() == before
    text = rejected.read_text()
    line = next(
        int(err.split(":")[1])
        for err in result.stderr.splitlines()
        if err.startswith(f"{rejected}:") and "id: expected a string" in err
    )
    assert text.splitlines()[line - 1].startswith("id = 5")


def test_the_installed_command_adds_a_claim(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path / "d"), "XDG_CACHE_HOME": str(tmp_path / "c")}
    assert run_exe(*ADD_PIB, env=env).returncode == 0
    done = run_exe(*ADD_90600, env=env)
    assert done.returncode == 0, done.stderr
    assert "exports-fy2023-pib" in done.stderr
    data = tomllib.loads(Path(tmp_path / "d" / "cgcli" / "facts.toml").read_text())
    assert data["schema_version"] == 2


def test_restore_puts_the_backup_back_byte_for_byte(run, user_file):
    """Nothing the user wrote is lost, not even bytes that are not UTF-8."""
    assert run("facts", "init").exit_code == 0
    original = user_file.read_bytes() + b"# caf\xe9 notes\n"
    user_file.write_bytes(original)
    assert run("facts", "init", "--force").exit_code == 0
    result = run("facts", "restore", "1")
    assert result.exit_code == 0, result.output
    assert user_file.read_bytes() == original
    assert "not UTF-8" in result.stderr  # and it says what is wrong with it now


def test_a_taken_id_of_a_kind_without_claims_is_refused_not_renamed(run, user_file):
    """A second 'corning' company would be another company, not a claim about Corning."""
    args = ("facts", "add", "companies", "id=corning", "name=Corning 2", "business=x")
    result = run(*args, "source=jv-report")
    assert result.exit_code == 1
    assert "corning is taken by companies corning" in result.stderr and "--replace" in result.stderr
    assert [c["id"] for c in run.json("companies", "--json")] == ["optiemus", "corning"]
