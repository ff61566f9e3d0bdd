"""`facts remove` and `facts rank` by index (store/inplace.py) against the whole check,
on fact files written the many ways a person may write TOML: whatever the file, the
command with a warm cache says and writes exactly what it says and writes without one,
and the cache it leaves is the one a rebuild makes."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cover_glass_cli.domain.facts import SCHEMA_VERSION

from .test_facts_quick import assert_no_half_change


@dataclass
class Style:
    """How one record is written: each choice is one a curator may make by hand."""

    header: str  # the [[exports]] line
    quote: str  # how the id's string is written
    key_quote: bool  # "id" = ... instead of id = ...
    comments: bool  # a comment line inside the record and one after a value
    blank_before: bool
    note: str | None  # a note, and how it is written
    inferred: str | None  # an inferred list, and how it is written
    order: int  # a rotation of the key order


HEADERS = ["[[exports]]", "  [[ exports ]]", "[[exports]]  # a record", "[[ exports]]"]
QUOTES = ['"{}"', "'{}'"]
NOTES = [
    'note = "a plain note"',
    "note = 'a literal note with \"quotes\"'",
    'note = """\nspans lines\n[[exports]]\nid = "m1"\n"""',
    "note = '''\nraw [[exports]] text\n'''",
    'note = "holds # and [[exports]] and id = \\"m2\\""',
]
INFERRED = ['inferred = ["value"]', 'inferred = [\n  "value",  # the figure\n]']

styles = st.builds(
    Style,
    header=st.sampled_from(HEADERS),
    quote=st.sampled_from(QUOTES),
    key_quote=st.booleans(),
    comments=st.booleans(),
    blank_before=st.booleans(),
    note=st.none() | st.sampled_from(NOTES),
    inferred=st.none() | st.sampled_from(INFERRED),
    order=st.integers(0, 7),
)


def record(i: int, style: Style) -> str:
    rid = style.quote.format(f"m{i}")
    lines = [
        f"{chr(34) + 'id' + chr(34) if style.key_quote else 'id'} = {rid}",
        f'country = "Land {i}"',
        'product = "glass"',
        "fy = 2020",
        f"value = {i + 1}" + ("  # crore" if style.comments else ""),
        'unit = "INR crore"',
        'qualifier = "exact"',
        'source = "mine"',
    ]
    lines += [x for x in (style.note, style.inferred) if x]
    lines = lines[style.order % len(lines) :] + lines[: style.order % len(lines)]
    if style.comments:
        lines.insert(1, "# checked against the table")
    return ("\n" if style.blank_before else "") + style.header + "\n" + "\n".join(lines) + "\n"


def fact_file(records: list[Style], crlf: bool) -> bytes:
    text = f"schema_version = {SCHEMA_VERSION}\n\n"
    text += '[[sources]]\nid = "mine"\ntitle = "My figures"\nkind = "dataset"\n\n'
    text += "".join(record(i, style) for i, style in enumerate(records))
    text += "# the end\n"
    return (text.replace("\n", "\r\n") if crlf else text).encode()


CHANGES = st.sampled_from(
    [
        ["remove"],
        ["rank", "deprecated", "--reason", "superseded"],
        ["rank", "preferred"],
    ]
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    records=st.lists(styles, min_size=1, max_size=5),
    crlf=st.booleans(),
    target=st.integers(0, 4),
    change=CHANGES,
)
def test_by_index_says_and_writes_what_the_whole_check_does(
    run, user_file: Path, clean_env: Path, records, crlf, target, change
):
    before = fact_file(records, crlf)
    rid = f"m{target % len(records)}"
    command = ["facts", change[0], rid, *change[1:]]
    user_file.parent.mkdir(parents=True, exist_ok=True)

    def fresh() -> None:  # the file as generated; no cache, no backups of earlier runs
        shutil.rmtree(clean_env / "cache", ignore_errors=True)
        shutil.rmtree(user_file.parent)
        user_file.parent.mkdir(parents=True)
        user_file.write_bytes(before)

    fresh()
    cold = run(*command, env={"CGCLI_NO_CACHE": "1"})
    cold_file = user_file.read_bytes()

    fresh()
    assert run("exports", "--json").exit_code == 0  # the cache, warm
    warm = run(*command)
    assert (warm.exit_code, warm.stderr) == (cold.exit_code, cold.stderr)
    assert user_file.read_bytes() == cold_file
    if cold.exit_code == 0:
        assert cold_file != before
    assert_no_half_change()  # no cache, or the one a rebuild makes: never a stale one


@pytest.mark.parametrize("note", NOTES)
def test_each_note_style_is_a_valid_file(run, user_file: Path, clean_env: Path, note):
    """The generator above writes files cgcli reads: a failing example is a finding,
    not a file the whole check refuses."""
    style = Style(HEADERS[1], QUOTES[1], True, True, True, note, INFERRED[1], 3)
    user_file.parent.mkdir(parents=True, exist_ok=True)
    user_file.write_bytes(fact_file([style, style], crlf=True))
    result = run("exports", "--country", "Land 1", "--json")
    assert result.exit_code == 0, result.stderr
