#!/usr/bin/env python3
"""Hostile-input sweep of the installed `cgcli` command (by hand, not in CI).

    python fuzz/hostile_sweep.py [--cgcli PATH] [--work DIR] [-k SUBSTR] [-v]

Run it with the project's dev environment (`.venv/bin/python`: it reads Markdown with
markdown-it-py and BibTeX with pybtex) and with `dot`, `fish`, `zsh` and `iconv` on PATH.
About 1,500 cases; about 3 minutes on 2 cores. Every case runs the real command as a
subprocess with its own XDG_DATA_HOME / XDG_CACHE_HOME / XDG_CONFIG_HOME under the work
folder (default: a fresh temporary folder), so your own facts and cache are never touched.

It checks, category by category:

- badfiles: fact files with control, bidi and non-characters, special files (FIFOs,
  /dev/zero, sparse 2 GB files), parser cost bombs, bad types and non-finite numbers are
  refused with exit 3 (validate: exit 1) and FILE:LINE, never a traceback, a hang or a
  raw escape on the terminal; JSON and SVG output stays valid.
- injection: spreadsheet formulas, HTML/Markdown, BibTeX, DOT/Mermaid payloads in every
  free-text field are neutralised in every output format and survive a TOML round trip.
- cache: the SQLite cache is never stale and recovers silently from corruption, odd
  cache folders and concurrent first runs.
- crash: `facts add` / `facts edit` lose nothing under kill -9, concurrent writers, a full
  disk or symlinks; a refused record (exit 1 when it fails validation, exit 2 for a usage
  error such as a malformed FIELD=VALUE) leaves the file byte for byte as it was.
- editors: whatever $EDITOR does (nothing, breaks the file, deletes it, dies), the user's
  file is replaced only by a valid result.
- streams: a reader that goes away, closed or full stdout/stderr, /dev/stdin and FIFOs as
  fact files, output files that are private device nodes (made with mknod inside the
  work folder, never elsewhere); a table of more than 5,000 rows is refused with exit 2
  and advice naming --csv/--json.
- signals: Ctrl-C gives exit 130 and one line, never a traceback from cgcli's code. A
  SIGINT that Python gets before cgcli's code runs (a traceback with no frame in
  cover_glass_cli) or after all the output was written (death by SIGINT with the full
  output printed) is Python's and passes: a shell reports 130 for both.
- terminals: narrow COLUMNS never cut ids or numbers; ASCII/latin-1/C locales never
  replace characters silently; no escape sequence from the data reaches a tty.
- completion: bash, fish and zsh completion never executes or glob-expands data.
- usage: typos get "did you mean", fiscal-year spellings, escapes in arguments.
- links: a symlink (to a file, to a FIFO, dangling), a FIFO or a folder planted at every
  path cgcli writes (the fact file, its lock, backups, a rejected edit, the editor's copy,
  exports, saved charts) is refused, never followed; nothing hangs.

Prints the per-category counts and `N cases, M failed`; details of the failures go to
`failures.txt` in the work folder (its path is printed). Exit status 1 when any case failed.
The work folder is kept for a look at the failures (about 400 MB); remove it afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import random
import re
import resource
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import traceback
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


class Settings:
    """What main() sets before any case runs (the cases are registered at import)."""

    cgcli = ""  # the command under test
    bundled = ""  # the bundled facts.toml
    bundled_text = ""
    work = ""  # everything is written under here
    runs = ""  # one folder per case
    shared = ""  # fact files shared by many cases
    timeout = 20
    verbose = False


S = Settings()

BAD_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ufdd0-\ufdef]"
)


def bad_chars(s):
    return sorted({hex(ord(c)) for c in BAD_RE.findall(s)})


def read_text(path):
    return Path(path).read_text(encoding="utf-8", errors="replace")


def read_bytes(path):
    return Path(path).read_bytes()


class Res:
    def __init__(self, rc, out, err, dt, timed_out):
        self.rc, self.outb, self.errb, self.dt, self.timed_out = rc, out, err, dt, timed_out
        self.out = out.decode("utf-8", "replace")
        self.err = err.decode("utf-8", "replace")

    def __repr__(self):
        return f"rc={self.rc} dt={self.dt:.1f}s out={self.out[:300]!r} err={self.err[:400]!r}"


_SCRUB = (
    "PYTHONUNBUFFERED",
    "CGCLI_FACTS",
    "CGCLI_NO_CACHE",
    "CGCLI_DEBUG",
    "CGCLI_MAX_FACTS_BYTES",
    "EDITOR",
    "VISUAL",
    "COLUMNS",
    "LINES",
    "PYTHONIOENCODING",
    "NO_COLOR",
    "FORCE_COLOR",
)


def base_env(home):
    env = {k: v for k, v in os.environ.items() if k not in _SCRUB}
    env.update(
        XDG_DATA_HOME=f"{home}/data",
        XDG_CACHE_HOME=f"{home}/cache",
        XDG_CONFIG_HOME=f"{home}/config",
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
        TERM="dumb",
    )
    return env


def run(home, args, env=None, stdin=subprocess.DEVNULL, timeout=None, shell=False, cwd=None):
    e = base_env(home)
    if env:
        for k, v in env.items():
            if v is None:
                e.pop(k, None)
            else:
                e[k] = v
    cmd = args if shell else [S.cgcli, *args]
    t0 = time.time()
    p = subprocess.Popen(
        cmd,
        shell=shell,
        executable="/bin/bash" if shell else None,
        env=e,
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd or home,
        start_new_session=True,
    )
    try:
        out, err = p.communicate(timeout=timeout or S.timeout)
        to = False
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        to = True
    return Res(p.returncode, out, err, time.time() - t0, to)


# ---------------------------------------------------------------- case registry
CASES: list[tuple[str, str, Callable[[], None]]] = []


def case(cat, name):
    def deco(fn):
        CASES.append((cat, name, fn))
        return fn

    return deco


def add(cat, name, fn):
    CASES.append((cat, name, fn))


class Fail(Exception):
    pass


class Skip(Exception):
    """The case cannot run here (e.g. mknod needs root); counted apart, not as a failure."""


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def sane(r, rcs, what="", ctrl=True, stderr_ctrl=True):
    """Generic contract checks."""
    check(not r.timed_out, f"{what} timed out (>{S.timeout}s) {r}")
    check(r.rc != 70, f"{what} internal error exit 70 {r}")
    check("Traceback" not in r.err, f"{what} traceback on stderr {r}")
    check(r.rc in rcs, f"{what} exit {r.rc} not in {sorted(rcs)} {r}")
    if ctrl:
        b = bad_chars(r.out.replace("\r\n", "\n"))  # CRLF record ends are legal CSV
        check(not b, f"{what} raw control chars {b} on stdout {r}")
    if stderr_ctrl:
        b = bad_chars(r.err)
        check(not b, f"{what} raw control chars {b} on stderr {r}")


def newhome(name):
    h = os.path.join(S.runs, re.sub(r"[^A-Za-z0-9_.-]", "_", name)[:120])
    if os.path.lexists(h):
        subprocess.run(["chmod", "-R", "u+rwx", h], stderr=subprocess.DEVNULL, check=False)
        shutil.rmtree(h, ignore_errors=True)
    for sub in ("data", "cache", "config"):
        os.makedirs(os.path.join(h, sub), exist_ok=True)
    return h


def wfile(path, data):
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as f:
        f.write(data)
    return path


def tq(s):
    """TOML basic string with every non-printable escaped as \\uXXXX."""
    out = []
    for c in s:
        o = ord(c)
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif (
            o < 0x20
            or o == 0x7F
            or 0x80 <= o <= 0x9F
            or 0x2000 <= o <= 0x206F
            or 0xFDD0 <= o <= 0xFDEF
            or (o & 0xFFFE) == 0xFFFE
        ):
            out.append(f"\\u{o:04x}" if o <= 0xFFFF else f"\\U{o:08x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def minimal_file(extra_company=None, src_over=None):
    """A small self-contained valid fact file; fields override."""
    src = {"id": "src-a", "title": "Source A", "kind": "news report"}
    if src_over:
        src.update(src_over)
    co = {"id": "acme", "name": "Acme Glass", "business": "Makes glass.", "source": "src-a"}
    if extra_company:
        co.update(extra_company)
    return render({"sources": [src], "companies": [co]})


def render(kinds):
    lines = ["schema_version = 1", ""]
    for kind, recs in kinds.items():
        for r in recs:
            lines.append(f"[[{kind}]]")
            for k, v in r.items():
                lines.append(f"{k} = {tv(v)}")
            lines.append("")
    return "\n".join(lines)


def tv(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return tq(v)
    if isinstance(v, (int, float)):
        return (
            repr(v)
            if not isinstance(v, float)
            else {float("inf"): "inf", float("-inf"): "-inf"}.get(v, repr(v))
        )
    if isinstance(v, list):
        return "[" + ", ".join(tv(x) for x in v) + "]"
    raise TypeError(v)


# ================================================================ 1. bad input files
CTRL = {
    "NUL": "\x00",
    "SOH": "\x01",
    "BEL": "\x07",
    "BS": "\x08",
    "VT": "\x0b",
    "FF": "\x0c",
    "CR": "\r",
    "ESC": "\x1b",
    "ESC-CSI": "\x1b[31m",
    "OSC52": "\x1b]52;c;cHduZWQ=\x07",
    "DEL": "\x7f",
    "NEL": "\x85",
    "CSI8": "\x9b",
    "OSC8": "\x9d",
    "LRE": "\u202a",
    "RLO": "\u202e",
    "PDF": "\u202c",
    "LRI": "\u2066",
    "RLI": "\u2067",
    "FSI": "\u2068",
    "PDI": "\u2069",
    "NC-FFFE": "\ufffe",
    "NC-FFFF": "\uffff",
    "NC-FDD0": "\ufdd0",
    "NC-1FFFE": "\U0001fffe",
    "NC-10FFFF": "\U0010ffff",
}
SHORT_NL = {"LF-in-short": "\n", "TAB-in-id": "\t"}


def bad_field_cases():
    locs = [
        ("companies", "name"),
        ("companies", "id"),
        ("companies", "business"),
        ("companies", "note"),
        ("companies", "aliases"),
        ("sources", "title"),
        ("sources", "location"),
    ]
    for cname, ch in CTRL.items():
        for kind, field in locs:
            yield f"{cname}:{kind}.{field}", kind, field, f"x{ch}y"
    for cname, ch in SHORT_NL.items():
        for kind, field in [("companies", "id"), ("companies", "name"), ("sources", "title")]:
            yield f"{cname}:{kind}.{field}", kind, field, f"x{ch}y"
    # key names / table names with control characters
    yield "ESC-in-key", "companies", "KEY", "x\x1b[31my"
    yield "RLO-in-key", "companies", "KEY", "x\u202ey"
    yield "BEL-in-key", "sources", "KEY", "x\x07y"


def mk_bad_field(home, kind, field, val):
    src = {"id": "src-a", "title": "Source A", "kind": "news report"}
    co = {"id": "acme", "name": "Acme Glass", "business": "Makes glass.", "source": "src-a"}
    tgt = src if kind == "sources" else co
    if field == "KEY":
        body = render({"sources": [src], "companies": [co]})
        # add a quoted key line into the chosen table
        hdr = f"[[{kind}]]\n"
        i = body.index(hdr) + len(hdr)
        body = body[:i] + f'{tq(val)} = "v"\n' + body[i:]
    else:
        if field == "aliases":
            tgt[field] = ["ok", val]
        elif field == "id" and kind == "companies":
            tgt["id"] = val
        elif field == "id":
            tgt["id"] = val
            co["source"] = val
        else:
            tgt[field] = val
        body = render({"sources": [src], "companies": [co]})
    return wfile(os.path.join(home, "bad.toml"), body)


def make_bad_field_case(name, kind, field, val):
    def fn():
        home = newhome("bad-" + name)
        p = mk_bad_field(home, kind, field, val)
        r = run(home, ["validate", "--alone", p])
        sane(r, {1}, "validate")
        both = r.out + r.err
        check(re.search(r"bad\.toml:\d+", both), f"validate gives no FILE:LINE: {r}")
        r2 = run(home, ["--facts", p, "companies", "--json"])
        sane(r2, {3}, "companies")
        r3 = run(home, ["--facts", p, "cite", "acme"])
        sane(r3, {3}, "cite")

    return fn


for _n, _k, _f, _v in bad_field_cases():
    add("badfiles", _n, make_bad_field_case(_n, _k, _f, _v))

# raw (unescaped) C1 / bidi / nonchars in TOML strings: TOML accepts them, cgcli must not
for _cn, _ch in [
    ("raw-NEL", "\x85"),
    ("raw-CSI8", "\x9b"),
    ("raw-RLO", "\u202e"),
    ("raw-LRI", "\u2066"),
    ("raw-FFFE", "\ufffe"),
    ("raw-FDD0", "\ufdd0"),
    ("raw-PDI", "\u2069"),
]:

    def _mk(cn=_cn, ch=_ch):
        def fn():
            home = newhome("bad-" + cn)
            body = minimal_file().replace('"Acme Glass"', f'"Acme{ch}Glass"')
            body += f"\n[[companies]]\nid = 'lit'\nname = 'Lit{ch}eral'\nbusiness = '''multi{ch}\nline'''\nsource = 'src-a'\n"
            p = wfile(os.path.join(home, "bad.toml"), body)
            r = run(home, ["validate", "--alone", p])
            sane(r, {1}, "validate")
            check(re.search(r"bad\.toml:\d+", r.out + r.err), f"no FILE:LINE {r}")
            sane(run(home, ["--facts", p, "companies"]), {3}, "companies")

        return fn

    add("badfiles", _cn, _mk())


def special_file_case(
    name, setup, rcs_cmd=frozenset({3}), maxdt=S.timeout, validate=True, cmd=("companies",)
):
    def fn():
        home = newhome("sp-" + name)
        p = setup(home)
        r = run(home, ["--facts", p, *cmd])
        sane(r, set(rcs_cmd), "companies")
        check(r.dt < maxdt, f"slow: {r.dt:.1f}s")
        if 3 in rcs_cmd and r.rc == 3:
            check(r.err.strip(), "exit 3 with no message")
        if validate:
            r = run(home, ["validate", "--alone", p])
            sane(r, {1, 3} | ({0} if 0 in rcs_cmd else set()), "validate")
            check(r.dt < maxdt, f"validate slow: {r.dt:.1f}s")

    add("badfiles", name, fn)


def _fifo(home):
    p = os.path.join(home, "fifo.toml")
    os.mkfifo(p)
    return p


def _big(n_mb, fill):
    def s(home):
        p = os.path.join(home, "big.toml")
        with open(p, "wb") as f:
            f.write(fill(n_mb))
        return p

    return s


special_file_case("fifo-no-writer", _fifo, maxdt=10)
special_file_case("dev-zero", lambda h: "/dev/zero", maxdt=10)
special_file_case("dev-urandom", lambda h: "/dev/urandom", maxdt=10)
special_file_case("dev-null", lambda h: "/dev/null", rcs_cmd={1, 3})
special_file_case("directory", lambda h: h)
special_file_case("missing", lambda h: os.path.join(h, "nope.toml"))
special_file_case("empty-name", lambda h: "", rcs_cmd={2, 3}, validate=False)
special_file_case(
    "dangling-symlink", lambda h: (os.symlink("/nonexistent/x", h + "/l.toml"), h + "/l.toml")[1]
)
special_file_case(
    "symlink-loop", lambda h: (os.symlink(h + "/loop.toml", h + "/loop.toml"), h + "/loop.toml")[1]
)
special_file_case("empty-file", lambda h: wfile(h + "/e.toml", ""), rcs_cmd={1, 3})
special_file_case("binary-garbage", lambda h: wfile(h + "/b.toml", bytes(range(256)) * 40))
special_file_case("utf16", lambda h: wfile(h + "/u.toml", S.bundled_text.encode("utf-16")))
special_file_case(
    "latin1",
    lambda h: wfile(
        h + "/l.toml", minimal_file().replace("Acme Glass", "Acmé Glass").encode("latin-1")
    ),
)
special_file_case(
    "bom",
    lambda h: wfile(h + "/bom.toml", b"\xef\xbb\xbf" + minimal_file().encode()),
    rcs_cmd={0, 3},
)
special_file_case(
    "crlf", lambda h: wfile(h + "/crlf.toml", minimal_file().replace("\n", "\r\n")), rcs_cmd={0}
)
special_file_case("not-toml", lambda h: wfile(h + "/n.toml", "this is [ not toml ="))
special_file_case("json-file", lambda h: wfile(h + "/j.toml", '{"companies": []}'))
special_file_case(
    "schema-version-99",
    lambda h: wfile(
        h + "/v.toml", minimal_file().replace("schema_version = 1", "schema_version = 99")
    ),
)
special_file_case(
    "schema-version-str",
    lambda h: wfile(
        h + "/v.toml", minimal_file().replace("schema_version = 1", 'schema_version = "1"')
    ),
)
special_file_case(
    "no-schema-version",
    lambda h: wfile(h + "/v.toml", minimal_file().replace("schema_version = 1", "")),
    rcs_cmd={0, 3},
)
special_file_case(
    "kind-not-array", lambda h: wfile(h + "/k.toml", "schema_version = 1\ncompanies = 5\n")
)
special_file_case(
    "kind-table", lambda h: wfile(h + "/k.toml", "schema_version = 1\n[companies]\nid='x'\n")
)
special_file_case(
    "record-not-table",
    lambda h: wfile(h + "/k.toml", "schema_version = 1\ncompanies = [1, 'a', [2]]\n"),
)
special_file_case(
    "unknown-kind", lambda h: wfile(h + "/k.toml", minimal_file() + "\n[[aliens]]\nid='x'\n")
)
special_file_case(
    "dup-id",
    lambda h: wfile(
        h + "/d.toml",
        minimal_file() + "\n[[companies]]\nid='acme'\nname='A2'\nbusiness='b'\nsource='src-a'\n",
    ),
)
special_file_case(
    "missing-required",
    lambda h: wfile(h + "/m.toml", "schema_version = 1\n[[companies]]\nid='x'\n"),
)
special_file_case("bad-ref", lambda h: wfile(h + "/r.toml", minimal_file({"source": "nope"})))
special_file_case(
    "wrong-type-founded", lambda h: wfile(h + "/t.toml", minimal_file({"founded": "1990"}))
)
special_file_case("bool-founded", lambda h: wfile(h + "/t.toml", minimal_file({"founded": True})))
special_file_case(
    "huge-int-founded",
    lambda h: wfile(h + "/t.toml", minimal_file({"founded": 99999999999999999999})),
)
special_file_case(
    "neg-founded", lambda h: wfile(h + "/t.toml", minimal_file({"founded": -5})), rcs_cmd={0, 3}
)
special_file_case(
    "datetime-field",
    lambda h: wfile(
        h + "/t.toml", minimal_file().replace('name = "Acme Glass"', "name = 1979-05-27T07:32:00Z")
    ),
)
special_file_case(
    "inline-table-field",
    lambda h: wfile(h + "/t.toml", minimal_file().replace('name = "Acme Glass"', "name = {a = 1}")),
)
special_file_case("empty-id", lambda h: wfile(h + "/t.toml", minimal_file({"id": ""})))
special_file_case(
    "space-id", lambda h: wfile(h + "/t.toml", minimal_file({"id": "a b"})), rcs_cmd={0, 3}
)
special_file_case(
    "long-id-100k",
    lambda h: wfile(h + "/t.toml", minimal_file({"id": "a" * 100000})),
    rcs_cmd={0, 3},
)
special_file_case(
    "empty-name-field", lambda h: wfile(h + "/t.toml", minimal_file({"name": ""})), rcs_cmd={0, 3}
)
special_file_case(
    "ws-name-field", lambda h: wfile(h + "/t.toml", minimal_file({"name": "   "})), rcs_cmd={0, 3}
)
# cost bombs
special_file_case(
    "deep-dotted-key", _big(0, lambda n: ("a" + ".a" * 200000 + " = 1\n").encode()), maxdt=15
)
special_file_case(
    "deep-array",
    _big(0, lambda n: ("x = " + "[" * 200000 + "]" * 200000 + "\n").encode()),
    maxdt=15,
)
special_file_case(
    "deep-inline-table",
    _big(0, lambda n: ("x = " + "{a=" * 100000 + "1" + "}" * 100000 + "\n").encode()),
    maxdt=15,
)
special_file_case(
    "deep-array-in-record",
    _big(
        0,
        lambda n: (
            minimal_file()
            + "\n[[companies]]\nid='z'\nname='z'\nbusiness='b'\nsource='src-a'\naliases="
            + "[" * 5000
            + "]" * 5000
            + "\n"
        ).encode(),
    ),
    maxdt=15,
)
special_file_case(
    "long-header", _big(0, lambda n: ("[" + "a" * 20_000_000 + "]\n").encode()), maxdt=15
)
special_file_case(
    "long-dotted-header",
    _big(0, lambda n: ("[" + ".".join(["a"] * 300000) + "]\n").encode()),
    maxdt=15,
)
special_file_case(
    "million-keys",
    _big(
        0,
        lambda n: (
            "schema_version = 1\n" + "".join(f"k{i} = 1\n" for i in range(1_000_000))
        ).encode(),
    ),
    maxdt=15,
)
special_file_case(
    "million-keys-in-record",
    _big(
        0,
        lambda n: (
            minimal_file()
            + "\n[[companies]]\nid='z'\nname='z'\nbusiness='b'\nsource='src-a'\n"
            + "".join(f"k{i} = 1\n" for i in range(500_000))
        ).encode(),
    ),
    maxdt=15,
)
special_file_case(
    "huge-string-60MB",
    _big(
        0,
        lambda n: (
            minimal_file()
            + "\n[[companies]]\nid='z'\nname='z'\nsource='src-a'\nbusiness='"
            + "x" * 60_000_000
            + "'\n"
        ).encode(),
    ),
    maxdt=15,
)
special_file_case(
    "200k-records",
    _big(
        0,
        lambda n: (
            minimal_file()
            + "".join(
                f"\n[[companies]]\nid='c{i}'\nname='C{i}'\nbusiness='b'\nsource='src-a'\n"
                for i in range(200_000)
            )
        ).encode(),
    ),
    rcs_cmd={0, 3},
    maxdt=15,
    cmd=("companies", "--json"),  # as a table, 200,001 rows are refused (exit 2) at once
)


def _sparse(home):
    p = home + "/sparse.toml"
    with open(p, "wb") as f:
        f.truncate(2 * 1024**3)
    return p


special_file_case("sparse-2GB", _sparse, maxdt=10)
special_file_case(
    "nan-value",
    lambda h: wfile(h + "/n.toml", S.bundled_text.replace("value = 45000", "value = nan")),
    rcs_cmd={0, 3},
    cmd=("exports", "--json"),
)
special_file_case(
    "inf-value",
    lambda h: wfile(h + "/n.toml", S.bundled_text.replace("value = 45000", "value = inf")),
    rcs_cmd={0, 3},
    cmd=("exports", "--json"),
)
special_file_case(
    "inf-growth",
    lambda h: wfile(
        h + "/n.toml",
        S.bundled_text.replace(
            'growth_pct = 100\ngrowth_qualifier = "exact"',
            'growth_pct = -inf\ngrowth_qualifier = "exact"',
        ),
    ),
    rcs_cmd={0, 3},
    cmd=("exports", "--json"),
)
special_file_case(
    "nan-va-low",
    lambda h: wfile(h + "/n.toml", S.bundled_text.replace("low = 20", "low = nan")),
    rcs_cmd={0, 3},
    cmd=("value-addition", "--json"),
)
special_file_case(
    "fy-999999",
    lambda h: wfile(h + "/n.toml", S.bundled_text.replace("fy = 2022", "fy = 999999999999")),
    rcs_cmd={0, 3},
    cmd=("exports", "--json"),
)
special_file_case(
    "quarter-7",
    lambda h: wfile(h + "/n.toml", S.bundled_text.replace("quarter = 1", "quarter = 7")),
    cmd=("exports", "--json"),
)
special_file_case(
    "low-gt-high",
    lambda h: wfile(h + "/n.toml", S.bundled_text.replace("low = 20", "low = 25")),
    cmd=("value-addition", "--json"),
)
special_file_case(
    "bad-unit",
    lambda h: wfile(
        h + "/n.toml", S.bundled_text.replace('unit = "INR crore"', 'unit = "bananas"', 1)
    ),
    cmd=("exports", "--json"),
)


def json_number_case(name, old, new, cmd):
    """Numeric edge values that may pass validation: JSON output must stay valid (no NaN/Infinity)."""

    def fn():
        home = newhome("num-" + name)
        text = S.bundled_text
        for o, n in zip(old, new, strict=True):
            check(o in text, f"harness: {o!r} not in bundled")
            text = text.replace(o, n, 1)
        p = wfile(home + "/n.toml", text)
        for c in cmd:
            r = run(home, ["--facts", p, *c])
            sane(r, {0, 1, 3}, " ".join(c))
            if r.rc == 0 and "--json" in c:
                try:
                    json.loads(r.out, parse_constant=lambda x: (_ for _ in ()).throw(ValueError(x)))
                except ValueError as e:
                    raise Fail(f"{c}: invalid JSON ({e}) {r}") from e
            if r.rc == 0 and "--save-svg" in c:
                try:
                    ET.parse(os.path.join(home, c[c.index("--save-svg") + 1]))
                except Exception as e:
                    raise Fail(f"{c}: bad SVG {e}") from e

    add("badfiles", "num:" + name, fn)


_EXC = [
    ["exports", "--json"],
    ["exports", "--unit", "billion", "--json"],
    ["exports"],
    ["exports", "--csv"],
    ["exports", "--chart", "--save-svg", "c.svg"],
    ["export", "--format", "json"],
]
json_number_case(
    "prev-zero", ["value = 45000"], ["value = 0"], [c for c in _EXC if c[-1] != "json" or True]
)
json_number_case("prev-tiny", ["value = 45000"], ["value = 1e-320"], _EXC)
json_number_case("cur-huge", ["value = 90000"], ["value = 1.7e308"], _EXC)
json_number_case(
    "both-huge", ["value = 45000", "value = 90000"], ["value = 1e308", "value = -1e308"], _EXC
)
json_number_case("neg-prev", ["value = 45000"], ["value = -45000"], _EXC)
json_number_case("huge-int", ["value = 90000"], ["value = 9223372036854775807"], _EXC)
json_number_case(
    "unit-billion-huge",
    ["value = 90000"],
    ["value = 1e307"],
    [["exports", "--unit", "lakh", "--json"]],
)
json_number_case(
    "va-huge",
    ["value = 15"],
    ["value = 1e308"],
    [
        ["value-addition", "--json"],
        ["value-addition", "--chart", "--save-svg", "v.svg"],
        ["value-addition"],
    ],
)
json_number_case(
    "va-neg",
    ["value = 15"],
    ["value = -15"],
    [
        ["value-addition", "--json"],
        ["value-addition", "--chart", "--save-svg", "v.svg"],
        ["value-addition"],
    ],
)
json_number_case(
    "va-zero-all",
    ["value = 15", "low = 20", "high = 22"],
    ["value = 0", "low = 0", "high = 0"],
    [["value-addition", "--chart", "--save-svg", "v.svg"], ["value-addition", "--chart"]],
)
json_number_case(
    "growth-huge",
    ['growth_pct = 100\ngrowth_qualifier = "exact"'],
    ['growth_pct = 1e308\ngrowth_qualifier = "exact"'],
    _EXC,
)

# ================================================================ 2. injection
FORMULA = [
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "=cmd|' /C notepad'!A0",
    '=HYPERLINK("http://evil","x")',
    " =1",
    "＝1",
]
HTMLMD = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "![i](http://evil.example/x.png)",
    "<http://evil.example>",
    "a | b | c",
    "`code` **bold** _it_",
    "[ref]: http://evil.example",
    "&lt;b&gt; &amp;",
    "x\\",
    "# heading",
    "<!-- c -->",
    "]]> <![CDATA[x",
]
BIBTEX = [
    "T}, author={Evil",
    "x} , title = {pwn",
    "@misc{inj, title={x}}",
    "a % comment",
    'a # "b"',
    "unbalanced {",
    "unbalanced }",
    "\\}\\{",
    "url = {x}",
]
GRAPH = [
    'Evil"] --> PWN["x',
    'Evil"; PWN [label="x',
    "a]b[c",
    'x"}',
    "-->",
    "click acme call alert()",
    "<b>x</b>",
    'x\\"y',
]
UNI = ["Optiemus–Corning ₹90,000 — ‘quoted’", "日本語テキスト", "emoji 🦊🔥", "Zaïre façade"]


def hostile_data(payloads, tag):
    """A valid, self-contained fact file with payloads in every free-text field of every kind."""

    def P(i):
        return payloads[i % len(payloads)]

    src = [
        {
            "id": f"src-{tag}",
            "title": P(0),
            "kind": P(1),
            "publisher": P(2),
            "published": P(3),
            "location": P(4),
            "note": P(5) + "\nsecond line " + P(6),
        }
    ]
    cos = [
        {
            "id": "acme",
            "name": "Acme " + P(1),
            "aliases": [P(2), P(3)],
            "founded": 1999,
            "business": P(4),
            "specialties": [P(5)],
            "products": [P(6)],
            "role": P(7),
            "note": P(8),
            "source": f"src-{tag}",
        },
        {"id": "beta", "name": P(0), "business": P(1), "source": f"src-{tag}"},
    ]
    ppl = [
        {
            "id": "pp",
            "name": P(2),
            "title": P(3),
            "company": "acme",
            "note": P(4),
            "source": f"src-{tag}",
        }
    ]
    st = [{"id": "st", "speaker": "pp", "topic": P(5), "summary": P(6), "source": f"src-{tag}"}]
    ven = [
        {
            "id": "jv",
            "name": "JV " + P(7),
            "kind": P(8),
            "partners": ["acme", "beta"],
            "country": P(9),
            "products": [P(10)],
            "goal": P(11),
            "announced": P(12),
            "source": f"src-{tag}",
        }
    ]
    sites = [
        {
            "id": "site1",
            "operator": "acme",
            "country": P(3),
            "city": P(4),
            "status": "operating",
            "makes": P(5),
            "source": f"src-{tag}",
        }
    ]
    cust = [{"id": "cu", "supplier": "acme", "name": P(6), "sector": P(7), "source": f"src-{tag}"}]
    ex = [
        {
            "id": "ex22",
            "country": P(0),
            "product": P(1),
            "fy": 2022,
            "value": 100,
            "unit": "INR crore",
            "qualifier": "exact",
            "note": P(2),
            "source": f"src-{tag}",
        },
        {
            "id": "ex23",
            "country": P(0),
            "product": P(1),
            "fy": 2023,
            "value": 250.5,
            "unit": "INR crore",
            "qualifier": "over",
            "growth_pct": 150,
            "growth_qualifier": "exact",
            "source": f"src-{tag}",
        },
    ]
    va = [
        {
            "id": "va1",
            "country": P(3),
            "value": 15,
            "unit": "percent",
            "qualifier": "approximate",
            "scope": P(4),
            "source": f"src-{tag}",
        },
        {
            "id": "va2",
            "country": P(5),
            "low": 20,
            "high": 22,
            "unit": "percent",
            "qualifier": "range",
            "scope": P(6),
            "source": f"src-{tag}",
        },
    ]
    mf = [
        {
            "id": "mf",
            "subject": P(7),
            "topic": P(8),
            "rank": 2,
            "statement": P(9),
            "source": f"src-{tag}",
        }
    ]
    return render(
        {
            "sources": src,
            "companies": cos,
            "people": ppl,
            "statements": st,
            "ventures": ven,
            "sites": sites,
            "customers": cust,
            "exports": ex,
            "value_addition": va,
            "market_facts": mf,
        }
    )


INJ_SETS = {"formula": FORMULA, "htmlmd": HTMLMD, "bibtex": BIBTEX, "graph": GRAPH, "uni": UNI}
LIST_CMDS = [
    ["companies"],
    ["company", "acme"],
    ["venture"],
    ["sites"],
    ["customers"],
    ["exports"],
    ["value-addition"],
    ["people"],
    ["statements"],
    ["market-facts"],
    ["sources"],
    ["search", "a"],
    ["fields"],
]
FORMATS = ["table", "json", "ndjson", "csv", "tsv", "markdown"]


def inj_file(tag):
    p = os.path.join(S.shared, f"{tag}.toml")
    if not os.path.exists(p):
        os.makedirs(S.shared, exist_ok=True)
        wfile(p + ".tmp", hostile_data(INJ_SETS[tag], tag))
        os.replace(p + ".tmp", p)
    return p


def check_json(s, nd=False):
    docs = [ln for ln in s.splitlines() if ln.strip()] if nd else [s]
    for d in docs:
        try:
            json.loads(
                d, parse_constant=lambda x: (_ for _ in ()).throw(ValueError("constant " + x))
            )
        except ValueError as e:
            raise Fail(f"invalid JSON: {e}: {d[:200]!r}") from e


FORMULA_START = re.compile(r"^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]")


def is_number(s):
    try:
        float(s.replace(",", ""))
        return True
    except ValueError:
        return False


def check_delim(s, delim, guard):
    rows = (
        list(csv.reader(io.StringIO(s), delimiter=delim))
        if delim == ","
        else [ln.split("\t") for ln in s.split("\n") if ln != ""]
    )
    check(rows, "no rows")
    n = len(rows[0])
    for row in rows:
        check(len(row) == n, f"ragged row ({len(row)} vs {n} cells): {row[:6]!r}")
        if guard:
            for cell in row:
                if cell and FORMULA_START.match(cell) and not is_number(cell):
                    raise Fail(f"unguarded formula cell {cell[:60]!r}")


def md_check(s, allowed_link_hosts=()):
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    toks = md.parse(s)

    def walk(ts):
        for t in ts:
            if t.type in ("html_block", "html_inline"):
                raise Fail(f"raw HTML in markdown: {t.content[:80]!r}")
            if t.type in ("link_open", "image"):
                href = t.attrGet("href") or t.attrGet("src") or ""
                if "evil" in href or href.lower().startswith(("javascript:", "data:", "vbscript:")):
                    raise Fail(f"markdown link/image hijack: {href!r}")
            if t.children:
                walk(t.children)

    walk(toks)
    html = md.render(s)
    check(
        ("<script" not in html and "onerror" not in html.replace("onerror=alert", ""))
        or "&lt;" in html,
        "script in rendered markdown",
    )
    return html


def inj_case(tag, cmd, fmt, guard=True):
    def fn():
        home = newhome(f"inj-{tag}-{'_'.join(cmd)}-{fmt}-{guard}")
        p = inj_file(tag)
        args = ["--facts", p] + cmd + ["--format", fmt] + ([] if guard else ["--no-formula-guard"])
        r = run(home, args)
        sane(r, {0}, " ".join(cmd))
        if fmt == "json":
            check_json(r.out)
        elif fmt == "ndjson":
            check_json(r.out, nd=True)
        elif fmt == "csv":
            check_delim(r.out, ",", guard)
        elif fmt == "tsv":
            check_delim(r.out, "\t", guard)
        elif fmt == "markdown":
            md_check(r.out)

    return fn


for _tag in INJ_SETS:
    for _cmd in LIST_CMDS:
        for _fmt in FORMATS:
            add("injection", f"{_tag}:{' '.join(_cmd)}:{_fmt}", inj_case(_tag, _cmd, _fmt))
        if _tag == "formula":
            for _fmt in ("csv", "tsv"):
                add(
                    "injection",
                    f"{_tag}:{' '.join(_cmd)}:{_fmt}:noguard",
                    inj_case(_tag, _cmd, _fmt, False),
                )


def inj_validate(tag):
    def fn():
        home = newhome(f"injval-{tag}")
        r = run(home, ["validate", "--alone", inj_file(tag)])
        sane(r, {0}, "validate")

    add("injection", f"{tag}:validate-ok", fn)


for _tag in INJ_SETS:
    inj_validate(_tag)

CITE_IDS = ["acme", "beta", "pp", "st", "jv", "site1", "cu", "ex22", "va1", "mf", "src-{tag}"]


def cite_case(tag, rid, style):
    def fn():
        home = newhome(f"cite-{tag}-{rid}-{style}")
        r = run(home, ["--facts", inj_file(tag), "cite", rid.format(tag=tag), "--style", style])
        sane(r, {0}, "cite")
        if style == "markdown":
            md_check(r.out)
        elif style == "bibtex":
            from pybtex.database import parse_string
            from pybtex.errors import set_strict_mode

            set_strict_mode(True)
            try:
                db = parse_string(r.out, "bibtex")
            except Exception as e:
                raise Fail(f"pybtex cannot parse: {e}: {r.out[:400]!r}") from e
            check(
                len(db.entries) == 1,
                f"{len(db.entries)} bibtex entries (expected 1): {list(db.entries)}",
            )
            ent = next(iter(db.entries.values()))
            allowed = {
                "title",
                "howpublished",
                "publisher",
                "date",
                "url",
                "note",
                "year",
                "month",
                "organization",
                "urldate",
            }
            extra = {k.lower() for k in ent.fields} - allowed
            check(
                not extra and not ent.persons,
                f"injected bibtex fields {extra or set(ent.persons)}: {r.out!r}",
            )
            title = ent.fields.get("title", "")
            # The whole payload must survive inside the title field
            check(
                "Evil" in title or tag != "bibtex" or rid != "src-{tag}",
                f"title truncated: {title!r}",
            )

    return fn


for _tag in INJ_SETS:
    for _rid in CITE_IDS:
        for _st in ("text", "markdown", "bibtex"):
            add("injection", f"{_tag}:cite {_rid}:{_st}", cite_case(_tag, _rid, _st))


def graph_case(tag, fmt, company=None):
    def fn():
        home = newhome(f"graph-{tag}-{fmt}-{company}")
        r = run(
            home,
            ["--facts", inj_file(tag), "graph", "--format", fmt]
            + (["--company", company] if company else []),
        )
        sane(r, {0}, "graph")
        if fmt == "dot":
            d = subprocess.run(["dot", "-Tplain"], input=r.outb, capture_output=True, timeout=20)
            check(d.returncode == 0, f"dot cannot parse: {d.stderr[:300]!r} {r.out[:500]!r}")
            nodes = [
                ln.split()[1]
                for ln in d.stdout.decode(errors="replace").splitlines()
                if ln.startswith("node ")
            ]
            check(not any("PWN" in n for n in nodes), f"injected DOT node: {nodes}")
        else:
            check(
                "--> PWN[" not in r.out and "\nclick " not in r.out,
                f"mermaid injection: {r.out[:600]!r}",
            )
            for line in r.out.splitlines():
                m = re.search(r'\["(.*)"\]', line)
                if m:
                    check('"' not in m.group(1), f"raw quote inside mermaid label: {line!r}")

    return fn


for _tag in INJ_SETS:
    for _fmt in ("mermaid", "dot"):
        add("injection", f"{_tag}:graph:{_fmt}", graph_case(_tag, _fmt))
        add("injection", f"{_tag}:graph:{_fmt}:company", graph_case(_tag, _fmt, "acme"))


def svg_case(tag, cmd):
    def fn():
        home = newhome(f"svg-{tag}-{cmd}")
        out = os.path.join(home, "c.svg")
        r = run(home, ["--facts", inj_file(tag), cmd, "--chart", "--save-svg", out])
        sane(r, {0}, cmd)
        try:
            ET.parse(out)
        except Exception as e:
            raise Fail(f"SVG not valid XML: {e}") from e
        txt = read_text(out)
        check("<script" not in txt and "<img" not in txt, "markup injected into SVG")

    return fn


for _tag in INJ_SETS:
    for _c in ("exports", "value-addition"):
        add("injection", f"{_tag}:{_c}:svg", svg_case(_tag, _c))


def export_case(tag, fmt):
    def fn():
        home = newhome(f"export-{tag}-{fmt}")
        r = run(home, ["--facts", inj_file(tag), "export", "--format", fmt])
        sane(r, {0}, "export", ctrl=False)
        if fmt == "json":
            check_json(r.out)
            check(not bad_chars(r.out), "raw control chars in JSON export")
        else:
            try:
                tomllib.loads(r.out)
            except Exception as e:
                raise Fail(f"export toml not TOML: {e}") from e
            p = wfile(os.path.join(home, "round.toml"), r.out)
            r2 = run(home, ["validate", "--alone", p])
            sane(r2, {0}, "validate round-trip")
            a = run(home, ["--facts", inj_file(tag), "export", "--format", "json"])
            b = run(home, ["--facts", p, "export", "--format", "json"])
            check(a.out == b.out, "TOML export does not round-trip to the same data")

    return fn


for _tag in INJ_SETS:
    for _f in ("json", "toml"):
        add("injection", f"{_tag}:export:{_f}", export_case(_tag, _f))

# ================================================================ 3. cache


def cache_files(home):
    d = os.path.join(home, "cache", "cgcli")
    return (
        [os.path.join(d, f) for f in os.listdir(d) if f.startswith("facts-")]
        if os.path.isdir(d)
        else []
    )


def stale_case(name, mutate):
    def fn():
        home = newhome("cache-" + name)
        p = wfile(home + "/f.toml", minimal_file({"name": "Alpha Glass"}))
        r1 = run(home, ["--facts", p, "companies", "--json"])
        sane(r1, {0}, "first")
        check("Alpha Glass" in r1.out, "harness: first run")
        r1b = run(home, ["--facts", p, "companies", "--json"])  # cached
        sane(r1b, {0}, "cached")
        expect = mutate(home, p)
        r2 = run(home, ["--facts", p, "companies", "--json"])
        sane(r2, {0}, "after edit")
        check(
            expect in r2.out, f"STALE cache: expected {expect!r} after edit, got {r2.out[:200]!r}"
        )

    add("cache", "stale:" + name, fn)


def _same_size_edit(restore):
    def m(home, p):
        st = os.stat(p)
        data = read_text(p).replace("Alpha Glass", "Bravo Glass")
        with open(p, "w", encoding="utf-8") as f:
            f.write(data)
        if restore == "exact":
            os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
        elif restore == "second":
            s = st.st_mtime_ns // 10**9 * 10**9
            os.utime(p, ns=(s, s))
            # make the original second too: re-run not possible, so second-granularity both ways
        return "Bravo Glass"

    return m


def _rename_replace(home, p):
    st = os.stat(p)
    q = p + ".new"
    wfile(q, read_text(p).replace("Alpha Glass", "Delta Glass"))
    os.utime(q, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(q, p)
    return "Delta Glass"


def _symlink_retarget(home, p):
    # f.toml becomes a symlink to a different file with same size and mtime
    st = os.stat(p)
    q = home + "/other.toml"
    wfile(q, read_text(p).replace("Alpha Glass", "Gamma Glass"))
    os.utime(q, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.unlink(p)
    os.symlink(q, p)
    return "Gamma Glass"


def _touch_only(home, p):
    os.utime(p)
    return "Alpha Glass"


def _grow_edit(home, p):
    wfile(p, read_text(p).replace("Alpha Glass", "Alpha Glass Longer Name"))
    return "Alpha Glass Longer Name"


def _invalidate(home, p):
    wfile(p, read_text(p).replace('"Alpha Glass"', '"Alpha Glass'))
    return None


stale_case("plain-edit", _grow_edit)
stale_case("same-size-same-second", _same_size_edit("second"))
stale_case("same-size-exact-mtime-restored", _same_size_edit("exact"))
stale_case("same-size-no-utime", _same_size_edit(None))
stale_case("rename-replace-same-mtime", _rename_replace)
stale_case("symlink-retarget", _symlink_retarget)
stale_case("touch-only", _touch_only)


@case("cache", "stale:edit-to-invalid")
def _():
    home = newhome("cache-invalid")
    p = wfile(home + "/f.toml", minimal_file())
    sane(run(home, ["--facts", p, "companies"]), {0})
    st = os.stat(p)
    wfile(p, read_text(p).replace('name = "Acme Glass"', 'name = "Acme Glas'))
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
    r = run(home, ["--facts", p, "companies"])
    sane(r, {3}, "after breaking the file")


@case("cache", "stale:layered-second-file")
def _():
    home = newhome("cache-layer")
    a = wfile(home + "/a.toml", minimal_file())
    b = wfile(
        home + "/b.toml",
        "schema_version = 1\n[[companies]]\nid='zed'\nname='Zed One'\nbusiness='b'\nsource='src-a'\n",
    )
    sane(run(home, ["--facts", a, "--facts", b, "companies", "--json"]), {0})
    st = os.stat(b)
    wfile(b, read_text(b).replace("Zed One", "Zed Two"))
    os.utime(b, ns=(st.st_atime_ns, st.st_mtime_ns))
    r = run(home, ["--facts", a, "--facts", b, "companies", "--json"])
    sane(r, {0})
    check("Zed Two" in r.out, f"stale layered: {r.out[:300]}")


@case("cache", "stale:order-swap")
def _():
    home = newhome("cache-order")
    a = wfile(home + "/a.toml", minimal_file({"name": "From A"}))
    b = wfile(
        home + "/b.toml",
        "schema_version = 1\n[[companies]]\nid='acme'\nname='From B'\nbusiness='b'\nsource='src-a'\n",
    )
    r1 = run(home, ["--facts", a, "--facts", b, "companies", "--json"])
    r2 = run(home, ["--facts", b, "--facts", a, "companies", "--json"])
    sane(r1, {0, 3})
    sane(r2, {0, 3})
    if r1.rc == 0 and r2.rc == 0:
        check(r1.out != r2.out, "layer order ignored by cache (same output both ways)")


@case("cache", "stale:user-file-after-facts-add")
def _():
    home = newhome("cache-useradd")
    sane(run(home, ["facts", "init"]), {0})
    sane(run(home, ["companies", "--json"]), {0})
    r = run(
        home,
        [
            "facts",
            "add",
            "companies",
            "id=newco",
            "name=Newco Fresh",
            "business=b",
            "source=jv-report",
        ],
    )
    sane(r, {0}, "facts add")
    r = run(home, ["companies", "--json"])
    check("Newco Fresh" in r.out, "user-file addition not visible (stale)")


def corrupt_case(name, corrupt):
    def fn():
        home = newhome("cachecorrupt-" + name)
        ref = run(home, ["--no-cache", "companies", "--json"])
        sane(ref, {0})
        sane(run(home, ["companies", "--json"]), {0})
        files = cache_files(home)
        check(files, "harness: no cache file was created")
        for f in files:
            corrupt(f)
        for i in range(2):
            r = run(home, ["companies", "--json"])
            sane(r, {0}, f"run {i} after corruption")
            check(r.out == ref.out, f"wrong output after corruption: {r.out[:200]!r}")
            check(r.err.strip() == "", f"not silent: {r.err[:300]!r}")

    add("cache", "corrupt:" + name, fn)


def _truncate(n):
    def c(f):
        with open(f, "r+b") as fh:
            fh.truncate(n if n >= 0 else os.path.getsize(f) // 2)

    return c


def _garbage(f):
    wfile(f, os.urandom(4096))


def _to_dir(f):
    os.unlink(f)
    os.mkdir(f)
    wfile(os.path.join(f, "x"), "x")


def _to_fifo(f):
    os.unlink(f)
    os.mkfifo(f)


def _to_zero(f):
    os.unlink(f)
    os.symlink("/dev/zero", f)


def _to_foreign_sqlite(f):
    os.unlink(f)
    con = sqlite3.connect(f)
    con.execute("create table t(x)")
    con.execute("insert into t values (1)")
    con.commit()
    con.close()


def _tamper_sqlite(f):
    con = sqlite3.connect(f)
    tabs = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
    for t in tabs:
        with contextlib.suppress(sqlite3.Error):
            con.execute(f'delete from "{t}"')
    con.commit()
    con.close()


def _flip_bytes(f):
    data = bytearray(read_bytes(f))
    for i in range(100, len(data), 97):
        data[i] ^= 0xFF
    wfile(f, bytes(data))


def _header_only(f):
    data = read_bytes(f)[:100]
    wfile(f, data)


def _wal_garbage(f):
    wfile(f + "-wal", os.urandom(8192))
    wfile(f + "-journal", os.urandom(1024))


def _to_dangling(f):
    os.unlink(f)
    os.symlink("/nonexistent/cache.sqlite", f)


def _dev_null(f):
    os.unlink(f)
    os.symlink("/dev/null", f)


def _chmod0(f):
    os.chmod(f, 0)


def _locked(f):
    # hold an exclusive lock for 30s in the background
    con = sqlite3.connect(f, timeout=1, isolation_level=None, check_same_thread=False)
    try:
        con.execute("begin exclusive")
    except sqlite3.Error:
        return
    threading.Timer(25, con.close).start()
    _LOCKS.append(con)


_LOCKS = []

corrupt_case("truncate-0", _truncate(0))
corrupt_case("truncate-half", _truncate(-1))
corrupt_case("truncate-100", _truncate(100))
corrupt_case("random-garbage", _garbage)
corrupt_case("directory", _to_dir)
corrupt_case("fifo", _to_fifo)
corrupt_case("symlink-dev-zero", _to_zero)
corrupt_case("foreign-sqlite", _to_foreign_sqlite)
corrupt_case("tampered-rows", _tamper_sqlite)
corrupt_case("flipped-bytes", _flip_bytes)
corrupt_case("header-only", _header_only)
corrupt_case("wal-journal-garbage", _wal_garbage)
corrupt_case("dangling-symlink", _to_dangling)
corrupt_case("dev-null", _dev_null)
corrupt_case("chmod-000", _chmod0)
corrupt_case("locked-exclusive", _locked)


def cache_dir_case(name, setup):
    def fn():
        home = newhome("cachedir-" + name)
        ref = run(home, ["--no-cache", "companies", "--json"])
        env = setup(home)
        r = run(home, ["companies", "--json"], env=env)
        sane(r, {0})
        check(r.out == ref.out, "wrong output")
        check(r.err.strip() == "", f"not silent: {r.err[:300]!r}")

    add("cache", "dir:" + name, fn)


cache_dir_case(
    "cache-dir-is-file", lambda h: (shutil.rmtree(h + "/cache"), wfile(h + "/cache", "x"), None)[2]
)
cache_dir_case("cgcli-is-file", lambda h: (wfile(h + "/cache/cgcli", "x"), None)[1])
cache_dir_case("xdg-cache-dev-null", lambda h: {"XDG_CACHE_HOME": "/dev/null"})
cache_dir_case("xdg-cache-relative", lambda h: {"XDG_CACHE_HOME": "rel/cache"})
cache_dir_case("xdg-cache-empty", lambda h: {"XDG_CACHE_HOME": "", "HOME": h})
cache_dir_case("cgcli-dir-readonly-fs", lambda h: {"XDG_CACHE_HOME": "/proc/self"})


def concurrent_case(i, n):
    def fn():
        home = newhome(f"cache-conc-{i}")
        p = wfile(home + "/f.toml", S.bundled_text)
        ref = run(home, ["--facts", p, "--no-cache", "export", "--format", "json"])
        e = base_env(home)
        procs = [
            subprocess.Popen(
                [S.cgcli, "--facts", p, "export", "--format", "json"],
                env=e,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for _ in range(n)
        ]
        outs = [(*pp.communicate(timeout=60), pp.returncode) for pp in procs]
        for o, er, rc in outs:
            check(rc == 0 and b"Traceback" not in er, f"concurrent run rc={rc} err={er[:300]!r}")
            check(o.decode() == ref.out, "concurrent run gave different output")
            check(not er.strip(), f"concurrent run noisy: {er[:200]!r}")
        r = run(home, ["--facts", p, "export", "--format", "json"])
        sane(r, {0})
        check(r.out == ref.out, "run after concurrency differs")
        for f in cache_files(home):
            try:
                con = sqlite3.connect(f)
                ok = con.execute("pragma integrity_check").fetchone()[0]
                con.close()
            except sqlite3.Error as ex:
                ok = str(ex)
            check(ok == "ok", f"cache {f} corrupt after concurrency: {ok}")

    add("cache", f"concurrent-first-run-{i}", fn)


for _i, _n in enumerate([8, 16, 24]):
    concurrent_case(_i, _n)

# ================================================================ 4. crash safety / writes


def user_file(home):
    return os.path.join(home, "data", "cgcli", "facts.toml")


def prep_user(home, n=3):
    r = run(home, ["facts", "init"])
    sane(r, {0}, "init")
    for i in range(n):
        r = run(
            home,
            [
                "facts",
                "add",
                "companies",
                f"id=pre{i}",
                f"name=Pre {i}",
                "business=b",
                "source=jv-report",
            ],
        )
        sane(r, {0}, "prep add")
    return read_bytes(user_file(home))


def records_ok(path, must_ids):
    data = read_bytes(path)
    d = tomllib.loads(data.decode("utf-8"))
    ids = {c["id"] for c in d.get("companies", [])}
    missing = set(must_ids) - ids
    check(not missing, f"records lost: {missing}")
    return ids


def kill9_case(i):
    def fn():
        home = newhome(f"kill9-{i}")
        prep_user(home)
        uf = user_file(home)
        rnd = random.Random(i)
        for j in range(6):
            delay = rnd.uniform(0.005, 0.3)
            e = base_env(home)
            p = subprocess.Popen(
                [
                    S.cgcli,
                    "facts",
                    "add",
                    "companies",
                    f"id=k{j}",
                    f"name=K {j}",
                    "business=b",
                    "source=jv-report",
                ],
                env=e,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(delay)
            p.kill()
            p.wait()
            check(os.path.isfile(uf) and not os.path.islink(uf), "facts.toml missing after kill -9")
            try:
                records_ok(uf, [f"pre{x}" for x in range(3)])
            except tomllib.TOMLDecodeError as ex:
                raise Fail(
                    f"facts.toml corrupt after kill -9 at {delay * 1000:.0f}ms: {ex}"
                ) from ex
        r = run(home, ["validate"])
        sane(r, {0}, "validate after kills")
        r = run(
            home,
            [
                "facts",
                "add",
                "companies",
                "id=after",
                "name=After",
                "business=b",
                "source=jv-report",
            ],
        )
        sane(r, {0}, "add after kills (stale lock?)")

    add("crash", f"kill9-during-add-{i}", fn)


for _i in range(8):
    kill9_case(_i)


def kill9_edit_case(i):
    def fn():
        home = newhome(f"kill9edit-{i}")
        prep_user(home)
        uf = user_file(home)
        ed = wfile(
            home + "/ed.sh",
            '#!/bin/sh\ncat >> "$1" <<\'EOF\'\n\n[[companies]]\nid = "edited"\nname = "Edited"\nbusiness = "b"\nsource = "jv-report"\nEOF\nsleep 0.'
            + str(i % 3)
            + "\n",
        )
        os.chmod(ed, 0o755)
        e = base_env(home)
        e["EDITOR"] = ed
        p = subprocess.Popen(
            [S.cgcli, "facts", "edit"],
            env=e,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(random.Random(i).uniform(0.05, 0.5))
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
        records_ok(uf, [f"pre{x}" for x in range(3)])

    add("crash", f"kill9-during-edit-{i}", fn)


for _i in range(4):
    kill9_edit_case(_i)


def concurrent_writers(i, n):
    def fn():
        home = newhome(f"conc-writers-{i}")
        prep_user(home, 1)
        e = base_env(home)
        procs = [
            subprocess.Popen(
                [
                    S.cgcli,
                    "facts",
                    "add",
                    "companies",
                    f"id=w{j}",
                    f"name=W {j}",
                    "business=b",
                    "source=jv-report",
                ],
                env=e,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for j in range(n)
        ]
        res = [(pp.communicate(timeout=60), pp.returncode) for pp in procs]
        for (_o, er), rc in res:
            check(rc == 0, f"concurrent add rc={rc} {er[:300]!r}")
            check(b"Traceback" not in er, "traceback")
        records_ok(user_file(home), ["pre0"] + [f"w{j}" for j in range(n)])

    add("crash", f"concurrent-writers-{n}", fn)


for _i, _n in enumerate([4, 10, 20]):
    concurrent_writers(_i, _n)


@case("crash", "concurrent-add-and-edit")
def _():
    home = newhome("conc-add-edit")
    prep_user(home, 1)
    ed = wfile(
        home + "/ed.sh",
        '#!/bin/sh\nsleep 1\ncat >> "$1" <<\'EOF\'\n\n[[companies]]\nid = "ed1"\nname = "Ed1"\nbusiness = "b"\nsource = "jv-report"\nEOF\n',
    )
    os.chmod(ed, 0o755)
    e = base_env(home)
    e["EDITOR"] = ed
    pe = subprocess.Popen(
        [S.cgcli, "facts", "edit"],
        env=e,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(0.3)
    r = run(
        home,
        ["facts", "add", "companies", "id=adder", "name=Adder", "business=b", "source=jv-report"],
    )
    _o, er = pe.communicate(timeout=30)
    sane(r, {0, 1, 3, 75}, "add during edit")
    check(b"Traceback" not in er and pe.returncode != 70, f"edit rc={pe.returncode} {er[:300]!r}")
    d = tomllib.loads(read_text(user_file(home)))
    ids = {c["id"] for c in d.get("companies", [])}
    if r.rc == 0 and pe.returncode == 0:
        check(
            {"adder", "ed1"} <= ids,
            f"lost update: add and edit both reported success but file has {ids}",
        )


def limited_write_case(name, limit):
    def fn():
        home = newhome("efbig-" + name)
        prep_user(home, 30)
        uf = user_file(home)
        before = read_bytes(uf)

        def pre():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        e = base_env(home)
        p = subprocess.run(
            [
                S.cgcli,
                "facts",
                "add",
                "companies",
                "id=big",
                "name=" + "B" * 2000,
                "business=b",
                "source=jv-report",
            ],
            env=e,
            capture_output=True,
            preexec_fn=pre,
            timeout=20,
        )
        r = Res(p.returncode, p.stdout, p.stderr, 0, False)
        sane(r, {0, 1, 3, 74}, "add with full disk")
        after = read_bytes(uf)
        if r.rc != 0:
            check(after == before, "file changed although add failed")
            check(r.err.strip(), "no message on failure")
        else:
            records_ok(uf, ["pre0", "big"])

    add("crash", "disk-full-" + name, fn)


limited_write_case("fsize-512", 512)
limited_write_case("fsize-half", 1800)
limited_write_case("fsize-exact", 4096)


@case("crash", "symlinked-facts-add")
def _():
    home = newhome("symlink-add")
    prep_user(home, 1)
    uf = user_file(home)
    real = home + "/elsewhere/real.toml"
    os.makedirs(os.path.dirname(real))
    shutil.move(uf, real)
    os.symlink(real, uf)
    r = run(
        home,
        [
            "facts",
            "add",
            "companies",
            "id=vialink",
            "name=Via Link",
            "business=b",
            "source=jv-report",
        ],
    )
    sane(r, {0})
    check(os.path.islink(uf), "symlink replaced by a regular file")
    records_ok(real, ["pre0", "vialink"])


@case("crash", "symlinked-facts-relative-add")
def _():
    home = newhome("symlink-rel-add")
    prep_user(home, 1)
    uf = user_file(home)
    real = os.path.join(os.path.dirname(uf), "sub", "real.toml")
    os.makedirs(os.path.dirname(real))
    shutil.move(uf, real)
    os.symlink("sub/real.toml", uf)
    r = run(
        home,
        [
            "facts",
            "add",
            "companies",
            "id=vialink",
            "name=Via Link",
            "business=b",
            "source=jv-report",
        ],
    )
    sane(r, {0})
    check(os.path.islink(uf), "symlink replaced by a regular file")
    records_ok(real, ["pre0", "vialink"])


@case("crash", "symlinked-data-dir-add")
def _():
    home = newhome("symlink-dir-add")
    prep_user(home, 1)
    d = os.path.join(home, "data", "cgcli")
    shutil.move(d, home + "/realdir")
    os.symlink(home + "/realdir", d)
    r = run(
        home,
        [
            "facts",
            "add",
            "companies",
            "id=vialink",
            "name=Via Link",
            "business=b",
            "source=jv-report",
        ],
    )
    sane(r, {0})
    records_ok(home + "/realdir/facts.toml", ["pre0", "vialink"])


@case("crash", "dangling-symlink-facts-add")
def _():
    home = newhome("symlink-dangling-add")
    os.makedirs(home + "/data/cgcli")
    os.makedirs(home + "/target")
    os.symlink(home + "/target/real.toml", user_file(home))
    r = run(
        home,
        [
            "facts",
            "add",
            "companies",
            "id=vialink",
            "name=Via Link",
            "business=b",
            "source=jv-report",
        ],
    )
    sane(r, {0, 1, 3})
    if r.rc == 0:
        check(os.path.islink(user_file(home)), "dangling symlink replaced by a regular file")


# `facts add` refuses a record that fails validation with exit 1 and a usage error (a malformed
# FIELD=VALUE, a value that is not of the field's type, an unknown kind) with exit 2.
INVALID = frozenset({1})
USAGE = frozenset({2})


def add_refuse_case(name, args, rcs):
    def fn():
        home = newhome("addrefuse-" + name)
        before = prep_user(home, 1)
        r = run(home, ["facts", "add", *args])
        sane(r, set(rcs), "facts add")
        check(r.rc == 0 or r.err.strip(), f"refused without a message {r}")
        check(read_bytes(user_file(home)) == before, "file changed by a refused add")

    add("crash", "add-refused:" + name, fn)


for _cn, _ch in [(k, v) for k, v in CTRL.items() if k != "NUL"]:
    add_refuse_case(
        f"ctrl-{_cn}",
        ["companies", "id=cx", f"name=Bad{_ch}Name", "business=b", "source=jv-report"],
        INVALID,
    )
add_refuse_case(
    "ctrl-in-key",
    ["companies", "id=cx", "name=n", "business=b", "source=jv-report", "x\x1b[31m=1"],
    INVALID,
)
add_refuse_case("ctrl-in-kind", ["compan\x1bies", "id=cx"], USAGE)
add_refuse_case(
    "newline-in-id", ["companies", "id=c\nx", "name=n", "business=b", "source=jv-report"], INVALID
)
add_refuse_case("bad-ref", ["companies", "id=cx", "name=n", "business=b", "source=nope"], INVALID)
add_refuse_case("no-equals", ["companies", "id"], USAGE)
add_refuse_case(
    "unknown-field",
    ["companies", "id=cx", "name=n", "business=b", "source=jv-report", "zzz=1"],
    INVALID,
)
add_refuse_case(
    "bad-fy",
    ["exports", "fy=banana", "value=1", "unit=crore", "qualifier=over", "source=jv-report"],
    USAGE,
)
add_refuse_case(
    "nan-value",
    ["exports", "fy=2030", "value=nan", "unit=crore", "qualifier=over", "source=jv-report"],
    USAGE,
)
add_refuse_case(
    "inf-value",
    ["exports", "fy=2030", "value=inf", "unit=crore", "qualifier=over", "source=jv-report"],
    USAGE,
)
add_refuse_case(
    "huge-value",
    ["exports", "fy=2030", "value=1e999", "unit=crore", "qualifier=over", "source=jv-report"],
    USAGE,
)
add_refuse_case(
    "bad-json-list",
    ["companies", "id=cx", "name=n", "business=b", "source=jv-report", "aliases=[1,"],
    USAGE,
)
add_refuse_case(
    "json-list-nonstr",
    ["companies", "id=cx", "name=n", "business=b", "source=jv-report", "aliases=[1, {}]"],
    INVALID,
)
add_refuse_case(
    "deep-json-list",
    [
        "companies",
        "id=cx",
        "name=n",
        "business=b",
        "source=jv-report",
        "aliases=" + "[" * 30000 + "]" * 30000,
    ],
    USAGE,
)
add_refuse_case(
    "dup-field", ["companies", "id=cx", "id=cy", "name=n", "business=b", "source=jv-report"], USAGE
)
add_refuse_case("unknown-kind", ["aliens", "id=x"], USAGE)
add_refuse_case(
    "bad-status",
    [
        "sites",
        "id=s9",
        "operator=corning",
        "country=X",
        "status=destroyed",
        "makes=m",
        "source=jv-report",
    ],
    INVALID,
)
add_refuse_case(
    "invalid-utf8",
    [
        "companies",
        "id=cx",
        b"name=\xff\xfe".decode("utf-8", "surrogateescape"),
        "business=b",
        "source=jv-report",
    ],
    INVALID,
)
add_refuse_case(
    "bidi-in-alias",
    ["companies", "id=cx", "name=n", "business=b", "source=jv-report", "aliases=a,\u202eb"],
    INVALID,
)


@case("crash", "add-when-user-file-invalid")
def _():
    home = newhome("add-invalid-user")
    os.makedirs(home + "/data/cgcli")
    wfile(user_file(home), "schema_version = 1\n[[companies]\nbroken")
    before = read_bytes(user_file(home))
    r = run(
        home, ["facts", "add", "companies", "id=cx", "name=n", "business=b", "source=jv-report"]
    )
    sane(r, {1, 2, 3})
    check(read_bytes(user_file(home)) == before, "invalid user file overwritten by add")


@case("crash", "add-when-user-file-is-dir")
def _():
    home = newhome("add-dir-user")
    os.makedirs(user_file(home))
    r = run(
        home, ["facts", "add", "companies", "id=cx", "name=n", "business=b", "source=jv-report"]
    )
    sane(r, {1, 2, 3, 74})
    check(os.path.isdir(user_file(home)), "directory replaced")


@case("crash", "add-when-user-file-is-fifo")
def _():
    home = newhome("add-fifo-user")
    os.makedirs(home + "/data/cgcli")
    os.mkfifo(user_file(home))
    r = run(
        home, ["facts", "add", "companies", "id=cx", "name=n", "business=b", "source=jv-report"]
    )
    sane(r, {1, 2, 3, 74})


@case("crash", "add-without-init")
def _():
    home = newhome("add-noinit")
    r = run(
        home, ["facts", "add", "companies", "id=cx", "name=n", "business=b", "source=jv-report"]
    )
    sane(r, {0, 1, 3})
    if r.rc == 0:
        records_ok(user_file(home), ["cx"])


def newest_backup(home):
    """The backup with the highest number (backups keep their number; the newest is the
    highest)."""
    folder = os.path.dirname(user_file(home))
    numbers = [
        int(n.rpartition(".")[2])
        for n in os.listdir(folder)
        if re.fullmatch(r"facts\.toml\.bak\.[0-9]+", n)
    ]
    return os.path.join(folder, f"facts.toml.bak.{max(numbers, default=0)}")


@case("crash", "init-force-keeps-bak")
def _():
    home = newhome("init-force")
    before = prep_user(home, 2)
    r = run(home, ["facts", "init"])
    sane(r, {0, 1, 2, 3})
    check(read_bytes(user_file(home)) == before, "init without --force replaced file")
    r = run(home, ["facts", "init", "--force"])
    sane(r, {0})
    check(read_bytes(newest_backup(home)) == before, ".bak is not the previous version")


@case("crash", "add-keeps-bak")
def _():
    home = newhome("add-bak")
    before = prep_user(home, 2)
    r = run(
        home, ["facts", "add", "companies", "id=cx", "name=n", "business=b", "source=jv-report"]
    )
    sane(r, {0})
    check(read_bytes(newest_backup(home)) == before, ".bak is not the previous version")


@case("crash", "add-preserves-comments")
def _():
    home = newhome("add-comments")
    prep_user(home, 1)
    uf = user_file(home)
    with open(uf, "a") as f:
        f.write("\n# MY PRECIOUS COMMENT\n")
    r = run(
        home, ["facts", "add", "companies", "id=cx", "name=n", "business=b", "source=jv-report"]
    )
    sane(r, {0})
    check("MY PRECIOUS COMMENT" in read_text(uf), "user comment lost by facts add")


@case("crash", "add-preserves-file-mode")
def _():
    home = newhome("add-mode")
    prep_user(home, 1)
    uf = user_file(home)
    os.chmod(uf, 0o640)
    r = run(
        home, ["facts", "add", "companies", "id=cx", "name=n", "business=b", "source=jv-report"]
    )
    sane(r, {0})
    m = stat.S_IMODE(os.stat(uf).st_mode)
    check(m == 0o640, f"file mode changed to {oct(m)}")


# ================================================================ 5. editors


def editor_case(
    name,
    script,
    expect_rcs,
    preserved=True,
    editor_value=None,
    expect_ids=(),
    stdin=None,
    link=False,
    executable=True,
):
    """Run `facts edit` with an editor script ("@HOME@" in it stands for the case's folder)."""

    def fn():
        home = newhome("editor-" + name)
        before = prep_user(home, 2)
        uf = user_file(home)
        real = uf
        if link:
            real = home + "/elsewhere.toml"
            shutil.move(uf, real)
            os.symlink(real, uf)
        ed = None
        if script is not None:
            ed = wfile(home + "/ed.sh", "#!/bin/sh\n" + script.replace("@HOME@", home))
            os.chmod(ed, 0o755 if executable else 0o644)
        ev = editor_value.format(ed=ed, home=home) if editor_value else ed
        r = run(
            home,
            ["facts", "edit"],
            env={"EDITOR": ev, "VISUAL": None},
            stdin=subprocess.DEVNULL if stdin is None else stdin,
            timeout=S.timeout,
        )
        sane(r, set(expect_rcs), "facts edit")
        if os.path.isdir(real) or not os.path.exists(real):
            raise Fail(
                f"facts.toml gone or replaced ({'dir' if os.path.isdir(real) else 'missing'}) {r}"
            )
        after = read_bytes(real)
        if link:
            check(os.path.islink(uf), "symlink replaced by a regular file")
        if preserved:
            check(after == before, f"file changed although the edit was refused {r}")
            if r.rc != 0:
                check(r.err.strip(), "refused without a message")
        if expect_ids:
            records_ok(real, [*expect_ids, "pre0", "pre1"])

    add("editors", name, fn)


APPEND = 'cat >> "$1" <<\'EOF\'\n\n[[companies]]\nid = "edited"\nname = "Edited Co"\nbusiness = "b"\nsource = "jv-report"\nEOF\n'
editor_case("noop", "exit 0\n", {0})
editor_case("valid-append", APPEND, {0}, preserved=False, expect_ids=["edited"])
editor_case("valid-append-symlink", APPEND, {0}, preserved=False, expect_ids=["edited"], link=True)
editor_case("invalid-toml", "echo '[[companies' >> \"$1\"\n", {1, 2, 3})
editor_case(
    "invalid-ref",
    'printf \'\\n[[companies]]\\nid="z"\\nname="z"\\nbusiness="b"\\nsource="nope"\\n\' >> "$1"\n',
    {1, 2, 3},
)
editor_case("deletes-file", 'rm -f "$1"\n', {0, 1, 2, 3})
editor_case("truncates-file", ': > "$1"\n', {0, 1, 2, 3})
editor_case("non-utf8", "printf '\\n# \\377\\376 bad\\n' >> \"$1\"\n", {1, 2, 3})
editor_case(
    "utf16-rewrite", 'iconv -f utf-8 -t utf-16 "$1" > "$1.x" && mv "$1.x" "$1"\n', {1, 2, 3}
)
editor_case("replaces-with-dir", 'rm -f "$1" && mkdir "$1"\n', {0, 1, 2, 3})
editor_case("replaces-with-fifo", 'rm -f "$1" && mkfifo "$1"\n', {0, 1, 2, 3})
# a link to a passwd-like file of the case's own: a wrong write-through stays in the work folder
editor_case(
    "replaces-with-symlink-to-passwd",
    'printf \'root:x:0:0:root:/root:/bin/sh\\n\' > "@HOME@/passwd"; rm -f "$1" && ln -s "@HOME@/passwd" "$1"\n',
    {1, 2, 3},
)
editor_case("exit-1", APPEND + "exit 1\n", {1, 2, 3})
editor_case("killed-by-signal", APPEND + "kill -9 $$\n", {1, 2, 3, 130})
editor_case(
    "ctrl-char-escaped",
    'printf \'\\n[[companies]]\\nid="z"\\nname="z\\\\u001b[31m"\\nbusiness="b"\\nsource="jv-report"\\n\' >> "$1"\n',
    {1, 2, 3},
)
editor_case(
    "bidi-raw",
    'printf \'\\n[[companies]]\\nid="z"\\nname="z\\342\\200\\256x"\\nbusiness="b"\\nsource="jv-report"\\n\' >> "$1"\n',
    {1, 2, 3},
)
editor_case(
    "deep-nesting", "python3 -c \"print('x=' + '['*100000 + ']'*100000)\" >> \"$1\"\n", {1, 2, 3}
)
editor_case("unclosed-quote", "exit 0\n", {1, 2, 3}, editor_value="{ed} 'unclosed")
editor_case("unclosed-dquote", "exit 0\n", {1, 2, 3}, editor_value='"{ed}')
editor_case("nonexistent-editor", None, {1, 2, 3}, editor_value="/nonexistent/editor-xyz")
editor_case(
    "editor-with-args", APPEND, {0}, preserved=False, expect_ids=["edited"], editor_value="{ed}"
)
editor_case("editor-not-executable", "exit 0\n", {1, 2, 3}, executable=False)
editor_case("editor-is-dir", None, {1, 2, 3}, editor_value="{home}")
editor_case(
    "editor-ctrl-char-name", None, {1, 2, 3}, editor_value="/nonexistent/\x1b]52;c;eA==\x07ed"
)
editor_case("editor-writes-other-file", 'echo hi > "$1.other"\n', {0})
editor_case("editor-chmod-000", 'chmod 000 "$1"\n', {0, 1, 2, 3})
editor_case(
    "editor-huge-file",
    "head -c 60000000 /dev/zero | tr '\\0' 'a' | sed 's/^/# /' >> \"$1\"\n",
    {0, 1, 2, 3},
    preserved=False,
)
editor_case("editor-reads-stdin", "cat > /dev/null; exit 0\n", {0})
editor_case(
    "editor-background-close",
    APPEND + "exec >&- 2>&-\n",
    {0},
    preserved=False,
    expect_ids=["edited"],
)


@case("editors", "path-with-space")
def _():
    home = newhome("editor-space")
    prep_user(home, 2)
    d = home + "/dir with space"
    os.makedirs(d)
    ed = wfile(d + "/ed.sh", "#!/bin/sh\n" + APPEND)
    os.chmod(ed, 0o755)
    r = run(home, ["facts", "edit"], env={"EDITOR": f"'{ed}'"})
    sane(r, {0})
    records_ok(user_file(home), ["edited"])


@case("editors", "edit-without-user-file")
def _():
    home = newhome("editor-nofile")
    ed = wfile(home + "/ed.sh", "#!/bin/sh\nexit 0\n")
    os.chmod(ed, 0o755)
    r = run(home, ["facts", "edit"], env={"EDITOR": ed})
    sane(r, {0, 1, 3})


@case("editors", "edit-user-file-invalid-before")
def _():
    home = newhome("editor-invalid-before")
    os.makedirs(home + "/data/cgcli")
    wfile(user_file(home), "broken = [")
    ed = wfile(home + "/ed.sh", "#!/bin/sh\nexit 0\n")
    os.chmod(ed, 0o755)
    r = run(home, ["facts", "edit"], env={"EDITOR": ed})
    sane(r, {0, 1, 3})
    check(read_text(user_file(home)) == "broken = [", "invalid file replaced")


@case("editors", "sigint-during-edit")
def _():
    home = newhome("editor-sigint")
    before = prep_user(home, 2)
    ed = wfile(home + "/ed.sh", "#!/bin/sh\n" + APPEND + "sleep 2\n")
    os.chmod(ed, 0o755)
    e = base_env(home)
    e["EDITOR"] = ed
    p = subprocess.Popen(
        [S.cgcli, "facts", "edit"],
        env=e,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    time.sleep(0.7)
    os.killpg(p.pid, signal.SIGINT)
    o, er = p.communicate(timeout=20)
    r = Res(p.returncode, o, er, 0, False)
    sane(r, {130, 0, 1})
    if r.rc == 130:
        check(read_bytes(user_file(home)) == before, "file changed despite interrupt")


# ================================================================ 6. streams / pipes


def big_file():
    """The bundled facts and 5,000 more companies: more rows than a table may have."""
    p = os.path.join(S.shared, "big.toml")
    if not os.path.exists(p):
        os.makedirs(S.shared, exist_ok=True)
        body = S.bundled_text + "".join(
            f'\n[[companies]]\nid = "big{i}"\nname = "Big Company {i}"\nbusiness = "{"x" * 200}"\nsource = "jv-report"\n'
            for i in range(5000)
        )
        wfile(p + ".tmp", body)
        os.replace(p + ".tmp", p)
    return p


STREAM_CMDS = [
    ["companies", "--json"],
    ["companies"],
    ["companies", "--csv"],
    ["companies", "--format", "tsv"],
    ["companies", "--format", "markdown"],
    ["companies", "--format", "ndjson"],
    ["export", "--format", "json"],
    ["export", "--format", "toml"],
    ["search", "big"],
    ["search", "big", "--json"],
    ["graph"],
    ["sources"],
    ["fields"],
    ["completion", "bash"],
    ["--help"],
    ["schema", "companies"],
    ["validate"],
]
# A table of more than 5,000 rows is refused (exit 2, advice naming --csv/--json) before any
# output: the big file's `companies` table is, whatever happens to the streams. Its data is
# streamed above as --json, --csv, tsv, markdown and ndjson. So is `search big`'s table: the
# 5,000 big companies and the bundled records that say "big" (BIG Tech, "biggest": 5,007 rows
# since the later sources); `search big --json` streams them.
TABLE_REFUSED = [["companies"], ["search", "big"]]


def refused_table(rc, err, what):
    check(
        rc == 2,
        f"{what}: exit {rc}, expected 2 (a table of more than 5,000 rows is refused); err={(err or '')[:300]!r}",
    )
    if err is not None:
        check(
            "--csv" in err and "--json" in err,
            f"{what}: refusal does not name --csv/--json: {err[:300]!r}",
        )


def shq(a):
    return "'" + a.replace("'", "'\\''") + "'"


def stream_case(cmd, mode):
    def fn():
        home = newhome(f"stream-{mode}-{'_'.join(cmd)}")
        bf = big_file()
        base = f"{shq(S.cgcli)} --facts {shq(bf)} " + " ".join(shq(c) for c in cmd)
        refused = cmd in TABLE_REFUSED
        if mode == "head":
            sh = f"{base} 2>err.txt | head -c 10 >/dev/null; echo ${{PIPESTATUS[0]}} > rc.txt"
            r = run(home, sh, shell=True)
            rc = int(read_text(home + "/rc.txt"))
            err = read_text(home + "/err.txt")
            if refused:
                refused_table(rc, err, "reader went away")
                return
            check(rc in (0, 141), f"exit {rc} when reader went away; err={err[:300]!r}")
            check(
                "Traceback" not in err and "Exception ignored" not in err,
                f"noise on stderr: {err[:300]!r}",
            )
            if cmd[0] in ("export", "search", "graph") or cmd[0] == "companies":
                check(
                    rc == 141,
                    f"exit {rc}, expected 141 for a big output cut by head; err={err[:200]!r}",
                )
        elif mode == "closed-stdout":
            r = run(home, base + " >&-", shell=True)
            if refused:
                sane(r, {2}, "stdout closed")
                refused_table(r.rc, r.err, "stdout closed")
                return
            sane(r, {74} if cmd[0] != "validate" else {0, 74}, "stdout closed")
            check(r.err.strip() or r.rc == 0, "no message")
            check("Exception ignored" not in r.err, f"noise: {r.err[:200]!r}")
        elif mode == "dev-full":
            r = run(home, base + " >/dev/full", shell=True)
            if refused:
                sane(r, {2}, "dev/full")
                refused_table(r.rc, r.err, "dev/full")
                return
            sane(r, {74} if cmd[0] != "validate" else {0, 74}, "dev/full")
            check("Exception ignored" not in r.err, f"noise: {r.err[:200]!r}")
        elif mode == "closed-stderr":
            r = run(home, base + ' 2>&-; echo "rc=$?" >&2', shell=True)
            m = re.search(r"rc=(\d+)", r.err)
            if refused:
                check(m, f"no exit status: {r.err[-200:]!r}")
                refused_table(int(m.group(1)), None, "stderr closed")
                return
            check(m and int(m.group(1)) == 0, f"exit with stderr closed: {r.err[-200:]!r}")

    return fn


for _c in STREAM_CMDS:
    for _m in ("head", "closed-stdout", "dev-full", "closed-stderr"):
        add("streams", f"{_m}:{' '.join(_c)}", stream_case(_c, _m))


@case("streams", "table-past-5000-rows-refused")
def _():
    home = newhome("table-refused")
    for cmd in (["companies"], ["companies", "--format", "table"], ["companies", "--sources"]):
        r = run(home, ["--facts", big_file(), *cmd])
        sane(r, {2}, " ".join(cmd))
        check(r.out == "", f"{cmd}: output before the refusal: {r.out[:200]!r}")
        refused_table(r.rc, r.err, " ".join(cmd))
    for cmd in (["companies", "--json"], ["companies", "--csv"]):
        r = run(home, ["--facts", big_file(), *cmd])
        sane(r, {0}, " ".join(cmd))
        check("big4999" in r.out, f"{cmd}: not every row: {r.out[-200:]!r}")


def stream_misc(name, sh, rcs, err_check=None):
    def fn():
        home = newhome("streammisc-" + name)
        r = run(home, sh.format(C=shq(S.cgcli), home=shq(home), B=shq(S.bundled)), shell=True)
        if "NO_MKNOD" in r.out:
            raise Skip("mknod is not allowed here (needs root)")
        sane(r, set(rcs), name)
        if err_check:
            err_check(r)

    add("streams", name, fn)


stream_misc(
    "error-with-closed-stderr",
    "{C} --facts /nonexistent companies 2>&-; echo rc=$? > {home}/rc; cat {home}/rc",
    {0},
    lambda r: check("rc=3" in r.out, f"exit with stderr closed on error: {r.out!r}"),
)
stream_misc(
    "both-closed",
    "{C} companies >&- 2>&-; echo rc=$?",
    {0},
    lambda r: check(re.search(r"rc=(74|0)\b", r.out), f"{r.out!r}"),
)
stream_misc("stdin-closed", "{C} companies --json <&-", {0})
stream_misc("facts-dev-stdin", "{C} --facts /dev/stdin companies --json < {B}", {0})
stream_misc("facts-dev-stdin-pipe", "cat {B} | {C} --facts /dev/stdin companies --json", {0, 3})
stream_misc("facts-dash", "cat {B} | {C} --facts - companies --json", {0, 2, 3})
stream_misc("facts-proc-subst", "{C} --facts <(cat {B}) companies --json", {0, 3})
stream_misc(
    "facts-fifo-slow-writer",
    "mkfifo {home}/ff; (sleep 1; timeout 3 sh -c 'cat {B} > {home}/ff') & {C} --facts {home}/ff companies --json",
    {0, 3},
)
# never point --save-*/--force at a real /dev node: a rename-over would replace the system's device.
# Use a private char device (same major/minor as /dev/full) in the case's own folder instead.
_MKNOD = "mknod {home}/full c 1 7 2>/dev/null || {{ echo NO_MKNOD; exit 0; }}; "
_DEVCHK = "; if [ -c {home}/full ]; then echo STILL_DEVICE; else echo DEVICE_REPLACED; fi"


def _devchk(r):
    check(
        "STILL_DEVICE" in r.out,
        f"private device node replaced by a regular file: {r.out[-200:]!r} {r.err[-300:]!r}",
    )


# A saved chart goes through the writer, which refuses a device at its path before writing
# (exit 1, "not a regular file"), as for --save-png below and the links category.
stream_misc(
    "svg-to-full-device",
    _MKNOD + "{C} exports --chart --save-svg {home}/full >/dev/null; echo rc=$?" + _DEVCHK,
    {0},
    lambda r: (
        _devchk(r),
        check(re.search("rc=(74|1|3)", r.out), f"expected failure: {r.out!r} {r.err[-300:]!r}"),
        check("not a regular file" in r.err or "rc=74" in r.out, f"no reason: {r.err[-300:]!r}"),
    ),
)
stream_misc("svg-to-dir", "mkdir {home}/d; {C} exports --chart --save-svg {home}/d", {2, 74, 1, 3})
stream_misc(
    "svg-to-missing-dir", "{C} exports --chart --save-svg /nonexistent/d/x.svg", {2, 74, 1, 3}
)
stream_misc(
    "png-to-full-device",
    _MKNOD + "{C} exports --chart --save-png {home}/full >/dev/null; echo rc=$?" + _DEVCHK,
    {0},
    lambda r: (
        _devchk(r),
        check(re.search("rc=(74|1|3)", r.out), f"expected failure: {r.out!r} {r.err[-300:]!r}"),
    ),
)
stream_misc(
    "sqlite-to-full-device-force",
    _MKNOD + "{C} export --format sqlite {home}/full --force; echo rc=$?" + _DEVCHK,
    {0},
    lambda r: (
        _devchk(r),
        check(re.search("rc=(74|1|2|3)", r.out), f"expected failure: {r.out!r} {r.err[-300:]!r}"),
    ),
)
stream_misc(
    "datapackage-to-full-device",
    _MKNOD + "{C} export --format datapackage {home}/full --force; echo rc=$?" + _DEVCHK,
    {0},
    lambda r: _devchk(r),
)
stream_misc("sqlite-to-dir", "mkdir {home}/d; {C} export --format sqlite {home}/d", {74, 1, 2, 3})
stream_misc("sqlite-no-file", "{C} export --format sqlite", {2})
stream_misc(
    "datapackage-to-file",
    "echo x > {home}/f; {C} export --format datapackage {home}/f",
    {1, 2, 3, 74},
)
stream_misc(
    "sqlite-existing-no-force",
    "echo precious > {home}/db; {C} export --format sqlite {home}/db; grep -q precious {home}/db && echo kept",
    {0},
    lambda r: check("kept" in r.out, "existing file overwritten without --force"),
)
stream_misc(
    "chart-to-head",
    "{C} exports --chart | head -c1 >/dev/null; echo ${{PIPESTATUS[0]}}",
    {0},
    lambda r: check(r.out.strip() in ("0", "141"), f"rc {r.out!r}"),
)


# ================================================================ 7. signals


FRAME_RE = re.compile(r'^\s*File "([^"]+)", line \d+', re.MULTILINE)


def cgcli_frames(err):
    """The frames of a traceback on stderr that are in cgcli's own code."""
    return [f for f in FRAME_RE.findall(err) if "cover_glass_cli" in f]


def sigint_verdict(rc, out, err, delay, complete, strict=True):
    """None when the outcome of a SIGINT is acceptable, else what is wrong.

    COMPLETE(out, err) says whether the run had written all its output. cgcli's own code
    turns Ctrl-C into exit 130 and one line. Python's are: a SIGINT during start-up, before
    cgcli's code runs (a KeyboardInterrupt traceback with no frame in cover_glass_cli, or
    death by SIGINT with nothing written), and one after all the output was written (death
    by SIGINT, return code -2, with the full output printed). A shell reports 130 for both.
    """
    at = f"SIGINT at {delay * 1000:.0f}ms"
    frames = cgcli_frames(err)
    if frames:
        return f"{at}: exit {rc}, traceback from cgcli's code ({frames[-1]}): {err[-600:]!r}"
    if rc == 0:
        return (
            None
            if complete(out, err)
            else f"{at}: exit 0 with incomplete output: out={out[-200:]!r} err={err[-300:]!r}"
        )
    if rc == 130:
        ok = (
            err == "cgcli: interrupted\n"
            if strict
            else err.endswith("cgcli: interrupted\n") and "Traceback" not in err
        )
        return None if ok else f"{at}: exit 130, stderr {err[-400:]!r}"
    if "Traceback" in err:
        if "KeyboardInterrupt" in err and out == "":
            return None  # Python's start-up (the console-script stub, site, the stdlib)
        return f"{at}: exit {rc}, traceback: {err[-600:]!r}"
    if rc == -signal.SIGINT:
        if complete(out, err):
            return None  # after all the output was written
        if out == "" and err == "":
            return None  # before Python's own SIGINT handler was installed
        return f"{at}: died of SIGINT with output cut short: out={out[-200:]!r} err={err[-300:]!r}"
    return f"{at}: exit {rc}, stderr {err[-400:]!r}"


_REFS: dict[tuple[str, ...], tuple[str, str]] = {}
_REF_LOCK = threading.Lock()


def reference_output(cmd):
    """(stdout, stderr) of CMD run to the end without a signal."""
    key = tuple(cmd)
    with _REF_LOCK:
        if key not in _REFS:
            home = newhome("sigint-ref-" + "_".join(os.path.basename(c) for c in cmd))
            r = run(home, cmd, timeout=60)
            check(not r.timed_out and r.rc == 0, f"harness: reference run of {cmd} {r}")
            _REFS[key] = (r.out, r.err)
        return _REFS[key]


def signal_group(p, sig):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(p.pid, sig)  # like Ctrl-C: the whole foreground group


def sigint_case(i, template):
    def fn():
        cmd = [c.format(big=big_file()) for c in template]
        full = reference_output(cmd)
        home = newhome(f"sigint-{i}")
        delay = random.Random(1000 + i).uniform(0.005, 0.3)
        p = subprocess.Popen(
            [S.cgcli, *cmd],
            env=base_env(home),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        time.sleep(delay)
        signal_group(p, signal.SIGINT)
        try:
            o, er = p.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            signal_group(p, signal.SIGKILL)
            p.communicate()
            raise Fail(f"hang after SIGINT at {delay * 1000:.0f}ms") from None
        out, err = o.decode("utf-8", "replace"), er.decode("utf-8", "replace")
        why = sigint_verdict(p.returncode, out, err, delay, lambda out, err: (out, err) == full)
        check(why is None, why)

    return fn


# `companies` of the big file as CSV: its table (5,002 rows) is refused at once.
_SIG_CMDS = [
    ["--facts", "{big}", "export", "--format", "json"],
    ["--facts", "{big}", "--no-cache", "companies", "--csv"],
    ["companies"],
    ["--facts", "{big}", "search", "company", "9"],
]
for _i in range(40):
    _t = _SIG_CMDS[_i % len(_SIG_CMDS)]
    add("signals", f"sigint-{_i}:{' '.join(_t[-2:])}", sigint_case(_i, _t))


@case("signals", "sigint-during-facts-add")
def _():
    home = newhome("sigint-add")
    prep_user(home, 2)
    uf = user_file(home)
    for j in range(10):
        p = subprocess.Popen(
            [
                S.cgcli,
                "facts",
                "add",
                "companies",
                f"id=s{j}",
                "name=S",
                "business=b",
                "source=jv-report",
            ],
            env=base_env(home),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        delay = random.Random(j).uniform(0.005, 0.3)
        time.sleep(delay)
        signal_group(p, signal.SIGINT)
        o, er = p.communicate(timeout=20)
        ids = records_ok(uf, ["pre0", "pre1"])

        def complete(out, err, j=j, ids=ids):
            return out == "" and f"added companies s{j} " in err and f"s{j}" in ids

        why = sigint_verdict(
            p.returncode,
            o.decode("utf-8", "replace"),
            er.decode("utf-8", "replace"),
            delay,
            complete,
            strict=False,
        )
        check(why is None, f"facts add: {why}")


@case("signals", "sigterm")
def _():
    home = newhome("sigterm")
    e = base_env(home)
    p = subprocess.Popen(
        [S.cgcli, "--facts", big_file(), "--no-cache", "export", "--format", "json"],
        env=e,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(0.15)
    p.send_signal(signal.SIGTERM)
    _o, er = p.communicate(timeout=20)
    check(b"Traceback" not in er, f"traceback on SIGTERM {er[-300:]!r}")


@case("signals", "sigpipe-ignored-by-parent")
def _():
    home = newhome("sigpipe-ign")
    sh = f"trap '' PIPE; {shq(S.cgcli)} --facts {shq(big_file())} export --format json 2>err | head -c1 >/dev/null; echo ${{PIPESTATUS[0]}}"
    r = run(home, sh, shell=True)
    err = read_text(home + "/err")
    check("Traceback" not in err and "Exception ignored" not in err, f"noise: {err[:300]!r}")
    check(r.out.strip() in ("141", "74", "0"), f"rc={r.out!r} err={err[:200]!r}")


# ================================================================ 8. terminals / encodings

TERM_CMDS = [
    ["companies"],
    ["company", "corning"],
    ["venture"],
    ["sites"],
    ["customers"],
    ["exports"],
    ["exports", "--unit", "billion"],
    ["value-addition"],
    ["people"],
    ["statements"],
    ["market-facts"],
    ["sources"],
    ["search", "glass"],
    ["fields", "exports"],
    ["companies", "--sources"],
    ["exports", "--chart"],
    ["value-addition", "--chart"],
]
_REF = {}


def ref_tokens(cmd):
    key = tuple(cmd)
    if key in _REF:
        return _REF[key]
    home = newhome("ref-" + "_".join(cmd))
    toks = set()
    if cmd[0] in ("fields",):
        r = run(home, [*cmd, "--json"])
        for _kind, fl in json.loads(r.out).items():
            for f in fl:
                toks.add(f["name"] if isinstance(f, dict) else f)
    elif "--chart" not in cmd:
        r = run(home, [c for c in cmd if c != "--sources"] + ["--json"])
        try:
            d = json.loads(r.out)
        except ValueError:
            d = []
        recs = d if isinstance(d, list) else [d]
        for rec in recs:
            if isinstance(rec, dict):
                if "record" in rec and isinstance(rec["record"], dict):
                    rec = rec["record"]
                if isinstance(rec.get("id"), str):
                    toks.add(rec["id"])
                for k in ("value", "low", "high"):
                    v = rec.get(k)
                    if isinstance(v, int) and not isinstance(v, bool) and v >= 1000:
                        toks.add(f"{v:,}")
    _REF[key] = toks
    return toks


def wide_tokens(cmd):
    home = newhome("wide-" + "_".join(cmd))
    r = run(home, cmd, env={"COLUMNS": "400", "LINES": "50"})
    toks = {t for t in ref_tokens(cmd) if t in r.out}
    toks |= set(re.findall(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?![\d,])", r.out))
    return toks


def term_case(cmd, cols):
    def fn():
        home = newhome(f"term-{cols}-{'_'.join(cmd)}")
        r = run(home, cmd, env={"COLUMNS": str(cols), "LINES": "50"})
        sane(r, {0})
        toks = wide_tokens(cmd)
        lines = r.out.splitlines()
        for t in toks:
            check(any(t in ln for ln in lines), f"{t!r} cut/wrapped at COLUMNS={cols}")
        check(
            not any(ln.endswith("…") or "…" in ln for ln in lines),
            f"ellipsis truncation at COLUMNS={cols}: "
            + repr([ln for ln in lines if "…" in ln][:3]),
        )

    return fn


for _cols in (20, 40, 60, 80):
    for _c in TERM_CMDS:
        add("terminals", f"COLUMNS={_cols}:{' '.join(_c)}", term_case(_c, _cols))


@case("terminals", "tty-no-escape-leak-with-hostile-data")
def _():
    # run under a real pty, with colours, and check data-borne escape attempts do not appear raw
    import pty

    home = newhome("tty-hostile")
    p = inj_file("htmlmd")
    e = base_env(home)
    e["TERM"] = "xterm-256color"
    e["COLUMNS"] = "100"
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.clear()
        os.environ.update(e)
        os.execv(S.cgcli, [S.cgcli, "--facts", p, "companies"])
    out = b""
    t0 = time.time()
    while time.time() - t0 < 15:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    s = out.decode("utf-8", "replace")
    check(
        "\x1b]52" not in s and "\x1b]8;;javascript" not in s, "OSC sequence from data on terminal"
    )
    check(os.waitstatus_to_exitcode(status) == 0, f"rc {status}")


ENC_UNI_TEXT = None


def enc_case(envname, env, fmt, cmd):
    def fn():
        home = newhome(f"enc-{envname}-{fmt}-{'_'.join(cmd)}")
        p = inj_file("uni")
        r = run(home, ["--facts", p, *cmd, "--format", fmt], env=env)
        check(not r.timed_out and r.rc != 70 and "Traceback" not in r.err, f"crash {r}")
        check("UnicodeEncodeError" not in r.err, f"encoding error leaked {r}")
        if r.rc == 0:
            txt = r.outb.decode("utf-8", "replace")
            if fmt == "table":
                return  # the contract covers csv/tsv/markdown (and json); tables may transliterate
            if fmt == "ndjson":
                txt = "\n".join(
                    json.dumps(json.loads(ln), ensure_ascii=False)
                    for ln in txt.splitlines()
                    if ln.strip()
                )
            if fmt == "json":
                try:
                    d = json.loads(txt)
                except ValueError as e:
                    raise Fail(f"bad json {e}") from e
                txt = json.dumps(d, ensure_ascii=False)
            needles = ["日本語テキスト", "🦊🔥", "Zaïre façade", "Optiemus–Corning"]
            present = [n for n in needles if n in txt]
            check(
                present,
                f"no unicode survived with {envname} and exit 0 (silent loss): {txt[:300]!r}",
            )
            for n in ["日本語テキスト", "Zaïre façade"]:
                # those values are in every listing we run; they must survive intact when exit 0
                if any(n2 in S.bundled_text for n2 in [n]):
                    continue
            mangled = [
                m for m in ("??", "Za?re", "fa?ade", "\\u65e5") if m in txt and fmt != "json"
            ]
            check(
                not mangled, f"characters replaced silently ({mangled}) with exit 0 under {envname}"
            )
        else:
            check(r.rc in (1, 2, 3, 74), f"rc {r.rc}")
            check(r.err.strip(), "failed without a message")

    return fn


_ENVS = {
    "PYTHONIOENCODING=ascii": {"PYTHONIOENCODING": "ascii"},
    "LC_ALL=C": {"LC_ALL": "C", "LANG": "C", "LC_CTYPE": None},
    "PYTHONIOENCODING=latin-1": {"PYTHONIOENCODING": "latin-1"},
    "ascii:strict+LC_ALL=C": {"PYTHONIOENCODING": "ascii:strict", "LC_ALL": "C", "LANG": "C"},
}
for _en, _ev in _ENVS.items():
    for _fmt in ("csv", "tsv", "markdown", "json", "ndjson", "table"):
        for _c in (["companies"], ["search", "a"]):
            add("terminals", f"enc:{_en}:{_fmt}:{' '.join(_c)}", enc_case(_en, _ev, _fmt, _c))


def enc_err_case(envname, env):
    def fn():
        home = newhome(f"encerr-{envname}")
        r = run(home, ["company", "日本"], env=env)
        sane(r, {1, 2}, "", ctrl=True)
        r = run(home, ["--facts", "/nonexistent/日本.toml", "companies"], env=env)
        sane(r, {3})
        check("UnicodeEncodeError" not in r.err, "encode error")

    add("terminals", "enc-err:" + envname, fn)


for _en, _ev in _ENVS.items():
    enc_err_case(_en, _ev)

# ================================================================ 9. completion


def comp_facts():
    p = os.path.join(S.shared, "comp.toml")
    if not os.path.exists(p):
        os.makedirs(S.shared, exist_ok=True)
        cos = [
            {
                "id": "spacey",
                "name": "Space Co Ltd",
                "aliases": ["Two Words"],
                "business": "b",
                "source": "jv-report",
            },
            {"id": "dollar", "name": "$(touch PWNED) Co", "business": "b", "source": "jv-report"},
            {"id": "tick", "name": "`touch PWNED2`", "business": "b", "source": "jv-report"},
            {"id": "glob", "name": "*", "business": "b", "source": "jv-report"},
            {"id": "semi", "name": "a;b|c&d", "business": "b", "source": "jv-report"},
            {"id": "quote", "name": 'O\'Brien "Q"', "business": "b", "source": "jv-report"},
            {"id": "comma", "name": "plain,evil", "business": "b", "source": "jv-report"},
            {"id": "dash", "name": "-rf", "business": "b", "source": "jv-report"},
        ]
        sites = [
            {
                "id": "st-sp",
                "operator": "spacey",
                "country": "New Zealand",
                "status": "operating",
                "makes": "m",
                "source": "jv-report",
            },
            {
                "id": "st-q",
                "operator": "spacey",
                "country": "Côte d'Ivoire",
                "status": "operating",
                "makes": "m",
                "source": "jv-report",
            },
        ]
        ex = [
            {
                "id": "ex-sp",
                "country": "South Korea",
                "product": "smart phones",
                "fy": 2019,
                "value": 5,
                "unit": "INR crore",
                "qualifier": "exact",
                "source": "jv-report",
            }
        ]
        wfile(
            p,
            S.bundled_text
            + "\n"
            + render({"companies": cos, "sites": sites, "exports": ex}).replace(
                "schema_version = 1", ""
            ),
        )
    return p


def comp_bad_facts():
    p = os.path.join(S.shared, "compbad.toml")
    if not os.path.exists(p):
        cos = [
            {
                "id": "esc",
                "name": "Esc\x1b]52;c;cHduZWQ=\x07Co",
                "business": "b",
                "source": "jv-report",
            },
            {"id": "nl", "name": "New\nLine", "business": "b", "source": "jv-report"},
            {"id": "bidi", "name": "Bi\u202edi", "business": "b", "source": "jv-report"},
        ]
        wfile(
            p, S.bundled_text + "\n" + render({"companies": cos}).replace("schema_version = 1", "")
        )
    return p


COMP_LINES = [
    ["cgcli", ""],
    ["cgcli", "comp"],
    ["cgcli", "company", ""],
    ["cgcli", "company", "S"],
    ["cgcli", "sites", "--company", ""],
    ["cgcli", "sites", "--country", ""],
    ["cgcli", "sites", "--country", "N"],
    ["cgcli", "exports", "--fy", ""],
    ["cgcli", "exports", "--country", ""],
    ["cgcli", "exports", "--product", ""],
    ["cgcli", "cite", ""],
    ["cgcli", "fields", ""],
    ["cgcli", "search", "--kind", ""],
    ["cgcli", "companies", "--fields", ""],
    ["cgcli", "companies", "--fields", "id,"],
    ["cgcli", "customers", "--company", ""],
    ["cgcli", "graph", "--company", ""],
    ["cgcli", "venture", ""],
    ["cgcli", "schema", ""],
    ["cgcli", "companies", "--format", ""],
    ["cgcli", "facts", ""],
    ["cgcli", "company", "'Sp"],
    ["cgcli", "company", '"Sp'],
    ["cgcli", "company", "Space\\ C"],
]


def bash_comp_case(words, facts, tag):
    """FACTS: a function that makes the fact file (in the work folder, once)."""

    def fn():
        facts_path = facts()
        home = newhome(f"bashcomp-{tag}-{'_'.join(words)}")
        cw = len(words) - 1
        arr = " ".join(shq(w) for w in words)
        sh = (
            f'cgcli() {{ {shq(S.cgcli)} "$@"; }}; export PATH={shq(os.path.dirname(S.cgcli))}:$PATH; '
            f"source <({shq(S.cgcli)} completion bash 2>/dev/null); COMP_WORDS=({arr}); COMP_CWORD={cw}; "
            f"COMP_LINE={shq(' '.join(words))}; COMP_POINT=${{#COMP_LINE}}; "
            f"_cgcli_completion cgcli {shq(words[-1])} {shq(words[-2])}; "
            f'for c in "${{COMPREPLY[@]}}"; do printf \'%s\\0\' "$c"; done'
        )
        r = run(home, sh, shell=True, env={"CGCLI_FACTS": facts_path}, cwd=home)
        check(not r.timed_out, "timeout")
        check("Traceback" not in r.err, f"traceback {r.err[:300]!r}")
        check(
            not os.path.exists(home + "/PWNED") and not os.path.exists(home + "/PWNED2"),
            "completion executed data!",
        )
        vals = [v for v in r.outb.decode("utf-8", "replace").split("\0") if v]
        for v in vals:
            check(not bad_chars(v) and "\n" not in v, f"control char in completion value {v!r}")
            if " " in v:
                check(
                    re.search(r"(\\ |^'.*'$|^\".*\"$)", v),
                    f"unquoted value with space offered: {v!r}",
                )
            if "$(" in v or "`" in v or ";" in v or "|" in v or "&" in v:
                check(
                    "\\" in v or v.startswith("'"), f"shell metachars unquoted in completion: {v!r}"
                )
        if words[-1] == "" and words[1:2] == ["company"] and tag == "good":
            check(vals, "no company completions offered")
        if tag == "good" and words[1:] == ["company", ""]:
            check(
                not any(
                    v in os.listdir(home) for v in vals if v not in ("data", "cache", "config")
                ),
                "glob expanded",
            )

    return fn


for _w in COMP_LINES:
    add("completion", f"bash:good:{' '.join(_w)}", bash_comp_case(_w, comp_facts, "good"))
for _w in [
    ["cgcli", "company", ""],
    ["cgcli", "cite", ""],
    ["cgcli", "sites", "--company", ""],
    ["cgcli", "graph", "--company", ""],
]:
    add("completion", f"bash:bad:{' '.join(_w)}", bash_comp_case(_w, comp_bad_facts, "bad"))


@case("completion", "bash:glob-star-not-expanded")
def _():
    home = newhome("bashcomp-glob")
    for f in ("AAA_FILE", "BBB_FILE"):
        wfile(home + "/" + f, "")
    sh = (
        f"source <({shq(S.cgcli)} completion bash 2>/dev/null); COMP_WORDS=(cgcli company '*'); COMP_CWORD=2; "
        f"_cgcli_completion {shq(S.cgcli)} '*' company; printf '%s\\n' \"${{COMPREPLY[@]}}\""
    )
    r = run(home, sh, shell=True, env={"CGCLI_FACTS": comp_facts()}, cwd=home)
    check("AAA_FILE" not in r.out, f"completion value '*' glob-expanded into file names: {r.out!r}")


def fish_case(line, facts, tag):
    """FACTS: a function that makes the fact file (in the work folder, once)."""

    def fn():
        facts_path = facts()
        home = newhome(f"fish-{tag}-{line}")
        sh = f"{shq(S.cgcli)} completion fish 2>/dev/null | source; complete -C {shq(line)}"
        e = {"CGCLI_FACTS": facts_path, "PATH": os.path.dirname(S.cgcli) + ":" + os.environ["PATH"]}
        fr = subprocess.run(
            ["fish", "--no-config", "-c", sh],
            env={**base_env(home), **e},
            cwd=home,
            capture_output=True,
            timeout=20,
        )
        r = Res(fr.returncode, fr.stdout, fr.stderr, 0, False)
        check("Traceback" not in r.err, f"traceback {r.err[:300]!r}")
        check(not os.path.exists(home + "/PWNED"), "completion executed data")
        for ln in r.out.split("\n"):
            check(not bad_chars(ln), f"control char in fish completion {ln!r}")
        if tag == "good" and line.endswith("company "):
            check(
                "corning" in r.out,
                f"no company completion from fish: {r.out[:200]!r} {r.err[:200]!r}",
            )

    return fn


for _l in [
    "cgcli ",
    "cgcli company ",
    "cgcli sites --country ",
    "cgcli exports --fy ",
    "cgcli cite ",
    "cgcli companies --fields ",
    "cgcli search --kind ",
]:
    add("completion", f"fish:good:{_l}", fish_case(_l, comp_facts, "good"))
for _l in ["cgcli company ", "cgcli cite "]:
    add("completion", f"fish:bad:{_l}", fish_case(_l, comp_bad_facts, "bad"))


def zsh_case(words, facts, tag):
    """FACTS: a function that makes the fact file (in the work folder, once)."""

    def fn():
        facts_path = facts()
        home = newhome(f"zsh-{tag}-{'_'.join(words)}")
        r = run(
            home,
            [],
            env={
                "_CGCLI_COMPLETE": "zsh_complete",
                "COMP_WORDS": " ".join(words),
                "COMP_CWORD": str(len(words) - 1),
                "CGCLI_FACTS": facts_path,
            },
        )
        sane(r, {0}, "zsh_complete")
        z = run(
            home,
            f"{shq(S.cgcli)} completion zsh 2>/dev/null > s.zsh; zsh -n s.zsh && echo SYNTAX_OK",
            shell=True,
        )
        check("SYNTAX_OK" in z.out, f"zsh script syntax: {z.err[:200]!r}")

    return fn


for _w in [["cgcli", "company", ""], ["cgcli", "cite", ""], ["cgcli", "sites", "--country", ""]]:
    add("completion", f"zsh:good:{' '.join(_w)}", zsh_case(_w, comp_facts, "good"))
    add("completion", f"zsh:bad:{' '.join(_w)}", zsh_case(_w, comp_bad_facts, "bad"))


@case("completion", "completion-bad-shell")
def _():
    home = newhome("comp-badshell")
    sane(run(home, ["completion", "powershell"]), {2})
    sane(run(home, ["completion", "ba\x1b[31msh"]), {2})


@case("completion", "completion-with-broken-facts")
def _():
    home = newhome("comp-broken")
    r = run(
        home,
        [],
        env={
            "_CGCLI_COMPLETE": "bash_complete",
            "COMP_WORDS": "cgcli company ",
            "COMP_CWORD": "2",
            "CGCLI_FACTS": "/dev/zero",
        },
    )
    check(not r.timed_out and "Traceback" not in r.err and r.rc != 70, f"{r}")


# ================================================================ 10. CLI usage


def usage(name, args, rcs, out_re=None, err_re=None, env=None, not_err_re=None):
    def fn():
        home = newhome("usage-" + name)
        r = run(home, args, env=env)
        sane(r, set(rcs), " ".join(args))
        if out_re:
            check(re.search(out_re, r.out), f"stdout does not match {out_re!r}: {r}")
        if err_re:
            check(re.search(err_re, r.err), f"stderr does not match {err_re!r}: {r}")
        if not_err_re:
            check(not re.search(not_err_re, r.err), f"stderr matches {not_err_re!r}: {r}")

    add("usage", name, fn)


usage("bare", [], {0}, out_re=r"Usage:")
usage("version", ["--version"], {0})
usage("-V", ["-V"], {0})
usage("-h", ["-h"], {0}, out_re="Usage")
for _typo, _right in [
    ("compnies", "companies"),
    ("companys", "companies"),
    ("exprots", "exports"),
    ("valu-addition", "value-addition"),
    ("serch", "search"),
    ("cit", "cite"),
    ("valdate", "validate"),
    ("sties", "sites"),
    ("peple", "people"),
    ("statments", "statements"),
    ("market-fact", "market-facts"),
    ("fact", "facts"),
    ("sorces", "sources"),
    ("complete", "completion"),
    ("venture-", "venture"),
    ("COMPANIES", "companies"),
    ("grpah", "graph"),
    ("shema", "schema"),
    ("exprt", "export"),
]:
    usage(f"typo:{_typo}", [_typo], {2}, err_re=rf"(?i)did you mean.*\b{re.escape(_right)}\b")
usage("typo:facts-ad", ["facts", "ad"], {2}, err_re=r"(?i)did you mean.*\badd\b")
usage("typo:facts-edt", ["facts", "edt"], {2}, err_re=r"(?i)did you mean.*\bedit\b")
usage("typo:option", ["companies", "--jsn"], {2}, err_re=r"--json")
usage("fy-99", ["exports", "--fy", "99"], {1}, err_re=r"1999")
usage("fy-23", ["exports", "--fy", "23", "--json"], {0}, out_re=r"90000")
usage("fy-00", ["exports", "--fy", "00"], {1}, err_re=r"2000")
usage(
    "fy-range-open-start", ["exports", "--fy", "..2023", "--json"], {0}, out_re=r"(?s)45000.*90000"
)
usage("fy-range-open-end", ["exports", "--fy", "2023..", "--json"], {0}, out_re=r"30000")
usage("fy-range", ["exports", "--fy", "2021..2023", "--json"], {0}, out_re=r"90000")
usage("fy-range-short", ["exports", "--fy", "22..23", "--json"], {0}, out_re=r"90000")
usage("fy-range-99-01", ["exports", "--fy", "99..01"], {1}, err_re=r"1999")
usage("fy-range-reversed", ["exports", "--fy", "2023..2021"], {2})
usage("fy-range-empty", ["exports", "--fy", ".."], {2})
usage("fy-three-dots", ["exports", "--fy", "2021...2023"], {2})
usage("fy-FY23", ["exports", "--fy", "FY23", "--json"], {0}, out_re="90000")
usage("fy-fy2023", ["exports", "--fy", "fy2023", "--json"], {0}, out_re="90000")
usage("fy-2022-23", ["exports", "--fy", "2022-23", "--json"], {0}, out_re="90000")
usage("fy-2022-2023", ["exports", "--fy", "2022-2023", "--json"], {0}, out_re="90000")
usage("fy-inconsistent", ["exports", "--fy", "2022-25"], {2})
usage("fy-garbage", ["exports", "--fy", "abc"], {2})
usage("fy-empty", ["exports", "--fy", ""], {2})
usage("fy-negative", ["exports", "--fy", "-5"], {2})
usage("fy-zero", ["exports", "--fy", "0"], {1, 2})
usage("fy-huge", ["exports", "--fy", "9" * 50], {2})
usage("fy-huge-range", ["exports", "--fy", "1.." + "9" * 50], {1, 2})
usage("fy-wide-range", ["exports", "--fy", "1..999999999"], {0, 1, 2})
usage("fy-unicode-digits", ["exports", "--fy", "٢٠٢٣"], {0, 2})
usage("fy-float", ["exports", "--fy", "2023.5"], {2})
usage("fy-repeated", ["exports", "--fy", "2023", "--fy", "2024"], {2})
usage("fy-repeated-same", ["exports", "--fy", "2023", "--fy", "2023"], {2})
usage("format-repeated", ["companies", "--format", "json", "--format", "csv"], {2})
usage("format-json-csv", ["companies", "--json", "--csv"], {2})
usage("format-and-json", ["companies", "--format", "csv", "--json"], {2})
usage("format-bogus", ["companies", "--format", "yaml"], {2})
usage("fields-bogus", ["companies", "--fields", "nope"], {2})
usage("fields-empty", ["companies", "--fields", ""], {2})
usage("fields-commas", ["companies", "--fields", ",,,"], {2})
usage("fields-ok", ["companies", "--fields", "id,name", "--csv"], {0}, out_re=r"^id,name")
usage(
    "fields-repeat",
    ["companies", "--fields", "id", "--fields", "name", "--csv"],
    {0},
    out_re=r"^id,name",
)
usage("unit-bogus", ["exports", "--unit", "gallon"], {2})
usage("unit-on-va", ["value-addition", "--unit", "billion"], {2})
usage("status-bogus", ["sites", "--status", "dead"], {2})
usage("company-missing", ["company", "nosuchco"], {1})
usage("company-empty", ["company", ""], {1, 2})
usage("company-prefix", ["company", "corn"], {0})
usage("company-ambiguous-case", ["company", "OPTIEMUS"], {0})
usage("company-no-arg", ["company"], {2})
usage("company-long-arg", ["company", "x" * 100000], {1, 2})
usage("search-nothing", ["search", "zzzznotthere"], {1})
usage("search-regexy", ["search", ".*("], {1})
usage("search-empty", ["search", ""], {1, 2})
usage("search-no-arg", ["search"], {2})
usage("search-kind-bogus", ["search", "glass", "--kind", "aliens"], {2})
usage("search-long", ["search"] + ["a" * 1000] * 200, {1})
usage("cite-missing", ["cite", "nope"], {1})
usage("cite-kind-prefix", ["cite", "companies:corning"], {0})
usage("cite-bad-kind", ["cite", "aliens:corning"], {1, 2})
usage("cite-colon", ["cite", ":"], {1, 2})
usage("cite-style-bogus", ["cite", "corning", "--style", "apa"], {2})
usage("schema-bogus", ["schema", "nope"], {1, 2})
usage("schema-list", ["schema"], {0})
usage("fields-kind-bogus", ["fields", "nope"], {2})
usage("facts-no-sub", ["facts"], {0, 2})
usage("facts-path", ["facts", "path"], {0})
usage("unknown-global-opt", ["--nope"], {2})
usage("facts-opt-no-arg", ["--facts"], {2})
usage("env-facts-empty", ["companies"], {0, 2, 3}, env={"CGCLI_FACTS": ""})
usage("env-facts-colons", ["companies"], {0, 1, 2, 3}, env={"CGCLI_FACTS": ":::"})
usage("env-facts-missing", ["companies"], {3}, env={"CGCLI_FACTS": "/nonexistent.toml"})
usage("env-no-cache-garbage", ["companies"], {0, 2}, env={"CGCLI_NO_CACHE": "banana"})
usage("env-debug-0", ["--facts", "/dev/zero", "companies"], {3}, env={"CGCLI_DEBUG": "0"})
usage("country-none", ["sites", "--country", "Atlantis"], {1})
usage("venture-missing", ["venture", "nope"], {1})
usage("graph-company-missing", ["graph", "--company", "nope"], {1, 2})
usage("validate-missing-path", ["validate", "/nonexistent.toml"], {1, 3})
usage("validate-dir", ["validate", "."], {1, 3})
usage("export-bogus", ["export", "--format", "xml"], {2})
usage("double-dash", ["search", "--", "--json"], {1})
usage("invalid-utf8-arg", ["company", b"\xff\xfe".decode("utf-8", "surrogateescape")], {1, 2})
usage("invalid-utf8-cmd", [b"comp\xff".decode("utf-8", "surrogateescape")], {2})
usage(
    "invalid-utf8-facts",
    ["--facts", b"/nonexistent/\xff.toml".decode("utf-8", "surrogateescape"), "companies"],
    {3},
)
# arguments carrying terminal escapes must not be echoed raw
_ESCS = {
    "OSC52": "\x1b]52;c;cHduZWQ=\x07",
    "CSI": "\x1b[2J\x1b[31m",
    "RLO": "\u202e",
    "C1": "\x9b31m",
    "BEL": "\x07",
    "CR": "\rfake: ok",
    "NUL-free-DEL": "\x7f",
}
for _en, _e in _ESCS.items():
    usage(f"esc-arg:command:{_en}", [f"comp{_e}anies"], {2})
    usage(f"esc-arg:company:{_en}", ["company", f"x{_e}"], {1, 2})
    usage(f"esc-arg:cite:{_en}", ["cite", f"x{_e}"], {1, 2})
    usage(f"esc-arg:format:{_en}", ["companies", "--format", f"j{_e}"], {2})
    usage(f"esc-arg:fields:{_en}", ["companies", "--fields", f"id,{_e}"], {2})
    usage(f"esc-arg:fy:{_en}", ["exports", "--fy", f"20{_e}23"], {2})
    usage(f"esc-arg:country:{_en}", ["sites", "--country", f"x{_e}"], {1})
    usage(f"esc-arg:option:{_en}", ["companies", f"--x{_e}"], {2})
    usage(f"esc-arg:facts-path:{_en}", ["--facts", f"/nonexistent/{_e}.toml", "companies"], {3})
    usage(f"esc-arg:search:{_en}", ["search", f"zz{_e}"], {1})
    usage(f"esc-arg:kind:{_en}", ["search", "a", "--kind", f"k{_e}"], {2})
    usage(f"esc-arg:schema:{_en}", ["schema", f"s{_e}"], {1, 2})
    usage(f"esc-arg:unit:{_en}", ["exports", "--unit", f"u{_e}"], {2})
    usage(f"esc-arg:validate:{_en}", ["validate", f"/nonexistent/{_e}"], {1, 3})
    usage(f"esc-arg:env-facts:{_en}", ["companies"], {3}, env={"CGCLI_FACTS": f"/nonexistent/{_e}"})


# ================================================================ 11. links and special files
#
# Every path cgcli writes for the user, with something planted there first: a symlink to
# a victim file, a symlink to a FIFO, a FIFO, a dangling symlink, a folder. cgcli must
# refuse (or, for the fact file linked to a regular file, write at the link's target),
# never hang, never change the victim, never turn the FIFO into a file, never create the
# dangling link's target. FIFOs and links are made inside the case's own folder only.

PLANTS = ("link-victim", "link-fifo", "fifo", "dangling", "folder")


def plant(home, path, what):
    """Put WHAT at PATH; returns a function checking that nothing was redirected."""
    victim = os.path.join(home, "victim.txt")
    wfile(victim, "the victim's own text\n")
    fifo = os.path.join(home, "the-fifo")
    os.mkfifo(fifo)
    gone = os.path.join(home, "never-created")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    if what == "link-victim":
        os.symlink(victim, path)
    elif what == "link-fifo":
        os.symlink(fifo, path)
    elif what == "fifo":
        os.unlink(fifo)
        os.mkfifo(path)
        fifo = path
    elif what == "dangling":
        os.symlink(gone, path)
    else:
        os.mkdir(path)

    def intact(allow_victim=False):
        if not allow_victim:
            check(read_text(victim) == "the victim's own text\n", "the victim file was changed")
        check(stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced")
        check(not os.path.lexists(gone), "the dangling link's target was created")

    return intact


EDIT_BAD = "import sys\nopen(sys.argv[1], 'a').write('\\n[[customers]]\\nid = 5\\n')\n"


def link_case(place, what):
    def fn():
        home = newhome(f"links-{place}-{what}")
        before = prep_user(home, n=1)
        uf = user_file(home)
        ed = os.path.join(home, "ed.py")
        wfile(ed, EDIT_BAD)
        editor = {"EDITOR": f"{sys.executable} {ed}", "VISUAL": None}
        add = ["facts", "add", "companies", "id=new1", "name=N", "business=b", "source=jv-report"]
        if place == "fact-file":
            intact = plant(home, uf, what)
            for args, env in (
                (add, None),
                (["facts", "rank", "optiemus", "deprecated"], None),
                (["facts", "remove", "pre0"], None),
                (["facts", "restore", "1"], None),
                (["facts", "init", "--force"], None),
                (["facts", "edit"], editor),
            ):
                r = run(home, args, env=env)
                sane(r, {0, 1, 2, 3}, " ".join(args))
                if what != "link-victim":
                    check(r.rc != 0, f"{' '.join(args)} wrote onto a {what}: {r}")
                intact(allow_victim=what == "link-victim")  # dotfiles: written at the target
            return
        targets = {
            "lock": (uf + ".lock", add, None),
            "backup-restored": (uf + ".bak.1", ["facts", "restore", "1"], None),
            "next-backup": (uf + ".bak.2", add, None),
            "rejected": (uf + ".rejected", ["facts", "edit"], editor),
            "edit-copy": (
                os.path.join(os.path.dirname(uf), ".facts.toml.edit-1-x.toml"),
                add,
                None,
            ),
            "export-sqlite": (
                os.path.join(home, "out.sqlite"),
                ["export", "--format", "sqlite", os.path.join(home, "out.sqlite"), "--force"],
                None,
            ),
            "export-metadata": (
                os.path.join(home, "out.metadata.json"),
                ["export", "--format", "sqlite", os.path.join(home, "out.sqlite"), "--force"],
                None,
            ),
            "datapackage": (
                os.path.join(home, "pkg", "companies.csv"),
                ["export", "--format", "datapackage", os.path.join(home, "pkg"), "--force"],
                None,
            ),
            "save-svg": (
                os.path.join(home, "chart.svg"),
                ["exports", "--chart", "--save-svg", os.path.join(home, "chart.svg")],
                None,
            ),
        }
        path, args, env = targets[place]
        os.makedirs(os.path.dirname(path), exist_ok=True)
        intact = plant(home, path, what)
        r = run(home, args, env=env)
        sane(r, {0, 1, 2, 3}, place)
        if not (place == "edit-copy" and what == "fifo"):  # a leftover FIFO is removed
            intact()
        if place == "next-backup":  # taken as a backup number of its own: never followed
            check(r.rc == 0 or read_bytes(uf) == before, f"{r}")
        elif place == "edit-copy":  # a leftover name: removed (the link itself) by the write
            check((r.rc == 0 and not os.path.lexists(path)) or what == "folder", f"{r}")
        elif place == "rejected":
            check(r.rc == 1 and read_bytes(uf) == before, f"the edit was saved: {r}")
            kept = [
                n for n in os.listdir(os.path.dirname(uf)) if n.startswith("facts.toml.rejected.")
            ]
            check(kept, f"the rejected edit was not kept anywhere beside the file: {r}")
        else:
            check(r.rc != 0, f"{place}: wrote through a {what}: {r}")
            if place in ("lock", "backup-restored", "next-backup"):
                check(read_bytes(uf) == before, "the fact file changed")

    return fn


for _place in (
    "fact-file",
    "lock",
    "backup-restored",
    "next-backup",
    "rejected",
    "edit-copy",
    "export-sqlite",
    "export-metadata",
    "datapackage",
    "save-svg",
):
    for _what in PLANTS:
        add("links", f"{_place}:{_what}", link_case(_place, _what))

# ================================================================ driver


def default_cgcli():
    beside = Path(sys.executable).parent / "cgcli"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("cgcli")


def default_bundled():
    """The bundled facts of the environment running this script, else the repo's facts.toml."""
    try:
        from cover_glass_cli.store import bundled_path
    except ImportError:
        return Path(__file__).resolve().parent.parent / "facts.toml"
    return bundled_path()


def parse_args(argv):
    ap = argparse.ArgumentParser(description="Hostile-input sweep of the installed cgcli command.")
    ap.add_argument(
        "--cgcli",
        metavar="PATH",
        default=None,
        help="the command under test (default: the cgcli beside this Python, else the one on PATH)",
    )
    ap.add_argument(
        "--work",
        metavar="DIR",
        default=None,
        help="folder for every case's files and failures.txt (default: a fresh temporary folder)",
    )
    ap.add_argument(
        "-k",
        metavar="SUBSTR",
        dest="filter",
        default=None,
        help="run only the cases whose CATEGORY:NAME contains SUBSTR",
    )
    ap.add_argument("-v", "--verbose", action="store_true", help="print every case as it finishes")
    ap.add_argument("--list", action="store_true", help="count the selected cases and exit")
    return ap.parse_args(argv)


def setup(args):
    cgcli = args.cgcli or default_cgcli()
    if not cgcli or not os.access(cgcli, os.X_OK):
        sys.exit("hostile_sweep.py: no cgcli command found; give --cgcli PATH")
    for module, dist in (("markdown_it", "markdown-it-py"), ("pybtex", "pybtex")):
        try:
            __import__(module)
        except ImportError:
            sys.exit(
                f"hostile_sweep.py: needs {dist}; run it with the project's dev environment (.venv/bin/python)"
            )
    S.cgcli = os.path.abspath(cgcli)
    S.bundled = str(default_bundled())
    S.bundled_text = read_text(S.bundled)
    S.work = os.path.abspath(args.work) if args.work else tempfile.mkdtemp(prefix="cgcli-sweep-")
    S.runs = os.path.join(S.work, "runs")
    S.shared = os.path.join(S.work, "shared")
    S.verbose = args.verbose
    shutil.rmtree(S.shared, ignore_errors=True)  # made afresh from this run's bundled facts
    os.makedirs(S.runs, exist_ok=True)
    os.makedirs(S.shared, exist_ok=True)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    cases = [c for c in CASES if not args.filter or args.filter in f"{c[0]}:{c[1]}"]
    if args.list:
        print(len(cases), dict(Counter(c[0] for c in cases)))
        return 0
    setup(args)
    print(f"cgcli: {S.cgcli}\nbundled facts: {S.bundled}\nwork folder: {S.work}", flush=True)
    # the fact files many cases share, made before the threads start
    big_file()
    comp_facts()
    comp_bad_facts()
    for t in INJ_SETS:
        inj_file(t)
    # heavy or timing-sensitive categories run with less parallelism
    heavy = ("dev-", "sparse", "million", "huge", "200k", "long-", "deep-")
    serial = [
        c
        for c in cases
        if c[0] in ("signals", "crash") or "concurrent" in c[1] or c[1].startswith(heavy)
    ]
    par = [c for c in cases if c not in serial]
    results = {}
    lock = threading.Lock()
    t0 = time.time()

    def go(c):
        cat, name, fn = c
        try:
            fn()
            res = None
        except Fail as e:
            res = str(e)
        except Skip as e:
            res = Skip(str(e))
        except Exception as e:  # a harness error is reported as a failure, with its traceback
            res = "HARNESS ERROR: " + "".join(traceback.format_exception(e))[-1500:]
        with lock:
            results[(cat, name)] = res
            if S.verbose:
                tag = "skip " if isinstance(res, Skip) else "FAIL " if res else "ok   "
                detail = f"\n     {str(res)[:300]}" if res else ""
                print(f"{tag}{cat}:{name}{detail}", flush=True)

    with ThreadPoolExecutor(6) as ex:
        list(ex.map(go, par))
    with ThreadPoolExecutor(2) as ex:
        list(ex.map(go, serial))
    cats: dict[str, list[int]] = {}
    for (cat, _name), res in results.items():
        t = cats.setdefault(cat, [0, 0, 0])
        t[0] += 1
        t[1] += bool(res) and not isinstance(res, Skip)
        t[2] += isinstance(res, Skip)
    failures = os.path.join(S.work, "failures.txt")
    with open(failures, "w", encoding="utf-8") as f:
        for (cat, name), res in sorted(results.items()):
            if res:
                f.write(
                    f"[{cat}] {name}\n    {'SKIPPED: ' if isinstance(res, Skip) else ''}{res}\n\n"
                )
    n = len(results)
    m = sum(t[1] for t in cats.values())
    skipped = sum(t[2] for t in cats.values())
    for cat, (tot, bad, skip) in sorted(cats.items()):
        print(
            f"  {cat:12s} {tot:4d} cases, {bad:4d} failed" + (f", {skip} skipped" if skip else "")
        )
    more = f", {skipped} skipped" if skipped else ""
    print(f"{n} cases, {m} failed{more}  ({time.time() - t0:.0f}s; details in {failures})")
    return 1 if m else 0


if __name__ == "__main__":
    sys.exit(main())
