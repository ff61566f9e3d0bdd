"""A fact file parsed in pieces by toml_rs is the document tomli gives, to the last bit, for
every text tomli accepts; every text tomli refuses is refused with tomli's own message."""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import toml_rs
import tomli
from conftest import SOURCE, write_facts
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cover_glass_cli.domain.problems import FactsError
from cover_glass_cli.store import bundled_path, reading, tomlpieces


def same(a: Any, b: Any) -> bool:
    """A and B alike in every way a reader could see: types, key order, float bits
    (nan, -0.0), datetimes with their offsets."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, float):
        return repr(a) == repr(b)
    if isinstance(a, datetime.datetime | datetime.time):
        return a == b and a.tzinfo == b.tzinfo and a.replace(tzinfo=None) == b.replace(tzinfo=None)
    return bool(a == b)


# --- texts made of what fact files hold, and what could fool a cut -------------------------

TABLES = ["exports", "sources", "x"]
KEYS = ["id", "a", "b", "exports", "x", "c.d", '"q k"']
VALUES = [
    '"text"',
    "'lit\\eral'",
    '"esc \\" \\\\ \\t \\u00e9 \\e \\x41"',
    '"""\n[[exports]]\nid = "in a string"\n"""',  # a header line inside a multi-line string
    "'''\n[[x]]\n'''",
    '"""a \\\n  [[x]]\n  b"""',  # a line-ending backslash, then a header line
    '"""five quotes"""""',
    '[\n  "[[x]]",\n  1,\n]',  # a multi-line array holding a header's text
    "[\n[[1]]\n]",  # a multi-line array of arrays whose line looks like a header
    "[\n[[x]]\n]",  # the same, of a bare word: refused
    '{a = 1, b = "c"}',
    "{a = 1,\n b = [2,\n 3]}",  # TOML 1.1: an inline table over lines
    "[{a = 1}, {b = 2}]",
    "1979-05-27T07:32:00Z",
    "1979-05-27T00:32:00.999999999-07:00",
    "1979-05-27 07:32:00",
    "1979-05-27",
    "07:32:00.1234567",
    "07:32",  # TOML 1.1: no seconds
    "1e3",
    "1E-7",
    "inf",
    "-inf",
    "nan",
    "+nan",
    "-0.0",
    "0.1",
    "3.141592653589793238",
    "1_000",
    "0xDEAD_beef",
    "0o17",
    "0b101",
    "9223372036854775807",
    "-9223372036854775808",
    "99999999999999999999",
    "true",
    "false",
    # refused, each in its own way
    "2000-02-30",
    "unquoted",
    '"unterminated',
    '"""unterminated',
    "[1,,2]",
    "{a = 1,}",
    "0x",
    "1__0",
    "",
]


def _value() -> st.SearchStrategy[str]:
    floats = st.floats().map(repr)  # inf, -inf, nan, -0.0, 1e+16, 5e-324 are TOML too
    strings = st.text(max_size=12).map(lambda s: json.dumps(s, ensure_ascii=False))
    return st.one_of(st.sampled_from(VALUES), floats, st.integers().map(str), strings)


def _line() -> st.SearchStrategy[str]:
    table = st.sampled_from(TABLES)
    keys = st.one_of(
        st.sampled_from(KEYS),
        st.text(max_size=6).map(lambda s: json.dumps(s, ensure_ascii=False)),  # quoted
        st.from_regex(r"\A[A-Za-z0-9_-]{1,6}\Z"),
    )
    return st.one_of(
        st.builds(lambda k, v: f"{k} = {v}", keys, _value()),
        st.text(max_size=16),  # anything at all, mostly refused
        table.map(lambda t: f"[[{t}]]"),
        table.map(lambda t: f"[[{t}]]"),
        table.map(lambda t: f"[[{t}]] # a comment"),
        table.map(lambda t: f"  [[{t}]]"),  # indented: no cut, still a header
        table.map(lambda t: f"[[ {t} ]]"),
        table.map(lambda t: f"[{t}]"),
        table.map(lambda t: f"[{t}.sub]"),
        table.map(lambda t: f"[[{t}.evidence]]"),
        table.map(lambda t: f'["{t}"]'),
        table.map(lambda t: f"[[{t}]]x = 1"),
        st.sampled_from(["", "# [[x]] in a comment", "   ", "[[]]", "[[x]"]),
    )


texts = st.builds(
    lambda start, lines, newline, end: start + newline.join(lines) + end,
    st.sampled_from(["", "", "", "\ufeff"]),  # a byte order mark: tomli refuses it
    st.lists(_line(), max_size=24),
    st.sampled_from(["\n", "\r\n"]),
    st.sampled_from(["", "\n"]),
)
sizes = st.integers(1, 80)  # small pieces: a cut at almost every header


def tomli_result(text: str) -> dict[str, Any] | tomli.TOMLDecodeError:
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as e:
        return e


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, sizes)
def test_pieces_give_tomlis_document_or_leave_it_to_tomli(text, size):
    expected = tomli_result(text)
    found = tomlpieces.loads(text, size)
    event("tomli refuses" if isinstance(expected, Exception) else "tomli accepts")
    event("pieces: none" if found is None else "pieces: a document")
    if isinstance(expected, Exception):
        assert found is None
    else:
        assert found is None or same(found, expected)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_parse_gives_tomlis_document_or_its_message(text):
    try:
        reading.check_shape(text, "f.toml")
    except FactsError:
        return  # the shape scan's own refusals are tested in test_bombs
    expected = tomli_result(text)
    if isinstance(expected, Exception):
        with pytest.raises(FactsError) as caught:
            reading.parse(text, "f.toml")
        (problem,) = caught.value.problems
        assert problem.line == expected.lineno
        assert problem.message.startswith(f"TOML syntax: {expected.msg} (")
    else:
        assert same(reading.parse(text, "f.toml"), expected)


def _records(n: int, newline: str = "\n") -> str:
    lines = ["# a curated file", "schema_version = 1", ""]
    for i in range(n):
        lines += [f"[[{TABLES[i % 3]}]]", f'id = "r{i}"', f"value = {i * 0.1!r}", ""]
        if i % 7 == 0:
            lines += [f"[[{TABLES[i % 3]}.evidence]]", 'quote = """', "  [[exports]]", '"""', ""]
    return newline.join(lines)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_file_of_many_pieces_parses_in_pieces_as_tomli_does(newline):
    text = _records(3000, newline)
    assert len(list(tomlpieces.pieces(text, 4096))) > 20
    found = tomlpieces.loads(text, 4096)
    assert found is not None and same(found, tomli.loads(text))


def test_the_bundled_facts_parse_in_pieces_as_tomli_does():
    text = bundled_path().read_text(encoding="utf-8")
    for size in (1, 1000, tomlpieces.PIECE):
        found = tomlpieces.loads(text, size)
        assert found is not None and same(found, tomli.loads(text))


@pytest.mark.parametrize(
    "text",
    [
        "exports = 1\n[[exports]]\nid = 'a'\n",  # a root value, then a header of that name
        "x = [{a = 1}]\n[[x]]\n",  # a static array cannot take a table
        "[x]\na = 1\n[[x]]\n",  # nor can a table
        "[[a]]\nb = 1\n[[a]]\n[a]\n",  # an array of tables is not a table
        "[[a]]\nb = 1\n[[a]]\nb = 1\nb = 2\n",  # a key twice in one table
        'a = """\n[[x]]\nb = 1\n',  # a header line in a string never closed
        "\ufeff[[x]]\n",  # a byte order mark, which toml_rs would skip
        "a = 1979-05-27T07:32:60Z\n",  # a 60th second: toml_rs raises ValueError
    ],
)
def test_a_text_tomli_refuses_is_never_taken_from_the_pieces(text):
    for size in (1, 5, 100):
        assert tomlpieces.loads(text, size) is None
    with pytest.raises(tomli.TOMLDecodeError):
        tomli.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        "[[a]]\nb = 1\n[x]\nc = 2\n",  # a table after a cut: left to tomli
        "[[a]]\n[[b]]\n[[a]]\n[a.c]\nd = 1\n[[a.e]]\n",  # each header names its own piece
        'a = """\n[[x]]\n"""\n[[x]]\nb = 1\n',  # a cut inside a string: left to tomli
        "[[x]]\na = [\n[[1]]\n]\n",  # a cut inside an array: left to tomli
        "[[x]]\r\na = 1\r\n[[x]]\r\n",
        "[[x]]",
        "",
    ],
)
def test_a_text_tomli_accepts_is_its_document_cut_anywhere(text):
    for size in (1, 5, 100):
        found = tomlpieces.loads(text, size)
        assert found is None or same(found, tomli.loads(text))
        assert same(reading.parse(text, "f.toml"), tomli.loads(text))


@given(st.floats())
def test_toml_rs_reads_every_float_to_the_bit(value):
    text = f"v = {value!r}\n"
    assert repr(toml_rs.loads(text)["v"]) == repr(tomli.loads(text)["v"]) == repr(value)


@given(st.from_regex(r"\A-?[1-9][0-9]{0,30}\.[0-9]{1,30}(e-?[0-9]{1,3})?\Z"))
def test_toml_rs_rounds_long_decimals_as_float_does(written):
    text = f"v = {written}\n"
    assert repr(toml_rs.loads(text)["v"]) == repr(tomli.loads(text)["v"])


def test_without_toml_rs_tomli_parses_alone(monkeypatch, run, tmp_path):
    monkeypatch.setitem(sys.modules, "toml_rs", None)  # its import fails, as without a wheel
    text = _records(300)
    assert tomlpieces.loads(text, 100) is None
    assert same(reading.parse(text, "f.toml"), tomli.loads(text))
    result = run("exports", "--fy", "2023", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)
    bad = write_facts(tmp_path / "bad.toml", "[[exports]]\nid = \n")
    result = run("--facts", str(bad), "exports", "--json")
    assert result.exit_code == 3 and f"{bad}:4: TOML syntax: Invalid value" in result.stderr


def _exports(n: int) -> str:
    return "".join(
        f'[[exports]]\nid = "x{i}"\ncountry = "Country {i}"\nproduct = "mobile phones"\nfy = 2023\n'
        f'value = {i}\nunit = "INR crore"\nqualifier = "exact"\nsource = "src"\n\n'
        for i in range(n)
    )


def test_a_large_file_answers_through_the_command(run, tmp_path):
    body = SOURCE + "\n" + _exports(3000)  # over 400 KB: more than one piece
    path = write_facts(tmp_path / "big.toml", body)
    assert len(list(tomlpieces.pieces(path.read_text(encoding="utf-8")))) >= 3
    result = run("--facts", str(path), "exports", "--fy", "2023", "--json")
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in json.loads(result.stdout)] == [f"x{i}" for i in range(3000)]


def test_an_error_in_a_late_piece_names_its_file_and_line(run, tmp_path):
    body = SOURCE + "\n" + _exports(3000) + "[[exports]]\nid = \n"
    path = write_facts(tmp_path / "big.toml", body)
    text = path.read_text(encoding="utf-8")
    line = text.count("\n")  # the last line: `id = `
    result = run("--facts", str(path), "exports", "--json")
    assert result.exit_code == 3
    assert f"{path}:{line}: TOML syntax: Invalid value (column 6)" in result.stderr


def test_pieces_cut_only_before_header_lines(tmp_path: Path):
    text = _records(500)
    cut = list(tomlpieces.pieces(text, 1000))
    assert "".join(cut) == text
    assert not cut[0].startswith("[[") and all(p.startswith("[[") for p in cut[1:])
    assert all(len(p) >= 1000 for p in cut[1:-1])


def test_a_piece_too_large_to_cut_is_left_to_tomli(monkeypatch):
    """A file with no `[[K]]` line to cut at is one piece: over MAX_PIECE, toml_rs would
    parse it whole, in 2.7 times tomli's memory, so tomli does."""
    text = _records(200)
    assert tomlpieces.loads(text, 100) is not None
    monkeypatch.setattr(tomlpieces, "MAX_PIECE", 99)  # pieces of 100 and more
    assert tomlpieces.loads(text, 100) is None
    assert same(reading.parse(text, "f.toml"), tomli.loads(text))
