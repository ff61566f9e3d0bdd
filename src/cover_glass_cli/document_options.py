"""--sources-dir and --source ID=PATH: where the user says source documents are."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from .domain.facts import Facts
    from .store.documents import Documents

F = TypeVar("F", bound=Callable[..., Any])


class DocumentOptions:
    """Where the user says source documents are: --sources-dir (or CGCLI_SOURCES_DIR)
    and --source ID=PATH. `documents(facts)` finds them for the facts in use."""

    def __init__(self, sources_dir: str | None, given: tuple[str, ...]) -> None:
        self.sources_dir, self.given = sources_dir, given

    def documents(self, facts: Facts) -> Documents:
        """The documents of FACTS's sources; a usage error (exit 2) for a --source that
        names no source, or that is not ID=PATH."""
        from .store.documents import Documents, parse_source_options, sources_dir_from

        try:
            given = parse_source_options(self.given)
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--source") from None
        found = Documents.for_facts(
            facts, sources_dir=sources_dir_from(self.sources_dir), given=given
        )
        unknown = found.unknown_given()
        if unknown:
            known = ", ".join(found.source_ids()) or "none"
            raise click.BadParameter(
                f"no source has id {', '.join(map(repr, unknown))} (sources: {known})",
                param_hint="--source",
            )
        return found


def document_options(f: F) -> F:
    """--sources-dir DIR and --source ID=PATH, given to the command as one
    `documents: DocumentOptions` argument."""

    @functools.wraps(f)
    def command(*args: Any, **params: Any) -> Any:
        params["documents"] = DocumentOptions(params.pop("sources_dir"), params.pop("source"))
        return f(*args, **params)

    command = click.option(
        "--source",
        multiple=True,
        metavar="ID=PATH",
        help="The document of source ID is the file PATH (repeatable).",
    )(command)
    command = click.option(
        "--sources-dir",
        metavar="DIR",
        help="Look for source documents in DIR (as the file their location names, or "
        "ID.txt). Env: CGCLI_SOURCES_DIR.",
    )(command)
    return command  # type: ignore[return-value]
