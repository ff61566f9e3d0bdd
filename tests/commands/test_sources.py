"""cgcli sources: each source and every record that cites it."""

from __future__ import annotations


def test_sources_list_citing_records(run):
    sources = {s["id"]: s for s in run.json("sources", "--json")}
    stored = run.json("export", "--format", "json")
    for sid, source in sources.items():
        citing = [
            f"{kind}:{r['id']}"
            for kind, records in stored.items()
            if isinstance(records, list)
            for r in records
            if r.get("source") == sid
        ]
        assert sorted(source["cited_by"]) == sorted(citing), sid
    assert "exports:exports-fy2023" in sources["jv-report"]["cited_by"]
    assert "events:jv-inaugurated" in sources["wion-2025-12-05"]["cited_by"]


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
