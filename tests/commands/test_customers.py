"""cgcli customers: the customers named for each supplier."""

from __future__ import annotations


def test_customers(run):
    data = run.json("customers", "--company", "opti", "--json")
    assert [c["name"] for c in data] == ["Oppo", "OnePlus", "LG", "HTC", "Jio"]
    assert all(c["supplier"] == "optiemus" and c["source"] == "jv-report" for c in data)
