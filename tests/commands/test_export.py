"""cgcli export: the whole dataset as JSON or TOML, and back again."""

from __future__ import annotations

from conftest import KINDS


def test_export_json_holds_every_kind(run):
    data = run.json("export", "--format", "json")
    assert data["schema_version"] == 2
    assert set(data) == {"schema_version", *KINDS}


def test_export_toml_round_trips(run, tmp_path):
    import tomllib

    result = run("export", "--format", "toml")
    assert result.exit_code == 0
    path = tmp_path / "exported.toml"
    path.write_text(result.stdout)
    assert run("validate", "--alone", str(path)).exit_code == 0
    assert run.json("--facts", str(path), "export") == run.json("export")
    assert tomllib.loads(result.stdout)["schema_version"] == 2


def test_round_trip_export_validate_reload(run, tmp_path):
    exported = tmp_path / "all.toml"
    exported.write_text(run("export", "--format", "toml").stdout)
    assert run("validate", "--alone", str(exported)).exit_code == 0
    assert run.json("--facts", str(exported), "export", "--format", "json") == run.json("export")
