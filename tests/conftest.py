"""Shared fixtures: a clean environment per test, a CliRunner bound to cgcli, fact-file helpers."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cover_glass_cli.cli import cli
from cover_glass_cli.domain.registry import kinds
from cover_glass_cli.store import bundled_path

REPO = Path(__file__).resolve().parent.parent
KINDS = {k.name: k.fields for k in kinds().values()}  # each kind's stored fields
FIELD_MAP = {k.name: k.field_map for k in kinds().values()}


# A suite started in the background by a non-interactive shell inherits Ctrl-C ignored, and
# so would every cgcli it starts: the tests of Ctrl-C need it delivered.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def _report() -> Path:
    """The news report the bundled facts are anchored to. The package does not ship it:
    it lies in shared/ beside the repository (a worktree sits one folder deeper)."""
    for base in (REPO.parent, REPO.parent.parent):
        path = base / "shared" / "source" / "jv-announcement-report.txt"
        if path.is_file():
            return path
    return REPO.parent / "shared" / "source" / "jv-announcement-report.txt"


REPORT = _report()


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No colour, 80 columns, and data/cache folders of the test's own."""
    for name in list(os.environ):
        if name.startswith("CGCLI_") or name in ("FORCE_COLOR", "CLICOLOR_FORCE"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("CGCLI_DEBUG", "1")  # a bug shows its traceback in the test report
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    from cover_glass_cli.domain.figures import set_grouping

    set_grouping("indian")  # a run with --numbers international leaves its setting behind
    return tmp_path


class Runner:
    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(
        self, *args: str, input: str | None = None, env: dict[str, str] | None = None
    ) -> Result:
        return self.runner.invoke(
            cli, list(args), input=input, env=env, catch_exceptions=False, prog_name="cgcli"
        )

    def wide(self, *args: str) -> Result:
        """A table drawn 250 columns wide, so that each value stays on one line."""
        result = self(*args, env={"COLUMNS": "250"})
        assert result.exit_code == 0, result.output
        return result

    def json(self, *args: str) -> Any:
        result = self(*args)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


@pytest.fixture
def run() -> Runner:
    return Runner()


@pytest.fixture
def disk_full(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call it to make every atomic write from then on fail as on a full disk, at the
    rename that would put the new file in place (monkeypatch.undo() ends it)."""
    import errno

    from cover_glass_cli.store import writer

    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    def fill() -> None:
        monkeypatch.setattr(writer.os, "replace", full)

    return fill


@pytest.fixture
def user_file(clean_env: Path) -> Path:
    return clean_env / "data" / "cgcli" / "facts.toml"


def write_facts(path: Path, body: str, *, version: int = 1) -> Path:
    """A fact file: BODY (dedented) after schema_version."""
    path.write_text(f"schema_version = {version}\n\n" + textwrap.dedent(body), encoding="utf-8")
    return path


SOURCE = """
[[sources]]
id = "src"
title = "A test source"
kind = "test"
"""

EXPORT = """
[[exports]]
id = "e1"
country = "India"
product = "phones"
fy = 2023
value = 10
unit = "INR crore"
qualifier = "exact"
source = "src"
"""


# `cgcli facts add` of the FY2024 exports figure: the write that the facts and writer tests make.
ADD_FY2024 = [
    "facts",
    "add",
    "exports",
    "fy=FY24",
    "value=128000",
    "unit=crore",
    "qualifier=over",
    "country=India",
    "product=mobile phones",
    "source=jv-report",
]


def report_facts_text() -> str:
    """The bundled facts that cite the report alone (and its source): the data as it was
    before the later sources, for tests written about the report's own figures."""
    import tomllib

    import tomli_w

    data = tomllib.loads(bundled_path().read_text(encoding="utf-8"))
    kept: dict[str, Any] = {"schema_version": data["schema_version"]}
    for kind, records in data.items():
        if isinstance(records, list):
            mine = [r for r in records if r.get("source", r["id"]) == "jv-report"]
            if mine:
                kept[kind] = mine
    return tomli_w.dumps(kept)


@pytest.fixture
def report_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """CGCLI_FACTS set to the report's facts alone (report_facts_text)."""
    path = tmp_path / "report-only.toml"
    path.write_text(report_facts_text(), encoding="utf-8")
    monkeypatch.setenv("CGCLI_FACTS", str(path))
    return path


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    path = tmp_path / "bundled-copy.toml"
    shutil.copy(bundled_path(), path)
    return path


def cgcli_exe() -> str:
    """The installed console script of the environment running the tests."""
    exe = Path(sys.executable).parent / "cgcli"
    found = str(exe) if exe.exists() else shutil.which("cgcli")
    assert found, "cgcli is not installed in this environment"
    return found


def run_exe(
    *args: str, env: dict[str, str] | None = None, input: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run the installed cgcli like a user would; PYTHONUNBUFFERED removed (it hides pipe bugs)."""
    full_env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    full_env.update(env or {})
    return subprocess.run(
        [cgcli_exe(), *args],
        capture_output=True,
        text=True,
        env=full_env,
        input=input,
        timeout=timeout,
    )
