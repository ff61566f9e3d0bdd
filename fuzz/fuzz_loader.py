"""Coverage-guided fuzzing of the fact-file loader and the cache with atheris (by hand, not in CI).

    python -m venv /tmp/fz && /tmp/fz/bin/pip install atheris -e .
    /tmp/fz/bin/python fuzz/fuzz_loader.py -max_total_time=300 -max_len=4096 fuzz/corpus

Each input is written as a fact file and goes through everything a command does with
one: read, decode, parse, validate, merge, derive rows of every kind, and draw every
table. The loader may refuse an input only with FactsError; any other exception is a
bug, and so is an ESC byte from the data in a drawn table. What merge() accepts is also
written to a SQLite cache and read back: the cache must answer every question (records,
origins, exports by year, country and product, search) exactly as the merged facts do.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from cover_glass_cli.domain import query
    from cover_glass_cli.domain.facts import Facts, FactsError
    from cover_glass_cli.domain.kinds import exports as export_kind
    from cover_glass_cli.domain.registry import kinds
    from cover_glass_cli.store import cache, paths, reading

os.environ["NO_COLOR"] = "1"
os.environ["COLUMNS"] = "60"
FOLDER = Path(tempfile.mkdtemp(prefix="cgcli-fuzz-"))
PATH = FOLDER / "facts.toml"
DB = FOLDER / "facts.sqlite"


def draw(kind: str, rows: list[dict[str, object]]) -> str:
    from rich.console import Console

    from cover_glass_cli.ui.tables import draw_table
    from cover_glass_cli.ui.views import table_view

    out = io.StringIO()
    console = Console(file=out, markup=False, emoji=False, highlight=False, width=60)
    draw_table(table_view(kind, rows), console)
    return out.getvalue()


def answers(facts: Facts) -> object:
    """Everything a command may ask of FACTS, in one comparable value."""
    years = export_kind.years(facts)
    subjects = sorted({(r["country"], r["product"]) for r in facts["exports"]})
    return repr(
        (
            {kind: (facts[kind], facts.origins(kind)) for kind in kinds()},
            years,
            [export_kind.select(facts, fy, fy) for fy in years],
            [export_kind.select(facts, country=c, product=p) for c, p in subjects],
            query.search(facts, "a"),
            query.search(facts, "india 20"),
        )
    )


def test_one_input(data: bytes) -> None:
    PATH.write_bytes(data)
    stamps: list[reading.Stamp] = []
    try:
        facts = reading.merge([PATH], stamps=stamps)
    except FactsError as e:
        for problem in e.problems:
            str(problem)
        return
    DB.unlink(missing_ok=True)
    cache.build(DB, facts, stamps)
    cached = cache._open(DB, [PATH])
    if cached is None or answers(cached) != answers(facts):
        raise AssertionError("the cache and the merged facts disagree")
    for kind in kinds():
        rows = query.rows(facts, kind)
        if rows:
            text = draw(kind, rows)
            if "\x1b" in text:
                raise AssertionError(f"ESC from the data in a {kind} table")


def main() -> None:
    corpus = Path(__file__).parent / "corpus"
    corpus.mkdir(exist_ok=True)
    seed = corpus / "bundled.toml"
    if not seed.exists():
        seed.write_bytes(paths.bundled_path().read_bytes())
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
