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


def test_export_is_the_same_bytes_from_the_cache_as_from_a_parse(run, tmp_path):
    """Fields written out of their declared order: the first run parses the file, the
    second answers from the cache, whose rows hold the fields in declared order."""
    from conftest import write_facts

    path = write_facts(
        tmp_path / "shuffled.toml",
        """
        [[sources]]
        kind = "test"
        url = "https://example.org/a"
        id = "src"
        title = "A test source"

        [[exports]]
        source = "src"
        qualifier = "exact"
        unit = "INR crore"
        value = 10
        fy = 2023
        product = "phones"
        country = "India"
        id = "e1"
        """,
        version=2,
    )
    for fmt in ("json", "toml"):
        parsed = run("--facts", str(path), "--no-cache", "export", "--format", fmt)
        first = run("--facts", str(path), "export", "--format", fmt)
        cached = run("--facts", str(path), "export", "--format", fmt)
        assert parsed.exit_code == first.exit_code == cached.exit_code == 0, cached.stderr
        assert parsed.stdout == first.stdout == cached.stdout
    source = run.json("--facts", str(path), "export")["sources"][0]
    assert list(source) == ["id", "title", "kind", "url"]  # `cgcli fields sources`'s order
    exported = tmp_path / "exported.toml"
    exported.write_text(cached.stdout, encoding="utf-8")
    again = run("--facts", str(exported), "--no-cache", "export", "--format", "toml")
    assert again.stdout == cached.stdout
