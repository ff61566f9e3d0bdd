"""Options shared by commands: the one output option set, fiscal years, and completion of
the data's own values (company ids and names, years, countries ...)."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .ui.formats import FORMATS
from .ui.output import Output

if TYPE_CHECKING:  # imported where completion runs, not on every start
    from click.shell_completion import CompletionItem

    from .domain.facts import Facts
    from .store.documents import Documents

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


def complete_fields(names: Callable[[], list[tuple[str, str]]]) -> Callable[..., Any]:
    """Complete a comma-separated list of the (name, meaning) pairs NAMES() gives."""

    def complete(
        ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem

        head, _, last = incomplete.rpartition(",")
        prefix = f"{head}," if head else ""
        return [
            CompletionItem(prefix + name, help=doc)
            for name, doc in names()
            if name.startswith(last)
        ]

    return complete


def _once(ctx: click.Context, param: click.Parameter, values: tuple[Any, ...]) -> Any:
    """An option that takes one value: given twice, a usage error rather than the last."""
    if len(values) > 1:
        if param.name == "span":
            from .domain.fiscal import span_label

            shown = ", ".join(span_label(*v) for v in values)  # (first, last, quarter)
            hint = " (for several years, give a range: 2021..2023)"
        else:
            shown, hint = ", ".join(repr(v) if isinstance(v, str) else str(v) for v in values), ""
        raise click.BadParameter(f"given {len(values)} times ({shown}); give it once{hint}")
    value = values[0] if values else None
    return value.strip() if isinstance(value, str) else value  # " India" is India


def single(*decls: str, **attrs: Any) -> Callable[[F], F]:
    """click.option for a value that may be given once: repeating it is refused, never
    silently the last one wins."""
    return click.option(*decls, multiple=True, callback=_once, **attrs)


def _joined(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> str | None:
    """--fields a,b --fields c means a,b,c."""
    return ",".join(values) if values else None


def company_option(help_text: str) -> Callable[[F], F]:
    """--company X: a company by id or name (any case, a unique prefix will do)."""
    return single(
        "--company",
        shell_complete=complete_from("companies", "id", "name"),
        help=f"{help_text} (id or name, a unique prefix will do).",
    )


# --- fiscal years -----------------------------------------------------------------------


class Quarter(click.ParamType):  # type: ignore[type-arg]  # generic from click 8.3
    """A quarter of a fiscal year: 1-4 or Q1-Q4."""

    name = "QUARTER"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, int):
            return value
        from .domain.fiscal import FiscalYearError, parse_quarter

        try:
            return parse_quarter(str(value))
        except FiscalYearError as e:
            self.fail(str(e), param, ctx)


class FiscalYearSpan(click.ParamType):  # type: ignore[type-arg]  # generic from click 8.3
    """An Indian fiscal year in any common spelling, a quarter of one ('Q1 FY24'), or a
    range A..B; gives (first, last, quarter or None)."""

    name = "YEAR"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        from .domain.fiscal import FiscalYearError, parse_selection

        try:
            return parse_selection(str(value))
        except FiscalYearError as e:
            self.fail(str(e), param, ctx)

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem

        facts = facts_for_completion(ctx)
        if facts is None:
            return []
        years = [str(fy) for fy in facts.export_years()]
        return [CompletionItem(y, help=f"FY{y}") for y in years if y.startswith(incomplete)]


# --- output ---------------------------------------------------------------------------------


def kind_fields(kind: str) -> Callable[[], list[tuple[str, str]]]:
    def names() -> list[tuple[str, str]]:
        from .domain.query import fields_of

        return [(f.name, f.doc) for f in fields_of(kind)]

    return names


def output_options(
    fields: Callable[[], list[tuple[str, str]]],
    *,
    what: str,
    formats: tuple[str, ...] = FORMATS,
    sources: bool = False,
    claims: bool = False,
    charts: bool = False,
    units: bool = False,
) -> Callable[[F], F]:
    """The one output option set: --format, --json, --csv, --fields (from FIELDS(), the
    (name, meaning) pairs a row has; WHAT names them in help), and where they apply
    --sources, --all-claims, --chart, --save-svg, --save-png and --unit. The command receives them as
    one `out: Output` argument, checked: a usage error exits 2."""

    def decorator(f: F) -> F:
        @functools.wraps(f)
        def command(*args: Any, **params: Any) -> Any:
            params["out"] = _resolve(fields, formats, params)
            return f(*args, **params)

        options = [
            single(
                "--format",
                "fmt",
                type=click.Choice(formats),
                help="Output format. Default: table.",
            ),
            click.option("--json", "as_json", is_flag=True, help="Same as --format json."),
        ]
        if "csv" in formats:
            options += [
                click.option("--csv", "as_csv", is_flag=True, help="Same as --format csv."),
                click.option(
                    "--no-formula-guard",
                    is_flag=True,
                    help="CSV/TSV: write cells starting with = + - @ as they are (by default "
                    "they get a leading ' so that a spreadsheet does not run them).",
                ),
            ]
        options.append(
            click.option(
                "--fields",
                metavar="A,B,...",
                multiple=True,
                callback=_joined,
                shell_complete=complete_fields(fields),
                help=f"Keep only these fields, in this order ({what}); repeat to add more.",
            )
        )
        if sources:
            options.append(
                click.option(
                    "--sources",
                    "cite",
                    is_flag=True,
                    help="Table: number each row's source and list the sources under it.",
                )
            )
        if claims:
            options.append(
                click.option(
                    "--all-claims",
                    is_flag=True,
                    help="Every claim of each subject, with its source and rank, not only the "
                    "best one (see Claims in the README).",
                )
            )
        if charts:
            options += [
                click.option("--chart", is_flag=True, help="Draw a bar chart."),
                single(  # checked in _resolve: click.Path costs a gettext lookup
                    "--save-svg",
                    metavar="FILE",
                    help="Save the chart as an SVG image, fit to print (draws it too).",
                ),
                single(
                    "--save-png",
                    metavar="FILE",
                    help="Save the chart as a PNG image, fit to print (draws it too).",
                ),
            ]
        if units:
            options.append(
                single(
                    "--unit",
                    type=click.Choice(("crore", "lakh", "million", "billion")),
                    help="Re-express rupee figures (1 crore = 10 million = 100 lakh).",
                )
            )
        for option in reversed(options):
            command = option(command)
        return command  # type: ignore[return-value]

    return decorator


def _resolve(
    fields: Callable[[], list[tuple[str, str]]], formats: tuple[str, ...], params: dict[str, Any]
) -> Output:
    """Pop the output options from PARAMS and check them; usage errors exit 2."""
    fmt = params.pop("fmt")
    as_json, as_csv = params.pop("as_json"), params.pop("as_csv", False)
    chosen = [x for x in (fmt, "json" if as_json else None, "csv" if as_csv else None) if x]
    if len(set(chosen)) > 1:
        raise click.UsageError(f"choose one output format, not {' and '.join(sorted(set(chosen)))}")
    fmt = chosen[0] if chosen else "table"
    wanted = _fields(fields, params.pop("fields"))
    chart = params.pop("chart", False)
    save_svg, save_png = params.pop("save_svg", None), params.pop("save_png", None)
    if chart and fmt != "table":
        raise click.UsageError("--chart draws for people; it goes with the table format only")
    for option, path in (("--save-svg", save_svg), ("--save-png", save_png)):
        if path is None:
            continue
        if fmt != "table":
            raise click.UsageError(f"{option} saves a chart; use it without --format")
        chart = True  # saving a chart draws it too
        import importlib.util

        if importlib.util.find_spec("matplotlib") is None:  # before anything is drawn
            raise click.UsageError(
                f"{option} draws with matplotlib, which is not installed: "
                "pip install 'cover-glass-cli[charts]'"
            )
        if os.path.isdir(path):
            raise click.BadParameter(f"{path!r} is a folder; give a file name", param_hint=option)
    return Output(
        fmt,
        wanted,
        spreadsheet=not params.pop("no_formula_guard", False),
        unit=params.pop("unit", None),
        cite=params.pop("cite", False),
        all_claims=params.pop("all_claims", False),
        chart=chart,
        save_svg=save_svg,
        save_png=save_png,
    )


def _fields(fields: Callable[[], list[tuple[str, str]]], text: str | None) -> list[str] | None:
    if text is None:
        return None
    valid = [name for name, _ in fields()]
    wanted = [f.strip() for f in text.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in valid]
    if unknown or not wanted:
        what = f"unknown field {', '.join(map(repr, unknown))}" if unknown else "no fields given"
        raise click.BadParameter(f"{what}; valid: {', '.join(valid)}", param_hint="--fields")
    return wanted


# --- source documents -------------------------------------------------------------------


class DocumentOptions:
    """Where the user says source documents are: --sources-dir (or CGCLI_SOURCES_DIR)
    and --source ID=PATH. `documents(facts)` finds them for the facts in use."""

    __slots__ = ("given", "sources_dir")

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
