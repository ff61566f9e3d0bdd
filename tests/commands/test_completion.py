"""Shell completion through a real bash: source the script, ask the completion function."""

from __future__ import annotations

import os
import shlex
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


def test_help_completes_the_commands_its_words_lead_to():
    assert set(complete("help", "ex")) == {"exports", "export"}
    assert "restore" in complete("help", "facts", "")
    assert complete("help", "exports", "") == []  # exports has no subcommands


def test_company_ids_and_names():
    # as bash inserts them: a name with spaces is one word
    assert set(complete("company", "c")) >= {"corning", "Corning\\ International\\ Corporation"}
    assert "optiemus" in complete("company", "opt")


def test_fiscal_years_in_the_data():
    assert complete("exports", "--fy", "") == [
        "2015",
        "2018",
        "2021",
        "2022",
        "2023",
        "2024",
        "2025",
    ]


def test_countries_and_statuses():
    assert "United\\ States" in complete("sites", "--country", "")
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
    assert set(complete("--facts", str(path), "company", "z")) == {"zeta", "Zeta\\ Glass"}
    assert (
        complete("--facts", str(tmp_path / "broken.toml"), "company", "z") == []
    )  # quietly nothing


def test_bash_inserts_a_value_with_a_space_as_one_word():
    (value,) = complete("sites", "--country", "Unit")
    assert value == "United\\ States"
    env = {**os.environ, "VALUE": value}
    words = subprocess.run(
        ["bash", "-c", 'eval "set -- $VALUE"; echo "$#:$1"'],
        capture_output=True,
        text=True,
        env=env,
    )
    assert words.stdout.strip() == "1:United States"  # as the command line will read it


def fish(line: str) -> list[str]:
    script = f"source (cgcli completion fish 2>/dev/null | psub); complete -C {shlex.quote(line)}"
    result = subprocess.run(
        ["fish", "--no-config", "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": os.path.dirname(cgcli_exe()) + os.pathsep + os.environ["PATH"]},
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.mark.skipif(shutil.which("fish") is None, reason="needs fish")
def test_fish_keeps_values_and_descriptions_with_commas():
    lines = fish("cgcli exports --fields id,peri")
    assert lines == ["id,period\tFY2023, or Q1 FY2024 for a quarter."]
    assert "United States" in [line.split("\t")[0] for line in fish("cgcli sites --country U")]


ZSH = r"""
compdef() { : }
_describe() { print -rl -- "${(@P)3}" }
compadd() { print -rl -- "${(@P)${@[-1]}}" }
source <(cgcli completion zsh 2>/dev/null)
words=("$@"); CURRENT=$#
_cgcli_completion
"""


@pytest.mark.skipif(shutil.which("zsh") is None, reason="needs zsh")
def test_zsh_offers_values_with_spaces_and_commas():
    """zsh's own script, run in zsh, with compadd and _describe showing what they receive."""

    def zsh(*words: str) -> list[str]:
        result = subprocess.run(
            ["zsh", "-f", "-c", ZSH, "zsh", "cgcli", *words],
            capture_output=True,
            text=True,
            env={
                **os.environ,
                "PATH": os.path.dirname(cgcli_exe()) + os.pathsep + os.environ["PATH"],
            },
            timeout=30,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()

    assert "United States" in zsh("sites", "--country", "U")
    assert "id,period:FY2023, or Q1 FY2024 for a quarter." in zsh("exports", "--fields", "id,peri")
