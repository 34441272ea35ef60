"""The GX suite of each input file: mostly, codes and descriptions; the frame a suite validates."""

from __future__ import annotations

import pytest

from contract.schema import FILES
from expectations.suites import SUITES, SuiteParameters, suite_name, unit_kerja, validation_frame
from stages import registry
from tests.expectations.raw import TAHUN, raw_bersih


def test_suites_carry_mostly_codes_and_descriptions():
    p = SuiteParameters(tahun=TAHUN, maks_karantina_persen=20, tahap="year-end")
    semua_kode = []
    for sheet, builder in SUITES.items():
        suite = builder(p)
        assert suite.expectations, sheet
        for e in suite.expectations:
            assert e.mostly == pytest.approx(0.8)
            assert e.meta["kode"].startswith(f"{sheet}.")
            assert e.meta["berkas"] == FILES[sheet].name
            assert e.meta["deskripsi"]
            semua_kode.append(e.meta["kode"])
    assert len(semua_kode) == len(set(semua_kode))


def test_validation_frame_adds_missing_columns_and_numeric_helper():
    raw = raw_bersih()["survei_masyarakat"].drop(columns=["layanan"])
    raw.index = [10, 20]
    frame = validation_frame("survei_masyarakat", raw)
    assert list(frame.index) == [0, 1]
    assert frame["layanan"].isna().all()
    assert frame["nilai_ikm__angka"].tolist() == [88.31, 25.0]


@pytest.mark.parametrize("tahap", [*registry.names(), ""])
def test_predikat_organisasi_is_required_where_the_registry_says(tahap: str):
    kode = {e.meta["kode"] for e in unit_kerja(SuiteParameters(TAHUN, 20, tahap)).expectations}
    wajib = bool(tahap) and registry.get(tahap).needs_predikat_organisasi
    assert ("unit_kerja.predikat_organisasi.ada" in kode) is wajib
    assert "unit_kerja.predikat_organisasi.nilai" in kode  # a filled one is always checked


def test_suite_names_differ_by_file_and_parameters():
    p = SuiteParameters(TAHUN, 20, "year-end")
    names = {
        suite_name("skp", p),
        suite_name("pegawai", p),
        suite_name("skp", SuiteParameters(TAHUN + 1, 20, "year-end")),
        suite_name("skp", SuiteParameters(TAHUN, 2.5, "year-end")),
        suite_name("skp", SuiteParameters(TAHUN, 20)),
    }
    assert len(names) == 5 and suite_name("skp", SuiteParameters(TAHUN, 2.5)) == "kinerja.skp.2026.2.5.-"
    assert SuiteParameters(TAHUN, 150).mostly == 0 and SuiteParameters(TAHUN, -5).mostly == 1
