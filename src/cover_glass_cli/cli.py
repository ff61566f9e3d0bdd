"""The root command: global options, lazily loaded subcommands, and main() with friendly errors."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from typing import Any

import click

from . import __version__
from .commands import Group

EXIT_CODES = """\b
Exit codes:
    0  results found
    1  nothing matched (or, from validate and verify, problems found)
    2  usage error: an unknown option or an unparsable value
    3  the fact file (or a source document) could not be used: missing, unreadable, not valid
   70  an internal error: a bug in cgcli (run again with --debug and report it)
   74  the output could not be written (a full disk, standard output closed)
  130  interrupted (Ctrl-C)
  141  the reader of the output went away (`cgcli ... | head`), as for other tools"""

# Command name -> its one-line summary, so that `cgcli --help` imports no command module.
# Each command lives in commands/<name>.py ('-' as '_') as a function of the same name,
# and its docstring starts with this line (tests/commands/test_help.py checks).
COMMANDS: dict[str, str] = {
    "companies": "List the companies: when founded, what they do, their role.",
    "company": "Show one company in full: people, ventures, sites, customers, sources.",
    "venture": "Show the joint venture: partners, products, place, goal.",
    "timeline": "A dated timeline of the venture: what happened, and what was expected when.",
    "venture-facts": "The venture's name, stakes, investment, jobs and capacity, as the sources say them.",
    "sites": "List manufacturing sites, planned and operating.",
    "customers": "List the customers the sources name for each supplier.",
    "exports": "Exports by fiscal year and quarter, with stated and computed growth.",
    "value-addition": "Local value addition, by country and year, as each source measures it.",
    "people": "List the people named in the sources and their positions.",
    "statements": "What the companies and their people said, in our words.",
    "rankings": "A country's place among exporters or producers, with what each rank ranks.",
    "market-facts": "Other facts about the market: challenges, goals, forecasts.",
    "graph": "Companies, the venture, sites, customers and people as a relationship graph.",
    "search": "Find every record in which each word of TEXT appears, whatever its kind.",
    "sources": "Where the facts come from, grouped by origin, and which records cite each source.",
    "fields": "List the fields of each kind of record, for --fields and scripts.",
    "export": "Write the whole dataset as JSON, TOML, SQLite (Datasette) or a data package.",
    "schema": "Print the JSON Schema of a command's JSON output.",
    "cite": "Print a citation for one record and its source.",
    "validate": "Check fact files and say exactly what is wrong, and where.",
    "verify": "Check every claim's evidence against the words of its source.",
    "evidence": "Show the words of the source that support a claim, its figures marked.",
    "facts": "Manage your own fact file: path, init, add, edit, rank, remove, backups, restore.",
    "completion": "Print the shell completion script for bash, zsh or fish.",
    "help": "Show the help of a command: cgcli help exports, cgcli help facts add.",
}


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    # Not click.version_option: it imports locale, a millisecond on every start.
    if value and not ctx.resilient_parsing:
        click.echo(f"cgcli, version {__version__}")
        ctx.exit()


def said(message: str) -> list[str]:
    """MESSAGE as cgcli says it: 'cgcli: ' before its first line, the others as they are."""
    first, *rest = message.splitlines() or [""]
    return [f"cgcli: {first}", *rest]


def failed(lines: list[str], status: int) -> click.exceptions.Exit:
    """An expected failure: LINES go to stderr as they are (stderr full or gone: the
    status still tells); gives the Exit of STATUS to raise."""
    for line in lines:
        _err(line)
    return click.exceptions.Exit(status)


PIPE_CLOSED = 141  # 128 + SIGPIPE: what a shell reports for a reader that went away


class LazyGroup(Group):
    """Import a subcommand's module only when that subcommand runs; turn the domain's
    errors (unusable fact file, nothing found) into messages and exit statuses."""

    def invoke(self, ctx: click.Context) -> Any:
        # No class of cgcli's is named in an except clause: they are imported only once
        # one is raised (an answered lookup never loads them), and a Ctrl-C can leave no
        # such name unbound.
        try:
            return super().invoke(ctx)
        except click.NoSuchOption as e:
            from .commands.hints import elsewhere  # only a usage error needs it

            raise elsewhere(e, ctx) from None
        except click.ClickException as e:
            if type(e) is not click.ClickException:  # usage errors keep click's usage lines
                raise
            raise failed(said(e.format_message()), e.exit_code) from None
        except click.exceptions.Exit:
            raise
        except Exception as e:
            exit = _failure(e, ctx)
            if exit is None:
                raise
            raise exit from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        name = cmd_name.replace("-", "_")
        module = __import__(f"cover_glass_cli.commands.{name}", fromlist=[name])
        command: click.Command = getattr(module, name)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl(list(COMMANDS.items()))


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=f"""\b
Examples:
  cgcli companies
  cgcli exports --fy 2023 --json
  cgcli search gorilla

{EXIT_CODES}

Facts come from the bundled facts.toml, then your own file (see `cgcli facts path`).
Machine formats (JSON, CSV, TSV, Markdown, TOML and exported files) are UTF-8 always;
tables and messages follow the terminal's encoding.""",
)
@click.option(
    "--facts",
    "facts_paths",
    multiple=True,
    metavar="PATH",
    help="Read this fact file instead of the bundled and user files; repeat to layer "
    "several. Env: CGCLI_FACTS (paths joined by ':', on Windows by ';').",
)
@click.option(
    "--no-cache",
    is_flag=True,
    envvar="CGCLI_NO_CACHE",
    help="Parse the fact files even when a cached copy is fresh. Env: CGCLI_NO_CACHE=1.",
)
@click.option(
    "--numbers",
    type=click.Choice(("indian", "international")),
    metavar="STYLE",
    envvar="CGCLI_NUMBERS",
    default="indian",
    help="How to group the digits of rupee amounts for people: indian (₹1,29,000 crore, the "
    "default) or international (₹129,000 crore); machine formats keep raw numbers. "
    "Env: CGCLI_NUMBERS.",
)
@click.option(
    "--debug",
    is_flag=True,
    envvar="CGCLI_DEBUG",
    help="Show tracebacks, for bug reports. Env: CGCLI_DEBUG=1.",
)
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
def cli(
    ctx: click.Context, facts_paths: tuple[str, ...], no_cache: bool, numbers: str, debug: bool
) -> None:
    """Look up facts on the Optiemus-Corning cover-glass venture and India's smartphone
    exports: as tables for people, as JSON or CSV for scripts.

    Every fact names its source; figures keep their qualifier ("over", "around", a range).
    Indian fiscal years run April-March: FY2023 is April 2022 - March 2023.
    """
    from .commands import App
    from .domain.figures import set_grouping

    set_grouping(numbers)
    ctx.obj = App(facts_paths=facts_paths, use_cache=not no_cache, debug=debug)
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


def _failure(e: Exception, ctx: click.Context) -> click.exceptions.Exit | None:
    """What a command's exception E tells the user, and its exit status: an unusable fact
    file (3), nothing found (1), rows not shown (their status), a reader gone (141), an
    output that cannot be written (74), else an internal error (70); None with --debug,
    for the traceback."""
    from .domain.problems import FactsError, NotShown
    from .ui.output import OUTPUT_ERRORS

    if isinstance(e, FactsError):
        lines = ["cgcli: the fact file could not be used:"]
        lines += [f"  {problem}" for problem in e.problems]
        lines.append(
            "Check a file with `cgcli validate PATH`; `cgcli facts path` lists the files in use."
        )
        return failed(lines, 3)
    if isinstance(e, NotShown):
        return failed(said(str(e)), e.status)
    if isinstance(e, OSError) and e.errno == errno.EPIPE:
        _silence_stdout()  # not the OSError: click's own main would exit 1 on it
        return click.exceptions.Exit(PIPE_CLOSED)
    if isinstance(e, OSError) and e.errno in OUTPUT_ERRORS:
        return failed([f"cgcli: cannot write output: {e.strerror or e}"], 74)
    if getattr(ctx.obj, "debug", False):
        return None
    return failed(
        [
            f"cgcli: internal error: {type(e).__name__}: {e}",
            "This is a bug in cgcli. Run again with --debug for the details and report it.",
        ],
        70,
    )


def _err(message: str) -> None:
    """A message for stderr, escaped once (ui/messages.py)."""
    from .ui.messages import Messages

    Messages().say(message)


def main(argv: list[str] | None = None) -> None:
    """Run cgcli; turn every expected failure into a message and an exit code."""
    if sys.stdout is None:  # started with standard output closed (`cgcli ... >&-`)
        from .ui.terminal import ClosedOutput  # only then: a class is not free to make

        sys.stdout = ClosedOutput()
    if sys.stderr is None:  # started with stderr closed: messages go nowhere, never to stdout
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - open for the life of the process
    _prepare_streams()
    code = run(sys.argv[1:] if argv is None else argv)  # Ctrl-C: see script() in __init__.py
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        code = code or PIPE_CLOSED
    except OSError as e:
        _silence_stdout()
        _err(f"cgcli: cannot write output: {e.strerror or e}")
        code = code or 74
    sys.exit(code)


def _prepare_streams() -> None:
    """Never crash on a character the terminal's encoding lacks (ui/terminal.py). UTF-8
    encodes every character, so the usual terminal or pipe needs no check at all."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if encoding not in ("utf-8", "utf8"):
            from .ui.terminal import prepare_streams

            prepare_streams()
            return


def run(args: list[str]) -> int:
    """Run cgcli with ARGS and return the exit status; every expected failure is a message."""
    instruction = os.environ.get("_CGCLI_COMPLETE")
    if instruction:  # a shell asking for completions
        from click.shell_completion import shell_complete

        from .ui.completion import register

        register()
        return shell_complete(cli, {}, "cgcli", "_CGCLI_COMPLETE", instruction)
    try:
        # make_context and invoke rather than click's main(), whose handler of Ctrl-C
        # prints an empty line before its own Abort: here every ending is ours to say.
        with cli.make_context("cgcli", list(args)) as ctx:
            cli.invoke(ctx)
        return 0
    except click.ClickException as e:
        with contextlib.suppress(OSError):  # stderr full or gone: the exit status still tells
            e.show()
        return e.exit_code
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.exceptions.Abort:  # Ctrl-C at one of click's prompts: see __init__.py
        raise KeyboardInterrupt from None
    except BrokenPipeError:  # help or usage text into a pipe whose reader went away
        _silence_stdout()
        return PIPE_CLOSED
    except OSError as e:  # help or usage text into a closed or full standard output
        from .ui.output import OUTPUT_ERRORS  # only here: help and completion stay lean

        if e.errno not in OUTPUT_ERRORS:
            raise
        _silence_stdout()
        _err(f"cgcli: cannot write output: {e.strerror or e}")
        return 74


def _silence_stdout() -> None:
    """After the reader of a pipe went away: no more writes, no 'Exception ignored' at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
