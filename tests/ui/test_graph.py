"""The relationship graph: built from the facts, written as Mermaid and DOT that no label
can break. Mermaid is parsed line by line with its grammar for the shapes we write;
DOT is rendered by Graphviz itself when it is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cover_glass_cli.domain.facts import Facts
from cover_glass_cli.domain.problems import NotShown
from cover_glass_cli.store import bundled_path
from cover_glass_cli.ui.graph import (
    Graph,
    around_company,
    build,
    dot_string,
    one_line,
    to_dot,
    to_mermaid,
)

HOSTILE = [
    '"]; evil[label="x',
    "}",
    "{{",
    "line one\nline two\r\nthree",
    "back\\slash \\N \\l \\",
    "<b>html</b> & <script>x</script>",
    "#quot; #35; #lt;",
    "`markdown`",
    "%% comment",
    "a -->|x| b",
    "end",
    "o",
    "X<&>\"'$x^2$",
    "\ufffe\uffff\x00\x1b[31m",
    "\u202eevil\u202c",
]

ID = r"[a-z][a-z0-9_]*"
SHAPES = {
    "company": (r"\[", r"\]"),
    "venture": (r"\{\{", r"\}\}"),
    "site": (r"\[\(", r"\)\]"),
    "customer": (r"\(", r"\)"),
    "person": (r"\(\[", r"\]\)"),
}
NODE_LINE = re.compile(
    "|".join(
        rf"(?P<{kind}>^    (?P<{kind}_id>{kind}_[a-z0-9_]+){o}\"(?P<{kind}_label>[^\"<>`\n]*)\"{c}$)"
        for kind, (o, c) in SHAPES.items()
    )
)
EDGE_LINE = re.compile(rf"^    ({ID}) -->\|([a-z ]+)\| ({ID})$")
ENTITIES = {"#quot;": '"', "#lt;": "<", "#gt;": ">", "#amp;": "&", "#96;": "`", "#35;": "#"}


def parse_mermaid(text: str) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str, str]]]:
    """Nodes (id -> kind, decoded label) and edges of a flowchart; fails on any other line."""
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    nodes: dict[str, tuple[str, str]] = {}
    edges = []
    for line in lines[1:]:
        if m := NODE_LINE.match(line):
            kind = next(k for k in SHAPES if m.group(k))
            label = re.sub(r"#\w+;", lambda e: ENTITIES[e.group()], m.group(f"{kind}_label"))
            assert m.group(f"{kind}_id") not in nodes, line
            nodes[m.group(f"{kind}_id")] = (kind, label)
        elif m := EDGE_LINE.match(line):
            edges.append((m.group(1), m.group(2), m.group(3)))
        else:
            pytest.fail(f"not a node or edge line: {line!r}")
    for source, _, target in edges:
        assert source in nodes and target in nodes
    return nodes, edges


def bundled() -> Facts:
    data = tomllib.loads(bundled_path().read_text(encoding="utf-8"))
    records = {k: v for k, v in data.items() if isinstance(v, list)}
    return Facts(["facts.toml"], records, {k: [0] * len(v) for k, v in records.items()})


def facts_named(name: str) -> Facts:
    """A small world in which every label comes from NAME."""
    records = {
        "companies": [
            {"id": "acme", "name": name, "business": name},
            {"id": "beta", "name": name + "2", "business": "b"},
        ],
        "ventures": [{"id": "jv", "name": name, "partners": ["acme", "beta"]}],
        "sites": [
            {"id": "s1", "operator": "jv", "country": name, "status": "planned", "makes": name}
        ],
        "customers": [{"id": "c1", "supplier": "acme", "name": name}],
        "people": [{"id": "p1", "name": name, "title": name, "company": "acme"}],
    }
    return Facts(["f.toml"], records, {k: [0] * len(v) for k, v in records.items()})


def test_the_bundled_ties_are_all_there():
    data = tomllib.loads(bundled_path().read_text(encoding="utf-8"))
    nodes, edges = parse_mermaid(to_mermaid(build(bundled())))
    names = {label for _, label in nodes.values()}
    assert {c["name"] for c in data["companies"]} <= names
    assert {c["name"] for c in data["customers"]} <= names
    by_label = {label: nid for nid, (_, label) in nodes.items()}
    venture = by_label[data["ventures"][0]["name"]]
    for partner in data["ventures"][0]["partners"]:
        company = next(c["name"] for c in data["companies"] if c["id"] == partner)
        assert (by_label[company], "partner of", venture) in edges
    supplies = [e for e in edges if e[1] == "supplies"]
    operates = [e for e in edges if e[1] == "operates"]
    assert len(supplies) == len(data["customers"])
    assert len(operates) == len(data["sites"])
    assert sum(1 for kind, _ in nodes.values() if kind == "site") == len(data["sites"])
    assert any(e[1] == "works for" for e in edges)


def test_neighbourhood_of_one_company():
    facts = bundled()
    whole = build(facts)
    corning = around_company(facts, "corning")
    labels = {n.label for n in corning.nodes.values()}
    assert "Corning International Corporation" in labels
    assert "Optiemus Infracom" in labels  # the other partner of its venture
    assert "Oppo" not in labels  # Optiemus's customer, two steps away
    assert len(corning.nodes) < len(whole.nodes)
    centre = {"company_corning", "venture_optiemus_corning_jv"}
    assert all(e.source in centre or e.target in centre for e in corning.edges)
    with pytest.raises(NotShown):
        around_company(facts, "no such company")


def test_ids_are_safe_and_unique_even_when_record_ids_collide():
    g = Graph()
    ids = [g.add("company", rid, rid) for rid in ("a-b", "a_b", "a.b", "A B", "a_b_2", "é")]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(ID, i) for i in ids)
    assert g.add("company", "a-b", "again") == ids[0]  # stable for the same record


def test_customers_shared_by_two_suppliers_are_one_node():
    facts = facts_named("Acme")
    facts["customers"].append({"id": "c2", "supplier": "beta", "name": "ACME"})
    g = build(facts)
    customers = [n for n in g.nodes.values() if n.kind == "customer"]
    assert len(customers) == 1
    assert len([e for e in g.edges if e.relation == "supplies"]) == 2


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_labels_keep_mermaid_intact(name):
    nodes, edges = parse_mermaid(to_mermaid(build(facts_named(name))))
    assert len(nodes) == 6 and len(edges) == 5
    assert any(label == one_line(name) for _, label in nodes.values())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=40))  # an empty name falls back to the record id
def test_any_label_keeps_mermaid_intact(name):
    nodes, edges = parse_mermaid(to_mermaid(build(facts_named(name))))
    assert len(nodes) == 6 and len(edges) == 5
    assert any(label == one_line(name) for _, label in nodes.values())


@given(st.text(max_size=40))
def test_dot_strings_close_where_they_should(name):
    quoted = dot_string(name)
    # between the outer quotes, every quote and backslash is escaped, and nothing else is
    body = quoted[1:-1]
    assert re.fullmatch(r'(?:[^"\\\n]|\\["\\])*', body)
    assert re.sub(r"\\(.)", r"\1", body) == one_line(name)


needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` not installed")


def render(dot_text: str) -> ET.Element:
    done = subprocess.run(
        ["dot", "-Tsvg"], input=dot_text.encode(), capture_output=True, timeout=30
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return ET.fromstring(done.stdout)


SVG = "{http://www.w3.org/2000/svg}"


@needs_dot
def test_graphviz_renders_the_bundled_graph():
    g = build(bundled())
    svg = render(to_dot(g))
    groups = svg.iter(f"{SVG}g")
    classes = [e.get("class") for e in groups]
    assert classes.count("node") == len(g.nodes)
    assert classes.count("edge") == len(g.edges)


@needs_dot
def test_graphviz_renders_hostile_labels_as_text():
    # One graph per name would cost a process each; six nodes per name in one graph.
    worlds = [build(facts_named(name)) for name in HOSTILE]
    for world in worlds:
        svg = render(to_dot(world))
        classes = [e.get("class") for e in svg.iter(f"{SVG}g")]
        assert classes.count("node") == 6 and classes.count("edge") == 5
        texts = {"".join(t.itertext()) for t in svg.iter(f"{SVG}text")}
        name = next(n.label for n in world.nodes.values() if n.kind == "company")
        assert one_line(name) in texts, (name, texts)
