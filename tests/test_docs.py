"""docs/evidence.md shows what the program prints: each `cgcli cite` example is run again."""

from __future__ import annotations

import re
import shlex

import pytest
from conftest import REPO, REPORT


def examples() -> list[tuple[str, str]]:
    """(command, output) of each `$ cgcli cite ...` line of docs/evidence.md's console blocks."""
    text = (REPO / "docs" / "evidence.md").read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        parts = re.split(r"^\$ (cgcli cite .*)$", block, flags=re.M)
        found += [(parts[i], parts[i + 1].strip("\n")) for i in range(1, len(parts) - 1, 2)]
    return found


def test_the_cite_examples_are_there():
    assert len(examples()) >= 2


@pytest.mark.parametrize(("command", "output"), examples())
def test_each_cite_example_prints_what_the_docs_say(run, command, output):
    if not REPORT.is_file():
        pytest.skip("the report is not beside the repository")
    result = run(*shlex.split(command)[1:], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert result.stdout.strip("\n") == output
