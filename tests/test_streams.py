"""Pipes, closed streams, full disks, signals and big tables, through the installed cgcli."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from conftest import SOURCE, cgcli_exe, run_exe, write_facts


@pytest.fixture
def many(tmp_path):
    """A fact file with enough exports to fill a pipe's buffer many times over."""
    blocks = "".join(
        f"""
        [[exports]]
        id = "x{i}"
        country = "Country {i % 7}"
        product = "phones"
        fy = {2000 + i % 40}
        quarter = {1 + i % 4}
        value = {i}
        unit = "INR crore"
        qualifier = "exact"
        source = "src"
        """
        for i in range(3000)
    )
    return write_facts(tmp_path / "many.toml", SOURCE + blocks)


def piped_to_head(*args: str, env: dict[str, str]) -> tuple[int, str]:
    """ARGS' output read one line, then the pipe closed: (cgcli's status, its stderr)."""
    full = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    proc = subprocess.Popen(
        [cgcli_exe(), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**full, **env},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    return proc.wait(timeout=60), err


@pytest.mark.parametrize("fmt", ["json", "ndjson", "csv", "tsv", "markdown", "table"])
def test_a_reader_that_goes_away_ends_every_format_the_same_quiet_way(many, fmt):
    args = ["exports", "--format", fmt] + (["--fy", "2001..2003"] if fmt == "table" else [])
    status, err = piped_to_head(*args, env={"CGCLI_FACTS": str(many), "COLUMNS": "80"})
    assert (status, err) == (141, "")


def test_standard_output_closed_or_full_is_a_message_not_a_traceback():
    closed = subprocess.run(
        [cgcli_exe(), "companies"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert closed.returncode == 0  # /dev/null takes anything
    for fmt in ("table", "json"):
        with open("/dev/full", "w") as full:
            result = subprocess.run(
                [cgcli_exe(), "companies", "--format", fmt],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
            )
        assert result.returncode == 74, result.stderr
        assert result.stderr.strip() == "cgcli: cannot write output: No space left on device"
    shut = subprocess.run(
        f"{cgcli_exe()} companies >&-", shell=True, stderr=subprocess.PIPE, text=True
    )
    assert shut.returncode == 74 and "standard output is closed" in shut.stderr
    assert "Traceback" not in shut.stderr
    quiet = subprocess.run(f"{cgcli_exe()} companies --json 2>&- >/dev/null", shell=True)
    assert quiet.returncode == 0  # no stderr needed, none missed


def test_ctrl_c_at_any_moment_is_one_line_and_130():
    outcomes = set()
    for delay in [0.005, 0.02, 0.04, 0.06, 0.08, 0.1, 0.15, 0.2, 0.3]:
        proc = subprocess.Popen(
            [cgcli_exe(), "companies", "--json"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        ours = f"{os.sep}cover_glass_cli{os.sep}"  # a frame in one of the package's files
        if "Traceback" in err and ours not in err:
            continue  # inside Python's own start-up (site, the console-script stub's imports)
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, (delay, err)
        if proc.returncode == -signal.SIGINT:  # before Python itself had started: a shell
            assert err == ""  # reports 130 for it, as for any program killed by Ctrl-C
        elif proc.returncode != 0:  # else it may have finished first
            assert (proc.returncode, err) == (130, "cgcli: interrupted\n"), delay
        outcomes.add(proc.returncode)
    assert 130 in outcomes


def test_a_table_too_big_to_read_is_refused_with_advice_fast(many, monkeypatch):
    from cover_glass_cli.ui import output

    monkeypatch.setattr(output, "MAX_TABLE_ROWS", 1000)
    from click.testing import CliRunner

    from cover_glass_cli.cli import cli

    result = CliRunner().invoke(cli, ["--facts", str(many), "exports"])
    assert result.exit_code == 2 and result.stdout == ""
    assert "3,000 rows are too many for a table" in result.stderr and "--csv" in result.stderr
    assert CliRunner().invoke(cli, ["--facts", str(many), "exports", "--csv"]).exit_code == 0
    limited = CliRunner().invoke(cli, ["--facts", str(many), "exports", "--limit", "5"])
    assert limited.exit_code == 0, limited.output  # --limit makes a table of it


def test_cgcli_alone_prints_help_and_a_typo_is_suggested():
    alone = run_exe()
    assert alone.returncode == 0 and alone.stdout.startswith("Usage: cgcli")
    typo = run_exe("compnies")
    assert typo.returncode == 2 and "Did you mean companies" in typo.stderr


def test_stderr_closed_or_full_keeps_the_exit_status_and_stdout_clean():
    usage = subprocess.run(
        f"{cgcli_exe()} --bogus 2>&-", shell=True, capture_output=True, text=True, timeout=30
    )
    assert usage.returncode == 2 and usage.stdout == ""  # the message never lands in data
    with open("/dev/full", "w") as full:
        bad = subprocess.run(
            [cgcli_exe(), "--facts", "/nonexistent.toml", "companies"], stderr=full, timeout=30
        )
    assert bad.returncode == 3
