"""How fast, and in how much memory, each TOML reader parses one fact file (figure 4's parse).

    python benchmarks/parsers.py FILE [--runs 3] [--piece 262144 --piece 65536]

Each reader runs in a process of its own, the runs interleaved: tomllib (the baseline of
figure 4), tomli (the reference and error path), toml_rs on the whole text, and cgcli's
parse in pieces (store/tomlpieces.py) at each --piece size. It prints the median CPU time
and the largest peak RSS of each (once parsed), and checks that the pieces give tomli's document.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

READERS = {  # name: (the parse, timed; a check after it)
    "tomllib": ("import tomllib; doc = tomllib.loads(text)", ""),
    "tomli": ("import tomli; doc = tomli.loads(text)", ""),
    "toml_rs whole": ("import toml_rs; doc = toml_rs.loads(text, toml_version='1.1.0')", ""),
}
PIECES = "from cover_glass_cli.store import tomlpieces; doc = tomlpieces.loads(text, {size})"
SAME = "import tomli; assert doc == tomli.loads(text), 'the pieces differ from tomli'"


def run(parse: str, check: str, path: str) -> tuple[float, float]:
    """CPU seconds of the parse alone, and the process's peak RSS (MiB) once parsed (before
    CHECK, which may parse again)."""
    script = "\n".join(
        [
            "import resource, time",
            f"text = open({path!r}, encoding='utf-8').read()",
            "start = time.process_time()",
            parse,
            "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss",
            "print(time.process_time() - start, peak / 1024, flush=True)",
            check,
        ]
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    if proc.wait() != 0:
        raise SystemExit(f"failed: {parse}")
    cpu, rss = out.split()
    return float(cpu), float(rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--piece", type=int, action="append", help="piece sizes (characters)")
    args = parser.parse_args()
    readers = dict(READERS)
    for size in args.piece or [262_144]:
        readers[f"pieces of {size:,}"] = (PIECES.format(size=size), SAME)
    times: dict[str, list[float]] = {name: [] for name in readers}
    peaks: dict[str, list[float]] = {name: [] for name in readers}
    for _ in range(args.runs):
        for name, (parse, check) in readers.items():
            cpu, rss = run(parse, check, args.file)
            times[name].append(cpu)
            peaks[name].append(rss)
    base = statistics.median(times["tomllib"])
    base_rss = max(peaks["tomllib"])
    print(
        f"{args.file}, medians of {args.runs} (CPU seconds of the parse; peak RSS of the process)"
    )
    for name in readers:
        cpu, rss = statistics.median(times[name]), max(peaks[name])
        print(
            f"  {name:22} {cpu:6.2f} s ({cpu / base:4.2f}x tomllib)"
            f"  {rss:6.1f} MiB ({rss / base_rss:4.2f}x)"
        )


if __name__ == "__main__":
    main()
