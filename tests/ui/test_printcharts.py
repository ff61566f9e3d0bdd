"""Charts fit to print: real SVG and PNG files from the rows a command shows. The SVG is
read back as XML: its text must say what the figures mean (>, ≈, *, the source), quarters
must sit in a panel of their own, and no string from the data may break the file, run as
mathtext, or make the chart reach the network."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cover_glass_cli.domain.facts import Facts
from cover_glass_cli.domain.query import rows
from cover_glass_cli.store import bundled_path

pytest.importorskip("matplotlib")

from cover_glass_cli.ui.graph import one_line
from cover_glass_cli.ui.printcharts import ChartError, save_chart

SVG = "{http://www.w3.org/2000/svg}"
SOURCES = {
    "s1": {"id": "s1", "title": "Report on exports", "kind": "news report", "publisher": "A Daily"},
    "s2": {"id": "s2", "title": "Ministry statistics", "kind": "dataset"},
}


def facts_of(records: dict[str, list[dict[str, Any]]]) -> Facts:
    return Facts(["f.toml"], records, {k: [0] * len(v) for k, v in records.items()})


def bundled() -> Facts:
    data = tomllib.loads(bundled_path().read_text(encoding="utf-8"))
    return facts_of({k: v for k, v in data.items() if isinstance(v, list)})


def export(fy: int, value: float, qualifier: str = "exact", **more: Any) -> dict[str, Any]:
    record = {
        "id": f"e{fy}-{more.get('quarter', 0)}",
        "country": "India",
        "product": "mobile phones",
        "fy": fy,
        "value": value,
        "unit": "INR crore",
        "qualifier": qualifier,
        "source": "s1",
    }
    return record | more


def synthetic_exports() -> list[dict[str, Any]]:
    """Several years, a lower bound, an approximate and an inferred year, two quarters."""
    facts = facts_of(
        {
            "exports": [
                export(2020, 27000, "approximate"),
                export(2021, 300, unit="INR billion", source="s2"),
                export(2022, 45000),
                export(2023, 90000, "over", inferred=["fy"], note="Year taken from context."),
                export(2024, 30000, "over", quarter=1),
                export(2024, 35000, quarter=2),
            ]
        }
    )
    return rows(facts, "exports")


def value_rows(*countries: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"source": "s1", "unit": "percent", "id": f"v{i}"} | c for i, c in enumerate(countries)]


def saved_svg(
    tmp_path: Path, kind: str, chart_rows: list[dict[str, Any]], sources=None
) -> ET.Element:
    path = tmp_path / "chart.svg"
    save_chart(kind, chart_rows, str(path), fmt="svg", sources=sources or SOURCES)
    return ET.fromstring(path.read_bytes())  # fails unless the file is well-formed XML


def texts(element: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in element.iter(f"{SVG}text")]


def panels(svg: ET.Element) -> list[list[str]]:
    """The texts of each axes (chart panel), in order."""
    return [texts(g) for g in svg.iter(f"{SVG}g") if re.fullmatch(r"axes_\d+", g.get("id", ""))]


def test_bundled_exports_say_what_the_figures_mean(tmp_path):
    facts = bundled()
    report = [r for r in rows(facts, "exports") if r["source"] == "jv-report"]
    svg = saved_svg(tmp_path, "exports", report, facts.by_id("sources"))
    words = texts(svg)
    assert words, "text must stay text in the SVG"
    assert "> ₹90,000 crore" in words  # lower bound keeps its '>'
    assert "₹45,000 crore" in words
    source_title = facts.by_id("sources")["jv-report"]["title"]
    assert any(w.startswith("Source: ") and f"[{source_title}]" in w for w in words)
    full, quarters = panels(svg)
    assert "FY2022" in full and "FY2023" in full
    assert not any("Q1" in w for w in full)
    assert any(w.startswith("Q1 FY2024") and w.endswith("*") for w in quarters)  # inferred
    assert any(w.startswith("* ") and "inferred" in w for w in words)  # its footnote
    assert svg.find(f".//{SVG}pattern") is not None  # the inferred bar is hatched


def _x_limits(svg: ET.Element) -> list[float]:
    """The right end of each panel's value axis, read from its last tick label."""
    ends = []
    for panel in panels(svg):
        ticks = [w for w in panel if re.fullmatch(r"[\d,.]+", w)]
        ends.append(float(ticks[-1].replace(",", "")))
    return ends


def test_quarters_are_drawn_on_the_years_scale(tmp_path):
    """A quarter a third of a year's size must look a third of its size: one scale for
    both panels, the panels themselves the break (the issue: a scale of its own made the
    April-June quarter as long as a year three times its size)."""
    svg = saved_svg(tmp_path, "exports", synthetic_exports())
    years, quarters = _x_limits(svg)
    assert years == quarters


def test_a_png_is_300_dpi_and_opaque(tmp_path):
    from PIL import Image

    path = tmp_path / "chart.png"
    save_chart("exports", synthetic_exports(), str(path), fmt="png", sources=SOURCES)
    with Image.open(path) as image:
        assert image.mode == "RGB"  # no alpha channel: opaque, as print wants
        assert round(image.info["dpi"][0]) == 300
        assert image.width >= 2000  # 8 inches at 300 dpi, less the trimmed margin


def test_synthetic_exports_keep_quarters_apart_and_mark_every_qualifier(tmp_path):
    svg = saved_svg(tmp_path, "exports", synthetic_exports())
    full, quarters = panels(svg)
    assert {"FY2020", "FY2021", "FY2022", "FY2023 *"} <= set(full)
    assert any(w.startswith("Q1 FY2024") for w in quarters)
    assert any(w.startswith("Q2 FY2024") for w in quarters)
    assert "≈₹27,000 crore" in full
    assert "₹30,000 crore" in full  # 300 billion drawn on the same axis as crore
    assert "> ₹90,000 crore" in full and "> ₹30,000 crore" in quarters
    words = texts(svg)
    assert any(w.startswith("> ") and "lower bound" in w for w in words)
    assert any(w.startswith("≈ ") for w in words)
    source = next(w for w in words if w.startswith("Sources: "))
    assert "Report on exports" in source and "Ministry statistics" in source


def test_no_notes_for_marks_that_are_not_there(tmp_path):
    facts = facts_of({"exports": [export(2022, 10), export(2023, 20)]})
    svg = saved_svg(tmp_path, "exports", rows(facts, "exports"))
    words = texts(svg)
    assert len(panels(svg)) == 1  # no quarters, no quarter panel
    assert not any(w.startswith((">", "≈", "*")) for w in words)
    assert svg.find(f".//{SVG}pattern") is None
    assert [w for w in words if w.startswith("Source")] == [
        "Source: Report on exports (news report, A Daily)"
    ]


def test_value_addition_ranges_and_points_on_0_to_100(tmp_path):
    facts = bundled()
    svg = saved_svg(
        tmp_path, "value_addition", rows(facts, "value_addition"), facts.by_id("sources")
    )
    words = texts(svg)
    for text in ("≈15%", "20–22%", "30–33%", "50–52%", "0%", "100%", "India 2023", "China 2016"):
        assert text in words, text
    assert any(w.startswith("Sources: ") for w in words)
    # the titles keep to the sources' measure: no "share of the phone's value"
    assert not any("phone's value" in w for w in words)


HOSTILE = "X<&>\"'$x^2$"


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_hostile_names_are_text_not_markup_or_mathtext(tmp_path, fmt):
    chart_rows = value_rows(
        {"country": HOSTILE, "value": 40, "qualifier": "exact"},
        {"country": "bad \ufffe\uffff\x00\x1b[31m end", "low": 1, "high": 3, "qualifier": "range"},
        {"country": "$\\frac{1}{0}$ \\", "value": 60, "qualifier": "over"},
    )
    sources = {"s1": {"title": "$\\alpha$ <script>alert(1)</script> \ufffe"}}
    path = tmp_path / f"chart.{fmt}"
    save_chart("value_addition", chart_rows, str(path), fmt=fmt, sources=sources)
    if fmt == "png":
        assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        return
    svg = ET.fromstring(path.read_bytes())
    words = texts(svg)
    assert HOSTILE in words  # one text, characters as they are: no mathtext
    assert "$\\frac{1}{0}$ \\" in words
    assert "bad \ufffd\ufffd [31m end" in words  # what XML cannot carry is replaced
    assert "Source: $\\alpha$ <script>alert(1)</script> \ufffd" in words
    assert svg.find(f".//{SVG}script") is None


def test_data_in_the_title_is_not_mathtext_either(tmp_path):
    facts = facts_of({"exports": [export(2023, 5, country="$x^2$", product="a\\b")]})
    svg = saved_svg(tmp_path, "exports", rows(facts, "exports"))
    assert "$x^2$: exports of a\\b, by Indian fiscal year" in texts(svg)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.text(min_size=1, max_size=20), period=st.text(max_size=10))
def test_any_string_gives_a_well_formed_svg(tmp_path, name, period):
    chart_rows = synthetic_exports()
    chart_rows[0] = chart_rows[0] | {"country": name, "period": period}
    chart_rows[1] = chart_rows[1] | {"country": name, "inferred": [name], "note": name}
    svg = saved_svg(tmp_path, "exports", chart_rows, {"s1": {"title": name}})
    assert any(one_line(name) in w for w in texts(svg))


def test_the_svg_points_nowhere_and_nothing_is_fetched(tmp_path, monkeypatch):
    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a chart tried to open a socket")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    path = tmp_path / "chart.svg"
    save_chart("exports", synthetic_exports(), str(path), fmt="svg", sources=SOURCES)
    text = path.read_text(encoding="utf-8")
    assert "<!DOCTYPE" not in text and "@import" not in text and "<image" not in text
    namespaces = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert set(re.findall(r"https?://[^\"'\s)]+", text)) <= namespaces
    assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', text))
    assert "sans-serif" in text  # a generic family to fall back on


def test_same_chart_same_bytes(tmp_path):
    a, b = tmp_path / "a.svg", tmp_path / "b.svg"
    for path in (a, b):
        save_chart("exports", synthetic_exports(), str(path), fmt="svg", sources=SOURCES)
    assert a.read_bytes() == b.read_bytes()


def test_png_is_a_light_print_sized_picture(tmp_path):
    from PIL import Image, ImageStat

    path = tmp_path / "chart.png"
    save_chart("exports", synthetic_exports(), str(path), fmt="png", sources=SOURCES)
    with Image.open(path) as image:
        assert image.width >= 1400  # 8 inches at 200 dpi, trimmed to what is drawn
        grey = image.convert("L")
        assert ImageStat.Stat(grey).mean[0] > 200  # a light page, dark ink
        assert grey.getextrema()[0] < 60


def test_refusals(tmp_path, monkeypatch):
    out = str(tmp_path / "x.svg")
    with pytest.raises(ChartError, match="pdf"):
        save_chart("exports", synthetic_exports(), out, fmt="pdf", sources={})
    with pytest.raises(ChartError):
        save_chart("exports", [], out, fmt="svg", sources={})
    with pytest.raises(ChartError):
        save_chart("companies", [{"id": "x"}], out, fmt="svg", sources={})
    for name in [m for m in sys.modules if m.split(".")[0] == "matplotlib"]:
        monkeypatch.setitem(sys.modules, name, None)  # as if the extra were not installed
    with pytest.raises(ChartError, match=r"pip install matplotlib"):
        save_chart("exports", synthetic_exports(), out, fmt="svg", sources={})


def test_importing_the_module_does_not_import_matplotlib():
    code = "import sys, cover_glass_cli.ui.printcharts; print('matplotlib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
