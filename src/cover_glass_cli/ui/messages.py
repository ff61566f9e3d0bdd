"""Every message cgcli writes to standard error, escaped once, in one place (as hatch's
Application does): controls, bidirectional and invisible characters, and undecodable
bytes of file names are shown as escapes, so nothing from the data or a file name can
move the cursor, recolour the terminal or hide itself. Data goes to standard output,
never through here."""

from __future__ import annotations

import contextlib
from typing import Any


class Messages:
    """Says messages on standard error, each line escaped once."""

    def say(self, *lines: str) -> None:
        """Each of LINES on a line of its own; a line break inside one is shown as \\n,
        so that no text from the data can start a line that looks like cgcli's."""
        import click

        from .escape import message_path

        for line in lines:
            # stderr full or gone: the exit status still tells
            with contextlib.suppress(OSError):
                click.echo(message_path(str(line)), err=True)

    def confirm(self, question: str, *, default: bool) -> bool:
        """Ask QUESTION on standard error (escaped like any message); False without a TTY."""
        import sys

        import click

        from .escape import message_path

        if not sys.stdin.isatty():
            return False
        text = "\n".join(message_path(line) for line in question.split("\n"))
        return bool(click.confirm(text, default=default, err=True))


def replaced_lines(replaced: list[dict[str, Any]]) -> list[str]:
    """The records a later file replaces (see curation.replaced_records), one line each."""
    if not replaced:
        return []
    lines = [f"Records replaced by a later file ({len(replaced)}):"]
    lines += [f"  {r['kind']} {r['id']}: {r['file']} replaces {r['replaces']}" for r in replaced]
    return lines
