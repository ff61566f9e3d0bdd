"""The root command: global options, lazily loaded subcommands, and main() with friendly errors."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from . import __version__
from .commands import Group

EXIT_CODES = """\b
Exit codes:
  0  results found
  1  nothing matched (or, from validate, problems found)
  2  usage error: an unknown option or an unparsable value
  3  the fact file could not be used: missing, unreadable, not TOML, or not valid
  130  interrupted (Ctrl-C)"""

# name -> (module in cover_glass_cli.commands, function, one-line help).
# The help is here so that `cgcli --help` imports no command module.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "companies": ("listing", "companies", "List the companies: founded, what they do, their role."),
    "company": (
        "detail",
        "company",
        "Show one company in full: people, sites, customers, sources.",
    ),
    "venture": ("detail", "venture", "Show the joint venture: partners, products, place, goal."),
    "sites": ("sites", "sites", "List manufacturing sites, planned and operating."),
    "customers": (
        "customers",
        "customers",
        "List the customers the report names for each supplier.",
    ),
    "exports": ("exports", "exports", "India's mobile phone exports by fiscal year, with growth."),
    "value-addition": ("listing", "value_addition", "Local value addition by country."),
    "people": ("listing", "people", "List the people named and their positions."),
    "statements": ("listing", "statements", "What the companies and their people said."),
    "market-facts": ("listing", "market_facts", "Rankings and other facts about the market."),
    "graph": (
        "graph",
        "graph",
        "Companies, venture, sites and customers as a Mermaid or DOT graph.",
    ),
    "search": ("search", "search", "Find every record whose text matches, whatever its kind."),
    "sources": ("listing", "sources", "Where the facts come from, and which records cite each."),
    "fields": (
        "fields",
        "fields",
        "List the fields of each kind of record, for --fields and scripts.",
    ),
    "export": ("export", "export", "Write the whole dataset as JSON or TOML."),
    "cite": ("cite", "cite", "Print a citation for one record and its source."),
    "validate": ("validate", "validate", "Check fact files and say exactly what is wrong."),
    "facts": ("facts", "facts", "Manage your own fact file: path, init, add, edit."),
    "completion": (
        "completion",
        "completion",
        "Print the shell completion script for bash, zsh or fish.",
    ),
}


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    # Not click.version_option: it imports locale, a millisecond on every start.
    if value and not ctx.resilient_parsing:
        click.echo(f"cgcli, version {__version__}")
        ctx.exit()


class Failure(click.ClickException):
    """An expected failure: its lines go to stderr as they are; subclasses set the exit code."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(lines[0] if lines else "")
        self.lines = lines

    def show(self, file: Any = None) -> None:
        for line in self.lines:
            _err(line)


class NothingFound(Failure):
    exit_code = 1


class UnusableFacts(Failure):
    exit_code = 3


class LazyGroup(Group):
    """Import a subcommand's module only when that subcommand runs; turn the domain's
    errors (unusable fact file, nothing matched) into messages and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        from .domain.facts import FactsError, NoMatch

        try:
            return super().invoke(ctx)
        except FactsError as e:
            lines = ["cgcli: the fact file could not be used:"]
            lines += [f"  {problem}" for problem in e.problems]
            lines.append(
                "Check a file with `cgcli validate PATH`; `cgcli facts path` lists the files in use."
            )
            raise UnusableFacts(lines) from None
        except NoMatch as e:
            raise NothingFound([f"cgcli: {e}"]) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        import importlib

        module, name, _ = COMMANDS[cmd_name]
        command: click.Command = getattr(
            importlib.import_module(f"cover_glass_cli.commands.{module}"), name
        )
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_text) for name, (_, _, help_text) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=f"""\b
Examples:
  cgcli companies
  cgcli exports --fy 2023 --json
  cgcli search gorilla

{EXIT_CODES}

Facts come from the bundled facts.toml, then your own file (see `cgcli facts path`).""",
)
@click.option(
    "--facts",
    "facts_paths",
    multiple=True,
    metavar="PATH",
    help="Read this fact file instead of the bundled and user files; repeat to layer "
    "several. Env: CGCLI_FACTS (paths joined by ':').",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Parse the fact files even when a cached copy is fresh. Env: CGCLI_NO_CACHE=1.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks, for bug reports. Env: CGCLI_DEBUG=1.")
@click.option(
    "-V",
    "--version",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=_show_version,
    help="Show the version and exit.",
)
@click.pass_context
def cli(ctx: click.Context, facts_paths: tuple[str, ...], no_cache: bool, debug: bool) -> None:
    """Look up facts on the Optiemus-Corning cover-glass venture and India's smartphone
    exports: as tables for people, as JSON or CSV for scripts.

    Every fact names its source; figures keep their qualifier ("over", "around", a range).
    Indian fiscal years run April-March: FY2023 is April 2022 - March 2023.
    """
    from .app import App

    ctx.obj = App(facts_paths=facts_paths, use_cache=not no_cache, debug=debug)


def _err(message: str) -> None:
    from .ui.terminal import clean

    click.echo(clean(message), err=True)


def main(argv: list[str] | None = None) -> None:
    """Run cgcli; turn every expected failure into a message and an exit code."""
    from .ui.terminal import prepare_streams

    prepare_streams()
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args or os.environ.get("CGCLI_DEBUG", "") not in ("", "0")
    code = run(args, debug=debug)
    try:
        sys.stdout.flush()
    except (BrokenPipeError, OSError):
        _silence_stdout()
    sys.exit(code)


def run(args: list[str], *, debug: bool = False) -> int:
    try:
        result: Any = cli.main(args=args, prog_name="cgcli", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except click.exceptions.Exit as e:
        return e.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        _err("cgcli: interrupted")
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except Exception as e:
        if debug:
            raise
        _err(f"cgcli: internal error: {type(e).__name__}: {e}")
        _err("This is a bug in cgcli. Run again with --debug for the details and report it.")
        return 70


def _silence_stdout() -> None:
    """After the reader of a pipe went away: no more writes, no 'Exception ignored' at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
