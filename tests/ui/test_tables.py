"""How a listing fits the terminal: a boxed table, else a compact one, else one block of
aligned label/value lines per record; never a value cut."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st


def _periods(out: str) -> list[str]:
    return re.findall(r"^(FY\d{4}|Q\d FY\d{4})\b", out, re.M)


def test_eighty_columns_keep_the_exports_table(run):
    """The commonest terminal width shows the main listing as a table, not as blocks."""
    wide = run("exports", env={"COLUMNS": "200"}).stdout
    result = run("exports", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    out = result.stdout
    header = next(line for line in out.splitlines() if "Period" in line)
    assert "Exports" in header and "Source" in header  # one header row: a table
    assert "│" not in out and "┃" not in out  # compact: no rules between columns
    assert max(len(line.rstrip()) for line in out.splitlines()) <= 80
    assert _periods(out) == re.findall(r"(?<=│ )(FY\d{4}|Q\d FY\d{4})\b", wide)
    assert "₹1,29,000 crore" in out and "…" not in out  # figures whole


def test_a_table_that_fits_is_still_boxed(run):
    out = run("exports", env={"COLUMNS": "200"}).stdout
    assert "┃ Period" in out


@pytest.fixture
def blocks(run):
    """`sites` at 60 columns: too wide for any table, so one block per site."""
    result = run("sites", env={"COLUMNS": "60"})
    assert result.exit_code == 0
    return result.stdout.splitlines()[1:]


def test_blocks_align_their_values_and_leave_no_trailing_space(blocks):
    labels = ("ID", "Operator", "Country", "City", "Status", "Source")
    starts = set()
    for line in blocks:
        assert line == line.rstrip(), repr(line)
        label = line.split(" ", 1)[0]
        if label in labels and line != label:
            starts.add(len(line) - len(line[len(label) :].lstrip()))
    assert starts == {len("Operator") + 2}, starts  # every value in one column


def test_a_wrapped_value_continues_under_itself(run):
    out = run("companies", env={"COLUMNS": "40"}).stdout.splitlines()
    at = next(i for i, line in enumerate(out) if line.startswith("Business"))
    column = len(out[at]) - len(out[at][len("Business") :].lstrip())
    assert out[at + 1].startswith(" " * column) and out[at + 1][column] != " "
    assert all(len(line) <= 40 for line in out if " " in line.strip())


def test_too_narrow_to_align_puts_each_value_under_its_label(run):
    out = run("companies", env={"COLUMNS": "20"}).stdout.splitlines()
    at = out.index("ID")
    assert out[at + 1] == "  optiemus"


def test_an_indented_note_keeps_its_indent_on_a_narrow_terminal(run):
    out = run("exports", "--all-claims", env={"COLUMNS": "40"}).stdout.splitlines()
    sub = [line for line in out if line.lstrip().startswith("exports-fy2022-moneycontrol")]
    assert sub and all(line.startswith("  ") for line in sub if line.endswith(":"))


_words = st.text(
    alphabet=st.sampled_from("ab漢字ｱ-,."), min_size=1, max_size=12
)  # narrow letters, wide ones, half-width katakana


@given(
    words=st.lists(_words, max_size=30),
    indent=st.integers(0, 4),
    width=st.integers(1, 50),
)
def test_wrapping_counts_terminal_cells_and_never_breaks_a_word(words, indent, width):
    from rich.cells import cell_len

    from cover_glass_cli.ui.tables import _wrap

    lines = _wrap(" " * indent + " ".join(words), width)
    assert " ".join(" ".join(lines).split()) == " ".join(words)  # every word, in order, whole
    for line in lines:
        assert cell_len(line) <= width or len(line.split()) == 1  # only a lone word overflows
    if words:
        assert lines[0].startswith(" " * indent) and not lines[0].startswith(" " * (indent + 1))


def test_blocks_put_a_long_id_under_its_label_rather_than_past_the_edge(run):
    out = run("exports", "--fields", "id,value,note", env={"COLUMNS": "40"}).stdout
    for line in out.splitlines():
        assert len(line) <= 40 or len(line.split()) == 1, line  # only a lone word may overflow
    assert "  exports-fy2015-newsdrum-2024-03-07" in out.splitlines()
