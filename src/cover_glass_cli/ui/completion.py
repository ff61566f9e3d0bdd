"""Shell completion that works in bash, zsh and fish with the data's own values.

click's own scripts fall short in two places, fixed here by subclassing its public
completion classes (registered under the same shell names):
- bash inserts a value as it is, so `United States` became two words on the command line;
  each value is now escaped as bash would type it (`United\\ States`), read back with
  `read -r` so the escapes survive, which also keeps glob characters from expanding in
  the script's unquoted `COMPREPLY+=($value)`.
- fish split each line of the response on every comma, so `--fields id,n` lost its
  candidates and descriptions were cut at their first comma; the script now splits off
  the type at the first comma only.
zsh's script already quotes what it inserts.
"""

from __future__ import annotations

import re

from click.shell_completion import (
    BashComplete,
    CompletionItem,
    FishComplete,
    add_completion_class,
)

_BASH_SPECIAL = re.compile(r"([^A-Za-z0-9_@%+=:,./-])")


class Bash(BashComplete):
    source_template = BashComplete.source_template.replace(
        "IFS=',' read type value",
        "IFS=',' read -r type value",  # keep the escapes
    )

    def format_completion(self, item: CompletionItem) -> str:
        value = item.value if item.type != "plain" else _BASH_SPECIAL.sub(r"\\\1", item.value)
        return f"{item.type},{value}"


class Fish(FishComplete):
    source_template = FishComplete.source_template.replace(
        'string split "," $completion', 'string split -m 1 "," -- $completion'
    )


def register() -> None:
    """Use these classes for `cgcli completion SHELL` and for completing."""
    add_completion_class(Bash, "bash")
    add_completion_class(Fish, "fish")
