"""The installed cgcli in a subprocess: pipes, exit codes, environment, encodings, signals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile

import pytest
from conftest import REPO, SOURCE, cgcli_exe, run_exe, write_facts


def test_json_piped_into_a_json_parser():
    result = subprocess.run(
        f"'{cgcli_exe()}' exports --fy 2023 --json | '{sys.executable}' -m json.tool",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["value"] == 90000


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["companies"], 0),
        (["search", "zzzz"], 1),
        (["exports", "--fy", "bogus"], 2),
        (["--facts", "/nonexistent.toml", "companies"], 3),
        (["no-such-command"], 2),
    ],
)
def test_exit_codes(args, code):
    result = run_exe(*args)
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr


def test_python_dash_m_and_any_directory(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "cover_glass_cli", "companies", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert [c["id"] for c in json.loads(result.stdout)] == ["optiemus", "corning"]


def imported(*args: str, env: dict[str, str]) -> set[str]:
    """The modules `python -m cover_glass_cli ARGS` imports (from -X importtime)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cover_glass_cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    assert result.returncode == 0, result.stderr
    return {
        line.rpartition("|")[2].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    }


def test_a_cached_lookup_imports_only_what_it_uses(tmp_path):
    """Start-up is a feature: no rich, locale (click's gettext), or parsing and validating
    on a cached JSON lookup; no locale or parsing when drawing a table."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_DATA_HOME": str(tmp_path / "data")}
    env["PYTHONIOENCODING"] = "utf-8"  # as on any usual terminal or pipe
    first = imported("exports", "--fy", "2023", "--json", env=env)
    assert "toml_rs" in first  # the first run parses (in pieces) and fills the cache
    parsing = {f"cover_glass_cli.{m}" for m in ("store.reading", "domain.validation")}
    parsing |= {"cover_glass_cli.store.tomlpieces", "toml_rs", "tomli", "tomllib", "tomli_w"}
    parsing |= {"difflib"}
    json_path = imported("exports", "--fy", "2023", "--json", env=env)
    assert not json_path & {"rich", "locale", *parsing}
    assert {"cover_glass_cli.store.cache", "sqlite3", "click"} <= json_path
    table_path = imported("companies", env=env)
    assert "rich.table" in table_path
    assert not table_path & {"locale", *parsing}
    # what only some runs need: jq, Babel, the search parser, the plain and sort helpers
    optional = {"jq", "babel", "cover_glass_cli.domain.spelling", "cover_glass_cli.ui.shaping"}
    optional |= {"cover_glass_cli.domain.numbers", "cover_glass_cli.document_options"}
    assert not (json_path | table_path) & optional
    # the table of unsafe characters is read when data is shown as text, not for JSON
    assert "cover_glass_cli.domain.unsafe" not in json_path
    # a fresh cache is only read: what builds its tables is not loaded
    assert "cover_glass_cli.domain.tables_build" in first
    assert "cover_glass_cli.domain.tables_build" not in json_path | table_path
    # a listing shapes rows (query); finding records by name, company or words is not its work
    assert "cover_glass_cli.domain.selection" not in json_path
    # nor is the encoding check of ui/terminal.py: a UTF-8 output can show every character
    assert "cover_glass_cli.ui.terminal" not in json_path
    # JSON is written by ui/output.py; the text of csv, tsv, ndjson and markdown is not needed
    assert "cover_glass_cli.ui.formats" not in json_path
    # a lookup of one kind reads its own kind's module and the sources' it cites, no other
    kind_modules = {m for m in json_path if m.startswith("cover_glass_cli.domain.kinds.")}
    assert kind_modules == {f"cover_glass_cli.domain.kinds.{k}" for k in ("exports", "sources")}
    assert "jq" in imported("exports", "--fy", "2023", "--jq", ".[0].id", env=env)


def test_shaped_output_through_the_installed_command():
    """The issue's spellings and shapes, as a user types them into a shell."""
    assert run_exe("search", "FY23", "--jq", ".[0].id").stdout == "exports-fy2023\n"
    found = run_exe("search", "Rs. 90k crore", "--jq", ".[0].id").stdout
    assert found == "exports-fy2023\n"
    assert run_exe("exports", "2023", "--jq", ".[].period").stdout == "FY2023\n"
    plain = run_exe("exports", "Q1", "FY24", env={"CGCLI_FORMAT": "plain"})
    assert plain.returncode == 0
    assert plain.stdout.splitlines()[1].startswith("Q1 FY2024")
    guard = run_exe("exports", "2023", "--csv", "--fields", "growth_pct,growth_computed_text")
    assert guard.stdout.splitlines() == ["growth_pct,growth_computed_text", "100,> 100%"]
    wrong = run_exe("export", "--fy", "2023")
    assert wrong.returncode == 2 and "cgcli exports --fy" in wrong.stderr


def test_env_facts_and_no_color(tmp_path):
    path = write_facts(
        tmp_path / "f.toml",
        SOURCE
        + """
        [[companies]]
        id = "acme"
        name = "[bold red]Acme[/] \x1b[31mRed\x1b[0m"
        business = "glass"
        source = "src"
    """.replace("\x1b", "\\u001b"),
    )
    result = run_exe("companies", env={"CGCLI_FACTS": str(path), "NO_COLOR": "1", "COLUMNS": "200"})
    assert result.returncode == 3 and result.stdout == ""  # ESC: no fact needs it
    assert "\x1b" not in result.stderr and "U+001B ESC" in result.stderr
    path.write_text(path.read_text().replace(" \\u001b[31mRed\\u001b[0m", ""))
    result = run_exe("companies", env={"CGCLI_FACTS": str(path), "NO_COLOR": "1", "COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    assert "[bold red]Acme[/]" in result.stdout  # markup printed as text
    assert "\x1b" not in result.stdout


def test_force_color_colours_tables_but_not_json():
    table = run_exe("companies", env={"FORCE_COLOR": "1"})
    assert "\x1b[" in table.stdout
    data = run_exe("companies", "--json", env={"FORCE_COLOR": "1"})
    assert "\x1b" not in data.stdout and json.loads(data.stdout)


@pytest.mark.parametrize(
    "env",
    [
        {"PYTHONIOENCODING": "ascii"},
        {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": ""},
        {"TERM": "dumb"},
        {"COLUMNS": "40"},
    ],
)
def test_any_terminal_prints_every_value(env):
    for args in (
        ["exports"],
        ["value-addition"],
        ["companies"],
        ["value-addition", "--chart"],
        ["venture"],
    ):
        result = run_exe(*args, env=env)
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr
    out = run_exe("exports", env=env).stdout
    flat = "".join(out.split())  # values may wrap, but are never cut
    assert "90,000" in flat.replace("│", "").replace("|", "")


def test_ascii_terminal_falls_back_to_rs_and_hyphen():
    out = run_exe("exports", env={"PYTHONIOENCODING": "ascii", "COLUMNS": "200"}).stdout
    assert "> Rs 90,000 crore" in out and "₹" not in out
    out = run_exe("value-addition", env={"PYTHONIOENCODING": "ascii", "COLUMNS": "200"}).stdout
    assert "20-22%" in out and "~15%" in out
    chart = run_exe("value-addition", "--chart", env={"PYTHONIOENCODING": "ascii"}).stdout
    assert "=" in chart and "o" in chart and "━" not in chart


def test_json_on_ascii_terminal_escapes_instead_of_crashing():
    result = run_exe("venture", "--json", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0
    assert json.loads(result.stdout)[0]["name"] == "Optiemus–Corning cover glass joint venture"


@pytest.fixture
def big_facts(tmp_path):
    path = tmp_path / "big.toml"
    lines = ["schema_version = 1", SOURCE]
    for i in range(4000):
        lines.append(
            f'[[exports]]\nid = "e{i}"\ncountry = "C{i}"\nproduct = "phones"\nfy = 2023\n'
            f'value = {i}\nunit = "INR crore"\nqualifier = "exact"\nsource = "src"\n'
        )
    path.write_text("\n".join(lines))
    return path


def test_every_byte_arrives_before_the_process_ends(big_facts, tmp_path):
    """cgcli ends without the interpreter's teardown (os._exit): what it wrote to a pipe,
    stdout and stderr, and its exit code must arrive whole all the same."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    for fmt in ("--json", "--csv", "--format=ndjson", "--format=markdown"):
        result = run_exe("--facts", str(big_facts), "exports", fmt, env=env)
        assert result.returncode == 0, result.stderr
        ids = {f"e{i}" for i in range(4000)}
        if fmt == "--json":
            assert {r["id"] for r in json.loads(result.stdout)} == ids
        else:
            assert sum(line.count("e") > 0 for line in result.stdout.splitlines()) >= 4000
            assert result.stdout.endswith("\n")
    nothing = run_exe("--facts", str(big_facts), "exports", "--fy", "1999", "--json", env=env)
    assert (nothing.returncode, nothing.stdout) == (1, "[]\n")
    assert nothing.stderr.startswith("cgcli: no exports data for FY1999")


@pytest.mark.parametrize("reader", ["head -c 1", "head -1"])
def test_closed_pipe_ends_quietly(big_facts, reader):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    for cmd in ("export --format json", "exports --json", "exports --csv", "exports"):
        result = subprocess.run(
            f"'{cgcli_exe()}' --facts '{big_facts}' {cmd} | {reader} >/dev/null; exit ${{PIPESTATUS[0]}}",
            shell=True,
            executable="/bin/bash",
            capture_output=True,
            text=True,
            env=env,
        )
        assert result.stderr == "", (cmd, result.stderr)
        assert result.returncode in (0, 1, 141), cmd


def test_ctrl_c_exits_130_with_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    started = tmp_path / "editor-started"
    # The editor is one process that takes Ctrl-C's default action (end, silently) before
    # it says it has started: with `sh -c 'touch ...; sleep 30'`, a Ctrl-C that reached sh
    # while `touch` was exiting let sh go on to start `sleep`, which held the pipes open.
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import pathlib, signal, sys, time\n"
        "signal.signal(signal.SIGINT, signal.SIG_DFL)\n"
        f"pathlib.Path({str(started)!r}).touch()\n"
        "time.sleep(30)\n"
    )
    env["EDITOR"] = f"{sys.executable} {editor}"
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    proc = subprocess.Popen(
        [cgcli_exe(), "facts", "edit"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    # Ctrl-C once the editor runs: sent earlier (on a loaded machine), it could reach
    # cgcli while it spawns the editor, leaving an editor that holds the pipes open.
    deadline = time.monotonic() + 30
    while not started.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert started.exists(), "the editor never started"
    os.killpg(proc.pid, signal.SIGINT)
    _out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == "cgcli: interrupted"
    assert len(err.strip().splitlines()) <= 2


def test_wheel_ships_the_facts_and_the_installed_package_finds_them(tmp_path):
    """`pip install .` (not editable): facts.toml is inside the package, found from any directory."""
    wheel_dir = tmp_path / "wheel"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheel_dir),
            str(REPO),
        ],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = wheel_dir.glob("*.whl")
    assert "cover_glass_cli/facts.toml" in zipfile.ZipFile(wheel).namelist()
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "cover_glass_cli", "exports", "--fy", "FY23", "--json"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["value"] == 90000
    where = subprocess.run(
        [sys.executable, "-c", "import cover_glass_cli.store as s; print(s.bundled_path())"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
    ).stdout
    assert where.strip().startswith(str(target))


def test_a_source_package_reached_through_a_link_finds_the_bundled_facts(tmp_path):
    """A checkout's src/cover_glass_cli linked into another folder on the path (a
    `--symlink` development install): the facts are found at the checkout's root."""
    package = REPO / "src" / "cover_glass_cli"
    if not package.is_dir() or (package / "facts.toml").exists():
        pytest.skip("needs a source checkout, whose facts.toml is at its root")
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "cover_glass_cli").symlink_to(package, target_is_directory=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(lib),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "cover_glass_cli", "exports", "--fy", "FY23", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["value"] == 90000


def test_an_editor_that_deletes_its_file_through_the_installed_command(tmp_path):
    """Editors: the edit fails clearly (exit 1), the user's file is as it was, no traceback."""
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    assert run_exe("facts", "init", env=env).returncode == 0
    user = tmp_path / "data" / "cgcli" / "facts.toml"
    before = user.read_bytes()
    script = tmp_path / "rm-editor.py"
    script.write_text("import os, sys\nos.unlink(sys.argv[1])\n")
    result = run_exe("facts", "edit", env={**env, "EDITOR": f"{sys.executable} {script}"})
    assert result.returncode == 1 and "no such file" in result.stderr
    assert "Traceback" not in result.stderr and user.read_bytes() == before


def test_injection_into_csv_through_the_installed_command(tmp_path):
    """Injection: a formula from the data reaches a spreadsheet as text."""
    path = write_facts(
        tmp_path / "f.toml",
        SOURCE
        + """
        [[companies]]
        id = "evil"
        name = "=HYPERLINK(\\"http://evil.example\\")"
        business = "glass"
        source = "src"
        """,
    )
    result = run_exe("companies", "--csv", "--fields", "id,name", env={"CGCLI_FACTS": str(path)})
    assert result.returncode == 0
    import csv
    import io

    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert rows[1] == ["evil", '\'=HYPERLINK("http://evil.example")']


ATEXIT = (
    "import atexit, sys; atexit.register(lambda: sys.stderr.write('atexit ran\\n')); "
    "sys.argv = ['cgcli', '--version']; "
)


@pytest.mark.parametrize(
    ("code", "env", "runs"),
    [
        ("from cover_glass_cli import script; script()", {}, False),
        ("from cover_glass_cli import script; script()", {"CGCLI_NO_FAST_EXIT": "1"}, True),
        (
            "from cover_glass_cli import script; script()",
            {"CGCLI_NO_FAST_EXIT": "Yes"},
            True,
        ),
        (
            "from cover_glass_cli import script; script()",
            {"CGCLI_NO_FAST_EXIT": "false"},
            False,
        ),
        ("from cover_glass_cli import script; script()", {"CGCLI_NO_FAST_EXIT": "0"}, False),
        ("from cover_glass_cli import main; main()", {}, True),
        ("import runpy; runpy.run_module('cover_glass_cli', run_name='__main__')", {}, True),
    ],
)
def test_only_the_console_script_skips_the_teardown(code, env, runs):
    """The `cgcli` script ends with os._exit unless CGCLI_NO_FAST_EXIT=1; main() and
    `python -m cover_glass_cli` exit the ordinary way, running atexit handlers."""
    result = subprocess.run(
        [sys.executable, "-c", ATEXIT + code],
        capture_output=True,
        text=True,
        env={**os.environ, "CGCLI_NO_FAST_EXIT": "", **env},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("cgcli, version ")
    assert ("atexit ran" in result.stderr) is runs


def test_the_module_can_be_profiled():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "cProfile",
            "-s",
            "cumulative",
            "-m",
            "cover_glass_cli",
            "--version",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "function calls" in result.stdout and "cli.py" in result.stdout


def test_an_exit_with_a_message_keeps_it():
    """SystemExit("...") prints its message and exits 1, as Python would, fast exit or not."""
    code = (
        "import cover_glass_cli as c\n"
        "def boom(): raise SystemExit('cgcli: boom')\n"
        "c._run = boom\n"
        "c.script()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (1, "cgcli: boom\n")


def test_files_written_before_a_fast_exit_are_whole(tmp_path):
    """facts add writes, renames and closes its file (and backup) before cgcli exits."""
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "CGCLI_NO_FAST_EXIT": ""}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    assert run_exe("facts", "init", env=env).returncode == 0
    added = run_exe(
        "facts",
        "add",
        "companies",
        "id=acme",
        "name=Acme",
        "business=glass",
        "source=jv-report",
        env=env,
    )
    assert added.returncode == 0, added.stderr
    folder = tmp_path / "data" / "cgcli"
    assert "Acme" in (folder / "facts.toml").read_text(encoding="utf-8")
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    listed = run_exe("companies", "--json", env=env)
    assert "acme" in {c["id"] for c in json.loads(listed.stdout)}
