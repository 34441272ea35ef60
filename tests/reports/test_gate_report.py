"""The gate report: checks, worst rows, the unit summary, the stage's label from the registry."""

from __future__ import annotations

import pytest

from reports.gate_report import render_gate_report
from stages import registry
from tests.reports.fakes import make_gate


def test_gate_report_lists_checks_worst_rows_and_unit_summary(tmp_path):
    path = render_gate_report(make_gate(), tmp_path)
    assert path == tmp_path / "gerbang_year-end.html"
    html = path.read_text(encoding="utf-8")
    assert "Laporan Gerbang Mutu Data — year-end 2026" in html
    assert "GAGAL" in html and "1 pemeriksaan tidak memenuhi ambang" in html
    for text in ("pegawai.nip.format", "pegawai.csv", "great_expectations", "1.200", "300"):
        assert text in html
    assert "maks. 20% baris" in html and "12AB" in html and "bukan angka" in html
    assert "Ringkasan per Unit Kerja" in html and "66,67" in html and "Dinas Kesehatan" in html
    # a passing check with no example rows gets no worst-rows section
    assert "<h3>relasi.atasan" not in html


def test_gate_report_pass_banner_and_bad_tahap(tmp_path):
    gate = make_gate()
    gate.checks = gate.checks[1:]
    gate.ringkasan_unit = None
    html = render_gate_report(gate, tmp_path).read_text(encoding="utf-8")
    assert 'class="status lulus"' in html and "GAGAL" not in html
    gate.tahap = "../../etc"
    with pytest.raises(ValueError):
        render_gate_report(gate, tmp_path)


@pytest.mark.parametrize("tahap", [*registry.names(), "lain"])
def test_gate_report_names_the_stage_by_its_registry_label(tmp_path, tahap):
    gate = make_gate()
    gate.tahap = tahap
    html = render_gate_report(gate, tmp_path).read_text(encoding="utf-8")
    label = registry.get(tahap).label if tahap != "lain" else "lain"
    assert f"Tahap: {label} · Tahun 2026" in html
