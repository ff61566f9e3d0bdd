"""The README cannot drift: its generated blocks match the program, and its documented
JSON fields are exactly the fields the program prints."""

from __future__ import annotations

import re
import sys

from conftest import KINDS, REPO

from cover_glass_cli.domain.query import fields_of

sys.path.insert(0, str(REPO / "tools"))
import readme


def test_generated_blocks_are_current():
    text = readme.README.read_text(encoding="utf-8")
    assert readme.updated(text) == text, "README.md is out of date: run python tools/readme.py"


def test_documented_fields_match_the_json(run):
    text = readme.README.read_text(encoding="utf-8")
    for kind in KINDS:
        section = text.split(f"#### {kind}\n", 1)[1].split("####", 1)[0]
        documented = re.findall(r"^\| `(\w+)` \| (\w+) \|", section, re.M)
        assert [name for name, _ in documented] == [f.name for f in fields_of(kind)], kind
    for cmd, kind in (("exports", "exports"), ("companies", "companies"), ("sources", "sources")):
        (first, *_) = run.json(cmd, "--json")
        assert list(first) == [f.name for f in fields_of(kind)]


def test_readme_has_the_two_setup_commands_and_ci_runs_the_test_one():
    text = readme.README.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(python3 -m venv .*?)\n```", text)
    assert blocks[:2] == [
        "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/cgcli companies",
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest",
    ]
    assert blocks[1] in (REPO / ".ci" / "run").read_text()


def test_usage_shows_every_command():
    text = readme.README.read_text(encoding="utf-8")
    from cover_glass_cli.cli import COMMANDS

    usage = text.split("<!-- BEGIN help:  -->", 1)[1].split("<!-- END", 1)[0]
    for name in COMMANDS:
        assert f"  {name} " in usage, name


def test_no_example_shows_an_internal_error():
    """A walkthrough pasted while a bug was live showed four commands failing (exit 70)."""
    text = readme.README.read_text(encoding="utf-8")
    assert "This is a bug in cgcli" not in text
    assert not re.search(r"^cgcli: internal error:", text, re.M)
