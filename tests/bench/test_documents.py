"""bench/run.py measures the per-employee documents: every scored employee, scratch folder removed."""

from __future__ import annotations

from bench import report
from bench import run as bench
from kinerja.demo.generator import generate


def test_documents_are_rendered_for_every_scored_employee_and_cleaned_up(tmp_path):
    generate(tmp_path / "in", pegawai=60, tahun=bench.TAHUN, bad_rows=False)
    kerja = tmp_path / "kerja"
    kerja.mkdir()
    hasil = bench._documents(tmp_path / "in", kerja)
    assert hasil["jumlah"] == 60 and hasil["detik"] > 0
    assert list(kerja.iterdir()) == []


def test_documents_table_gives_the_rate_against_the_target():
    results = [
        {"pegawai": 1_000, "stages": []},  # saved before documents were measured: no row
        {"pegawai": 10_000, "stages": [], "dokumen": {"jumlah": 10_000, "detik": 4.0}},
        {"pegawai": 100_000, "stages": [], "dokumen": {"jumlah": 100_000, "detik": 125.0}},
    ]
    head, body = report._documents_table(results)
    assert head[:4] == ["pegawai", "dokumen", "detik", "dokumen/s"]
    assert body == [
        ["10,000", "10,000", "4.0", "2,500", "terpenuhi / met"],
        ["100,000", "100,000", "125.0", "800", "**tidak / missed**"],
    ]
    assert "| 10,000 | 10,000 | 4.0 | 2,500 | terpenuhi / met |" in report._documents_markdown(results)
