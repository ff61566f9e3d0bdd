"""Hostile input and real terminals: no traceback, no injection, no hang.

Every test here goes through CliRunner with catch_exceptions=False, so an exception that
escapes the program fails the test, and checks stderr for what the user is told.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import KINDS, SOURCE, cgcli_exe, write_facts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cover_glass_cli.store import bundled_path

GOOD = """
[[companies]]
id = "acme"
name = "Acme"
business = "glass"
source = "src"
"""


def assert_clean_failure(result, name: str, code: int = 3) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert name in result.stderr


def hostile_files(tmp: os.PathLike) -> dict[str, bytes]:
    return {
        "garbage": bytes(range(256)) * 4,
        "empty": b"",
        "not-utf8": b'schema_version = 1\n[[sources]]\nid = "\xff\xfe"\n',
        "nul": b"schema_version = 1\n\x00\n",
        "deep-arrays": b"schema_version = 1\nx = " + b"[" * 50000 + b"]" * 50000 + b"\n",
        "deep-tables": b"schema_version = 1\nx = " + b"{a = " * 5000 + b"1" + b"}" * 5000 + b"\n",
        "duplicate-keys": b"schema_version = 1\nschema_version = 1\n",
        "huge-int": b"schema_version = 1\n"
        + (SOURCE + GOOD).encode()
        + b"founded = 99999999999999999999999999\n",
        "nan": b"schema_version = 1\n" + (SOURCE + GOOD).encode() + b"founded = nan\n",
        "inf-value": b"schema_version = 1\n" + (SOURCE + GOOD).encode() + b"specialties = [inf]\n",
        "date": b"schema_version = 1\n" + (SOURCE + GOOD).encode() + b"founded = 1993-01-01\n",
        "time": b"schema_version = 1\n" + (SOURCE + GOOD).encode() + b"founded = 07:00:00\n",
        "schema-string": b'schema_version = "1"\n',
        "schema-huge": b"schema_version = 999999999999999999\n",
        "top-array": b"schema_version = 1\ncompanies = [1, 2, 3]\n",
        "kind-string": b'schema_version = 1\ncompanies = "x"\n',
        "record-wrong-types": b"schema_version = 1\n"
        + SOURCE.encode()
        + (
            b'[[companies]]\nid = 1\nname = []\nbusiness = {a = 1}\naliases = "x"\nfounded = "1993"\n'
            b"source = 3\n"
        ),
        "unclosed-string": b'schema_version = 1\n[[sources]]\nid = "abc\n',
        "only-bom": "\ufeff".encode(),
    }


@pytest.mark.parametrize("name", list(hostile_files(".")))
def test_hostile_file_ends_with_exit_3_and_a_message(run, tmp_path, name):
    path = tmp_path / f"{name}.toml"
    path.write_bytes(hostile_files(tmp_path)[name])
    result = run("--facts", str(path), "companies")
    assert_clean_failure(result, str(path))
    result = run("validate", "--alone", str(path))
    assert_clean_failure(result, str(path), code=1)


def test_directory_fifo_and_device(run, tmp_path):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    for path, words in (
        (tmp_path, "directory"),
        (fifo, "not a regular file"),
        ("/dev/zero", "not a regular file"),
        ("/dev/null", "not a regular file"),
    ):
        result = run("--facts", str(path), "companies")
        assert_clean_failure(result, str(path))
        assert words in result.stderr


def test_size_limit(run, tmp_path):
    path = write_facts(tmp_path / "f.toml", SOURCE + GOOD)
    result = run("--facts", str(path), "companies", env={"CGCLI_MAX_FACTS_BYTES": "100"})
    assert_clean_failure(result, str(path))
    assert "over the 100-byte limit" in result.stderr and "CGCLI_MAX_FACTS_BYTES" in result.stderr


def test_symlinks(run, tmp_path):
    target = write_facts(tmp_path / "real.toml", SOURCE + GOOD)
    link = tmp_path / "link.toml"
    link.symlink_to(target)
    assert run("--facts", str(link), "companies").exit_code == 0  # a link to a file is that file
    dangling = tmp_path / "dangling.toml"
    dangling.symlink_to(tmp_path / "gone.toml")
    result = run("--facts", str(dangling), "companies")
    assert_clean_failure(result, str(dangling))
    assert "symbolic link" in result.stderr
    loop = tmp_path / "loop.toml"
    loop.symlink_to(loop)
    assert_clean_failure(run("--facts", str(loop), "companies"), str(loop))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable(run, tmp_path):
    path = write_facts(tmp_path / "f.toml", SOURCE + GOOD)
    path.chmod(0)
    result = run("--facts", str(path), "companies")
    assert_clean_failure(result, str(path))
    assert "permission denied" in result.stderr


def test_unreadable_simulated(run, tmp_path, monkeypatch):
    """The same path as a real permission error, for CI machines that run as root."""
    from cover_glass_cli.store import reading as loader

    path = write_facts(tmp_path / "f.toml", SOURCE + GOOD)
    real_open = loader.os.open

    def denied(p, *args, **kwargs):
        if str(p) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(p, *args, **kwargs)

    monkeypatch.setattr(loader.os, "open", denied)
    result = run("--no-cache", "--facts", str(path), "companies")
    assert_clean_failure(result, str(path))
    assert "permission denied" in result.stderr


def test_file_changing_while_read(run, tmp_path, monkeypatch):
    from cover_glass_cli.store import reading as loader

    path = write_facts(tmp_path / "f.toml", SOURCE + GOOD)
    real_read = loader.os.read
    appended = []

    def growing(fd, n):
        data = real_read(fd, n)
        if data and not appended:  # another program appends once, mid-read
            appended.append(True)
            with open(path, "a") as f:
                f.write("# more\n")
        return data

    monkeypatch.setattr(loader.os, "read", growing)
    result = run("--no-cache", "--facts", str(path), "companies", "--json")
    assert_clean_failure(result, str(path))
    assert "changed while it was being read" in result.stderr
    assert result.stdout == ""  # never a partial answer


MARKUP = [
    "[bold red]X[/]",
    "Foo [/] Ltd",
    "[link=https://evil.example]click[/link]",
    ":smile: :warning:",
    "Acme\u200b",  # zero-width: shown visibly, so that "Acme" and "Acme\u200b" differ
]
CONTROLS = [
    "\x1b[31mred\x1b[0m",
    "\x1b]8;;https://evil.example\x07link\x1b]8;;\x07",
    "\x9b31m C1 CSI",
    "bell\x07 back\x08space",
    "rtl \u202eevil\u202c and isolate \u2067x\u2069",
    "carriage\rreturn",
]


def nasty_file(tmp_path, nasty):
    toml_text = json.dumps(nasty)  # a JSON string is a valid TOML basic string
    return write_facts(
        tmp_path / "f.toml",
        SOURCE
        + f"""
        [[companies]]
        id = "acme"
        name = {toml_text}
        business = {toml_text}
        source = "src"

        [[customers]]
        id = "c"
        supplier = "acme"
        name = {toml_text}
        source = "src"
    """,
    )


@pytest.mark.parametrize("nasty", CONTROLS)
def test_controls_and_bidi_overrides_are_refused_with_their_line(run, tmp_path, nasty):
    """No fact needs them, so no format, message or completion can carry them."""
    path = nasty_file(tmp_path, nasty)
    result = run("--facts", str(path), "companies", "--json")
    assert result.exit_code == 3 and result.stdout == ""
    assert f"{path}:" in result.stderr and "companies[0].name: contains U+" in result.stderr
    for ch in "\x1b\x9b\x07\x08\r\u202e\u2067":
        assert ch not in result.stderr


@pytest.mark.parametrize("nasty", MARKUP)
def test_data_cannot_drive_the_terminal(run, tmp_path, nasty):
    path = nasty_file(tmp_path, nasty)
    for args in (
        ["companies"],
        ["company", "acme"],
        ["customers"],
        ["search", "acme"],
        ["companies", "--format", "markdown"],
        ["cite", "acme"],
    ):
        result = run("--facts", str(path), *args, env={"FORCE_COLOR": "1", "NO_COLOR": None})
        assert result.exit_code == 0, (args, result.output)
        assert "\x1b]" not in result.stdout and "\x07" not in result.stdout, args
        for ch in "\x9b\x08\r\u202e\u2067":
            assert ch not in result.stdout, (args, ch)
    plain = run("--facts", str(path), "companies", env={"COLUMNS": "250"}).stdout
    assert "\x1b" not in plain
    if nasty.startswith("["):
        assert nasty in plain  # markup is shown as the characters it is
    if "\u200b" in nasty:
        assert "Acme<U+200B>" in plain
    data = json.loads(run("--facts", str(path), "companies", "--json").stdout)
    assert data[0]["name"] == nasty  # JSON keeps the exact string


def test_error_messages_are_escaped_too(run, tmp_path):
    path = write_facts(tmp_path / "f.toml", SOURCE + '\n["\\u001b[2Jevil"]\nx = 1\n')
    result = run("--facts", str(path), "companies")
    assert result.exit_code == 3
    assert "\x1b" not in result.stderr and "\\x1b[2Jevil" in result.stderr


def test_unknown_company_name_with_controls_is_escaped(run):
    result = run("company", "\x1b[31mred")
    assert result.exit_code == 1 and "\x1b" not in result.stderr


# --- fuzzing with hypothesis ----------------------------------------------------------------

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(data=st.binary(max_size=400))
def test_fuzz_random_bytes(run, tmp_path, data):
    path = tmp_path / "fuzz.toml"
    path.write_bytes(data)
    result = run("--no-cache", "--facts", str(path), "companies", "--json")
    assert result.exit_code in (0, 1, 3)
    assert "Traceback" not in result.output


toml_scalars = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.booleans(),
    st.text(max_size=20),
    st.dates(),
    st.datetimes(),
    st.times(),
)
toml_values = st.recursive(
    toml_scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


@FUZZ
@given(
    doc=st.dictionaries(
        st.sampled_from([*KINDS, "schema_version", "other"]), toml_values, max_size=5
    )
)
def test_fuzz_random_toml_documents(run, tmp_path, doc):
    import tomli_w

    try:
        text = tomli_w.dumps(doc)
    except (TypeError, ValueError):
        return  # not representable in TOML
    path = tmp_path / "fuzz.toml"
    path.write_text(text)
    for args in (["companies", "--json"], ["exports"], ["validate", "--alone", str(path)]):
        result = run("--no-cache", "--facts", str(path), *args)
        assert result.exit_code in (0, 1, 3)
        assert "Traceback" not in result.output


def _bundled() -> dict:
    import tomllib

    return tomllib.loads(bundled_path().read_text(encoding="utf-8"))


BUNDLED = _bundled()
FIELDS = [
    (kind, i, key) for kind in KINDS for i, rec in enumerate(BUNDLED.get(kind, [])) for key in rec
]


def bundled_with(where: tuple[str, int, str], value: object) -> str | None:
    """The bundled facts as TOML with one field set to VALUE; None if TOML cannot hold it."""
    import copy

    import tomli_w

    kind, i, key = where
    doc = copy.deepcopy(BUNDLED)
    doc[kind][i][key] = value
    try:
        return tomli_w.dumps(doc)
    except (TypeError, ValueError):
        return None


@FUZZ
@given(where=st.sampled_from(FIELDS), value=toml_values)
def test_fuzz_one_field_mutated(run, tmp_path, where, value):
    text = bundled_with(where, value)
    if text is None:
        return  # not representable in TOML
    path = tmp_path / "mutated.toml"
    path.write_text(text)
    for args in (
        ["companies"],
        ["exports", "--json"],
        ["value-addition", "--chart"],
        ["venture"],
        ["search", "a"],
        ["sources"],
        ["company", "optiemus"],
    ):
        result = run("--no-cache", "--facts", str(path), *args)
        assert result.exit_code in (0, 1, 3), (args, result.output)
        assert "Traceback" not in result.output


TEXT_FIELDS = [
    (kind, i, key)
    for kind, i, key in FIELDS
    if isinstance(BUNDLED[kind][i][key], str)
    and key
    not in (
        "id",
        "source",
        "unit",
        "qualifier",
        "status",
        "operator",
        "supplier",
        "speaker",
        "company",
        "announced_by",
        "venture",
    )
]
any_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)


@FUZZ
@given(where=st.sampled_from(TEXT_FIELDS), value=any_text)
def test_fuzz_any_string_in_any_text_field(run, tmp_path, where, value):
    kind, _, key = where
    path = tmp_path / "strings.toml"
    text = bundled_with(where, value)
    assert text is not None  # any str is representable in TOML
    path.write_text(text)
    cmd = {
        "companies": ["companies"],
        "sites": ["sites", "--all-claims"],
        "customers": ["customers"],
        "exports": ["exports"],
        "value_addition": ["value-addition"],
        "people": ["people"],
        "statements": ["statements"],
        "market_facts": ["market-facts"],
        "rankings": ["rankings"],
        "sources": ["sources"],
        "ventures": ["venture"],
        "events": ["timeline", "--all-claims"],
        "venture_facts": ["venture-facts", "--all-claims"],
    }[kind]
    if kind not in ("sources", "ventures"):  # every claim, not only each subject's best
        cmd = [*cmd, "--all-claims"]
    result = run("--no-cache", "--facts", str(path), *cmd, env={"COLUMNS": "60"})
    assert result.exit_code in (0, 1, 3), result.output
    assert "\x1b" not in result.stdout  # NO_COLOR: any ESC would have come from the data
    if result.exit_code == 0:
        records = json.loads(run("--no-cache", "--facts", str(path), *cmd, "--json").stdout)
        assert any(r.get(key) == value for r in records)  # JSON keeps the exact string


# --- found by the hostile sweep (issue 14) ---------------------------------------------------


def test_export_force_never_replaces_a_device_or_a_pipe(run, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run("export", "--format", "sqlite", str(fifo), "--force")
    assert result.exit_code == 2 and "not a regular file" in result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_help_into_a_closed_stdout_is_one_line():
    result = subprocess.run(
        f"{cgcli_exe()} --help >&-", shell=True, capture_output=True, text=True, timeout=30
    )
    assert (
        result.returncode == 74
        and result.stderr == "cgcli: cannot write output: standard output is closed\n"
    )


def test_a_narrow_terminal_never_cuts_an_id_in_a_detail_view(run):
    result = run("company", "corning", env={"COLUMNS": "20"})
    assert result.exit_code == 0 and "…" not in result.stdout
    assert "corning-gorilla-japan" in result.stdout.split()


@pytest.mark.parametrize(
    ("line", "whole"),
    [
        (("exports",), "exports-fy2021-ani-2022-12-22:"),
        (("market-facts",), "india-value-addition-goal-bs-2023-12-05"),
        (("value-addition", "--sources"), "https://www.thebharatbiz.com/news-detail/"),
    ],
)
def test_a_narrow_terminal_never_folds_an_id_in_a_footnote(run, line, whole):
    """A note wraps between words; an id (or address) wider than the terminal stays on
    one line, as in the block layout, so that a copy of it is whole."""
    result = run(*line, env={"COLUMNS": "20"})
    assert result.exit_code == 0 and "…" not in result.stdout
    assert any(text.startswith(whole) for text in result.stdout.split()), result.stdout


def test_a_mistyped_command_in_capitals_is_suggested(run):
    result = run("COMPANIES")
    assert result.exit_code == 2 and "Did you mean companies" in result.stderr


def test_an_env_chain_that_names_no_file_leaves_the_default(run):
    result = run("companies", "--json", env={"CGCLI_FACTS": ":::"})
    assert result.exit_code == 0 and json.loads(result.stdout)


@pytest.mark.parametrize("depth", [50, 20_000])
def test_facts_add_refuses_a_list_nested_deep_without_a_traceback(run, depth):
    deep = "[" * depth + "]" * depth
    args = ("facts", "add", "companies", "id=x", "name=X", "business=b", "source=jv-report")
    result = run(*args, f"aliases={deep}")
    assert result.exit_code == 2 and "aliases: " in result.stderr and "nested" in result.stderr


@pytest.mark.parametrize("name", ["bundled", "refused"])
def test_the_fuzz_harness_checks_an_input_without_atheris(tmp_path, name):
    """fuzz/fuzz_loader.py is run by hand; this keeps it from rotting between runs."""
    harness = Path(__file__).resolve().parent.parent / "fuzz" / "fuzz_loader.py"
    if not harness.is_file():
        pytest.skip("fuzz/ is not shipped in the sdist")
    given_file = tmp_path / "facts.toml"
    if name == "bundled":
        given_file.write_bytes(bundled_path().read_bytes())
    else:
        given_file.write_text('[[exports]]\nid = "x"\nfy = 2023\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(harness), "--once", str(given_file)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and result.stdout.startswith("ok:"), result.stderr
