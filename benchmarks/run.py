"""Start-up and scale benchmarks for cgcli, measured side by side in one run.

    python benchmarks/run.py                 # all comparisons, 21 interleaved runs each
    python benchmarks/run.py --runs 31 --records 100000 --skip-big
    python benchmarks/run.py --skip-big --repeat 10   # start-up ten times: how noisy is it here?

Where valgrind is installed, each start-up comparison is also counted in instructions
(callgrind), a figure that does not move with the machine's load, and against the same
floor doing what cgcli does at start and end (Python's cyclic garbage collector off, no
interpreter teardown at exit): that shows how much of the margin those two choices give
and how much is cgcli doing little.

It installs the working tree into a venv of its own (benchmarks/.venv, `pip install .`,
as a user would, so byte code is compiled at install time), then times each command
against its baseline, interleaved run by run so that machine noise hits both alike,
output going to a pipe. It prints min / median / max of each and the ratio of medians:

  1. `cgcli exports --fy 2023 --json`  vs  python -c "import click, platformdirs"
  2. `cgcli companies` (table)         vs  python -c "import click, platformdirs, rich.console, rich.table"
  3. on a generated file of N export records (benchmarks/make_facts.py):
     a. repeated query `cgcli --facts big.toml exports --fy 2023 --json` (cache warm)
        vs  jq '[.exports[] | select(.fy == 2023)]' big.json   (when jq is installed)
     b. first query on a new file (cache emptied before each run)
        vs  python -c "import tomllib; tomllib.load(open('big.toml', 'rb'))"
  4. peak memory (max RSS) of 3a and 3b against the file's size.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def venv() -> Path:
    """benchmarks/.venv with the working tree installed (not editable)."""
    env_dir = HERE / ".venv"
    python = env_dir / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", str(REPO)],
        check=True,
    )
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(REPO)], check=True)  # deps
    return env_dir


def run_once(
    cmd: list[str], env: dict[str, str], before: list[str] | None = None
) -> tuple[float, int]:
    """Wall time (s) and peak RSS (KiB) of CMD, stdout to a pipe that is read to the end."""
    if before:
        subprocess.run(before, check=True)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    while proc.stdout.read(1 << 16):
        pass
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss


def compare(
    name: str,
    ours: list[str],
    base: list[str],
    runs: int,
    env: dict[str, str],
    *,
    target: float,
    before: list[str] | None = None,
) -> dict[str, float]:
    """Interleave RUNS of OURS and BASE; print the spread of each and the ratio of medians."""
    for _ in range(2):  # warm-up: file cache, byte code, our own cache
        run_once(ours, env, before)
        run_once(base, env)
    times: dict[str, list[float]] = {"cgcli": [], "baseline": []}
    rss: dict[str, list[int]] = {"cgcli": [], "baseline": []}
    for _ in range(runs):
        for label, cmd in (("cgcli", ours), ("baseline", base)):
            t, m = run_once(cmd, env, before if label == "cgcli" else None)
            times[label].append(t)
            rss[label].append(m)
    med = {k: statistics.median(v) for k, v in times.items()}
    ratio = med["cgcli"] / med["baseline"]
    verdict = "ok" if ratio <= target else "OVER"
    print(f"\n{name}")
    for label, cmd in (("cgcli", ours), ("baseline", base)):
        v = [t * 1000 for t in times[label]]
        shown = " ".join(cmd[-4:]) if label == "cgcli" else " ".join(cmd[1:])
        print(
            f"  {label:8}  min {min(v):8.1f}  median {statistics.median(v):8.1f}  max {max(v):8.1f} ms"
            f"  peak {max(rss[label]) / 1024:7.1f} MiB   {shown[:70]}"
        )
    # Each cgcli run against the baseline run just after it: slow drift in the machine's
    # speed (a shared VM) cancels out pair by pair.
    pairs = statistics.median(a / b for a, b in zip(times["cgcli"], times["baseline"], strict=True))
    print(f"  ratio of medians: {ratio:.2f}x (goal <= {target:.2f}x: {verdict})")
    print(f"  median of the {runs} run-by-run ratios: {pairs:.2f}x")
    return {"ratio": ratio, "pairs": pairs, "rss": max(rss["cgcli"]) * 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description="cgcli benchmarks")
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument(
        "--big-runs", type=int, default=5, help="runs of the first-query comparison"
    )
    parser.add_argument("--skip-big", action="store_true", help="only the start-up comparisons")
    parser.add_argument("--only-big", action="store_true", help="only the large-file comparisons")
    parser.add_argument(
        "--repeat", type=int, default=1, help="repeat the start-up comparisons, to see the noise"
    )
    args = parser.parse_args()

    env_dir = venv()
    python, cgcli = str(env_dir / "bin" / "python"), str(env_dir / "bin" / "cgcli")
    work = Path(tempfile.mkdtemp(prefix="cgcli-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CGCLI_")}
    env.update({"XDG_CACHE_HOME": str(work / "cache"), "XDG_DATA_HOME": str(work / "data")})
    env.pop("PYTHONUNBUFFERED", None)
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {os.uname().machine}, runs={args.runs}"
    )

    if not args.only_big:
        startup(cgcli, python, args.runs, env, args.repeat)
    if args.skip_big:
        return
    big(args, python, cgcli, work, env)
    shutil.rmtree(work, ignore_errors=True)


def instructions(cmd: list[str], env: dict[str, str]) -> int | None:
    """Instructions executed by CMD under callgrind: repeatable whatever else the machine does."""
    valgrind = shutil.which("valgrind")
    if not valgrind:
        return None
    result = subprocess.run(
        [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
        capture_output=True,
        text=True,
        env=env,
    )
    for line in result.stderr.splitlines():
        if "Collected" in line:
            return int(line.split()[-1])
    return None


def count(name: str, ours: list[str], python: str, floor: str, env: dict[str, str]) -> None:
    """Instruction counts of OURS against the floor `python -c FLOOR`, and against the same
    floor doing what cgcli does at start and end (no cyclic GC; os._exit once flushed), so
    that it shows what is cgcli's own work and what those two choices save."""
    mine = instructions(ours, env)
    theirs = instructions([python, "-c", floor], env)
    lean = f"import gc; gc.disable(); {floor}; import os, sys; sys.stdout.flush(); os._exit(0)"
    same = instructions([python, "-c", lean], env)
    if mine and theirs and same:
        print(f"  {name}. {mine:,} vs {theirs:,} = {mine / theirs:.3f}x")
        print(
            f"     against that floor without GC and teardown, as cgcli: {same:,} = {mine / same:.3f}x"
        )


def startup(cgcli: str, python: str, runs: int, env: dict[str, str], repeat: int = 1) -> None:
    json_floor = "import click, platformdirs"
    table_floor = "import click, platformdirs, rich.console, rich.table"
    json_cmd = [cgcli, "exports", "--fy", "2023", "--json"]
    table_cmd = [cgcli, "companies"]
    ratios: dict[str, list[float]] = {"1": [], "2": []}
    for _ in range(repeat):
        ratios["1"].append(
            compare(
                "1. JSON lookup: cgcli exports --fy 2023 --json",
                json_cmd,
                [python, "-c", json_floor],
                runs,
                env,
                target=1.10,
            )["ratio"]
        )
        ratios["2"].append(
            compare(
                "2. Table: cgcli companies",
                table_cmd,
                [python, "-c", table_floor],
                runs,
                env,
                target=1.10,
            )["ratio"]
        )
    if repeat > 1:
        print(f"\nRatios of medians over {repeat} repetitions (min / median / max):")
        for name, values in ratios.items():
            low, mid, high = min(values), statistics.median(values), max(values)
            print(f"  {name}. {low:.3f} / {mid:.3f} / {high:.3f}")
    print("\n1 and 2 counted in instructions (callgrind):")
    count("1", json_cmd, python, json_floor, env)
    count("2", table_cmd, python, table_floor, env)


def big(args: argparse.Namespace, python: str, cgcli: str, work: Path, env: dict[str, str]) -> None:
    big, big_json = work / "big.toml", work / "big.json"
    subprocess.run(
        [
            python,
            str(HERE / "make_facts.py"),
            "--records",
            str(args.records),
            "--json",
            str(big_json),
            str(big),
        ],
        check=True,
    )
    size = big.stat().st_size
    query = [cgcli, "--facts", str(big), "exports", "--fy", "2023", "--json"]
    jq = shutil.which("jq")
    if jq:
        warm = compare(
            f"3a. Repeated query on {args.records:,} records (cache warm) vs jq on the same data as JSON",
            query,
            [jq, "[.exports[] | select(.fy == 2023)]", str(big_json)],
            args.runs,
            env,
            target=0.5,
        )
    else:
        print("\n3a. skipped: jq is not installed")
        warm = {}
    cold = compare(
        f"3b. First query on a new file ({args.records:,} records, cache emptied) vs tomllib's parse",
        query,
        [python, "-c", f"import tomllib; tomllib.load(open({str(big)!r}, 'rb'))"],
        args.big_runs,
        env,
        target=1.10,
        before=["rm", "-rf", str(work / "cache")],
    )
    print(f"\n4. Peak memory against the file's size ({size / 2**20:.1f} MiB), goal <= 3x")
    if warm:
        print(f"  repeated query: {warm['rss'] / 2**20:7.1f} MiB = {warm['rss'] / size:.2f}x")
    print(f"  first query:    {cold['rss'] / 2**20:7.1f} MiB = {cold['rss'] / size:.2f}x")


if __name__ == "__main__":
    main()
