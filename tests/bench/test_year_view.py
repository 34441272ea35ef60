"""bench/year_view.py: the workbook timed on the year's output CSVs; the table says "-" and why for a part
that did not run."""

from __future__ import annotations

from bench import year_view
from tests.reports.test_workbook import TAHUN, write_outputs


def test_the_workbook_is_timed_with_its_rows_and_size(tmp_path):
    out = write_outputs(tmp_path / str(TAHUN))
    hasil = year_view._workbook(out, TAHUN)
    assert hasil["baris"] > 0 and hasil["detik"] > 0 and hasil["peak_rss"] > 0
    assert hasil["bytes"] == (out / f"kinerja_{TAHUN}.xlsx").stat().st_size


def test_no_csv_is_a_note_not_a_failure(tmp_path):
    assert "catatan" in year_view._workbook(tmp_path, TAHUN)


def test_the_table_has_a_row_per_measured_size_and_notes_for_missing_parts():
    indeks = {"detik": 2.0, "index_bytes": 350_000, "pencarian_bytes": 4_400_000, "muat_ms": 900.0,
              "siap_ms": 1234.4, "cari_ms": 400.0, "cari_js_ms": 12.25, "dasar_ms": 150.0, "kueri": "Mard"}
    results = [
        {"pegawai": 1_000, "stages": []},  # saved before the year view was measured: no row
        {"pegawai": 10_000, "stages": [], "tampilan": {
            "workbook": {"baris": 80_000, "detik": 2.0, "segar_detik": 0.25,
                         "bytes": 4_000_000, "peak_rss": 2**30},
            "indeks": indeks}},
        {"pegawai": 100_000, "stages": [], "tampilan": {
            "workbook": {"baris": 800_000, "detik": 10.0, "segar_detik": 0.5,
                         "bytes": 40_000_000, "peak_rss": 2**31},
            "indeks": {"catatan": "reports.index_page belum ada / not there yet"}}},
    ]
    head, body, notes = year_view.table(results)
    assert head[:5] == ["pegawai", "xlsx s", "xlsx segarkan s", "baris", "baris/s"]
    ten = ["10,000", "2.0", "0.2", "80,000", "40,000", "4.0", "1.00", "2.0", "350", "4,400", "900", "1,234",
           "400", "12.2", "150"]
    assert body == [ten, ["100,000", "10.0", "0.5", "800,000", "80,000", "40.0", "2.00", *["-"] * 8]]
    assert notes == ['10,000: kueri / query "Mard"', "100,000: reports.index_page belum ada / not there yet"]
    lines = year_view.markdown(results)
    assert "| " + " | ".join(ten) + " |" in lines
    assert year_view.markdown(results[:1]) == []
