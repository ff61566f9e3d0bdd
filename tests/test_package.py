"""A real package: the sdist and wheel carry the licence, the facts, the tests and the man
page; the committed man page is what tools/manpage.py makes from the help today; and (slow,
`pytest -m slow`) the unpacked sdist's own tests pass."""

from __future__ import annotations

import email.parser
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "tools"))
import manpage

from cover_glass_cli import __version__


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist and the wheel, built from this tree by hatchling, without a network."""
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-d", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return {"sdist": sdist, "wheel": wheel}


def sdist_names(sdist: Path) -> set[str]:
    with tarfile.open(sdist) as tar:
        return {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}


def test_sdist_carries_what_its_tests_and_readers_need(dists):
    names = sdist_names(dists["sdist"])
    for path in (
        "LICENSE",
        "README.md",
        "CHANGELOG.md",
        "facts.toml",
        "pyproject.toml",
        "man/cgcli.1",
        "tools/manpage.py",
        "tools/readme.py",
        ".ci/run",
        "tests/conftest.py",
        "tests/test_package.py",
        "tests/ui/test_printcharts.py",
        "src/cover_glass_cli/__init__.py",
        "src/cover_glass_cli/py.typed",
    ):
        assert path in names, path
    top = {n.split("/")[0] for n in names}
    allowed = {"src", "tests", "benchmarks", "tools", "man", "docs", ".ci", ".gitignore"}
    allowed |= {"README.md", "CHANGELOG.md", "LICENSE", "facts.toml", "pyproject.toml", "PKG-INFO"}
    assert top <= allowed, top - allowed  # no venvs, caches or build output
    assert not any("__pycache__" in n for n in names)
    license_text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert (
        license_text.startswith("MIT License")
        and "Copyright (c) 2026 the cgcli authors" in license_text
    )


def test_wheel_carries_the_licence_facts_and_man_page(dists):
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        names = set(wheel.namelist())
        dist_info = f"cover_glass_cli-{__version__}.dist-info"
        assert "cover_glass_cli/facts.toml" in names
        assert f"{dist_info}/licenses/LICENSE" in names
        assert f"cover_glass_cli-{__version__}.data/data/share/man/man1/cgcli.1" in names
        metadata = email.parser.Parser().parsestr(wheel.read(f"{dist_info}/METADATA").decode())
    assert metadata["License-Expression"] == "MIT"
    assert metadata["License-File"] == "LICENSE"
    assert "charts" in metadata.get_all("Provides-Extra")
    assert any(
        r.startswith("matplotlib") and 'extra == "charts"' in r.replace("'", '"')
        for r in metadata.get_all("Requires-Dist")
    )
    classifiers = metadata.get_all("Classifier")
    assert "Programming Language :: Python :: 3.11" in classifiers
    assert not any(c.startswith("License ::") for c in classifiers)  # PEP 639: `license` says it
    assert "cover glass" in metadata["Keywords"]
    assert metadata.get_all("Project-URL") is None  # no home yet: no made-up URLs


def test_committed_man_page_is_what_the_help_makes_now():
    assert manpage.PAGE.read_text(encoding="utf-8") == manpage.render(), (
        "man/cgcli.1 is out of date: run python tools/manpage.py"
    )


def test_man_page_names_every_command_and_option():
    from cover_glass_cli.cli import COMMANDS

    page = manpage.render()
    for name in COMMANDS:
        assert f"\n.SS {manpage.roff(name)}\n" in page, name
    assert "\n.B \\-\\-save\\-svg FILE\n" in page  # an option, its hyphens escaped


def test_roff_escaping_keeps_help_text_from_becoming_requests():
    text = manpage.roff(".so /etc/passwd\n'br\nback\\slash -x")
    assert text.split("\n") == ["\\&.so /etc/passwd", "\\&'br", "back\\eslash \\-x"]


@pytest.mark.skipif(shutil.which("groff") is None, reason="groff not installed")
def test_man_page_formats_without_a_warning():
    done = subprocess.run(
        ["groff", "-man", "-Tutf8", "-ww", "-z", str(manpage.PAGE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr


@pytest.mark.slow
def test_the_unpacked_sdist_builds_and_its_tests_pass(dists, tmp_path):
    """The sdist is complete: a wheel builds from it, and its own test suite passes
    against that wheel (put ahead of the installed package on PYTHONPATH)."""
    with tarfile.open(dists["sdist"]) as tar:
        tar.extractall(tmp_path, filter="data")
    (root,) = tmp_path.iterdir()
    target = tmp_path / "site"
    wheel_dir = tmp_path / "wheel"
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(wheel_dir)],
        cwd=root,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = wheel_dir.glob("*.whl")
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(target)  # a wheel is a zip of the files pip would place
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    probe = "import cover_glass_cli; print(cover_glass_cli.__file__)"
    where = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert where.stdout.startswith(str(target))  # the suite ran against the sdist's code
