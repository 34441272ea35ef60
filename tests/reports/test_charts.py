"""Inline SVG charts: valid SVG, escaped labels, a note when there is no data."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from reports.charts import bar_chart, grouped_bar_chart, line_chart
from tests.reports.fakes import XSS


def test_charts_are_valid_inline_svg_with_escaped_labels():
    charts = [
        bar_chart(["a", XSS], [3, 1.5], judul="Batang"),
        bar_chart(["< 70", "≥ 110"], [0, 4], judul="Vertikal", arah="vertikal"),
        grouped_bar_chart(["Baik", XSS], [("Sebelum", [2, 1]), ("Sesudah", [1, 1])], judul="G"),
        line_chart(["2026-01", "2026-02", "2026-03"], [80.0, None, 85.5], judul=f"IKM{XSS}"),
    ]
    for svg in charts:
        assert "<script" not in svg
        root = ET.fromstring(str(svg))
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "&lt;script&gt;" in charts[0] and "1,50" in charts[0]
    assert charts[3].count("<circle") == 2  # the missing month is a gap, not a zero
    assert bar_chart(["a"], [1], judul="x") == bar_chart(["a"], [1], judul="x")


def test_charts_without_data_say_so_and_bad_input_is_refused():
    assert "tidak ada data" in bar_chart([], [], judul="Kosong")
    assert "tidak ada data" in line_chart(["a"], [None], judul="Kosong")
    with pytest.raises(ValueError):
        grouped_bar_chart(["a", "b"], [("s", [1])], judul="x")
    with pytest.raises(ValueError):
        bar_chart(["a"], [1], judul="x", arah="diagonal")
