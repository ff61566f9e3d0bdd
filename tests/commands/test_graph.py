"""cgcli graph: Mermaid by default, DOT on request, one company's neighbourhood, exit 1 for
a company that is not in the data, and data that cannot break the output."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import SOURCE, write_facts


def test_default_is_mermaid_with_every_company(run):
    result = run("graph")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("flowchart LR\n")
    for name in ("Optiemus Infracom", "Corning International Corporation", "Oppo", "Japan"):
        assert name in result.stdout
    assert result.stderr == ""


def test_company_narrows_to_its_neighbourhood(run):
    whole = run("graph").stdout
    optiemus = run("graph", "--company", "optiemus").stdout
    assert "Oppo" in optiemus and "Japan" not in optiemus  # Corning's own sites are left out
    assert len(optiemus.splitlines()) < len(whole.splitlines())
    assert run("graph", "--company", "Corn").stdout == run("graph", "--company", "corning").stdout


def test_unknown_company_exits_1_with_the_known_ones(run):
    result = run("graph", "--company", "nokia")
    assert result.exit_code == 1
    assert "nokia" in result.stderr and "optiemus" in result.stderr
    assert result.stdout == ""


def test_unknown_format_is_a_usage_error(run):
    assert run("graph", "--format", "svg").exit_code == 2


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` not installed")
def test_hostile_fact_file_still_renders_with_graphviz(run, tmp_path):
    nasty = '"]; evil[label="x } \\" \\\\N <b>'
    text = json.dumps(nasty)
    path = write_facts(
        tmp_path / "f.toml",
        SOURCE
        + f"""
        [[companies]]
        id = "acme"
        name = {text}
        business = "b"
        source = "src"

        [[customers]]
        id = "c"
        supplier = "acme"
        name = {text}
        source = "src"
        """,
    )
    result = run("--facts", str(path), "graph", "--format", "dot")
    assert result.exit_code == 0, result.output
    done = subprocess.run(
        ["dot", "-Tplain"], input=result.stdout, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    assert [line.split()[0] for line in done.stdout.splitlines()].count("node") == 2
    mermaid = run("--facts", str(path), "graph").stdout
    assert len(mermaid.splitlines()) == 1 + 2 + 1  # header, two nodes, one edge
