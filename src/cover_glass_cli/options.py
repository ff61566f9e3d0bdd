"""Options shared by commands: output format and fields, fiscal years, and completion of
the data's own values (company ids and names, years, countries ...)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:  # imported where completion runs, not on every start
    from click.shell_completion import CompletionItem

from .app import Output
from .ui.formats import FORMATS

F = TypeVar("F", bound=Callable[..., Any])


def examples(*lines: str) -> str:
    """A help epilog of example command lines (\b keeps click from rewrapping them)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


# --- completion of values from the data --------------------------------------------


def facts_for_completion(ctx: click.Context) -> Any:
    """The facts, quietly: during completion the group callback has not run."""
    try:
        from .store import load

        params = ctx.find_root().params
        return load(tuple(params.get("facts_paths") or ()))
    except Exception:
        return None


def complete_from(kind: str, *names: str) -> Callable[..., list[CompletionItem]]:
    def complete(
        ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem

        facts = facts_for_completion(ctx)
        if facts is None:
            return []
        seen: dict[str, str] = {}
        for record in facts[kind]:
            for name in names:
                values = record.get(name)
                for value in values if isinstance(values, list) else [values]:
                    if isinstance(value, str | int) and not isinstance(value, bool):
                        text = str(value)
                        help_text = str(record.get("name") or "") if name == "id" else ""
                        seen.setdefault(text, help_text)
        low = incomplete.casefold()
        return [
            CompletionItem(value, help=help_text or None)
            for value, help_text in sorted(seen.items())
            if value.casefold().startswith(low)
        ]

    return complete


def complete_kinds(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    from click.shell_completion import CompletionItem

    from .domain.schema import KINDS

    names = [k.replace("_", "-") for k in KINDS]
    return [CompletionItem(n) for n in names if n.startswith(incomplete)]


def complete_fields(kind: str) -> Callable[..., list[CompletionItem]]:
    def complete(
        ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem

        from .domain.query import fields_of

        head, _, last = incomplete.rpartition(",")
        prefix = f"{head}," if head else ""
        return [
            CompletionItem(prefix + f.name, help=f.doc)
            for f in fields_of(kind)
            if f.name.startswith(last)
        ]

    return complete


def company_option(help_text: str) -> Callable[[F], F]:
    """--company X: a company by id or name (any case, a unique prefix will do)."""
    return click.option(
        "--company",
        shell_complete=complete_from("companies", "id", "name"),
        help=f"{help_text} (id or name, a unique prefix will do).",
    )


# --- fiscal years -----------------------------------------------------------------------


class FiscalYearSpan(click.ParamType):  # type: ignore[type-arg]  # generic from click 8.3
    """An Indian fiscal year in any common spelling, or a range A..B; gives (first, last)."""

    name = "YEAR"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        from .domain.fiscal import FiscalYearError, parse_span

        try:
            return parse_span(str(value))
        except FiscalYearError as e:
            self.fail(str(e), param, ctx)

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem

        facts = facts_for_completion(ctx)
        if facts is None:
            return []
        years = sorted({str(r["fy"]) for r in facts["exports"]})
        return [CompletionItem(y, help=f"FY{y}") for y in years if y.startswith(incomplete)]


# --- output ---------------------------------------------------------------------------------


def output_options(kind: str, *, charts: bool = False, units: bool = False) -> Callable[[F], F]:
    """--format, --json, --csv, --fields, --sources, --save-svg (and --chart, --unit where
    they apply), gathered into one `out: Output` argument."""

    def decorator(f: F) -> F:
        options = [
            click.option(
                "--format",
                "fmt",
                type=click.Choice(FORMATS),
                default=None,
                help="Output format. Default: table.",
            ),
            click.option("--json", "as_json", is_flag=True, help="Same as --format json."),
            click.option("--csv", "as_csv", is_flag=True, help="Same as --format csv."),
            click.option(
                "--fields",
                metavar="A,B,...",
                shell_complete=complete_fields(kind),
                help=f"Keep only these fields, in this order (see `cgcli fields {kind}`).",
            ),
            click.option(
                "--sources",
                "cite",
                is_flag=True,
                help="Table: number each row's source and list the sources under it.",
            ),
            click.option(  # checked in resolve_output: click.Path costs a gettext lookup
                "--save-svg",
                metavar="FILE",
                help="Also save the table or chart as an SVG image.",
            ),
        ]
        if charts:
            options.append(click.option("--chart", is_flag=True, help="Draw a bar chart."))
        if units:
            options.append(
                click.option(
                    "--unit",
                    type=click.Choice(("crore", "lakh", "million", "billion")),
                    help="Re-express rupee figures (1 crore = 10 million = 100 lakh).",
                )
            )
        for option in reversed(options):
            f = option(f)
        return f

    return decorator


def resolve_output(kind: str, params: dict[str, Any]) -> Output:
    """Pop the output options from a command's PARAMS and check them; usage errors exit 2."""
    fmt = params.pop("fmt")
    as_json, as_csv = params.pop("as_json"), params.pop("as_csv")
    chosen = [x for x in (fmt, "json" if as_json else None, "csv" if as_csv else None) if x]
    if len(set(chosen)) > 1:
        raise click.UsageError(f"choose one output format, not {' and '.join(sorted(set(chosen)))}")
    fmt = chosen[0] if chosen else "table"
    fields = _fields(kind, params.pop("fields"))
    chart = params.pop("chart", False)
    if chart and fmt != "table":
        raise click.UsageError("--chart draws for people; it goes with the table format only")
    save_svg = params.pop("save_svg")
    if save_svg and fmt != "table":
        raise click.UsageError("--save-svg saves a table or chart; use it without --format")
    if save_svg and os.path.isdir(save_svg):
        raise click.BadParameter(
            f"{save_svg!r} is a folder; give a file name", param_hint="--save-svg"
        )
    return Output(fmt, fields, params.pop("unit", None), params.pop("cite"), chart, save_svg)


def _fields(kind: str, text: str | None) -> list[str] | None:
    if text is None:
        return None
    from .domain.query import fields_of

    valid = [f.name for f in fields_of(kind)]
    wanted = [f.strip() for f in text.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in valid]
    if unknown or not wanted:
        what = f"unknown field {', '.join(map(repr, unknown))}" if unknown else "no fields given"
        raise click.BadParameter(f"{what}; {kind} has: {', '.join(valid)}", param_hint="--fields")
    return wanted
