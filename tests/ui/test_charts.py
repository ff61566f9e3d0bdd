"""The terminal chart's axis at any width."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize("width", [30, 40, 50, 60, 80, 100, 140])
def test_axis_labels_never_run_together(run, width):
    out = run("value-addition", "--chart", env={"COLUMNS": str(width)}).stdout.splitlines()
    (labels,) = [line for line in out if re.fullmatch(r"\s*0%.*100%", line)]
    marks = labels.split()
    assert marks[0] == "0%" and marks[-1] == "100%"
    assert all(re.fullmatch(r"(0|25|50|75|100)%", m) for m in marks)  # none glued together
    assert len(set(marks)) == len(marks)
    if width >= 80:
        assert marks == ["0%", "25%", "50%", "75%", "100%"]
