"""facts edit and the writes under it: never a traceback, never a lost edit, never a hang."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ADD_FY2024, cgcli_exe

NOKIA = '\n[[customers]]\nid = "c1"\nsupplier = "optiemus"\nname = "Nokia"\nsource = "jv-report"\n'


def editor(tmp_path: Path, body: str) -> str:
    """An EDITOR command running a Python script; the file to edit is sys.argv[1]."""
    script = tmp_path / "editor.py"
    script.write_text("import os, sys\np = sys.argv[1]\n" + body)
    return f"{sys.executable} {script}"


@pytest.fixture
def started(run, user_file):
    assert run("facts", "init").exit_code == 0
    return user_file.read_text()


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("os.unlink(p)\n", "no such file"),
        ("os.unlink(p); os.mkdir(p)\n", "directory"),
        ("os.unlink(p); os.mkfifo(p)\n", "not a regular file"),
        ("open(p, 'ab').write(b'\\n# caf\\xe9\\n')\n", "not UTF-8"),
        ("sys.exit(3)\n", "the editor failed"),
    ],
)
def test_an_editor_that_leaves_no_usable_file_is_a_clear_error(
    run, user_file, started, tmp_path, body, says
):
    result = run("facts", "edit", env={"EDITOR": editor(tmp_path, body)})
    assert result.exit_code == 1, result.output
    assert says in result.stderr and "Traceback" not in result.stderr
    assert user_file.read_text() == started
    assert not list(user_file.parent.glob(".facts.toml.edit-*"))  # its temp file is gone


def test_what_a_non_utf8_editor_wrote_is_kept(run, user_file, started, tmp_path):
    result = run(
        "facts", "edit", env={"EDITOR": editor(tmp_path, "open(p, 'ab').write(b'\\xe9')\n")}
    )
    assert result.exit_code == 1
    assert user_file.with_name("facts.toml.rejected").read_bytes().endswith(b"\xe9")


@pytest.mark.parametrize("value", ['nano "unclosed', "   ", "/no/such/editor"])
def test_an_editor_that_cannot_be_run_is_a_clear_error(run, started, value):
    result = run("facts", "edit", env={"EDITOR": value, "VISUAL": None})
    assert result.exit_code == 1 and "EDITOR" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_edit_past_the_size_limit_is_refused_and_kept(run, user_file, started, tmp_path):
    body = "open(p, 'a').write('# ' + 'x' * 50000 + '\\n')\n"
    env = {"EDITOR": editor(tmp_path, body), "CGCLI_MAX_FACTS_BYTES": "40000"}
    result = run("facts", "edit", env=env)
    assert result.exit_code == 1 and "over the 40,000-byte limit" in result.stderr
    assert user_file.read_text() == started  # the user is not locked out of every command
    assert "x" * 50000 in user_file.with_name("facts.toml.rejected").read_text()


def test_a_file_changed_during_the_edit_keeps_the_edit(run, user_file, started, tmp_path):
    body = (
        f"open(p, 'a').write({NOKIA!r})\nopen({str(user_file)!r}, 'a').write('# someone else\\n')\n"
    )
    result = run("facts", "edit", env={"EDITOR": editor(tmp_path, body)})
    assert result.exit_code == 1 and "changed while being updated" in result.stderr
    assert user_file.read_text().endswith("# someone else\n")
    assert "Nokia" in user_file.with_name("facts.toml.rejected").read_text()


def test_a_full_disk_keeps_the_edit(run, user_file, started, tmp_path, monkeypatch):
    from cover_glass_cli.store import writer

    real = writer.atomic_write

    def full(path, data, **options):
        if Path(path).name == "facts.toml":
            raise OSError(28, "No space left on device")
        return real(path, data, **options)

    monkeypatch.setattr(writer, "atomic_write", full)
    result = run(
        "facts", "edit", env={"EDITOR": editor(tmp_path, f"open(p, 'a').write({NOKIA!r})\n")}
    )
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert "Nokia" in user_file.with_name("facts.toml.rejected").read_text()
    assert user_file.read_text() == started


def test_a_symlinked_fact_file_is_written_through_the_link(run, user_file, tmp_path):
    dotfiles = tmp_path / "dotfiles" / "cgcli-facts.toml"
    dotfiles.parent.mkdir()
    assert run("facts", "init").exit_code == 0
    user_file.rename(dotfiles)
    user_file.symlink_to(dotfiles)
    assert run(*ADD_FY2024).exit_code == 0
    assert user_file.is_symlink() and "128000" in dotfiles.read_text()


def test_leftovers_of_killed_writes_and_edits_go_with_the_next_write(run, user_file, started):
    leftovers = [
        user_file.with_name(".facts.toml.a1b2c3.tmp"),
        user_file.with_name(f".facts.toml.edit-{os.getpid() + 1}.toml"),
    ]
    for leftover in leftovers:
        leftover.write_text("half a write")
    assert run(*ADD_FY2024).exit_code == 0
    assert not any(p.exists() for p in leftovers)


def test_a_writer_says_that_it_waits_for_another(user_file, clean_env):
    fcntl = pytest.importorskip("fcntl")  # how filelock locks on POSIX; Windows has none
    user_file.parent.mkdir(parents=True)
    lock = os.open(user_file.with_name("facts.toml.lock"), os.O_RDWR | os.O_CREAT)
    fcntl.flock(lock, fcntl.LOCK_EX)
    threading.Timer(1.0, lambda: os.close(lock)).start()
    started = time.monotonic()
    result = subprocess.run(
        [cgcli_exe(), *ADD_FY2024], capture_output=True, text=True, timeout=30, env={**os.environ}
    )
    assert result.returncode == 0, result.stderr
    assert "waiting for another cgcli" in result.stderr
    assert time.monotonic() - started >= 0.9
