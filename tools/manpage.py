"""Write man/cgcli.1 from the real help: the click command tree of cover_glass_cli.cli.cli.

    python tools/manpage.py          # rewrite man/cgcli.1
    python tools/manpage.py --check  # exit 1 if man/cgcli.1 differs (a test checks this too)

Roff is written by hand (it is simple, and click-man would be one more dependency): every
text has its backslashes as \\e, its hyphens as \\- (so options copy as ASCII), and a
leading '.' or "'" guarded with \\&, so no help text can turn into a roff request. The
page carries the version and the date of the newest release in CHANGELOG.md, so the same
program always gives the same page; hyphenation is off (.nh), so that no variable or
option name is ever split at a line's end.
"""

from __future__ import annotations

import inspect
import re
import sys
import textwrap
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "man" / "cgcli.1"

# Variables cgcli reads that are not an option's envvar (those are found in the help).
ENVIRONMENT = [
    (
        "CGCLI_FACTS",
        "The fact files to read instead of the bundled and user files, joined by the "
        "platform's path separator: ':' on Linux and macOS, ';' on Windows.",
    ),
    ("CGCLI_SOURCES_DIR", "The folder of source documents (see --sources-dir)."),
    (
        "CGCLI_MAX_FACTS_BYTES",
        "The largest fact file read, in bytes (default 64 MiB).",
    ),
    (
        "CGCLI_NO_FAST_EXIT",
        "Set to 1 to end the ordinary way, running the interpreter's clean-up.",
    ),
    ("VISUAL, EDITOR", "The editor `cgcli facts edit` runs (VISUAL first)."),
    ("NO_COLOR", "Set to anything to turn colour off."),
    (
        "XDG_DATA_HOME, XDG_CACHE_HOME",
        "On Linux, where your fact file and the cache live (see FILES).",
    ),
]

FILES = [
    (
        "Your fact file",
        "Linux: ~/.local/share/cgcli/facts.toml; macOS: ~/Library/Application "
        "Support/cgcli/facts.toml; Windows: %LOCALAPPDATA%\\cgcli\\facts.toml. "
        "`cgcli facts path` prints the one in use.",
    ),
    (
        "facts.toml.bak.N",
        "Backups beside your file, each with a .json note of when and by which command "
        "it was made; the last 5 are kept (`cgcli facts backups`).",
    ),
    ("facts.toml.rejected", "An edit that was not valid, kept beside your file."),
    ("facts.toml.lock", "The lock that makes concurrent writers wait their turn."),
    (
        "The cache",
        "Linux: ~/.cache/cgcli; macOS: ~/Library/Caches/cgcli; Windows: "
        "%LOCALAPPDATA%\\cgcli\\Cache. Safe to delete.",
    ),
]


def release_date() -> str:
    """The date of the newest release in CHANGELOG.md (YYYY-MM-DD), or empty."""
    changelog = ROOT / "CHANGELOG.md"
    if not changelog.exists():
        return ""
    found = re.search(
        r"^## \[[^\]]+\] - ([0-9]{4}-[0-9]{2}-[0-9]{2})", changelog.read_text("utf-8"), re.M
    )
    return found.group(1) if found else ""


def envvars(command: click.Command, ctx: click.Context) -> list[tuple[str, str]]:
    """Every option's environment variable in the command tree, with the option's help."""
    found: list[tuple[str, str]] = []
    for param in command.get_params(ctx):
        names = param.envvar if isinstance(param.envvar, list | tuple) else [param.envvar]
        for name in names:
            if isinstance(name, str) and isinstance(param, click.Option):
                found.append((name, f"As {param.opts[-1]}: {param.help or ''}".strip()))
    return found


def roff(text: str) -> str:
    """TEXT safe as roff input: escapes, and no line that starts a request."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    # Anything beyond ASCII as a groff glyph escape: man reads pages in any locale.
    text = "".join(c if ord(c) < 128 else f"\\[u{ord(c):04X}]" for c in text)
    return "\n".join(
        "\\&" + line if line.startswith((".", "'")) else line for line in text.split("\n")
    )


def paragraphs(text: str | None) -> list[str]:
    """Click help text as roff paragraphs: a paragraph opened by \\b keeps its lines."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", inspect.cleandoc(text or "")):
        if not block.strip():
            continue
        if block.startswith("\b"):
            lines = block.split("\n", 1)[1] if "\n" in block else ""
            out.append(".PP\n.nf\n" + roff(textwrap.dedent(lines).strip("\n")) + "\n.fi")
        else:
            out.append(".PP\n" + roff(" ".join(block.split())))
    return out


def options(command: click.Command, ctx: click.Context) -> list[str]:
    out: list[str] = []
    for param in command.get_params(ctx):
        if isinstance(param, click.Argument):
            continue  # named in the usage line and described by the help
        record = param.get_help_record(ctx)
        if record is None:
            continue
        names, help_text = record
        out.append(f".TP\n.B {roff(names)}\n{roff(' '.join(help_text.split()))}")
    return out


def section(command: click.Command, ctx: click.Context, heading: str) -> list[str]:
    """One command: its usage line, help, options and examples."""
    usage = " ".join(command.collect_usage_pieces(ctx))
    parts = [heading, f".PP\n.B {roff(ctx.command_path)}\n{roff(usage)}"]
    parts += paragraphs(command.help)
    found = options(command, ctx)
    if found:
        parts += [".PP\nOptions:", ".RS", *found, ".RE"]
    parts += paragraphs(command.epilog)
    return parts


def render() -> str:
    import cover_glass_cli
    from cover_glass_cli.cli import COMMANDS, EXIT_CODES, cli

    root = cli.make_context("cgcli", [], resilient_parsing=True)
    summary = (cover_glass_cli.__doc__ or "").split("\n")[0].removeprefix("cgcli: ").rstrip(".")
    lines = [
        ".\\\" Generated by tools/manpage.py from the program's own help. Do not edit.",
        f'.TH CGCLI 1 "{release_date()}" "cgcli {roff(cover_glass_cli.__version__)}" '
        '"User Commands"',
        ".nh",
        ".SH NAME",
        f"cgcli \\- {roff(summary)}",
        ".SH SYNOPSIS",
        f".B cgcli\n{roff(' '.join(cli.collect_usage_pieces(root)))}",
        ".SH DESCRIPTION",
        *paragraphs(cli.help),
        ".SH OPTIONS",
        *options(cli, root),
        ".SH COMMANDS",
    ]
    variables = dict(envvars(cli, root))
    for name in COMMANDS:
        command = cli.get_command(root, name)
        assert command is not None, name
        ctx = command.make_context(name, [], parent=root, resilient_parsing=True)
        lines += section(command, ctx, f".SS {roff(name)}")
        variables.update(envvars(command, ctx))
        if isinstance(command, click.Group):
            for sub_name in command.list_commands(ctx):
                sub = command.get_command(ctx, sub_name)
                assert sub is not None, sub_name
                sub_ctx = sub.make_context(sub_name, [], parent=ctx, resilient_parsing=True)
                lines += section(sub, sub_ctx, f".SS {roff(f'{name} {sub_name}')}")
                variables.update(envvars(sub, sub_ctx))
    codes = [line.strip() for line in EXIT_CODES.splitlines()[2:] if line.strip()]
    lines.append(".SH EXIT STATUS")
    for code in codes:
        number, _, meaning = code.partition(" ")
        lines.append(f".TP\n.B {roff(number)}\n{roff(meaning.strip())}")
    variables.update(ENVIRONMENT)
    lines.append(".SH ENVIRONMENT")
    for name, meaning in sorted(variables.items()):
        lines.append(f".TP\n.B {roff(name)}\n{roff(' '.join(meaning.split()))}")
    lines.append(".SH FILES")
    lines.append(".PP\n" + roff("The bundled facts.toml ships inside the package."))
    for name, meaning in FILES:
        lines.append(f".TP\n.B {roff(name)}\n{roff(meaning)}")
    lines += [
        ".SH SEE ALSO",
        ".PP",
        roff(
            "`cgcli --help` and `cgcli COMMAND --help` (every command's options and "
            "examples); `cgcli facts path` (the files in use); `cgcli fields` and "
            "`cgcli schema` (the data)."
        ),
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        if current != text:
            print(f"{PAGE} is out of date: run python tools/manpage.py", file=sys.stderr)
            return 1
        return 0
    PAGE.parent.mkdir(exist_ok=True)
    PAGE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
