"""cgcli search: every kind, every word, grep-like exit status."""

from __future__ import annotations

import json


def test_search_any_kind(run):
    data = run.json("search", "gorilla", "--json")
    kinds = {r["kind"] for r in data}
    assert kinds == {"companies", "sites", "sources"}  # sources by their address
    assert all("record" in r and "matched_fields" in r for r in data)


def test_search_all_words_must_match(run):
    data = run.json("search", "chairman", "ashok", "--json")
    # the person, and his statement of the goal (speaker Ashok Kumar Gupta, "the chairman says")
    assert [r["id"] for r in data] == ["ashok-kumar-gupta", "goal-top-maker"]
    found = run.json("search", "chairman", "ashok", "kumar", "--json")
    assert found[0]["id"] == "ashok-kumar-gupta"


def test_search_nothing_exits_1_like_grep(run):
    result = run("search", "zzzz-nothing", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == []
    assert run("search", "zzzz-nothing").stdout == ""
