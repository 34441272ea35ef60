"""The gate report: checks, worst rows, the unit summary, the stage's label from the registry."""

from __future__ import annotations

import re

import pytest

from expectations.results import GateCheck, GateResult
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


def _check(kode: str, lulus: bool, gagal: int, **teks) -> GateCheck:
    contoh = [{"baris": 10 + i, "kolom": "kode_unit", "nilai": f"{kode}-U{i}"} for i in range(gagal)]
    return GateCheck(kode=kode, berkas="unit_kerja.csv", deskripsi=f"deskripsi {kode}", sumber="relasional",
                     lulus=lulus, diperiksa=50, gagal=gagal, ambang="tidak boleh ada", contoh=contoh, **teks)


def test_failing_checks_come_first_with_their_worst_rows_and_how_to_fix_them(tmp_path):
    checks = [
        _check("a.lulus", True, 0),
        _check("b.peringatan", True, 1),
        _check("c.gagal", False, 2, description="staffed units have a predikat",
               perbaikan="isi predikat_organisasi untuk unit U1, U2 di unit_kerja.csv lalu jalankan ulang "
               "tahap",
               fix="fill in predikat_organisasi for unit U1, U2 in unit_kerja.csv, then re-run the stage"),
        _check("d.lulus", True, 0),
        _check("e.gagal", False, 1),
    ]
    html = render_gate_report(GateResult("year-end", 2026, checks), tmp_path).read_text(encoding="utf-8")

    assert "2 dari 5 pemeriksaan gagal</strong> / 2 of 5 checks failed" in html
    assert "1 peringatan / warnings, 2 lulus tanpa catatan / passed cleanly" in html
    failed, warnings, table = (html.index(h) for h in ("Pemeriksaan yang Gagal / Failed Checks",
                                                       "<h2>Peringatan / Warnings", "Daftar Pemeriksaan"))
    assert failed < warnings < table
    # the blocks: failing checks (in gate order), then the warning; passed checks get none
    blocks = re.findall(r"<h3>([a-z.]+) ", html)
    assert blocks == ["c.gagal", "e.gagal", "b.peringatan"]
    c = html[html.index("<h3>c.gagal"):html.index("<h3>e.gagal")]
    assert "Cara memperbaiki / How to fix:" in c
    assert "isi predikat_organisasi untuk unit U1, U2 di unit_kerja.csv lalu jalankan ulang tahap" in c
    assert "fill in predikat_organisasi for unit U1, U2 in unit_kerja.csv, then re-run the stage" in c
    assert "staffed units have a predikat" in c and "2 dari 50 baris gagal / 2 of 50 rows fail" in c
    assert c.index("How to fix") < c.index("c.gagal-U0") < c.index("c.gagal-U1")  # the fix, then its rows
    assert "How to fix" not in html[html.index("<h3>e.gagal"):warnings]  # no fix text: none shown
    # the full table: failed, warnings, then passed
    rows = re.findall(r'<tr><td class="kode">([a-z.]+)</td>', html[table:])
    assert rows == ["c.gagal", "e.gagal", "b.peringatan", "a.lulus", "d.lulus"]


def test_a_passing_gate_has_no_failed_section(tmp_path):
    html = render_gate_report(GateResult("year-end", 2026, [_check("a.lulus", True, 0)]), tmp_path).read_text(
        encoding="utf-8")
    assert "0 dari 1 pemeriksaan gagal</strong> / 0 of 1 checks failed" in html
    assert "Failed Checks" not in html and "Warnings</h2>" not in html and "PASSED" in html
