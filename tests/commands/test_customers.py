"""cgcli customers: the customers named for each supplier."""

from __future__ import annotations


def test_customers(run):
    data = run.json("customers", "--company", "opti", "--json")
    assert [c["name"] for c in data] == ["Oppo", "OnePlus", "LG", "HTC", "Jio"]
    assert all(c["supplier"] == "optiemus" and c["source"] == "jv-report" for c in data)


def test_the_table_says_the_list_may_not_be_complete(run):
    out = run.wide("customers").stdout
    assert "the report does not say the list is complete" in out
    assert "Note (optiemus-oppo, optiemus-oneplus, optiemus-lg, optiemus-htc, optiemus-jio)" in out
