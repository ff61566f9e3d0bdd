"""jsonio writes and reads exactly what the json package does, without importing it."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cover_glass_cli import jsonio

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300)
@given(values, st.sampled_from([None, 0, 2, 4]), st.booleans())
def test_dumps_writes_what_json_writes(value, indent, ascii_only):
    expected = json.dumps(value, indent=indent, ensure_ascii=ascii_only, allow_nan=False)
    assert jsonio.dumps(value, indent=indent, ensure_ascii=ascii_only) == expected


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, [1, {"a": math.nan}]])
def test_dumps_refuses_what_is_not_json(bad):
    with pytest.raises(ValueError):
        json.dumps(bad, allow_nan=False)
    with pytest.raises(ValueError):
        jsonio.dumps(bad)


def test_dumps_refuses_other_types_and_keys():
    for bad in ({1: "a"}, {"a": object()}, {1, 2}, b"bytes"):
        with pytest.raises(TypeError):
            jsonio.dumps(bad)


@settings(max_examples=300)
@given(values, st.sampled_from([None, 2]), st.sampled_from(["", " ", "\n", "\t\r\n "]))
def test_loads_reads_back_what_json_writes(value, indent, space):
    text = space + json.dumps(value, indent=indent) + space
    assert jsonio.loads(text) == json.loads(text)


@settings(max_examples=500)
@given(st.text(alphabet='{}[]",:0123456789.eE+-tfnrulsa \n\\', max_size=30))
def test_loads_accepts_and_refuses_what_json_does(text):
    try:
        expected = json.loads(text)
    except ValueError:
        with pytest.raises(ValueError):
            jsonio.loads(text)
    else:
        assert jsonio.loads(text) == expected


@pytest.mark.parametrize("text", ["NaN", "[Infinity]", '{"a": -Infinity}'])
def test_loads_refuses_nan_and_infinity(text):
    with pytest.raises(ValueError):
        jsonio.loads(text)


def test_without_the_c_accelerators_the_json_package_does_the_work():
    code = (
        "import sys; sys.modules['_json'] = None\n"
        "from cover_glass_cli import jsonio\n"
        "assert jsonio.make_scanner is None\n"
        "assert jsonio.loads(' [1, {\"a\": \"\\u00e9\"}] ') == [1, {'a': 'é'}]\n"
        "assert jsonio.dumps({'a': ['é']}, indent=2) == '{\\n  \"a\": [\\n    \"\\\\u00e9\"\\n  ]\\n}'\n"
        "try:\n    jsonio.loads('[1,')\nexcept ValueError:\n    print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr
