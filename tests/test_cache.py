"""The parsed-facts cache: always fresh, never trusted blindly, never required."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from conftest import SOURCE, cgcli_exe, write_facts

COMPANY = """
[[companies]]
id = "acme"
name = "{name}"
business = "glass"
source = "src"
"""


def cache_files(env_dir: Path) -> list[Path]:
    folder = env_dir / "cache" / "cgcli"
    return sorted(folder.glob("facts-*.json")) if folder.exists() else []


def names(run, path) -> list[str]:
    return [c["name"] for c in run.json("--facts", str(path), "companies", "--json")]


def test_first_use_writes_a_cache_that_later_runs_use(run, clean_env, tmp_path, monkeypatch):
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    assert names(run, path) == ["Acme"]
    (cache,) = cache_files(clean_env)
    assert json.loads(cache.read_text())["records"]["companies"][0]["name"] == "Acme"
    from cover_glass_cli import store

    def no_parse(*args, **kwargs):
        raise AssertionError("parsed although the cache is fresh")

    monkeypatch.setattr(store, "parse", no_parse)
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
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    names(run, path)
    (cache,) = cache_files(clean_env)
    good = cache.read_text()
    for bad in (good[: len(good) // 2], "\x00\xff garbage", "[]", '{"key": 1}', "{}", ""):
        cache.write_text(bad)
        assert names(run, path) == ["Acme"]
        assert json.loads(cache.read_text())["key"] == json.loads(good)["key"]


def test_cache_of_another_file_version_is_not_used(run, clean_env, tmp_path):
    path = write_facts(tmp_path / "f.toml", SOURCE + COMPANY.format(name="Acme"))
    names(run, path)
    (cache,) = cache_files(clean_env)
    data = json.loads(cache.read_text())
    data["records"]["companies"][0]["name"] = "Forged"
    data["key"] = data["key"].replace("f.toml", "other.toml")
    cache.write_text(json.dumps(data))
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
    assert json.loads(cache.read_text())["records"]["companies"][0]["name"] == "Acme"
    assert not list(cache.parent.glob("*.tmp"))
