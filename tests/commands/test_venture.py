"""cgcli venture: the joint venture, as a table and as JSON."""

from __future__ import annotations


def test_venture(run):
    result = run.wide("venture")
    for text in ("Optiemus Infracom", "Corning International Corporation", "India", "operating"):
        assert text in result.stdout
    data = run.json("venture", "--json")
    assert data[0]["partners"] == ["optiemus", "corning"]
    assert data[0]["goal_years"] == 5
    assert data[0]["country"] == "India"
    # the plant's claims, from the report's "planned" to "operating" since its inauguration
    assert [s["status"] for s in data[0]["sites"] if s["best"]] == ["operating"]
    assert data[0]["sites"][0]["status"] == "planned"


def test_the_venture_view_shows_each_subject_once_its_best_claim(run):
    out = run.wide("venture").stdout
    section = out.split("Venture facts", 1)[1].split("Sources", 1)[0]
    assert "840 jobs (bs-2024-01-23)" in section
    assert "500–700" not in section and "30%  (livemint" not in section
    assert section.count("Optiemus Infracom stake") == 1

    timeline = out.split("Events", 1)[1].split("Venture facts", 1)[0]
    assert timeline.count("announced") == 1 and "2024-Q4" not in timeline
    assert "2025-12     operations start (expected)" in timeline
    plant = out.split("Sites", 1)[1].split("Statements", 1)[0]
    assert "jv-india-plant-bs-2025-12-05" in plant and "Noida" not in plant


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
