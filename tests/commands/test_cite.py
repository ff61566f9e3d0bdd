"""cgcli cite: a citation in each style."""

from __future__ import annotations


def test_cite_styles(run):
    text = run("cite", "exports-fy2023").stdout
    assert text.startswith(
        "India's exports of mobile phones, FY2023: > ₹90,000 crore (exports:exports-fy2023). "
        "Source: Optiemus and Corning announce"
    )
    assert "shared/source/jv-announcement-report.txt" in text
    md = run("cite", "corning", "--style", "markdown").stdout
    assert md.startswith("**Corning International Corporation**")
    bib = run("cite", "va-china", "--style", "bibtex").stdout
    assert bib.startswith("@misc{cgcli-va-china,") and bib.rstrip().endswith("}")
    assert run("cite", "no-such-id").exit_code == 1
