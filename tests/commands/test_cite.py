"""cgcli cite: a citation in each style."""

from __future__ import annotations

import json


def test_cite_styles(run):
    text = run("cite", "exports-fy2023").stdout
    assert text.startswith(
        "India's exports of mobile phones, FY2023 (Apr 2022 - Mar 2023, by the Indian "
        "fiscal-year convention): > ₹90,000 crore (exports:exports-fy2023). "
        "Source: [Optiemus partners with Corning International to produce smartphone glass]. "
        "news report; Business Standard; 2023-09-01. https://www.business-standard.com/"
    )
    md = run("cite", "corning", "--style", "markdown").stdout
    assert md.startswith("**Corning International Corporation**")
    bib = run("cite", "va-china", "--style", "bibtex").stdout
    assert bib.startswith("@misc{cgcli-va-china,") and bib.rstrip().endswith("}")
    assert run("cite", "no-such-id").exit_code == 1


def hostile_source(tmp_path, title: str, location: str, name: str = "Acme"):
    from conftest import write_facts

    return write_facts(
        tmp_path / "f.toml",
        f"""
        [[sources]]
        id = "s"
        title = {json.dumps(title)}
        kind = "report"
        location = {json.dumps(location)}

        [[companies]]
        id = "x"
        name = {json.dumps(name)}
        business = "glass"
        source = "s"
        """,
    )


def test_bibtex_fields_cannot_be_injected_and_urls_stay_verbatim(run, tmp_path):
    from pybtex.database import parse_string

    title = 'T}, author = "Mallory", x = {'
    url = "https://example.org/a_b%20c?q=1"
    path = hostile_source(tmp_path, title, url)
    result = run("--facts", str(path), "cite", "x", "--style", "bibtex")
    assert result.exit_code == 0
    (entry,) = parse_string(result.stdout, "bibtex").entries.values()
    assert set(entry.fields) == {"title", "howpublished", "url", "note"}  # no author, no x
    assert not entry.persons
    assert entry.fields["url"] == url  # biblatex takes URLs verbatim: no \\_ or \\%


def test_markdown_citation_is_text_and_links_only_the_web(run, tmp_path):
    from markdown_it import MarkdownIt

    for location in ("javascript:alert(1)", "https://example.org/x"):
        path = hostile_source(
            tmp_path, "Title](http://evil.example) <script>x</script>", location, name="<b>"
        )
        md = run("--facts", str(path), "cite", "x", "--style", "markdown").stdout
        html = MarkdownIt("commonmark").render(md)
        assert "<script" not in html and "<b>" not in html and 'evil.example"' not in html
        hrefs = [part.split('"')[0] for part in html.split('href="')[1:]]
        assert hrefs == ([] if location.startswith("javascript") else [location])


def test_a_title_of_ours_is_marked_as_ours(run):
    """The report's title is ours (from the address): never presented as its headline,
    and it no longer says both companies announced."""
    bib = run("cite", "va-china", "--style", "bibtex").stdout
    assert "title = {[Optiemus partners with Corning International" in bib
    assert "the title is cgcli's, the page shows no headline" in bib
    assert "announce" not in bib.split("title = ")[1].split("\n")[0]
    md = run("cite", "corning", "--style", "markdown").stdout
    assert "[\\[Optiemus partners" in md


def test_cite_keeps_the_inferred_mark(run):
    text = run("cite", "exports-fy2024-q1").stdout
    assert "[fy inferred, not stated: The report names only 'the April-June quarter'" in text
    assert "Indian fiscal-year convention" in text  # the months are ours


def test_cite_names_who_made_a_statement(run):
    assert run("cite", "goal-top-maker").stdout.startswith("Ashok Kumar Gupta, on goal: ")
    inferred = run("cite", "world-class-facility").stdout
    assert inferred.startswith("Optiemus Infracom (speaker inferred), on facility: ")
