"""cgcli exports"""

from __future__ import annotations

import click

from ..domain.fiscal import span_label
from ..domain.kinds.exports import select
from ..domain.query import convert_rows, listing
from ..options import FiscalYearSpan, Quarter, complete_from, kind_examples, kind_output, single
from ..ui.output import Output, fits_a_table
from . import App, Command


@click.command(cls=Command, epilog=kind_examples("exports"))
@click.argument("period", nargs=-1, metavar="[YEAR]")
@single(
    "--fy",
    "span",
    type=FiscalYearSpan(),
    help="Indian fiscal year (April-March): 2023, FY23, 2022-23, a quarter Q1 FY24 ... or a "
    "range 2021..2023. Also as the argument: cgcli exports 2023.",
)
@single(
    "--quarter",
    type=Quarter(),
    help="Only this quarter of each fiscal year: 1-4 or Q1-Q4 (Q1 is April-June).",
)
@single(
    "--country",
    shell_complete=complete_from("exports", "country"),
    help="Only exports from this country (case-insensitive).",
)
@single(
    "--product",
    shell_complete=complete_from("exports", "product"),
    help="Only exports of this product (case-insensitive).",
)
@kind_output("exports", charts=True, units=True)
@click.pass_obj
def exports(
    app: App,
    period: tuple[str, ...],
    span: tuple[int, int, int | None] | None,
    quarter: int | None,
    country: str | None,
    product: str | None,
    out: Output,
) -> None:
    """Exports by fiscal year and quarter, with stated and computed growth.

    The bundled data holds India's mobile phone exports. Growth is computed wherever
    the year-ago figure is in the data too, from the best claims of both years, and
    checked against the growth the source states.

    Figures of one period from several sources are claims side by side: a row shows
    the best one (rank preferred, else normal) and is marked when the best ones
    disagree; --all-claims lists every claim with its source and rank.
    """
    span, quarter = _period(period, span, quarter)
    facts = app.load()
    first, last = (span[0], span[1]) if span else (None, None)
    selected = select(facts, first, last, country=country, product=product)
    if quarter is not None:
        selected = [r for r in selected if r.get("quarter") == quarter]
    empty = "no exports match"
    if not selected and (span or quarter):
        from ..domain.fiscal import label

        periods = sorted({(r["fy"], r.get("quarter") or 0) for r in facts["exports"]})
        have = ", ".join(label(fy, q) for fy, q in periods) or "none"
        wanted = span_label(*span) if span else ""
        if quarter is not None and not (span and span[2]):
            wanted = f"Q{quarter} of {wanted or 'any year'}" if wanted else f"Q{quarter}"
        empty = f"no exports data for {wanted}; the data has: {have}"
    fits_a_table(out, min(len(selected), out.limit or len(selected)))
    ordered = sorted(selected, key=lambda r: (r["fy"], r.get("quarter") or 0))
    result = listing(facts, "exports", ordered, all_claims=out.all_claims)
    if out.unit:
        result = convert_rows(result, out.unit)
    app.show("exports", result, out, empty=empty)


def _period(
    words: tuple[str, ...], span: tuple[int, int, int | None] | None, quarter: int | None
) -> tuple[tuple[int, int, int | None] | None, int | None]:
    """The period asked for: the argument (`cgcli exports 2023`, `cgcli exports Q1 FY24`)
    or --fy, and --quarter; given two ways that disagree, a usage error (exit 2)."""
    if words:
        from ..domain.fiscal import FiscalYearError, parse_selection

        try:
            chosen = parse_selection(" ".join(words))
        except FiscalYearError as e:
            raise click.BadParameter(str(e), param_hint="YEAR") from None
        if span is not None and span != chosen:
            raise click.UsageError(
                f"the year is given twice: as {' '.join(words)!r} and as --fy; give it once"
            )
        span = chosen
    if span is not None and span[2] is not None:
        if quarter is not None and quarter != span[2]:
            raise click.UsageError(
                f"--quarter {quarter} and Q{span[2]} in the year disagree; give the quarter once"
            )
        quarter = span[2]
    return span, quarter
