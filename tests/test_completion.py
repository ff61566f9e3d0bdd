"""Shell completion through a real bash: source the script, ask the completion function."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from conftest import cgcli_exe, run_exe

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")

ASK = r"""
source <("$CGCLI" completion bash 2>/dev/null)
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
COMPREPLY=()
_cgcli_completion cgcli
printf '%s\n' "${COMPREPLY[@]}"
"""


def complete(*words: str) -> list[str]:
    env = {
        **os.environ,
        "CGCLI": cgcli_exe(),
        "PATH": os.path.dirname(cgcli_exe()) + os.pathsep + os.environ["PATH"],
    }
    result = subprocess.run(
        ["bash", "-c", ASK, "bash", "cgcli", *words],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line]


def test_script_and_install_hint():
    result = run_exe("completion", "bash")
    assert "_cgcli_completion" in result.stdout and "complete " in result.stdout
    assert "bashrc" in result.stderr
    for shell in ("zsh", "fish"):
        assert run_exe("completion", shell).stdout.strip()


def test_commands():
    assert set(complete("ex")) == {"exports", "export"}


def test_company_ids_and_names():
    assert set(complete("company", "c")) >= {"corning", "Corning International Corporation"}
    assert "optiemus" in complete("company", "opt")


def test_fiscal_years_in_the_data():
    assert complete("exports", "--fy", "") == ["2022", "2023", "2024"]


def test_countries_and_statuses():
    assert "United States" in complete("sites", "--country", "")
    assert complete("sites", "--status", "") == ["planned", "operating"]


def test_kinds_and_fields():
    assert "value-addition" in complete("fields", "")
    assert "market-facts" in complete("search", "--kind", "m")
    assert complete("exports", "--fields", "id,growth_c") == [
        "id,growth_computed_pct",
        "id,growth_computed_qualifier",
        "id,growth_computed_low",
        "id,growth_computed_high",
        "id,growth_computed_text",
        "id,growth_computed_note",
        "id,growth_check",
    ]


def test_completion_follows_facts_option(tmp_path):
    from conftest import SOURCE, write_facts

    path = write_facts(
        tmp_path / "f.toml",
        SOURCE
        + """
        [[companies]]
        id = "zeta"
        name = "Zeta Glass"
        business = "glass"
        source = "src"
    """,
    )
    assert set(complete("--facts", str(path), "company", "z")) == {"zeta", "Zeta Glass"}
    assert (
        complete("--facts", str(tmp_path / "broken.toml"), "company", "z") == []
    )  # quietly nothing
