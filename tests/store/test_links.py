"""Issue 21, defects 1-6: no write or read through a link or onto a special file. Links
and FIFOs are made inside the test's own temporary folder, never at a real device."""

from __future__ import annotations

import json
import os
import sys
import tomllib

import pytest
from conftest import ADD_FY2024

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and symlinks")


@pytest.fixture
def started(run, user_file):
    assert run("facts", "init").exit_code == 0
    assert run(*ADD_FY2024).exit_code == 0  # backup 1 exists
    return user_file.read_bytes()


def test_1_restore_refuses_a_fact_file_linked_to_a_special_file(run, user_file, started, tmp_path):
    fifo = tmp_path / "node"
    os.mkfifo(fifo)
    user_file.unlink()
    user_file.symlink_to(fifo)
    result = run("facts", "restore", "1")
    assert result.exit_code == 1
    assert "not a regular file" in result.stderr
    assert user_file.is_symlink() and os.path.realpath(user_file) == str(fifo)
    assert not fifo.is_file()  # still a FIFO: nothing replaced it


def test_2_a_rejected_edit_never_goes_to_a_guessable_name_in_the_temp_folder(
    run, user_file, started, tmp_path, monkeypatch
):
    import tempfile

    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("mine")
    (shared / "facts.toml.rejected").symlink_to(victim)
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    folder = user_file.parent
    (folder / "facts.toml.rejected").mkdir()  # cannot be kept beside the file
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "nowhere-writable"))
    (tmp_path / "nowhere-writable").write_text("a file in the way of the folder")
    script = tmp_path / "ed.py"
    script.write_text("import sys\nopen(sys.argv[1], 'a').write('\\n[[customers]]\\nid = 5\\n')\n")
    result = run(
        "facts", "edit", "--to", str(user_file), env={"EDITOR": f"{sys.executable} {script}"}
    )
    assert result.exit_code == 1
    assert victim.read_text() == "mine"
    kept = [p for p in shared.iterdir() if p.name != "facts.toml.rejected"]
    assert len(kept) == 1 and "id = 5" in kept[0].read_text()
    assert str(kept[0]) in result.stderr


def test_3_a_rejected_edit_is_not_written_through_a_link_beside_the_file(
    run, user_file, started, tmp_path
):
    victim = tmp_path / "victim.txt"
    victim.write_text("mine")
    user_file.with_name("facts.toml.rejected").symlink_to(victim)
    script = tmp_path / "ed.py"
    script.write_text("import sys\nopen(sys.argv[1], 'a').write('\\n[[customers]]\\nid = 5\\n')\n")
    result = run("facts", "edit", env={"EDITOR": f"{sys.executable} {script}"})
    assert result.exit_code == 1
    assert victim.read_text() == "mine"
    assert "symbolic link" in result.stderr  # said so
    assert user_file.with_name("facts.toml.rejected").is_symlink()  # replaced, not followed
    kept = [p for p in user_file.parent.iterdir() if p.name.startswith("facts.toml.rejected.")]
    assert len(kept) == 1 and "id = 5" in kept[0].read_text()


def test_4_the_editor_copy_is_new_and_leftover_links_are_cleaned(run, user_file, started, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("mine")
    planted = user_file.with_name(f".facts.toml.edit-{os.getpid() + 1}.toml")
    planted.symlink_to(victim)
    script = tmp_path / "ed.py"
    script.write_text("import sys\nprint(sys.argv[1])\n")
    result = run("facts", "edit", env={"EDITOR": f"{sys.executable} {script}"})
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "mine"
    assert not planted.is_symlink()  # the leftover link went with the write's lock
    assert victim.exists()


def test_5_a_link_at_the_lock_is_refused_not_followed(run, user_file, started, tmp_path):
    target = tmp_path / "created-by-the-link"
    user_file.with_name("facts.toml.lock").unlink(missing_ok=True)
    user_file.with_name("facts.toml.lock").symlink_to(target)
    result = run(*ADD_FY2024[:3], "fy=2011", "value=1", "unit=crore", "source=jv-report")
    assert result.exit_code == 1
    assert "symbolic link" in result.stderr
    assert not target.exists()
    assert user_file.read_bytes() == started


def test_6_restore_copies_only_a_regular_backup(run, user_file, started, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the user's secret")
    backup = user_file.with_name("facts.toml.bak.1")
    backup.unlink()
    backup.symlink_to(secret)
    result = run("facts", "restore", "1")
    assert result.exit_code == 1 and "symbolic link" in result.stderr
    assert user_file.read_bytes() == started


def test_backups_lists_no_link(run, user_file, started, tmp_path):
    backup = user_file.with_name("facts.toml.bak.1")
    backup.unlink()
    backup.symlink_to(tmp_path / "elsewhere")
    result = run("facts", "backups", "--json")
    assert json.loads(result.stdout) == []


def test_remove_takes_a_record_out_with_a_backup(run, user_file, started):
    result = run("facts", "remove", "exports-fy2024")
    assert result.exit_code == 0, result.output
    assert "exports" not in tomllib.loads(user_file.read_text())
    assert "restore 2" in result.stderr
    assert b"exports-fy2024" in user_file.with_name("facts.toml.bak.2").read_bytes()
    backups = json.loads(run("facts", "backups", "--json").stdout)
    assert backups[0]["command"] == "facts remove exports:exports-fy2024"
    assert run("facts", "restore", "2").exit_code == 0
    assert user_file.read_bytes() == started


def test_remove_refuses_a_bundled_record_and_says_what_to_do(run, user_file, started):
    result = run("facts", "remove", "optiemus")
    assert result.exit_code == 1
    assert "only records of your own file" in result.stderr
    assert user_file.read_bytes() == started
    assert run("facts", "remove", "no-such-id").exit_code == 1


def test_remove_of_an_override_says_the_bundled_record_is_back(run, user_file):
    assert run("facts", "rank", "exports-fy2023", "deprecated").exit_code == 0
    result = run("facts", "remove", "exports-fy2023")
    assert result.exit_code == 0, result.output
    assert "in use again" in result.stderr


def test_add_before_the_file_exists_cites_no_line_of_it(run, user_file):
    result = run("facts", "add", "customers", "id=c1", "supplier=optiemus", "name=X", "source=nope")
    assert result.exit_code == 1
    assert not user_file.exists()
    assert f"{user_file}:" not in result.stderr.replace(f"{user_file} (to be created)", "")
