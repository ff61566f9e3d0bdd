"""cgcli sources: each source as a reader knows it, grouped by origin, and every record
that cites it."""

from __future__ import annotations

from conftest import write_facts


def test_sources_list_citing_records(run):
    found = run.json("sources", "--json")
    total = sum(
        len(run.json(cmd, "--json", "--all-claims"))
        for cmd in (
            "companies",
            "people",
            "statements",
            "sites",
            "customers",
            "exports",
            "value-addition",
            "market-facts",
        )
    ) + len(run.json("venture", "--json"))
    assert sum(s["cited_by_count"] for s in found) >= total
    by_id = {s["id"]: s for s in found}
    assert "exports:exports-fy2023" in by_id["jv-report"]["cited_by"]


def test_the_report_is_what_it_is(run):
    """The bundled report is Business Standard's of 2023-09-01, at its address; the title is
    ours (from the address) and marked so, and Optiemus, not both companies, announced."""
    (report,) = [s for s in run.json("sources", "--json") if s["id"] == "jv-report"]
    assert report["publisher"] == "Business Standard"
    assert report["published"] == "2023-09-01"
    assert report["url"].startswith("https://www.business-standard.com/")
    assert "title" in report["inferred"]
    assert "announce" not in report["title"].casefold()  # the old title said both announced
    assert report["origin"] == "Optiemus"


def test_reports_of_one_origin_are_grouped_and_counted_once(run):
    """Wire copies and reports of one statement are listed together, with a line that says
    how many reports one origin has."""
    table = run.wide("sources").stdout
    assert "reports, 1 origin: ICEA (via PTI: 3)" in table
    assert "3 reports, 1 origin: CDS study" in table
    found = run.json("sources", "--json")
    origins = [s["origin_label"] for s in found]
    # every origin's sources are next to each other
    seen: list[str] = []
    for s in found:
        key = (s["origin"] or s["id"]).casefold()
        if seen and seen[-1] == key:
            continue
        assert key not in seen, origins
        seen.append(key)
    cds = [s for s in found if s["origin"] == "CDS study"]
    assert {s["origin_reports"] for s in cds} == {3}
    assert sorted(cds[0]["same_origin"] + [cds[0]["id"]]) == sorted(s["id"] for s in cds)
    moneycontrol = next(s for s in found if s["id"] == "moneycontrol-2023-04-12")
    assert moneycontrol["origin_label"] == "ICEA via PTI"


def test_a_voice_outside_the_list_is_refused(run, tmp_path):
    path = write_facts(
        tmp_path / "f.toml",
        """
        [[sources]]
        id = "s"
        title = "t"
        kind = "news report"
        voice = "rumour"
        """,
    )
    result = run("--facts", str(path), "validate")
    assert result.exit_code == 1
    assert "voice: unknown value 'rumour'" in result.stdout + result.stderr


def test_a_source_without_origin_is_its_own(run, tmp_path):
    path = write_facts(
        tmp_path / "f.toml",
        """
        [[sources]]
        id = "a"
        title = "t"
        kind = "news report"

        [[sources]]
        id = "b"
        title = "u"
        kind = "news report"
        origin = "ICEA"
        via = "PTI"
        """,
    )
    found = run.json("--facts", str(path), "sources", "--json")
    assert [(s["id"], s["origin_label"], s["origin_reports"]) for s in found] == [
        ("a", "a", 1),
        ("b", "ICEA via PTI", 1),
    ]


def test_a_row_shows_the_count_and_the_first_records_the_rest_by_page(run, tmp_path):
    """At any size the row holds a count and the first 50 ids, from an index."""
    from conftest import EXPORT, SOURCE, write_facts

    body = "".join(
        EXPORT.replace('"e1"', f'"e{i}"').replace("2023", str(1950 + i)) for i in range(120)
    )
    path = write_facts(tmp_path / "f.toml", SOURCE + body)
    (source,) = run.json("--facts", str(path), "sources", "--json")
    assert source["cited_by_count"] == 120
    assert source["cited_by"] == [f"exports:e{i}" for i in range(50)]
    pages = [
        run.json("--facts", str(path), "sources", "--cited-by", "src", "--page", str(n), "--json")
        for n in (1, 2, 3)
    ]
    assert [p["count"] for p in pages] == [120] * 3 and pages[2]["pages"] == 3
    assert [rid for p in pages for rid in p["cited_by"]] == [f"exports:e{i}" for i in range(120)]
    result = run("--facts", str(path), "sources", "--cited-by", "src", "--page", "2")
    assert result.stdout.split() == [f"exports:e{i}" for i in range(50, 100)]
    empty = run("--facts", str(path), "sources", "--cited-by", "src", "--page", "4")
    assert empty.exit_code == 1 and "empty" in empty.stderr
    unknown = run("--facts", str(path), "sources", "--cited-by", "nope")
    assert unknown.exit_code == 1 and "no source has id 'nope'" in unknown.stderr
