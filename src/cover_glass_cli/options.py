"""Options shared by commands: the one output option set, fiscal years, and completion of
the data's own values (company ids and names, years, countries ...)."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .ui.output import FORMATS, Output

if TYPE_CHECKING:  # imported where completion runs, not on every start
    from click.shell_completion import CompletionItem

F = TypeVar("F", bound=Callable[..., Any])


def examples(*lines: str) -> str:
    """A help epilog of example command lines (\b keeps click from rewrapping them)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def kind_examples(kind: str) -> str:
    """The help epilog of the command that lists KIND: the examples its kind declares."""
    from .domain.registry import kind_of

    return examples(*kind_of(kind).examples)


# --- completion of values from the data --------------------------------------------


def facts_for_completion(ctx: click.Context) -> Any:
    """The facts, quietly: during completion the group callback has not run."""
    try:
        from .store import load

        params = ctx.find_root().params
        facts = load(tuple(params.get("facts_paths") or ()))
    except Exception:
        return None
    import atexit

    atexit.register(facts.close)  # completion runs outside any command's context
    return facts


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

    from .domain.registry import kinds

    names = [k.command for k in kinds().values()]
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
    from .domain.kinds.companies import KIND as COMPANIES

    return single(
        "--company",
        shell_complete=complete_from(COMPANIES.name, "id", "name"),
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

        from .domain.kinds.exports import years as export_years

        facts = facts_for_completion(ctx)
        if facts is None:
            return []
        years = [str(fy) for fy in export_years(facts)]
        return [CompletionItem(y, help=f"FY{y}") for y in years if y.startswith(incomplete)]


# --- output ---------------------------------------------------------------------------------


def kind_fields(kind: str) -> Callable[[], list[tuple[str, str]]]:
    def names() -> list[tuple[str, str]]:
        from .domain.query import fields_of

        return [(f.name, f.doc) for f in fields_of(kind)]

    return names


def kind_output(kind: str, *, charts: bool = False, units: bool = False) -> Callable[[F], F]:
    """The output options of the command that lists KIND: its fields, --sources,
    --all-claims, and where asked --chart and its files, --unit."""
    what = f"see `cgcli fields {kind.replace('_', '-')}`"
    return output_options(
        kind_fields(kind), what=what, sources=True, claims=True, charts=charts, units=units
    )


def output_options(
    fields: Callable[[], list[tuple[str, str]]],
    *,
    what: str,
    sources: bool = False,
    claims: bool = False,
    charts: bool = False,
    units: bool = False,
    listing: bool = True,
) -> Callable[[F], F]:
    """The one output option set: --format (default CGCLI_FORMAT, else table), --json,
    --csv, --tsv, --nl, --jq, --fields (from FIELDS(), the (name, meaning) pairs a row has;
    WHAT names them in help), --no-headers, and where they apply --sort and --limit (a
    LISTING of rows), --sources, --all-claims, --chart, --save-svg, --save-png and --unit.
    The command receives them as one `out: Output` argument, checked: a usage error exits 2."""

    def decorator(f: F) -> F:
        @functools.wraps(f)
        def command(*args: Any, **params: Any) -> Any:
            params["out"] = _resolve(fields, params)
            return f(*args, **params)

        options = [
            single(
                "--format",
                "fmt",
                type=click.Choice(FORMATS),
                help="Output format: table (for people), plain (aligned columns, no box "
                "drawing or colour) or a machine format. Default: table. Env: CGCLI_FORMAT.",
            ),
            click.option("--json", "as_json", is_flag=True, help="Same as --format json."),
            click.option(
                "--nl", "as_nl", is_flag=True, help="Same as --format ndjson: a JSON object a line."
            ),
            single(
                "--jq",
                metavar="EXPR",
                help="Filter the JSON output with a jq expression, as gh does (implies --json; "
                "strings print raw). Needs jq: pip install jq.",
            ),
            click.option(
                "--csv",
                "as_csv",
                is_flag=True,
                help="Same as --format csv. Cells a spreadsheet would run as a formula get "
                "a leading ' (see --no-formula-guard).",
            ),
            click.option("--tsv", "as_tsv", is_flag=True, help="Same as --format tsv."),
            click.option(
                "--no-formula-guard",
                is_flag=True,
                help="CSV/TSV: write cells starting with = + - @ as they are (by default "
                "they get a leading ' so that a spreadsheet does not run them; cgcli's own "
                "figures such as +101.3% are never changed). Env: CGCLI_FORMULA_GUARD=0.",
            ),
            click.option(
                "--no-headers",
                is_flag=True,
                help="CSV, TSV and plain: leave out the line of column names.",
            ),
            click.option(
                "--fields",
                metavar="A,B,...",
                multiple=True,
                callback=_joined,
                shell_complete=complete_fields(fields),
                help=f"Keep only these fields, in this order ({what}); repeat to add more.",
            ),
        ]
        if listing:
            options += [
                single(
                    "--sort",
                    metavar="FIELD",
                    shell_complete=complete_fields(fields),
                    help="Order the rows by FIELD; -FIELD for descending (empty values last).",
                ),
                single(
                    "--limit",
                    type=click.IntRange(min=1),
                    metavar="N",
                    help="Show at most N rows (after --sort).",
                ),
            ]
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


def _compile_jq(value: str | None, hint: str | None = None) -> Any:
    """The compiled jq program of VALUE (None: none); a usage error when it is wrong."""
    if value is None:
        return None
    from .ui.output import compile_jq

    try:
        return compile_jq(value)
    except ValueError as e:  # jq's message, or jq is not installed
        raise click.BadParameter(str(e), param_hint=hint) from None


def jq_option(f: F) -> F:
    """--jq EXPR for a command that writes one JSON document (it implies that command's
    JSON): the command gets `jq`, a compiled program or None, for write_json."""
    return click.option(
        "--jq",
        metavar="EXPR",
        callback=lambda ctx, param, value: _compile_jq(value),
        help="Filter the JSON output with a jq expression, as gh does (strings print raw). "
        "Needs jq: pip install jq.",
    )(f)


def _format(params: dict[str, Any], jq: str | None) -> str:
    """The one format the flags choose; else --jq's json, else CGCLI_FORMAT, else table."""
    flags = (
        ("json", params.pop("as_json")),
        ("csv", params.pop("as_csv", False)),
        ("tsv", params.pop("as_tsv", False)),
        ("ndjson", params.pop("as_nl")),
    )
    fmt: str | None = params.pop("fmt")
    chosen = sorted({x for x in (fmt, *(name for name, on in flags if on)) if x})
    if len(chosen) > 1:
        raise click.UsageError(f"choose one output format, not {' and '.join(chosen)}")
    if chosen:
        if jq is not None and chosen[0] != "json":
            raise click.UsageError(f"--jq filters JSON; it does not go with {chosen[0]}")
        return chosen[0]
    if jq is not None:
        return "json"
    default = os.environ.get("CGCLI_FORMAT", "").strip().lower()
    if default and default not in FORMATS:
        raise click.UsageError(
            f"CGCLI_FORMAT={default!r} is not a format of this command; "
            f"choose one of {', '.join(FORMATS)}"
        )
    return default or "table"


def _resolve(fields: Callable[[], list[tuple[str, str]]], params: dict[str, Any]) -> Output:
    """Pop the output options from PARAMS and check them; usage errors exit 2."""
    jq = params.pop("jq")
    fmt = _format(params, jq)
    jq = _compile_jq(jq, "--jq")
    text = params.pop("fields")
    wanted = None if text is None else checked_fields([n for n, _ in fields()], text)
    sort = params.pop("sort", None)
    if sort is not None:
        checked_fields([n for n, _ in fields()], sort.removeprefix("-"), option="--sort")
    headers = not params.pop("no_headers", False)
    if not headers and fmt not in ("csv", "tsv", "plain"):
        raise click.UsageError("--no-headers goes with --csv, --tsv or --format plain")
    guard = not params.pop("no_formula_guard", False)
    if os.environ.get("CGCLI_FORMULA_GUARD", "").strip() in ("0", "no", "false", "off"):
        guard = False
    cite = params.pop("cite", False)
    if cite and fmt not in ("table", "plain"):
        raise click.UsageError(
            "--sources lists the sources under a table; it goes with the table or plain"
            " format (machine formats give each row's source field)"
        )
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
                "pip install matplotlib (or, from a clone of cgcli, pip install '.[charts]')"
            )
        if os.path.isdir(path):
            raise click.BadParameter(f"{path!r} is a folder; give a file name", param_hint=option)
    return Output(
        fmt,
        wanted,
        spreadsheet=guard,
        unit=params.pop("unit", None),
        cite=cite,
        all_claims=params.pop("all_claims", False),
        chart=chart,
        save_svg=save_svg,
        save_png=save_png,
        jq=jq,
        sort=sort,
        limit=params.pop("limit", None),
        headers=headers,
    )


def checked_fields(valid: list[str], text: str, *, option: str = "--fields") -> list[str]:
    """The comma-separated field names of TEXT, each one of VALID; a usage error naming
    the unknown ones (and the near names) otherwise."""
    wanted = [f.strip() for f in text.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in valid]
    if unknown or not wanted:
        import difflib

        what = f"unknown field {', '.join(map(repr, unknown))}" if unknown else "no fields given"
        close = [m for u in unknown for m in difflib.get_close_matches(u, valid, n=1)]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise click.BadParameter(f"{what}{hint}; valid: {', '.join(valid)}", param_hint=option)
    return wanted
