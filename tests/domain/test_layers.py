"""The layers, read from the source with ast: the domain knows neither click nor rich, each
layer imports only inward (domain <- store <- ui <- commands, cli, app, options), and no
module imports itself round a cycle.

Every import statement counts, wherever it stands: at the top, inside a function, under
`if TYPE_CHECKING:`, in a try block; so do importlib.import_module and __import__ with a
literal name (or an f-string's literal prefix). Each rule is shown to fail on a small
synthetic package that breaks it, so that a check which finds nothing is not vacuous.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest
from conftest import REPO

PACKAGE = "cover_glass_cli"
SRC = REPO / "src"

# The third-party modules the domain must not import: it is used without a terminal.
DOMAIN_BANNED = ("click", "rich")

# Each layer, and the parts of the package it must not import.
FORBIDDEN = {
    "domain": ("store", "ui", "commands", "cli", "app", "options"),
    "store": ("ui", "commands", "cli", "app", "options"),
    "ui": ("commands", "cli", "app", "options"),
}


# --- reading the package -------------------------------------------------------------


def modules(root: Path, package: str) -> dict[str, Path]:
    """Every module of PACKAGE under ROOT: dotted name -> file (a package is its __init__)."""
    found = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _dynamic_name(node: ast.AST) -> str | None:
    """The module named by importlib.import_module(...) or __import__(...): a literal, or
    an f-string's literal prefix followed by '*'."""
    if not isinstance(node, ast.Call) or not node.args:
        return None
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name not in ("import_module", "__import__"):
        return None
    arg = node.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value
    if isinstance(arg, ast.JoinedStr) and arg.values:
        head = arg.values[0]
        if isinstance(head, ast.Constant) and isinstance(head.value, str):
            return head.value + "*"
    return None


def imported(source: str, module: str = "m", *, is_package: bool = False) -> list[str]:
    """Every module name an import in SOURCE (the text of MODULE) can load, made absolute.

    `from X import a` gives X and X.a (the caller keeps the names that are modules);
    a name ending in '*' is the prefix of a dynamic import.
    """
    here = module if is_package else module.rpartition(".")[0]
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = here.split(".") if here else []
                base_parts = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            names.append(base)
            names += [f"{base}.{alias.name}" for alias in node.names if alias.name != "*"]
        elif (name := _dynamic_name(node)) is not None:
            names.append(name)
    return names


def banned_imports(source: str, banned: tuple[str, ...] = DOMAIN_BANNED) -> list[str]:
    """The absolute imports in SOURCE of a module in BANNED (or of one of their submodules)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] if node.level == 0 else []
        else:
            names = [name.rstrip("*")] if (name := _dynamic_name(node)) else []
        found += [f"line {node.lineno}: {name}" for name in names if name.split(".")[0] in banned]
    return found


def _ancestors(module: str) -> set[str]:
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Module -> the modules of PACKAGE its imports load.

    Importing a.b.c runs a.b's __init__ too, so each target brings its own packages along;
    but a module's edge to a package that contains it (cli.py's `from . import __version__`)
    is left out: that package is already being imported when the module runs.
    """
    known = modules(root, package)
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        source = path.read_text(encoding="utf-8")
        is_package = path.name == "__init__.py"
        targets = set()
        for target in imported(source, name, is_package=is_package):
            if target.endswith("*"):
                targets |= {m for m in known if m.startswith(target[:-1])}
            else:
                targets.add(target)
        targets |= {a for t in targets for a in _ancestors(t)}
        own = _ancestors(name) | {name}
        graph[name] = {t for t in targets if t in known and t not in own}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of GRAPH as a path that ends where it began, or None."""
    done: set[str] = set()
    for start in sorted(graph):
        if start in done:
            continue
        path: list[str] = []
        on_path: set[str] = set()
        stack = [(start, iter(sorted(graph.get(start, ()))))]
        path.append(start)
        on_path.add(start)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                on_path.discard(node)
                done.add(node)
            elif child in on_path:
                return [*path[path.index(child) :], child]
            elif child not in done:
                stack.append((child, iter(sorted(graph.get(child, ())))))
                path.append(child)
                on_path.add(child)
    return None


def layer_violations(graph: dict[str, set[str]], package: str) -> list[str]:
    """Every 'a imports b' in GRAPH where b lies in a part of PACKAGE that a's layer may not use."""

    def part(module: str) -> str | None:
        parts = module.split(".")
        return parts[1] if len(parts) > 1 and parts[0] == package else None

    return sorted(
        f"{source} imports {target}"
        for source, targets in graph.items()
        for target in targets
        if part(source) in FORBIDDEN and part(target) in FORBIDDEN[part(source)]
    )


def make_package(root: Path, files: dict[str, str], package: str = "pkg") -> Path:
    """A synthetic package under ROOT: FILES maps a path inside it to its (dedented) text;
    every folder gets an __init__.py unless FILES gives one."""
    for rel, text in files.items():
        path = root / package / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    for folder in [root / package, *(p for p in (root / package).rglob("*") if p.is_dir())]:
        (folder / "__init__.py").touch()
    return root


# --- the domain imports neither click nor rich ---------------------------------------


DOMAIN_MODULES = sorted((SRC / PACKAGE / "domain").glob("*.py"))


def test_the_domain_modules_are_found():
    names = {path.stem for path in DOMAIN_MODULES}
    assert names >= {"tables", "validation", "fiscal", "figures", "facts", "query"}


@pytest.mark.parametrize("path", DOMAIN_MODULES, ids=lambda p: p.name)
def test_domain_imports_neither_click_nor_rich(path):
    assert banned_imports(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        "import click",
        "import rich",
        "import rich.console as rc",
        "import os, click",
        "from click import echo",
        "from rich.table import Table",
        "def f():\n    import click",
        "def f():\n    if True:\n        from rich import print",
        "class A:\n    def m(self):\n        import rich.text",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from rich.console import Console",
        "try:\n    import click\nexcept ImportError:\n    pass",
        "import importlib\nmod = importlib.import_module('rich.console')",
        "x = __import__('click')",
        "def f(n):\n    import importlib\n    return importlib.import_module(f'rich.{n}')",
        "f = lambda: __import__('click.testing')",
    ],
)
def test_banned_import_is_found(source):
    assert banned_imports(source), source


@pytest.mark.parametrize(
    "source",
    [
        "import clickhouse",
        "import richtext",
        "from clicks import x",
        "from . import click",  # a module of the package's own, not the library
        "from .rich import x",
        "name = 'click'",
        "import os",
    ],
)
def test_names_that_only_look_alike_are_not_banned(source):
    assert banned_imports(source) == []


# --- no import cycles --------------------------------------------------------------


def test_the_graph_sees_imports_at_every_depth():
    graph = import_graph(SRC, PACKAGE)
    assert f"{PACKAGE}.domain.query" in graph[f"{PACKAGE}.commands.exports"]  # module level
    assert f"{PACKAGE}.domain.figures" in graph[f"{PACKAGE}.cli"]  # inside the group's function
    assert f"{PACKAGE}.store.cache" in graph[f"{PACKAGE}.store"]  # `from . import cache`
    assert f"{PACKAGE}.commands.exports" in graph[f"{PACKAGE}.cli"]  # import_module(f"...")


def test_no_import_cycles():
    cycle = find_cycle(import_graph(SRC, PACKAGE))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize(
    "files",
    [
        pytest.param({"a.py": "from . import b", "b.py": "from . import a"}, id="top-level"),
        pytest.param(
            {"a.py": "from .b import x", "b.py": "def f():\n    from .a import y\n"},
            id="inside-a-function",
        ),
        pytest.param(
            {
                "a.py": "import pkg.b",
                "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg.a\n",
            },
            id="absolute-and-type-checking",
        ),
        pytest.param(
            {"a.py": "from . import b", "b.py": "from . import c", "c.py": "from .a import x"},
            id="three-modules",
        ),
        pytest.param(
            {"a.py": "from .sub.x import y", "sub/__init__.py": "from ..a import z"},
            id="through-a-subpackage-init",
        ),
        pytest.param(
            {"sub/deep/x.py": "from ... import a", "a.py": "from .sub.deep import x"},
            id="relative-two-levels-up",
        ),
        pytest.param(
            {"a.py": "import importlib\nimportlib.import_module('pkg.b')", "b.py": "import pkg.a"},
            id="import-module",
        ),
        pytest.param(
            {
                "a.py": "import importlib\ndef get(n):\n    return importlib.import_module(f'pkg.sub.{n}')\n",
                "sub/x.py": "from .. import a",
            },
            id="import-module-f-string",
        ),
    ],
)
def test_a_cycle_is_found(tmp_path, files):
    cycle = find_cycle(import_graph(make_package(tmp_path, files), "pkg"))
    assert cycle is not None and cycle[0] == cycle[-1]


@pytest.mark.parametrize(
    "files",
    [
        pytest.param(
            {
                "__init__.py": "__version__ = '1'\ndef main():\n    from .cli import run\n",
                "cli.py": "from . import __version__\ndef run(): ...\n",
                "__main__.py": "from . import main\n",
            },
            id="submodule-to-its-own-package",
        ),
        pytest.param(
            {
                "sub/__init__.py": "from . import x",
                "sub/x.py": "from .. import sub\nfrom . import y",
            },
            id="subpackage-to-itself",
        ),
        pytest.param(
            {"a.py": "from . import b", "b.py": "from . import c", "c.py": "import os"},
            id="a-chain",
        ),
    ],
)
def test_no_cycle_where_there_is_none(tmp_path, files):
    assert find_cycle(import_graph(make_package(tmp_path, files), "pkg")) is None


# --- each layer imports only inward ----------------------------------------------


def test_layers_import_only_inward():
    assert layer_violations(import_graph(SRC, PACKAGE), PACKAGE) == []


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"domain/q.py": "from ..store import load", "store/r.py": ""},
            "pkg.domain.q imports pkg.store",
        ),
        (
            {"domain/q.py": "def f():\n    import pkg.ui.tables\n", "ui/tables.py": ""},
            "pkg.domain.q imports pkg.ui.tables",
        ),
        ({"domain/q.py": "from .. import app", "app.py": ""}, "pkg.domain.q imports pkg.app"),
        (
            {"domain/q.py": "from ..commands import Command", "commands/__init__.py": ""},
            "pkg.domain.q imports pkg.commands",
        ),
        (
            {"domain/q.py": "from ..options import x", "options.py": ""},
            "pkg.domain.q imports pkg.options",
        ),
        ({"store/w.py": "from ..cli import main", "cli.py": ""}, "pkg.store.w imports pkg.cli"),
        (
            {"store/w.py": "from ..ui.output import show", "ui/output.py": ""},
            "pkg.store.w imports pkg.ui.output",
        ),
        (
            {
                "ui/o.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..options import x\n",
                "options.py": "",
            },
            "pkg.ui.o imports pkg.options",
        ),
        (
            {"ui/o.py": "from ..commands.exports import exports", "commands/exports.py": ""},
            "pkg.ui.o imports pkg.commands.exports",
        ),
        ({"ui/__init__.py": "from ..app import App", "app.py": ""}, "pkg.ui imports pkg.app"),
    ],
)
def test_an_outward_import_is_found(tmp_path, files, expected):
    graph = import_graph(make_package(tmp_path, files), "pkg")
    assert expected in layer_violations(graph, "pkg")


def test_inward_imports_are_allowed(tmp_path):
    files = {
        "domain/q.py": "from . import schema",
        "domain/schema.py": "",
        "store/r.py": "from ..domain.q import x",
        "ui/o.py": "from ..domain import q\nfrom ..store import r",
        "commands/c.py": "from ..ui import o\nfrom ..app import App",
        "app.py": "from .store import r",
        "cli.py": "from .commands import c",
    }
    assert layer_violations(import_graph(make_package(tmp_path, files), "pkg"), "pkg") == []
