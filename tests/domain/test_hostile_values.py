"""Values no fact needs are refused at validation, with FILE:LINE: key and the character,
number or depth named; and no message can fail to format (huge ints, deep lists)."""

from __future__ import annotations

import json
import re
import time

import pytest
from conftest import EXPORT, SOURCE, write_facts
from hypothesis import given, settings
from hypothesis import strategies as st

from cover_glass_cli.domain import records, validation
from cover_glass_cli.domain.records import validate_record
from cover_glass_cli.domain.validation import (
    MAX_PROBLEMS,
    check_depth,
    show_number,
    unsafe_character,
)

COMPANY = """
[[companies]]
id = "acme"
name = "Acme"
business = "glass"
source = "src"
"""


def problems(run, path) -> list[str]:
    result = run("validate", "--alone", str(path))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.stderr.splitlines()[:-1]  # the last line counts them


def toml_string(text: str) -> str:
    """TEXT as a TOML basic string, each character but ASCII letters and digits escaped."""
    return (
        '"' + "".join(c if c.isascii() and c.isalnum() else f"\\U{ord(c):08x}" for c in text) + '"'
    )


# (character, how the message names it)
REFUSED = [
    ("\x1b", "U+001B ESC"),
    ("\x00", "U+0000 NUL"),
    ("\x07", "U+0007 BEL"),
    ("\r", "U+000D CR"),
    ("\x7f", "U+007F DEL"),
    ("\x85", "U+0085 NEL"),
    ("\x9b", "U+009B CSI"),
    ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("\u2067", "U+2067 RIGHT-TO-LEFT ISOLATE"),
    ("\u200f", "U+200F RIGHT-TO-LEFT MARK"),
    ("\u061c", "U+061C ARABIC LETTER MARK"),
    ("\ufdd0", "U+FDD0 noncharacter"),
    ("\ufffe", "U+FFFE noncharacter"),
    ("\U0001ffff", "U+1FFFF noncharacter"),
    ("\U0010fffe", "U+10FFFE noncharacter"),
]


@pytest.mark.parametrize(("char", "named"), REFUSED)
def test_refused_in_a_string_a_list_item_and_a_key(run, tmp_path, char, named):
    bad = toml_string(f"Ac{char}me")
    body = SOURCE + COMPANY.replace('name = "Acme"', f'name = {bad}\naliases = ["ok", {bad}]')
    body += f"{bad} = 1\n"  # a key
    path = write_facts(tmp_path / "f.toml", body)
    lines = problems(run, path)
    # schema_version, a blank line, SOURCE (5 lines: blank, header, 3 keys), a blank, [[companies]], id
    assert f"{path}:11: companies[0].name: contains {named} at character 3" in lines
    assert f"{path}:12: companies[0].aliases: item 2 contains {named} at character 3" in lines
    assert any(
        line.startswith(f"{path}:15: companies[0].Ac")
        and f"a key that contains {named} at character 3" in line
        for line in lines
    ), lines


def test_refused_in_an_id_and_a_kind_name(run, tmp_path):
    path = write_facts(
        tmp_path / "f.toml",
        SOURCE.replace('id = "src"', 'id = "src\\u001b[2J"') + '\n["x\\u202ey"]\na = 1\n',
    )
    text = "\n".join(problems(run, path))
    assert "sources[0].id: contains U+001B ESC at character 4" in text
    assert "ids use lower case" not in text  # one message for one fault
    assert "x\\u202ey: a key that contains U+202E RIGHT-TO-LEFT OVERRIDE at character 2" in text
    assert "\x1b" not in text and "\u202e" not in text


@pytest.mark.parametrize("char", ["\n", "\t"])
def test_newline_and_tab_only_in_long_text(run, tmp_path, char):
    escaped = json.dumps(f"one{char}two")
    body = SOURCE + COMPANY.replace('business = "glass"', f"business = {escaped}")
    body = body.replace('source = "src"', f'source = "src"\nnote = {escaped}', 1)
    ok = write_facts(tmp_path / "ok.toml", body)
    assert run("validate", "--alone", str(ok)).exit_code == 0
    bad = write_facts(tmp_path / "bad.toml", body.replace('name = "Acme"', f"name = {escaped}"))
    (line,) = [p for p in problems(run, bad) if ".name:" in p]
    assert line.endswith(f"companies[0].name: contains {validation.char_name(char)} at character 4")


def test_lone_surrogates_are_refused():
    # TOML cannot write one, but `facts add` takes text from the command line.
    record = {"id": "a", "name": "x\udcff", "business": "b", "source": "s"}
    assert validate_record("companies", record) == [
        ("name", "contains U+DCFF lone surrogate at character 2")
    ]


def test_safe_unicode_is_accepted():
    for text in (
        "Optiemus–Corning",
        "₹90,000 crore",
        "Ça\u00a0va",
        "中国",
        "emoji 👍🏽",
        "a\u200db",
    ):
        assert unsafe_character(text) is None, text
    record = {
        "id": "a",
        "name": "Ça\u00a0va",
        "aliases": ["x\u00a0y"],
        "business": "b",
        "source": "s",
    }
    assert validate_record("companies", record) == []


# --- numbers -----------------------------------------------------------------------------

HUGE = "1" + "0" * 60  # below the pre-parse limit on bare values: validation must cope


@pytest.mark.parametrize(
    ("body", "key", "fragment"),
    [
        (
            SOURCE + COMPANY + f"founded = {HUGE}\n",
            "companies[0].founded",
            "1000000000… (61 digits) is",
        ),
        (SOURCE + EXPORT.replace("fy = 2023", f"fy = {HUGE}"), "exports[0].fy", "(61 digits) is"),
        (
            SOURCE + EXPORT.replace("fy = 2023", f"fy = 2023\nquarter = -{HUGE}"),
            "exports[0].quarter",
            "-1000000000… (61 digits)",
        ),
        (
            SOURCE + EXPORT.replace("value = 10", f"value = {HUGE}"),
            "exports[0].value",
            "(61 digits) is too large",
        ),
        (
            SOURCE + EXPORT.replace("value = 10", f"value = 10\ngrowth_pct = {HUGE}"),
            "exports[0].growth_pct",
            "(61 digits) is too large",
        ),
        (
            SOURCE
            + '[[market_facts]]\nid = "m"\nsubject = "s"\ntopic = "t"\nstatement = "x"\n'
            + f'position = {HUGE}\nsource = "src"\n',
            "market_facts[0].position",
            "(61 digits)",
        ),
        (
            SOURCE
            + '[[market_facts]]\nid = "m"\nsubject = "s"\ntopic = "t"\nstatement = "x"\n'
            + 'position = 0\nsource = "src"\n',
            "market_facts[0].position",
            "0 is not a position",
        ),
    ],
)
def test_out_of_range_numbers_have_a_line_and_a_safe_message(run, tmp_path, body, key, fragment):
    path = write_facts(tmp_path / "f.toml", body)
    lines = [line for line in problems(run, path) if f": {key}: " in line]
    assert lines and all(re.match(rf"{re.escape(str(path))}:\d+: ", line) for line in lines)
    assert any(fragment in line for line in lines), lines
    assert all(len(line) < 300 for line in lines)


def test_goal_years_out_of_range():
    record = {
        "id": "v",
        "name": "n",
        "kind": "k",
        "partners": [],
        "country": "c",
        "goal_years": 10**400,
        "source": "s",
    }
    found = dict(validate_record("ventures", record))
    assert found["goal_years"].startswith("1000000000… (401 digits)")
    record["goal_years"] = 0
    assert "not a number of years" in dict(validate_record("ventures", record))["goal_years"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (2023, "2023"),
        (-5, "-5"),
        (10**400, "1000000000… (401 digits)"),
        (-(10**20), "-1000000000… (21 digits)"),
        (1.5e300, "1.5e+300"),
        (float("nan"), "nan"),
    ],
)
def test_show_number(value, shown):
    assert show_number(value) == shown


def test_show_number_past_the_int_to_text_limit():
    assert show_number(10**5000) == "a number of about 5,001 digits"


@settings(max_examples=200, deadline=None)
@given(
    kind_field=st.sampled_from(
        [
            ("exports", "fy"),
            ("exports", "quarter"),
            ("exports", "value"),
            ("exports", "growth_pct"),
            ("companies", "founded"),
            ("market_facts", "position"),
            ("ventures", "goal_years"),
            ("value_addition", "low"),
        ]
    ),
    value=st.integers() | st.integers(min_value=10**15, max_value=10**4000) | st.floats(),
)
def test_any_number_gives_a_message_never_an_exception(kind_field, value):
    kind, field = kind_field
    record = {"id": "x", field: value}
    for message in (m for _, m in validate_record(kind, record)):
        assert len(message) < 300


# --- depth and counts --------------------------------------------------------------------


def test_check_depth_is_iterative_and_bounded():
    deep: list[object] = []
    for _ in range(20_000):
        deep = [deep]
    assert check_depth(deep, 16) == "lists or tables nested more than 16 deep"
    assert check_depth(["a", "b"], 1) is None
    assert check_depth([["a"]], 1) is not None
    assert check_depth({"a": {"b": [1]}}, 3) is None
    cycle: list[object] = []
    cycle.append(cycle)
    assert check_depth(cycle, 16) is not None  # a cycle is as deep as any limit


def test_validation_refuses_deep_values():
    deep: list[object] = ["alias"]
    for _ in range(20_000):
        deep = [deep]
    record = {"id": "a", "name": "A", "business": "b", "source": "s", "aliases": deep}
    assert validate_record("companies", record) == [
        ("aliases", "lists or tables nested more than 16 deep")
    ]


def test_problems_are_capped_per_file(run, tmp_path):
    keys = "".join(f"unknown{i} = 1\n" for i in range(5000))
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY + keys)
    started = time.perf_counter()
    result = run("validate", "--alone", str(path))
    assert time.perf_counter() - started < 2
    lines = result.stderr.splitlines()
    assert len(lines) == MAX_PROBLEMS + 2  # the problems, "... and N more", the count
    assert lines[-2].endswith(f"… and {5000 - MAX_PROBLEMS:,} more problems")
    assert lines[0].startswith(f"{path}:") and "(did you mean" not in lines[-3]


def test_reference_problems_are_capped(run, tmp_path):
    customers = "".join(
        f'[[customers]]\nid = "c{i}"\nsupplier = "nobody{i}"\nname = "n"\nsource = "src"\n'
        for i in range(3000)
    )
    path = write_facts(tmp_path / "f.toml", SOURCE + customers)
    started = time.perf_counter()
    lines = problems(run, path)
    assert time.perf_counter() - started < 2
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[-1].endswith(f"… and {3000 - MAX_PROBLEMS:,} more problems")
    assert lines[0].startswith(f"{path}:") and ".supplier: no companies record has id" in lines[0]


@settings(max_examples=300, deadline=None)
@given(
    field=st.sampled_from(["name", "business", "note", "id", "role"]),
    value=st.text(st.characters(blacklist_categories=()), min_size=1, max_size=8),
    alias=st.text(st.characters(blacklist_categories=()), min_size=1, max_size=8),
)
def test_fast_path_never_accepts_an_unsafe_character(field, value, alias):
    record = {"id": "a", "name": "A", "business": "b", "source": "s", "aliases": [alias]}
    record[field] = value
    full = records._problems(records._plan("companies"), record, hints=True)
    assert validate_record("companies", record) == full
    for text in (value, alias):
        if unsafe_character(text, long_text=True):
            assert validate_record("companies", record) != []


def test_long_values_are_cut_in_messages():
    long = "x" * 9000
    record = {"id": "s", "operator": long, "country": "c", "status": long, "makes": "m"}
    record["source"] = "src"
    messages = dict(validate_record("sites", record))
    assert messages["status"].startswith("unknown value 'xxxx")
    assert "(9,000 characters)" in messages["status"] and len(messages["status"]) < 200
