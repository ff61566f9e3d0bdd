"""cgcli sources: each source and every record that cites it."""

from __future__ import annotations


def test_sources_list_citing_records(run):
    (source,) = run.json("sources", "--json")
    total = sum(
        len(run.json(cmd, "--json"))
        for cmd in (
            "companies",
            "people",
            "statements",
            "sites",
            "customers",
            "exports",
            "value-addition",
            "market-facts",
            "venture",
        )
    )
    assert len(source["cited_by"]) == total
    assert "exports:exports-fy2023" in source["cited_by"]
