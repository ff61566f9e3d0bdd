"""cgcli facts path"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from ...options import output_options
from ...ui.output import Output
from .. import App, Command

if TYPE_CHECKING:
    from rich.console import Console

PATH_FIELDS = [
    ("order", "Position in the chain: later files override earlier ones."),
    ("path", "The file."),
    ("origin", "Why it is in use: bundled, user, --facts or CGCLI_FACTS."),
    ("exists", "Whether the file exists."),
    ("records_in_use", "How many of its records are in use (null when unusable)."),
]


@click.command("path", cls=Command)
@output_options(
    lambda: PATH_FIELDS, what="of: " + ", ".join(n for n, _ in PATH_FIELDS), listing=False
)
@click.pass_obj
def command(app: App, out: Output) -> None:
    """Show which fact files are in use, in which order, and where your file lives.

    JSON gives {files: [...], user_file, cache_dir, replaced: [...]} (replaced: each
    record a later file hides, as kind, id, file, replaces); the other machine formats
    a row per file.
    """
    from ...domain.problems import FactsError
    from ...store import cache_dir, fact_paths, user_path
    from ...store.curation import replaced_records
    from ...ui.messages import replaced_lines
    from ...ui.output import show

    chain = fact_paths(app.facts_paths)
    try:
        facts = app.load()
        counts = [0] * len(chain)
        for kind in facts.all():
            for index in facts.origins(kind):
                counts[index] += 1
        problem = None
    except FactsError as e:
        counts, problem = [], f"{len(e.problems)} problem(s): run cgcli validate"
    files = [
        {
            "order": i,
            "path": str(p),
            "origin": why,
            "exists": p.exists(),
            "records_in_use": counts[i - 1] if counts else None,
        }
        for i, (p, why) in enumerate(chain, 1)
    ]
    user = user_path()
    replaced = replaced_records([p for p, _ in chain]) if counts else []
    info: dict[str, Any] = {
        "files": files,
        "user_file": str(user),
        "cache_dir": str(cache_dir()),
        "replaced": replaced,
    }

    def draw(console: Console) -> None:
        from ...ui.terminal import clean

        lines = ["Fact files in use (later ones override earlier ones):"]
        for f in files:
            state = (
                "missing"
                if not f["exists"]
                else f"{f['records_in_use']} records in use"
                if counts
                else problem
            )
            lines.append(f"  {f['order']}. {f['path']}  [{f['origin']}]  ({state})")
        state = "exists" if user.exists() else "not created yet: cgcli facts init"
        lines.append(f"Your fact file: {user}  ({state})")
        lines.append(f"Cache: {info['cache_dir']}")
        lines += replaced_lines(replaced)
        for line in lines:
            click.echo(clean(line))

    show(out, files, [n for n, _ in PATH_FIELDS], draw=draw, empty="no fact files", document=info)
