"""Every command's help: it imports, its summary matches COMMANDS, it shows examples."""

from __future__ import annotations

import click
import pytest

from cover_glass_cli.cli import COMMANDS, cli


def test_version(run):
    from cover_glass_cli import __version__

    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.stdout


def test_help_lists_exit_codes(run):
    out = run("--help").stdout
    for code in ("0  results found", "1  nothing matched", "2  usage error", "3  the fact file"):
        assert code in out


def test_every_command_has_help_with_examples(run):
    from cover_glass_cli.cli import COMMANDS

    for name in COMMANDS:
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert "Examples:" in result.stdout, name


# --- every command of COMMANDS: it imports, its summary is COMMANDS', it has examples ---


def command(name: str) -> click.Command:
    """The command NAME as the root group loads it (its module imported on demand)."""
    found = cli.get_command(click.Context(cli, info_name="cgcli"), name)
    assert found is not None, f"cgcli {name}: the root group cannot load it"
    return found


@pytest.mark.parametrize("name", list(COMMANDS))
def test_command_imports_with_its_name(name):
    cmd = command(name)
    assert isinstance(cmd, click.Command)
    assert cmd.name == name


@pytest.mark.parametrize("name", list(COMMANDS))
def test_first_line_of_help_is_the_summary_in_commands(name):
    cmd = command(name)
    assert cmd.help and cmd.help.strip(), f"cgcli {name} has no help text"
    assert cmd.help.splitlines()[0] == COMMANDS[name]
    # and the summary is the whole first paragraph: click shows nothing more in a listing
    assert cmd.get_short_help_str(limit=200) == COMMANDS[name]


@pytest.mark.parametrize("name", list(COMMANDS))
def test_epilog_has_a_cgcli_example(name):
    epilog = command(name).epilog or ""
    examples = [line.strip() for line in epilog.splitlines() if line.strip().startswith("cgcli ")]
    assert examples, f"cgcli {name}: no example line starting with 'cgcli ' in its epilog"


def test_every_subcommand_of_a_group_has_help_text():
    ctx = click.Context(cli, info_name="cgcli")
    groups = [name for name in COMMANDS if isinstance(command(name), click.Group)]
    assert groups  # facts path|init|add|edit
    for group in groups:
        parent = command(group)
        names = parent.list_commands(ctx)
        assert names, f"cgcli {group} has no subcommands"
        for name in names:
            sub = parent.get_command(ctx, name)
            assert sub is not None and sub.help and sub.help.strip(), f"cgcli {group} {name}"


def listed_commands(help_text: str) -> list[str]:
    """The names in the Commands section of a help page (continuation lines indent further)."""
    lines = help_text.splitlines()
    start = lines.index("Commands:") + 1
    names = []
    for line in lines[start:]:
        if not line.strip():
            break
        if line.startswith("  ") and not line.startswith("   "):
            names.append(line.split()[0])
    return names


def test_root_help_lists_exactly_the_commands(run):
    result = run("--help")
    assert result.exit_code == 0
    assert listed_commands(result.stdout) == list(COMMANDS)
    assert cli.list_commands(click.Context(cli)) == list(COMMANDS)


def test_listing_parser_sees_a_missing_or_extra_command():
    """The parser the test above relies on: wrapped summaries and the text after the list
    add no names, so a command missing from or added to the page changes the list."""
    page = "Usage: cgcli\n\nCommands:\n  a  first\n     wrapped\n  b  second\n\n  Examples:\n"
    assert listed_commands(page) == ["a", "b"]
    assert listed_commands(page.replace("  b  second\n", "")) == ["a"]
