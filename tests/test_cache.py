"""The parsed-facts cache: always fresh, never trusted blindly, never required."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import EXPORT, SOURCE, cgcli_exe, write_facts

COMPANY = """
[[companies]]
id = "acme"
name = "{name}"
business = "glass"
source = "src"
"""


def cache_files(env_dir: Path) -> list[Path]:
    """The cache folders (one per version of the fact files in use)."""
    folder = env_dir / "cache" / "cgcli"
    return sorted(folder.glob("facts-*")) if folder.exists() else []


def cached_names(folder: Path) -> list[str]:
    return [
        c["name"] for c in json.loads((folder / "kinds.json").read_text())["companies"]["records"]
    ]


def names(run, path) -> list[str]:
    return [c["name"] for c in run.json("--facts", str(path), "companies", "--json")]


def test_first_use_writes_a_cache_that_later_runs_use(run, clean_env, tmp_path, monkeypatch):
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    assert names(run, path) == ["Acme"]
    (cache,) = cache_files(clean_env)
    assert cached_names(cache) == ["Acme"]
    from cover_glass_cli.store import reading as loader

    def no_parse(*args, **kwargs):
        raise AssertionError("read the file although the cache is fresh")

    monkeypatch.setattr(loader, "parse", no_parse)
    monkeypatch.setattr(loader, "stream", no_parse)
    assert names(run, path) == ["Acme"]


def test_edit_within_the_same_timestamp_and_size_is_seen(run, tmp_path):
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    assert names(run, path) == ["Acme"]
    st = path.stat()
    write_facts(path, SOURCE + COMPANY.format(name="Acmf"))  # same size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same mtime, to the nanosecond
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    assert names(run, path) == ["Acmf"]


def test_changed_file_is_reparsed_and_revalidated(run, tmp_path):
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    assert names(run, path) == ["Acme"]
    write_facts(path, SOURCE + COMPANY.format(name="Acme").replace('business = "glass"\n', ""))
    result = run("--facts", str(path), "companies")
    assert result.exit_code == 3 and "business: missing" in result.stderr


def test_corrupt_or_truncated_cache_is_ignored_and_rebuilt(run, clean_env, tmp_path):
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme") + EXPORT)
    expected = run.json("--facts", str(path), "exports", "--fy", "2023", "--json")
    (cache,) = cache_files(clean_env)
    for part in ("meta.json", "kinds.json", "exports-2023.json"):
        good = (cache / part).read_text()
        for bad in (good[: len(good) // 2], "\x00\xff garbage", "[]", '{"key": 1}', "{}", "", None):
            if bad is None:
                (cache / part).unlink()
            else:
                (cache / part).write_text(bad)
            # the answer is right whatever the cache holds ...
            assert run.json("--facts", str(path), "exports", "--fy", "2023", "--json") == expected
            assert names(run, path) == ["Acme"]
            # ... and the cache is whole again afterwards
            assert (cache / part).read_text() == good, (part, bad)


def test_cache_of_another_file_version_is_not_used(run, clean_env, tmp_path):
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    names(run, path)
    (cache,) = cache_files(clean_env)
    kinds = json.loads((cache / "kinds.json").read_text())
    kinds["companies"]["records"][0]["name"] = "Forged"
    (cache / "kinds.json").write_text(json.dumps(kinds))
    meta = json.loads((cache / "meta.json").read_text())
    meta["key"] = meta["key"].replace("f.toml", "other.toml")
    (cache / "meta.json").write_text(json.dumps(meta))
    assert names(run, path) == ["Acme"]


def test_unwritable_cache_folder_only_costs_speed(run, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    result = run("--facts", str(path), "companies", "--json", env={"XDG_CACHE_HOME": str(blocker)})
    assert result.exit_code == 0 and json.loads(result.stdout)[0]["name"] == "Acme"
    assert result.stderr == ""


def test_no_cache_flag_and_env(run, clean_env, tmp_path):
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    assert run("--no-cache", "--facts", str(path), "companies").exit_code == 0
    assert run("--facts", str(path), "companies", env={"CGCLI_NO_CACHE": "1"}).exit_code == 0
    assert cache_files(clean_env) == []


def test_concurrent_first_use(clean_env, tmp_path):
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    env = {**os.environ}
    procs = [
        subprocess.Popen(
            [cgcli_exe(), "--facts", str(path), "companies", "--json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(10)
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert {out for out, _ in outputs} == {outputs[0][0]}
    assert all(err == "" for _, err in outputs)
    (cache,) = cache_files(clean_env)
    assert cached_names(cache) == ["Acme"]
    assert not list(cache.parent.glob(".facts-*"))  # no half-written folder left behind


def test_a_file_name_that_is_not_utf8_is_cached_too(run, clean_env, tmp_path, monkeypatch):
    """A Linux file name may be any bytes: argv carries them as lone surrogates."""
    path = tmp_path / os.fsdecode(b"caf\xe9.toml")  # Latin-1, not UTF-8
    write_facts(path, SOURCE + COMPANY.format(name="Acme"))
    assert names(run, path) == ["Acme"]
    assert len(cache_files(clean_env)) == 1
    from cover_glass_cli.store import reading as loader

    monkeypatch.setattr(loader, "stream", lambda *a: pytest.fail("cache not used"))
    assert names(run, path) == ["Acme"]


def test_a_file_read_whole_leaves_no_half_written_folder(run, clean_env, tmp_path):
    """A problem to explain stops the stream half way: its folder goes, the message stays."""
    bad = COMPANY.format(name="Acme").replace('source = "src"', 'source = "nowhere"')
    path = write_facts(tmp_path / "f.toml", SOURCE + EXPORT + bad)
    result = run("--facts", str(path), "companies")
    assert result.exit_code == 3 and "no sources record has id 'nowhere'" in result.stderr
    assert f"{path}:" in result.stderr  # FILE:LINE from the whole-file path
    assert not list((clean_env / "cache" / "cgcli").glob(".facts-*"))
