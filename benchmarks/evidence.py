"""Evidence benchmarks (issue "Evidence that survives a real copy of the page"), side by side.

    python benchmarks/evidence.py              # both goals, 5 runs each
    python benchmarks/evidence.py --runs 11 --text-heavy

1. `cgcli verify --source jv-report=PAGE` of every bundled claim, PAGE a 10 MB saved news
   page (made here: the shared report as the article, with the head, inline scripts and
   JSON state, styles, navigation, hundreds of teasers and a comment thread a saved page
   carries)                                             <= 1 s
   beside `cgcli verify` against the report itself (every span exact: the floor).
   --text-heavy adds a 10 MB page that is nearly all visible text (no goal).
2. `cgcli facts add exports ... --quote Q` with Q a 100 KB passage of a 4 MB document
                                                        <= 1 s
   beside the same command with a one-sentence quote.

Runs are interleaved (ours, baseline, ours, ...), the command's output going to a pipe,
with the installed `cgcli` of the current environment and a fresh user folder each run.
Prints wall-clock min / median / max and the median CPU time (user + system) in seconds,
and the machine's load average: on a machine shared with other work the wall time of a
run is its CPU time stretched by the wait for a core, so the goals are judged on CPU.
"""

from __future__ import annotations

import argparse
import html
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
REPORT = REPO.parent / "shared" / "source" / "jv-announcement-report.txt"
WORDS = [
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with", "as", "by", "at",
    "from", "markets", "India", "phone", "exports", "company", "said", "growth", "quarter",
    "year", "crore", "plant", "venture", "glass", "supply", "chain", "policy", "state",
    "government", "investors", "shares", "rose", "fell", "analysts", "expect", "demand",
]  # fmt: skip


def prose(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def saved_page(size: int, *, text_heavy: bool = False) -> str:
    """A news page as a browser saves it, about SIZE characters, the report its article."""
    rng = random.Random(2023)
    report = REPORT.read_text(encoding="utf-8")
    article = "".join(
        f"<p>{html.escape(p, quote=False).replace('India', '<a href=/t/india>India</a>')}</p>\n"
        for p in report.split("\n\n")
    )
    head = [
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Markets</title>",
        "<style>" + ".c{margin:0;padding:0}\n" * 2000 + "</style>",
        "<script>window.__STATE__ = {"
        + ",".join(f'"k{i}": "{"v" * 40}"' for i in range(20000))
        + "};</script></head><body>",
        "<header><nav><ul>"
        + "".join(f"<li><a href=/s/{i}>Section {i}</a></li>" for i in range(400))
        + "</ul></nav></header><main>",
    ]
    tail = ["</main><footer>&copy; 2023</footer></body></html>"]
    body = [f"<article><h1>Cover glass &amp; exports</h1>{article}</article>"]
    filler_size = size - sum(map(len, head + body + tail))
    filler: list[str] = []
    total = 0
    while total < filler_size:
        if text_heavy or rng.random() < 0.3:
            part = f"<div class=teaser><h3>{prose(rng, 8)}</h3><p>{prose(rng, 80)}</p></div>\n"
        else:
            part = (
                '<script type="application/ld+json">{"@type": "NewsArticle", "x": "'
                + "y" * 4000
                + '"}</script><div class=ad data-slot=1></div>\n'
            )
        filler.append(part)
        total += len(part)
    return "".join(head + body + ["<section class=more>"] + filler + ["</section>"] + tail)


def timed(cmd: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of CMD; CPU is user + system time of the process,
    which the load of other processes on the machine moves far less than wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, env=env)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in ok:
        sys.exit(f"failed ({result.returncode}): {' '.join(cmd)[:200]}\n{result.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def side_by_side(name: str, goal: float | None, ours: list[str], base: list[str],
                 runs: int, env: dict[str, str], fresh: Path | None = None) -> bool:  # fmt: skip
    a: list[tuple[float, float]] = []
    b: list[tuple[float, float]] = []
    for _ in range(runs):
        for cmd, out in ((ours, a), (base, b)):
            if fresh is not None:
                shutil.rmtree(fresh, ignore_errors=True)
                fresh.mkdir()
            out.append(timed(cmd, env))

    def line(label: str, runs_: list[tuple[float, float]]) -> str:
        wall, cpu = [w for w, _ in runs_], [c for _, c in runs_]
        return (f"  {label:<8} wall min {min(wall):.3f} median {statistics.median(wall):.3f} "
                f"max {max(wall):.3f}   CPU median {statistics.median(cpu):.3f}")  # fmt: skip

    wall_met = statistics.median(w for w, _ in a) <= (goal or 0)
    cpu_met = statistics.median(c for _, c in a) <= (goal or 0)
    verdict = (
        ""
        if goal is None
        else f"  goal <= {goal:.2f} s: wall {'met' if wall_met else 'NOT met'}, "
        f"CPU {'met' if cpu_met else 'NOT met'}"
    )
    print(f"{name}{verdict}\n{line('ours', a)}\n{line('baseline', b)}")
    return goal is None or cpu_met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--text-heavy", action="store_true")
    args = parser.parse_args()
    if not REPORT.is_file():
        sys.exit(f"the shared report is not at {REPORT}")
    cgcli = shutil.which("cgcli") or sys.exit("install cgcli first (pip install .)")
    work = Path(tempfile.mkdtemp(prefix="cgcli-evidence-bench-"))
    env = {**os.environ, "XDG_DATA_HOME": str(work / "data"), "XDG_CACHE_HOME": str(work / "cache")}
    ok = True
    print(
        f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores"
    )
    try:
        page = work / "story.html"
        page.write_text(saved_page(10 * 1024 * 1024), encoding="utf-8")
        print(f"page: {page.stat().st_size / 1e6:.1f} MB")
        timed([cgcli, "verify"], env)  # warm the fact cache
        ours = [cgcli, "verify", "--source", f"jv-report={page}"]
        ok &= side_by_side("1. verify, every bundled claim, 10 MB saved page", 1.0, ours,
                           [cgcli, "verify"], args.runs, env)  # fmt: skip
        if args.text_heavy:
            heavy = work / "heavy.html"
            heavy.write_text(saved_page(10 * 1024 * 1024, text_heavy=True), encoding="utf-8")
            ours = [cgcli, "verify", "--source", f"jv-report={heavy}"]
            side_by_side("1b. the same, a 10 MB page of nearly all visible text (no goal)",
                         None, ours, [cgcli, "verify"], args.runs, env)  # fmt: skip
        rng = random.Random(7)
        passage = " ".join(prose(rng, 12) for _ in range(1600))[:100_000]
        claim = "In FY23, mobile phone exports surpassed Rs 90,000 crore."
        passage = passage[: passage.rindex(".", 0, 100_000 - len(claim) - 1) + 1] + " " + claim
        document = work / "long.txt"
        filler = "\n\n".join(prose(rng, 150) for _ in range(2000))
        document.write_text(filler + "\n\n" + passage + "\n\n" + filler, encoding="utf-8")
        print(f"quote: {len(passage.encode()) / 1000:.0f} KB; document "
              f"{document.stat().st_size / 1e6:.1f} MB")  # fmt: skip
        add = [cgcli, "facts", "add", "exports", "id=bench", "fy=FY23", "value=90000",
               "unit=crore", "qualifier=over", "source=jv-report", "--source",
               f"jv-report={document}", "--quote"]  # fmt: skip
        ok &= side_by_side("2. facts add --quote, a 100 KB quote", 1.0, [*add, passage],
                           [*add, claim], args.runs, env, fresh=work / "data")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
