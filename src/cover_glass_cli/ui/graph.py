"""Who is tied to whom: companies, the venture, sites, customers and people as a graph,
written as Mermaid (pastes into GitHub) or Graphviz DOT.

Pure functions, no click or rich. Node ids are derived from record ids, reduced to
[a-z0-9_] and made unique, so no raw data reaches an id; labels are escaped for each syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..domain.facts import Facts
from ..domain.kinds.companies import KIND as COMPANIES
from ..domain.kinds.customers import KIND as CUSTOMERS
from ..domain.kinds.people import KIND as PEOPLE
from ..domain.kinds.sites import KIND as SITES
from ..domain.kinds.ventures import KIND as VENTURES
from ..domain.selection import find
from .escape import one_line

# Node kinds, in drawing order, with their Mermaid brackets (around a quoted label) and
# DOT shape. They prefix node ids: none starts with "o" or "x" (Mermaid would read
# `--> oX` as a circle edge) or is "end", a Mermaid keyword.
SHAPES = {
    "company": ("[", "]", "box"),
    "venture": ("{{", "}}", "hexagon"),
    "site": ("[(", ")]", "cylinder"),
    "customer": ("(", ")", "ellipse"),
    "person": ("([", "])", "plaintext"),
}
RELATIONS = {
    "partner_of": "partner of",
    "operates": "operates",
    "supplies": "supplies",
    "works_for": "works for",
}


@dataclass(frozen=True)
class Node:
    id: str  # safe: [a-z0-9_] only, see Graph.id_for()
    kind: str
    label: str  # raw text from the data: escape before writing


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    relation: str  # a key of RELATIONS


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    _ids: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    def id_for(self, kind: str, record_id: Any) -> str:
        """The node id of a record: 'company_optiemus', 'site_jv_india_plant'.

        Made only of a-z, 0-9 and '_' (every other character becomes '_'), after a prefix
        naming the kind; when two records would share one, the later gets '_2', '_3' ..."""
        key = (kind, str(record_id))
        if key not in self._ids:
            base = f"{kind}_" + re.sub(r"[^a-z0-9]", "_", key[1].lower())
            taken = set(self._ids.values())
            candidate, n = base, 1
            while candidate in taken:
                n += 1
                candidate = f"{base}_{n}"
            self._ids[key] = candidate
        return self._ids[key]

    def known(self, kind: str, record_id: Any) -> str | None:
        """The node id of a record already in the graph, else None."""
        return self._ids.get((kind, str(record_id)))

    def add(self, kind: str, record_id: Any, label: Any) -> str:
        """Add the record's node (once) and give its id."""
        nid = self.id_for(kind, record_id)
        self.nodes.setdefault(nid, Node(nid, kind, str(label)))
        return nid

    def link(self, source: str, target: str, relation: str) -> None:
        """Add an edge once; edges to records that are not in the graph are left out."""
        edge = Edge(source, target, relation)
        if source in self.nodes and target in self.nodes and edge not in self.edges:
            self.edges.append(edge)


def _site_label(site: dict[str, Any]) -> str:
    where = ", ".join(str(site[k]) for k in ("city", "country") if site.get(k))
    return f"{site.get('makes') or site['id']} — {where} ({site.get('status') or '?'})"


def build(facts: Facts) -> Graph:
    """The whole graph of FACTS: partner_of, operates, supplies and works_for edges."""
    g = Graph()
    for r in facts[COMPANIES.name]:
        g.add("company", r["id"], r.get("name") or r["id"])
    for r in facts[VENTURES.name]:
        g.add("venture", r["id"], r.get("name") or r["id"])
    for r in facts[SITES.name]:
        g.add("site", r["id"], _site_label(r))
    customers: dict[str, str] = {}  # one node per customer name, whoever supplies it
    for r in facts[CUSTOMERS.name]:
        name = str(r.get("name") or r["id"])
        if name.casefold() not in customers:
            customers[name.casefold()] = g.add("customer", r["id"], name)
    for r in facts[PEOPLE.name]:
        name = r.get("name") or r["id"]
        g.add("person", r["id"], f"{name}, {r['title']}" if r.get("title") else name)

    known = g.known
    for r in facts[VENTURES.name]:
        for partner in r.get("partners") or []:
            g.link(known("company", partner) or "", g.id_for("venture", r["id"]), "partner_of")
    for r in facts[SITES.name]:
        operator = known("company", r["operator"]) or known("venture", r["operator"]) or ""
        g.link(operator, g.id_for("site", r["id"]), "operates")
    for r in facts[CUSTOMERS.name]:
        customer = customers[str(r.get("name") or r["id"]).casefold()]
        g.link(known("company", r["supplier"]) or "", customer, "supplies")
    for r in facts[PEOPLE.name]:
        g.link(g.id_for("person", r["id"]), known("company", r["company"]) or "", "works_for")
    return g


def around_company(facts: Facts, company: str) -> Graph:
    """The neighbourhood of one company (id, name or a unique prefix; NotShown otherwise):
    the company and its ventures, everything tied to them, and those ties only."""
    record = find(facts[COMPANIES.name], company, "company")
    g = build(facts)
    centre = {g.id_for("company", record["id"])}
    centre |= {
        g.id_for("venture", v["id"]) for v in facts[VENTURES.name] if record["id"] in v["partners"]
    }
    g.edges = [e for e in g.edges if e.source in centre or e.target in centre]
    keep = centre | {e.source for e in g.edges} | {e.target for e in g.edges}
    g.nodes = {nid: node for nid, node in g.nodes.items() if nid in keep}
    return g


# --- Mermaid --------------------------------------------------------------------------

# Mermaid's entity codes: '#' first, so that data can never spell an entity of its own.
_MERMAID_ESCAPES = str.maketrans(
    {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;"}
)


def mermaid_label(text: Any) -> str:
    """TEXT as a quoted Mermaid label: one line, with `"`, `<`, `>`, `&`, `#` and the
    backtick (which would open a markdown string) as entity codes."""
    return '"' + one_line(text).translate(_MERMAID_ESCAPES) + '"'


def to_mermaid(graph: Graph) -> str:
    """A Mermaid flowchart, left to right; one line per node, then one per edge."""
    lines = ["flowchart LR"]
    for node in _ordered(graph):
        opening, closing, _ = SHAPES[node.kind]
        lines.append(f"    {node.id}{opening}{mermaid_label(node.label)}{closing}")
    for e in graph.edges:
        lines.append(f"    {e.source} -->|{RELATIONS[e.relation]}| {e.target}")
    return "\n".join(lines) + "\n"


# --- Graphviz DOT ---------------------------------------------------------------------


def dot_string(text: Any) -> str:
    """TEXT as a quoted DOT string: backslash and double quote escaped, so that neither a
    quote nor an escape such as \\N or \\l in the data means anything to Graphviz."""
    return '"' + one_line(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(graph: Graph) -> str:
    """A Graphviz digraph, left to right; labels as quoted strings, never HTML."""
    lines = [
        "digraph cgcli {",
        "    rankdir=LR;",
        '    node [fontname="sans-serif", fontsize=11];',
        '    edge [fontname="sans-serif", fontsize=9];',
    ]
    for node in _ordered(graph):
        shape = SHAPES[node.kind][2]
        lines.append(f"    {node.id} [shape={shape}, label={dot_string(node.label)}];")
    for e in graph.edges:
        lines.append(f"    {e.source} -> {e.target} [label={dot_string(RELATIONS[e.relation])}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _ordered(graph: Graph) -> list[Node]:
    """Nodes grouped by kind (companies first), each group in the order of the data."""
    rank = {kind: i for i, kind in enumerate(SHAPES)}
    return sorted(graph.nodes.values(), key=lambda n: rank[n.kind])
