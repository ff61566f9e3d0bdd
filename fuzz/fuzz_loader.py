"""Coverage-guided fuzzing of the fact-file loader with atheris (run by hand, not in CI).

    python -m venv /tmp/fz && /tmp/fz/bin/pip install atheris -e .
    /tmp/fz/bin/python fuzz/fuzz_loader.py -max_total_time=300 -max_len=4096 fuzz/corpus

Each input is written as a fact file and goes through everything a command does with
one: read, decode, parse, validate, merge, derive rows of every kind, and draw every
table. The loader may refuse an input only with FactsError; any other exception is a
bug, and so is an ESC byte from the data in a drawn table. The input is also streamed
into a cache folder (what a first query does): that must refuse what merge() refuses,
and hold what merge() holds.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from cover_glass_cli import cache, loader, query, store
    from cover_glass_cli.domain.schema import KINDS

os.environ["NO_COLOR"] = "1"
os.environ["COLUMNS"] = "60"
FOLDER = Path(tempfile.mkdtemp(prefix="cgcli-fuzz-"))
PATH = FOLDER / "facts.toml"


def draw(kind: str, rows: list[dict[str, object]]) -> str:
    from rich.console import Console

    from cover_glass_cli.ui.tables import draw_table
    from cover_glass_cli.ui.views import table_view

    out = io.StringIO()
    console = Console(file=out, markup=False, emoji=False, highlight=False, width=60)
    draw_table(table_view(kind, rows), console)
    return out.getvalue()


def streamed() -> store.Facts | None:
    """The facts as a cache folder holds them after streaming PATH; None if left to merge()."""
    root = FOLDER / "cache"
    key = cache._key([PATH])
    cache._discard(root)
    if not cache._stream([PATH], root, "facts-fuzz", root / "facts-fuzz-key", key):
        return None
    return cache._open(root / "facts-fuzz-key", key, lambda: loader.merge([PATH]))


def snapshot(facts: store.Facts) -> object:
    pairs = zip(facts["exports"], facts.origins("exports"), strict=True)
    out = {kind: (facts[kind], facts.origins(kind)) for kind in KINDS if kind != "exports"}
    return repr((out, sorted(pairs, key=lambda pair: pair[0]["fy"])))


def test_one_input(data: bytes) -> None:
    PATH.write_bytes(data)
    try:
        facts = loader.merge([PATH])
    except store.FactsError as e:
        for problem in e.problems:
            str(problem)
        if streamed() is not None:
            raise AssertionError("streamed a file merge() refuses") from None
        return
    quick = streamed()
    if quick is not None and snapshot(quick) != snapshot(facts):
        raise AssertionError("streaming and merge() disagree")
    for kind in KINDS:
        rows = query.rows(facts, kind)
        if rows:
            text = draw(kind, rows)
            if "\x1b" in text:
                raise AssertionError(f"ESC from the data in a {kind} table")
    query.search(facts, "a")


def main() -> None:
    corpus = Path(__file__).parent / "corpus"
    corpus.mkdir(exist_ok=True)
    seed = corpus / "bundled.toml"
    if not seed.exists():
        seed.write_bytes(store.bundled_path().read_bytes())
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
