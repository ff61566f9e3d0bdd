"""Coverage-guided fuzzing of the fact-file loader and the cache with atheris (by hand, not in CI).

    python -m venv /tmp/fz && /tmp/fz/bin/pip install atheris -e .
    /tmp/fz/bin/python fuzz/fuzz_loader.py -max_total_time=300 -max_len=4096 fuzz/corpus
    python fuzz/fuzz_loader.py --once FILE    # one input, without atheris: what it checks

Each input is written as a fact file and given to the commands as a user would (click's
CliRunner, in process): every listing as JSON and as a table, and a search. A command
may refuse the file (exit 3), find nothing (exit 1) or answer (exit 0); anything else (an
internal error, exit 70, or an exception) is a bug, and so is an ESC byte from the data
in a drawn table. The same JSON must come from a cache built from the file and from
`--no-cache`: the cache answers every question exactly as the file does.

It drives the commands, not the modules behind them, so that it keeps working as they
are rearranged.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ["NO_COLOR"] = "1"
os.environ["COLUMNS"] = "60"
os.environ.pop("CGCLI_FACTS", None)
FOLDER = Path(tempfile.mkdtemp(prefix="cgcli-fuzz-"))
os.environ["XDG_DATA_HOME"] = str(FOLDER / "data")
os.environ["XDG_CACHE_HOME"] = str(FOLDER / "cache")
PATH = FOLDER / "facts.toml"
COMMANDS = [
    ["exports"],
    ["companies"],
    ["sources"],
    ["sites"],
    ["timeline"],
    ["value-addition"],
    ["search", "a"],
]


def _run(args: list[str]) -> tuple[int, str]:
    from click.testing import CliRunner

    from cover_glass_cli.cli import cli

    result = CliRunner().invoke(cli, ["--facts", str(PATH), *args], prog_name="cgcli")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    if result.exit_code not in (0, 1, 3):
        raise AssertionError(f"cgcli {' '.join(args)}: exit {result.exit_code}\n{result.output}")
    return result.exit_code, result.stdout


def test_one_input(data: bytes) -> None:
    PATH.write_bytes(data)
    for args in COMMANDS:
        plain = _run(["--no-cache", *args, "--json"])
        if plain[0] == 3:
            return  # refused, with a message: the loader's only way to say no
        if _run([*args, "--json"]) != plain:
            raise AssertionError(f"cgcli {' '.join(args)}: the cache and the file disagree")
        table = _run(args)[1]
        if "\x1b" in table:
            raise AssertionError(f"cgcli {' '.join(args)}: ESC from the data in a table")


def main() -> None:
    if sys.argv[1:2] == ["--once"]:
        test_one_input(Path(sys.argv[2]).read_bytes())
        print(f"ok: {sys.argv[2]}")
        return
    import atheris  # only the fuzzing needs it

    from cover_glass_cli.store import bundled_path

    corpus = Path(__file__).parent / "corpus"
    corpus.mkdir(exist_ok=True)
    seed = corpus / "bundled.toml"
    if not seed.exists():
        seed.write_bytes(bundled_path().read_bytes())
    with atheris.instrument_imports():
        import cover_glass_cli.cli  # noqa: F401  # instrumented, then loaded by each run
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
