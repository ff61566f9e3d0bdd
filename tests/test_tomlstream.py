"""tomlstream reads what tomllib reads, or says it cannot (NotPlain), never something else."""

from __future__ import annotations

import tomllib
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cover_glass_cli import tomlstream
from cover_glass_cli.store import bundled_path
from cover_glass_cli.writer import toml_document

ERROR = "error"


def whole(text: str) -> object:
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        return ERROR


def streamed(chunks: list[str]) -> object:
    """The document records() reads from CHUNKS, or None when it raises NotPlain."""
    doc: dict[str, object] = {}
    try:
        for kind, record in tomlstream.records(chunks):
            if kind:
                doc.setdefault(kind, []).append(record)  # type: ignore[union-attr]
            else:
                doc.update(record)
    except tomlstream.NotPlain:
        return None
    return doc


def chunked(text: str, cuts: list[int]) -> list[str]:
    """TEXT split after the line ends picked by CUTS, as a file reader would."""
    ends = [i + 1 for i, c in enumerate(text) if c == "\n"]
    picked = sorted({ends[c % len(ends)] for c in cuts}) if ends else []
    pieces, start = [], 0
    for end in picked:
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return [p for p in pieces if p]


keys = st.sampled_from(["id", "name", "value", "fy", "x-y", "a_1", "1993"])
words = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from('"\\#=[]\t\r'),
    max_size=8,
)
plain_values = st.one_of(
    words.filter(lambda w: '"' not in w and "\\" not in w and w.isprintable()).map(
        lambda w: f'"{w}"'
    ),
    st.integers(-(10**17), 10**17).map(str),
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(lambda f: f"{f:.3f}"),
    st.sampled_from(["true", "false", "0", "-0", "0.0", "-0.5"]),
)
odd_values = st.one_of(
    words.map(lambda w: f'"{w}"'),
    words.map(lambda w: f"'{w}'"),
    st.sampled_from(
        [
            "01",
            "+1",
            "1_000",
            "0x1f",
            "1e5",
            "1.",
            ".5",
            "inf",
            "nan",
            "True",
            '"""',
            "'''",
            '"""x"""',
            "[1, 2]",
            '["a", "b"]',
            "[",
            "{a = 1}",
            "1979-05-27",
            "",
            '"a" # c',
            "9" * 30,
            '"unterminated',
        ]
    ),
)
plain_lines = st.one_of(
    st.builds("{} = {}".format, keys, plain_values),
    st.sampled_from(["", "# a comment", "[[a]]", "[[b]]", "schema_version = 1"]),
)
odd_lines = st.one_of(
    st.builds("{} = {}".format, keys, odd_values),
    st.builds("{}={}".format, keys, plain_values),
    st.builds("  {} = {}".format, keys, plain_values),
    words.map(lambda w: "#" + w),
    st.sampled_from(
        [
            "[[ a ]]",
            "[[a]] # c",
            "[a]",
            "[a.b]",
            "[[a.b]]",
            "[[1]]",
            "[b]",
            "]",
            "  ",
            '"""',
            "'''",
            '[[a]]"""',
            "a.b = 1",
            '"q" = 1',
            "a = [",
            "  1,",
            "x",
            "\t",
            "[[schema_version]]",
            "schema_version = 2",
            "id = 1\r",
            "[[a]]\r",
            "# c\r",
        ]
    ),
)
documents = st.lists(
    st.one_of(plain_lines, plain_lines, plain_lines, odd_lines), max_size=25
).flatmap(lambda lines: st.sampled_from(["\n", "\r\n"]).map(lambda nl: nl.join(lines)))


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.booleans(), st.lists(st.integers(0, 50), max_size=4))
def test_records_agree_with_tomllib_or_say_not_plain(text, final_newline, cuts):
    text += "\n" if final_newline else ""
    expected = whole(text)
    got = streamed(chunked(text, cuts))
    if got is not None:
        assert expected != ERROR, "read block by block a text tomllib refuses"
        assert repr(got) == repr(expected)  # repr: types too, and nan equals nan
    assert repr(streamed([text])) == repr(got)  # where the chunks end changes nothing


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_loads_is_tomllib(text):
    expected = whole(text)
    try:
        got: object = tomlstream.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        got = ERROR
    assert repr(got) == repr(expected)


@settings(max_examples=300)
@given(st.lists(plain_lines, max_size=30), st.lists(st.integers(0, 50), max_size=4))
def test_plain_text_is_read_without_tomllib(lines, cuts):
    text = "\n".join(lines) + "\n"
    expected = whole(text)
    if expected == ERROR:  # a duplicate key, or [[schema_version]]: tomllib must say so
        return
    needed = AssertionError("tomllib was needed for plain text")
    with mock.patch.object(tomlstream, "_parse", side_effect=needed):
        assert repr(streamed(chunked(text, cuts))) == repr(expected)


def test_the_bundled_file_and_generated_files_are_read_exactly(monkeypatch):
    texts = [bundled_path().read_text(encoding="utf-8")]
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from make_facts import generate

    generated = toml_document(generate(2000))
    texts.append(generated)
    for text in texts:
        assert streamed(chunked(text, [3, 17, 40])) == tomllib.loads(text)
    # what cgcli writes is plain throughout: tomllib is never called for it
    monkeypatch.setattr(tomlstream, "_parse", lambda lines: pytest.fail("tomllib was needed"))
    assert streamed([generated]) == tomllib.loads(generated)


@pytest.mark.parametrize(
    "text",
    [
        # a header inside a multi-line string, in every position
        '[[a]]\nid = 1\nnote = """\n[[a]]\nid = 2\n"""\n',
        '[[a]]\nnote = """\n[[a]]\n# end """\n[[a]]\nid = 3\n',
        "[[a]]\nnote = '''\n[[b]]\n'''\n",
        # a nested array on its own line inside a multi-line array
        "x = [\n[[1]],\n]\n",
        # a table extended from another block, a kind both as key and as header
        "[[a]]\nid = 1\n[[b]]\n[a.c]\nx = 1\n",
        "a = [{id = 1}]\n[[a]]\nid = 2\n",
        "[a]\nx = 1\n[[a]]\n",
        # duplicate keys, a header tomllib sees and the scan does not
        "[[a]]\nid = 1\nid = 2\n",
        "[[a]]\nid = 1\n[[a]] # two\nid = 2\n",
    ],
)
def test_tricky_documents(text):
    got = streamed([text])
    assert got is None or repr(got) == repr(whole(text))
    try:
        loaded: object = tomlstream.loads(text)
    except tomllib.TOMLDecodeError:
        loaded = ERROR
    assert loaded == whole(text)
