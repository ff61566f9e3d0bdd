"""facts add with a warm cache copies the file's bytes as they are (os.copy_file_range,
else a plain read and write) and reads only its two ends: the same file either way,
and a copy that fails, or a file changed while being copied, changes nothing."""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cover_glass_cli import store

from .test_facts_quick import ADD_LAND, assert_cache_as_rebuilt, assert_no_half_change, many

HAS_COPY = hasattr(os, "copy_file_range")


def settled_cache(run, user_file: Path, n: int = 1000) -> bytes:
    """A user file of N records (far more than the ends an add reads) whose cache's stamp
    is taken a tick after the file was written: not racy, so its bytes need no hash."""
    many(user_file, n)
    time.sleep(2 * store.FINE_NS / 1e9)
    assert run("exports", "--json").exit_code == 0
    return user_file.read_bytes()


def refusing(code: int) -> Callable[..., int]:
    def copy(*args: Any) -> int:
        raise OSError(code, os.strerror(code))

    return copy


def temporaries(user_file: Path) -> list[str]:
    return [p.name for p in user_file.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("how", ["kernel", "EXDEV", "ENOSYS", "EOPNOTSUPP", "missing"])
def test_add_writes_the_same_bytes_copied_or_read_and_written(
    run, user_file, clean_env, monkeypatch, how
):
    """Where os.copy_file_range is missing (macOS, Windows) or refuses these files, the
    bytes are read and written instead: the file written is the same, byte for byte."""
    from .test_facts_quick import no_whole_reads

    before = settled_cache(run, user_file)
    calls: list[int] = []
    if how == "kernel":
        if not HAS_COPY:
            pytest.skip("no os.copy_file_range here")
        real = os.copy_file_range
        monkeypatch.setattr(os, "copy_file_range", lambda *a: calls.append(1) or real(*a))
    elif how == "missing":
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    else:
        monkeypatch.setattr(os, "copy_file_range", refusing(getattr(errno, how)), raising=False)
    with no_whole_reads() as whole:
        result = run(*ADD_LAND)
    assert result.exit_code == 0, result.output
    assert whole == []  # by index: neither the chain parsed nor the cache rebuilt
    assert how != "kernel" or calls  # the kernel did copy
    block = (
        b'[[exports]]\nid = "new"\ncountry = "Land X"\nproduct = "glass"\nfy = 2020\n'
        b'value = 5\nunit = "INR crore"\nqualifier = "exact"\nsource = "mine"\n'
    )
    assert user_file.read_bytes() == before.rstrip(b"\n") + b"\n\n" + block
    assert temporaries(user_file) == []
    assert_cache_as_rebuilt()


def test_add_reads_only_the_ends_of_the_file(run, user_file, clean_env, monkeypatch):
    """The text before the first table and the blank lines at the end are all an add
    needs of the file: a file of 1,000 records is not read whole (where the kernel
    copies it; elsewhere the copy itself reads it)."""
    if not HAS_COPY:
        pytest.skip("no os.copy_file_range here")
    before = settled_cache(run, user_file)
    if store.tick(user_file.stat().st_mtime_ns, user_file.stat().st_ctime_ns) != store.FINE_NS:
        pytest.skip("this file system keeps whole seconds: its stamps stay racy for 2 s")
    with monkeypatch.context() as patched:
        seen = bytes_read(patched, user_file)
        result = run(*ADD_LAND)
    assert result.exit_code == 0, result.output
    assert len(before) > 100_000
    assert 0 < seen["read"] <= 64 * 1024 + 4096
    assert user_file.read_bytes().startswith(before)
    assert_cache_as_rebuilt()


@pytest.mark.parametrize(("notes", "newlines"), [(0, 3), (3000, 5000)], ids=["few", "many"])
def test_blank_lines_at_the_end_and_a_long_preamble(run, user_file, clean_env, notes, newlines):
    """More blank lines at the end than two (as many as the whole check strips), even
    more than the last bytes read, and a text before the first table longer than the
    first bytes read (the file is then read whole): the add writes what the whole check
    would, the new table on a line of its own after one blank line."""
    from cover_glass_cli.domain.facts import SCHEMA_VERSION

    from .test_facts_quick import no_whole_reads

    body = many(user_file, 20).read_text().split("\n", 1)[1]
    comments = "".join(f"# line {i} of a long note about these figures\n" for i in range(notes))
    user_file.write_text(f"{comments}schema_version = {SCHEMA_VERSION}\n{body}" + "\n" * newlines)
    before = user_file.read_bytes()
    assert run("exports", "--json").exit_code == 0
    with no_whole_reads() as whole:
        result = run(*ADD_LAND)
    assert result.exit_code == 0, result.output
    assert whole == []
    text = user_file.read_bytes()
    assert text.startswith(before.rstrip(b"\n") + b'\n\n[[exports]]\nid = "new"\n')
    assert run("validate", str(user_file)).exit_code == 0
    assert_cache_as_rebuilt()


@pytest.mark.parametrize("code", ["ENOSPC", "EIO"])
def test_a_copy_that_fails_changes_nothing(run, user_file, clean_env, monkeypatch, code):
    """A full disk (or any other failure) while the bytes are copied: the add is refused,
    the file is as it was, no temporary file is left and the cache has no half change."""
    before = settled_cache(run, user_file)
    failing = refusing(getattr(errno, code))
    with monkeypatch.context() as patched:
        patched.setattr(os, "copy_file_range", failing, raising=False)
        if not HAS_COPY:  # the read-and-write fallback is what fails
            from cover_glass_cli.store import writer

            patched.setattr(writer, "_write_all", failing)
        result = run(*ADD_LAND)
    assert result.exit_code == 1
    assert os.strerror(getattr(errno, code)) in result.stderr and "unchanged" in result.stderr
    assert user_file.read_bytes() == before
    assert temporaries(user_file) == []
    assert_no_half_change()


def test_a_file_changed_while_being_copied_is_not_replaced(run, user_file, clean_env, monkeypatch):
    """Another program writing the file while its bytes are copied (a change no lock
    stops): the copy may hold a mix, so nothing is replaced and that program's text stays."""
    settled_cache(run, user_file)
    from cover_glass_cli.store import writer

    real = writer.copy_span

    def meddled(span: writer.Span, fd: int) -> None:
        with open(user_file, "ab") as f:
            f.write(b"# written by another program\n")
        real(span, fd)

    with monkeypatch.context() as patched:
        patched.setattr(writer, "copy_span", meddled)
        result = run(*ADD_LAND)
    assert result.exit_code == 1
    assert "changed while being copied" in result.stderr and "unchanged" in result.stderr
    assert user_file.read_bytes().endswith(b"# written by another program\n")
    assert temporaries(user_file) == []
    assert_no_half_change()


def bytes_read(monkeypatch, path: Path) -> dict[str, int]:
    """A count, growing from now on, of the bytes os.read returns from PATH's file."""
    inode, seen = path.stat().st_ino, {"read": 0}
    real = os.read

    def read(fd: int, size: int) -> bytes:
        data = real(fd, size)
        if os.fstat(fd).st_ino == inode:
            seen["read"] += len(data)
        return data

    monkeypatch.setattr(os, "read", read)
    return seen


@pytest.mark.parametrize("change", [["remove"], ["rank", "preferred"]])
def test_remove_and_rank_in_place_read_only_the_end_of_the_file(
    run, user_file, clean_env, monkeypatch, change
):
    """A record near the end of a file of 1,200 records (one just added, as a rule) is
    found in the file's last bytes (here 8 KiB of them): the rest is copied, never read."""
    from cover_glass_cli.store import inplace

    if not HAS_COPY:
        pytest.skip("no os.copy_file_range here")
    monkeypatch.setattr(inplace, "_END", 8192)
    settled_cache(run, user_file, 1200)
    if store.tick(user_file.stat().st_mtime_ns, user_file.stat().st_ctime_ns) != store.FINE_NS:
        pytest.skip("this file system keeps whole seconds: its stamps stay racy for 2 s")
    before = user_file.read_bytes()
    with monkeypatch.context() as patched:
        seen = bytes_read(patched, user_file)
        result = run("facts", *change[:1], "m1198", *change[1:])
    assert result.exit_code == 0, result.output
    assert 0 < seen["read"] <= 64 * 1024 + 8192  # its first bytes and its last
    assert len(before) > 2 * (64 * 1024 + 8192)
    assert_cache_as_rebuilt()


CURATED = """\
schema_version = 2

[[sources]]
id = "mine"
title = "My figures"
kind = "dataset"
{records}
# the end
"""


def curated(i: int) -> str:
    """Record m{i}, written one of the ways a person writes TOML by hand."""
    rid = f"'m{i}'" if i % 3 == 2 else f'"m{i}"'
    note = ["", "# checked\n", "note = 'a # and [[exports]]'\n"][i % 3]
    if i == 1:
        note = 'note = """\nspans lines\n[[exports]]\nid = "m1"\n"""\n'
    return (
        f'\n[[exports]]\nid = {rid}\ncountry = "Land {i}"\nproduct = "glass"\nfy = 2020\n'
        f'{note}value = {i + 1}\nunit = "INR crore"\nqualifier = "exact"\nsource = "mine"\n'
    )


@pytest.mark.parametrize("change", [["remove"], ["rank", "deprecated"]])
@pytest.mark.parametrize("end", [60, 700, 1500])
@pytest.mark.parametrize("target", [0, 2, 7, 10, 11])
def test_in_place_by_the_end_of_the_file_as_by_the_whole_check(
    run, user_file, clean_env, monkeypatch, change, end, target
):
    """Whatever part of the file its last bytes hold (a record cut in two, a multi-line
    string, an id between ' quotes), the in-place remove and rank write what the whole
    check writes, and say the same."""
    import re

    from cover_glass_cli.store import inplace

    from .test_facts_quick import assert_no_half_change

    monkeypatch.setattr(inplace, "_END", end)
    text = CURATED.format(records="".join(curated(i) for i in range(12))).encode()
    user_file.parent.mkdir(parents=True, exist_ok=True)
    results = []
    for cached in (False, True):
        user_file.write_bytes(text)
        if cached:
            assert run("exports", "--json").exit_code == 0
        command = ["facts", change[0], f"m{target}", *change[1:]]
        said = run(*command, env={"CGCLI_NO_CACHE": "" if cached else "1"})
        stderr = re.sub(r"restore [0-9]+", "restore N", said.stderr)
        results.append((said.exit_code, stderr, user_file.read_bytes()))
    assert results[0] == results[1]
    assert results[0][0] == 0
    assert_no_half_change()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd")
def test_where_a_file_held_open_cannot_be_replaced_it_is_read_and_closed_first(
    run, user_file, clean_env, monkeypatch
):
    """Windows renames no file over one that is open: there the add reads the file whole
    and closes it before it writes, and writes the same bytes."""
    from cover_glass_cli.store import appending, writer

    before = settled_cache(run, user_file, 300)
    inode = user_file.stat().st_ino
    held: list[bool] = []
    real = writer.os.replace

    def replace(src: object, dst: object) -> None:
        fds = Path("/proc/self/fd").iterdir()
        held.append(any(os.stat(fd).st_ino == inode for fd in fds if fd.exists()))
        real(src, dst)

    monkeypatch.setattr(appending, "HELD_OPEN", False)
    with monkeypatch.context() as patched:
        patched.setattr(writer.os, "replace", replace)
        result = run(*ADD_LAND)
    assert result.exit_code == 0, result.output
    assert held == [False]
    assert user_file.read_bytes().startswith(before.rstrip(b"\n") + b'\n\n[[exports]]\nid = "new"')
    assert_cache_as_rebuilt()
