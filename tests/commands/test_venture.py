"""cgcli venture: the joint venture, as a table and as JSON."""

from __future__ import annotations


def test_venture(run):
    result = run.wide("venture")
    for text in ("Optiemus Infracom", "Corning International Corporation", "India", "planned"):
        assert text in result.stdout
    data = run.json("venture", "--json")
    assert data[0]["partners"] == ["optiemus", "corning"]
    assert data[0]["goal_years"] == 5
    assert data[0]["country"] == "India"
    assert [s["status"] for s in data[0]["sites"]] == ["planned"]


def test_venture_says_who_announced_it_and_whose_goal_it_is(run):
    """The report: Optiemus announced; the goal is its chairman's 'we intend to'."""
    out = run.wide("venture").stdout
    assert "announced by  Optiemus Infracom" in out
    (venture,) = run.json("venture", "--json")
    assert venture["announced_by_name"] == "Optiemus Infracom"
    assert "goal" in venture["inferred"] and "we intend to" in venture["note"]


def test_statements_with_an_inferred_speaker_are_marked_in_detail_views(run):
    """'The company said' names no speaker: the statements shown under the venture and the
    company say the speaker is inferred, as `cgcli statements` does."""
    for args in (("venture",), ("company", "optiemus")):
        out = run.wide(*args).stdout
        assert "Optiemus Infracom (speaker inferred)" in out, args
        assert "Ashok Kumar Gupta (speaker inferred)" not in out  # he is named
