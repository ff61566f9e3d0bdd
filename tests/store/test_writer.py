"""store/writer.py through `cgcli facts add`: atomic replace, the lock, failures that change nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import tomllib

import pytest
from conftest import ADD_FY2024, cgcli_exe


def test_write_failure_leaves_the_file_as_it_was(run, user_file, disk_full):
    run("facts", "init")
    before = user_file.read_text()
    disk_full()
    result = run(*ADD_FY2024)
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr and "unchanged" in result.stderr
    assert user_file.read_text() == before
    assert [p.name for p in user_file.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_read_only_folder_gives_a_clear_error(run, user_file, monkeypatch):
    from cover_glass_cli.store import writer

    run("facts", "init")
    before = user_file.read_text()

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(writer, "create_exclusive", denied)
    result = run(*ADD_FY2024)
    assert result.exit_code == 1 and "Permission denied" in result.stderr
    assert user_file.read_text() == before


def test_twenty_concurrent_adds_leave_twenty_records(user_file):
    env = {
        "XDG_DATA_HOME": os.environ["XDG_DATA_HOME"],
        "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"],
    }
    full_env = {**os.environ, **env}
    procs = [
        subprocess.Popen(
            [
                cgcli_exe(),
                "facts",
                "add",
                "customers",
                f"id=c{i}",
                "supplier=optiemus",
                f"name=Brand {i}",
                "source=jv-report",
            ],
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i in range(20)
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    data = tomllib.loads(user_file.read_text())
    assert sorted(c["id"] for c in data["customers"]) == sorted(f"c{i}" for i in range(20))


KILLABLE = """
import sys, time
import cover_glass_cli.store.writer as w
real = w.os.replace
delay = float(sys.argv[1])
def slow_replace(a, b):
    print("about to replace", flush=True)
    time.sleep(delay)
    real(a, b)
w.os.replace = slow_replace
from cover_glass_cli.cli import main
sys.argv = ["cgcli", *sys.argv[2:]]
main()
"""


def test_sigkill_mid_write_leaves_old_or_new_never_a_mix(run, user_file, tmp_path):
    run("facts", "init")
    old = user_file.read_text()
    script = tmp_path / "killable.py"
    script.write_text(KILLABLE)
    env = {**os.environ}
    # Killed at the hook point, just before the rename: the old file stands.
    proc = subprocess.Popen(
        [sys.executable, str(script), "30", *ADD_FY2024],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "about to replace"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert user_file.read_text() == old
    # Killed at random moments of a whole run: always a whole file, old or new.
    written = 0
    for n, delay in enumerate((0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.6, 0.8, 1.0, 2.0)):
        proc = subprocess.Popen(
            [
                sys.executable,
                str(script),
                "0",
                "facts",
                "add",
                "customers",
                f"id=k{n}",
                "supplier=optiemus",
                "name=K",
                "source=jv-report",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(delay)
        proc.kill()
        proc.wait(timeout=10)
        text = user_file.read_text()
        data = tomllib.loads(text)  # parses: never a torn file
        assert text.startswith(old.rstrip("\n"))
        ids = [c["id"] for c in data.get("customers", [])]
        assert ids == [f"k{i}" for i in range(n + 1) if f"k{i}" in ids]  # whole records only
        written = len(ids)
    assert written >= 1  # the slowest runs finished: the loop did exercise real writes


def test_atomic_write_of_parts_writes_them_joined_and_keeps_a_backup(tmp_path):
    from cover_glass_cli.store import writer

    path = tmp_path / "facts.toml"
    path.write_bytes(b"old\n")
    writer.atomic_write(path, [b"schema", memoryview(b"_version = 1\n"), b""], command="t")
    assert path.read_bytes() == b"schema_version = 1\n"
    assert writer.backup_path(path, 1).read_bytes() == b"old\n"
    assert not list(tmp_path.glob(".facts.toml.*.tmp"))


def spanned(tmp_path, data: bytes):
    """A file holding DATA, open, and a Span of all but its last 10 bytes."""
    from cover_glass_cli.store import writer

    source = tmp_path / "old.toml"
    source.write_bytes(data)
    fd = os.open(source, os.O_RDONLY)
    return fd, writer.Span(fd, len(data) - 10, os.fstat(fd))


def test_a_span_copied_in_part_by_the_kernel_is_finished_by_read_and_write(tmp_path, monkeypatch):
    """The kernel copies a first piece, then refuses (EXDEV): the rest is read and written
    from where it stopped, and the file is the same as copied whole."""
    import errno

    from cover_glass_cli.store import writer

    data = bytes(range(256)) * 5000
    fd, span = spanned(tmp_path, data)
    pieces: list[int] = []
    real = getattr(os, "copy_file_range", None)

    def copy(src: int, dst: int, count: int, offset_src: int | None = None) -> int:
        if pieces or real is None:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        pieces.append(real(src, dst, min(count, 4099), offset_src))
        return pieces[-1]

    monkeypatch.setattr(os, "copy_file_range", copy, raising=False)
    path = tmp_path / "facts.toml"
    try:
        writer.atomic_write(path, [span, b"new"], backup=False)
    finally:
        os.close(fd)
    assert path.read_bytes() == data[:-10] + b"new"
    assert real is None or pieces == [4099]


@pytest.mark.parametrize("how", ["shorter", "touched"])
def test_a_span_of_a_file_changed_since_is_not_written(tmp_path, how):
    """A source shorter than its span, or changed at all since its status was taken:
    OSError, nothing replaced, no temporary left."""
    from cover_glass_cli.store import writer

    data = b"x = 1\n" * 1000
    fd, span = spanned(tmp_path, data)
    source = tmp_path / "old.toml"
    if how == "shorter":
        os.truncate(source, 100)
    else:
        source.write_bytes(data.replace(b"1", b"2"))  # the same size, in place
        then = span.st.st_mtime_ns + 2_000_000_000  # later, where times are whole seconds too
        os.utime(source, ns=(then, then))
    path = tmp_path / "facts.toml"
    path.write_bytes(b"mine\n")
    try:
        with pytest.raises(OSError, match="changed while being copied"):
            writer.atomic_write(path, [span, b"new"])
    finally:
        os.close(fd)
    assert path.read_bytes() == b"mine\n"
    assert not list(tmp_path.glob(".facts.toml.*.tmp"))
    assert writer.backup_numbers(path) == []


def test_a_kernel_that_copies_nothing_leaves_the_copy_to_read_and_write(tmp_path, monkeypatch):
    """os.copy_file_range answering 0 bytes before the end (some file systems do, for
    files they cannot copy): the bytes are read and written instead, the same file."""
    from cover_glass_cli.store import writer

    data = b"x = 1\n" * 3000
    fd, span = spanned(tmp_path, data)
    monkeypatch.setattr(os, "copy_file_range", lambda *a: 0, raising=False)
    path = tmp_path / "facts.toml"
    try:
        writer.atomic_write(path, [b"# first\n", span, b"new"], backup=False)
    finally:
        os.close(fd)
    assert path.read_bytes() == b"# first\n" + data[:-10] + b"new"
