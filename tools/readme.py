"""Keep README.md's generated blocks true: real command output, --help, and the field tables.

    python tools/readme.py          # rewrite the blocks in README.md
    python tools/readme.py --check  # exit 1 if any block differs (a test runs this)

A block is the text between `<!-- BEGIN name -->` and `<!-- END name -->`. Blocks named
`run: ARGS` hold the output of `cgcli ARGS` (100 columns, no colour), `help: ARGS` the
help text, and `fields` one table per kind of record. Blocks named `page: ARGS` hold
stdout and stderr of `cgcli ARGS` run in a folder that holds `saved-article.html`, the
shared report as a browser saves a news page (head, scripts, navigation, the article with
links and entities, an aside, a footer), and `changed-article.html`, the same with one
figure changed; where the shared report is not beside the repository they are left as
they are.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
REPORT = README.parent.parent / "shared" / "source" / "jv-announcement-report.txt"
BLOCK = re.compile(r"(<!-- BEGIN (?P<name>.+?) -->\n)(?P<body>.*?)(<!-- END (?P=name) -->)", re.S)


def cgcli(args: list[str]) -> str:
    from click.testing import CliRunner

    from cover_glass_cli.cli import cli

    env = {"COLUMNS": "100", "NO_COLOR": "1", "CGCLI_FACTS": None, "FORCE_COLOR": None}
    result = CliRunner().invoke(cli, args, env=env, prog_name="cgcli", catch_exceptions=False)
    return result.stdout


def saved_page(text: str) -> str:
    """TEXT (paragraphs parted by blank lines) as a browser saves a news page."""
    import html

    paragraphs = "".join(
        "<p>"
        + html.escape(p, quote=False).replace("India", '<a href="/topic/india">India</a>')
        + "</p>\n"
        for p in text.split("\n\n")
    )
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=utf-8><title>Optiemus, Corning tie up"
        "</title><script>var analytics = {page: 'story'};</script><style>p{margin:0}</style>"
        "</head><body><nav><a href=/>Home</a> <a href=/markets>Markets</a></nav><article>"
        "<h1>Optiemus &amp; Corning</h1>\n" + paragraphs + "</article><aside>Most read</aside>"
        "<footer>&copy; The Paper</footer></body></html>\n"
    )


def in_page_folder(args: list[str]) -> str | None:
    """stdout and stderr of `cgcli ARGS` in a folder with the saved pages; None without
    the shared report."""
    import tempfile

    from click.testing import CliRunner

    from cover_glass_cli.cli import cli

    if not REPORT.is_file():
        return None
    report = REPORT.read_text(encoding="utf-8")
    env = {"COLUMNS": "100", "NO_COLOR": "1", "CGCLI_FACTS": None, "FORCE_COLOR": None}
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "saved-article.html").write_text(saved_page(report), encoding="utf-8")
        changed = saved_page(report.replace("90,000", "80,000"))
        Path(folder, "changed-article.html").write_text(changed, encoding="utf-8")
        here = os.getcwd()
        os.chdir(folder)
        try:
            runner = CliRunner()
            result = runner.invoke(cli, args, env=env, prog_name="cgcli", catch_exceptions=False)
        finally:
            os.chdir(here)
    return result.output


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
    if verb == "page":
        output = in_page_folder(args)
        return "" if output is None else f"```console\n$ cgcli {rest}\n{output.rstrip()}\n```\n"
    raise SystemExit(f"unknown block {name!r}")


def updated(text: str) -> str:
    def replace(m: re.Match[str]) -> str:
        body = render(m.group("name"))
        return m.group(1) + (body or m.group("body")) + m.group(4)

    return BLOCK.sub(replace, text)


def main() -> int:
    import tempfile

    os.environ.pop("CGCLI_FACTS", None)
    text = README.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as home:  # the bundled facts alone: not your own file
        os.environ["XDG_DATA_HOME"] = str(Path(home, "data"))
        os.environ["XDG_CACHE_HOME"] = str(Path(home, "cache"))
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
