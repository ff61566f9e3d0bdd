"""Keep README.md's generated blocks true: real command output, --help, and the field tables.

    python tools/readme.py          # rewrite the blocks in README.md
    python tools/readme.py --check  # exit 1 if any block differs (a test runs this)

A block is the text between `<!-- BEGIN name -->` and `<!-- END name -->`. Blocks named
`run: ARGS` hold the output of `cgcli ARGS` (100 columns, no colour), `help: ARGS` the
help text, and `fields` one table per kind of record.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"(<!-- BEGIN (?P<name>.+?) -->\n)(?P<body>.*?)(<!-- END (?P=name) -->)", re.S)


def cgcli(args: list[str]) -> str:
    from click.testing import CliRunner

    from cover_glass_cli.cli import cli

    env = {"COLUMNS": "100", "NO_COLOR": "1", "CGCLI_FACTS": None, "FORCE_COLOR": None}
    result = CliRunner().invoke(cli, args, env=env, prog_name="cgcli", catch_exceptions=False)
    return result.stdout


def fields_tables() -> str:
    from cover_glass_cli.domain.registry import kinds

    parts = []
    for kind, declared in kinds().items():
        fields = declared.all_fields
        derived = {f.name for f in declared.derived}
        parts.append(f"#### {kind}\n\n| field | type | in the file | meaning |\n|---|---|---|---|")
        for f in fields:
            need = "derived" if f.name in derived else "required" if f.required else "optional"
            doc = f.doc + (f" One of: {', '.join(f.choices)}." if f.choices else "")
            parts.append(f"| `{f.name}` | {f.type} | {need} | {doc} |")
        parts.append("")
    return "\n".join(parts)


def render(name: str) -> str:
    if name == "fields":
        return fields_tables()
    verb, _, rest = name.partition(": ")
    args = shlex.split(rest)
    if verb == "run":
        return f"```console\n$ cgcli {rest}\n{cgcli(args).rstrip()}\n```\n"
    if verb == "help":
        return f"```text\n{cgcli([*args, '--help']).rstrip()}\n```\n"
    raise SystemExit(f"unknown block {name!r}")


def updated(text: str) -> str:
    def replace(m: re.Match[str]) -> str:
        return m.group(1) + render(m.group("name")) + m.group(4)

    return BLOCK.sub(replace, text)


def main() -> int:
    os.environ.pop("CGCLI_FACTS", None)
    text = README.read_text(encoding="utf-8")
    new = updated(text)
    if "--check" in sys.argv:
        if new != text:
            print("README.md is out of date: run python tools/readme.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
