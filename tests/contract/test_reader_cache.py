"""The read cache: the same bytes are parsed once per process, changed or over-size files are not reused,
and no caller can change what a later read returns."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from contract import reader
from contract.reader import read_inputs, sha256_of_inputs
from kinerja.settings import get_settings

CACHE_MAKS_MB_ENV = "KINERJA_CACHE_BACA_MAKS_MB"


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    """Settings are read once per process; the tests change the cache limit between reads."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()

NIP_A = "198001012005011001"
NIP_B = "199001012015012002"
UNIT = "kode_unit,nama_unit,kode_instansi,nama_instansi\nU1,Dinas A,I1,Pemda\n"
PEGAWAI = (
    "nip,nama,kode_unit,jabatan,jenis_jabatan,nip_atasan\n"
    f"{NIP_A},Budi,U1,Kepala,pimpinan_tinggi,\n"
    f"{NIP_B},\"Sari, S.E.\",U1,Staf,pelaksana,{NIP_A}\n"
)
REALISASI = "id_indikator,periode,realisasi\nI1,2026-01,1\nI1,2026-02,2\nI1,2026-03,3,lebih\n"
SHEETS = ["unit_kerja", "pegawai", "realisasi"]


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    reader._CACHE.clear()
    yield
    reader._CACHE.clear()


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The file names the CSV parser is called for, in order."""
    calls: list[str] = []
    parse = reader._read_csv

    def counting(path: Path, spec: object) -> object:
        calls.append(path.name)
        return parse(path, spec)

    monkeypatch.setattr(reader, "_read_csv", counting)
    return calls


def folder(tmp_path: Path) -> Path:
    (tmp_path / "unit_kerja.csv").write_text(UNIT, encoding="utf-8")
    (tmp_path / "pegawai.csv").write_text(PEGAWAI, encoding="utf-8")
    (tmp_path / "realisasi.csv").write_text(REALISASI, encoding="utf-8")
    return tmp_path


def read(path: Path, sheets: list[str] = SHEETS) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    return read_inputs(path, sheets, checksums=sha256_of_inputs(path, sheets))


def assert_same(a: tuple[dict, pd.DataFrame], b: tuple[dict, pd.DataFrame]) -> None:
    assert list(a[0]) == list(b[0])
    for sheet in a[0]:
        pd.testing.assert_frame_equal(a[0][sheet], b[0][sheet])
    pd.testing.assert_frame_equal(a[1], b[1])


def test_unchanged_files_are_parsed_once(tmp_path: Path, parses: list[str]) -> None:
    path = folder(tmp_path)
    first = read(path)
    assert parses == ["unit_kerja.csv", "pegawai.csv", "realisasi.csv"]
    second = read(path)
    assert len(parses) == 3
    assert_same(first, second)
    assert second[1]["kode_aturan"].tolist() == ["JUMLAH_KOLOM"]  # the reader's own quarantine too
    uncached = read_inputs(path, SHEETS)
    assert len(parses) == 6
    assert_same(first, uncached)


def test_a_changed_file_is_read_again(tmp_path: Path, parses: list[str]) -> None:
    path = folder(tmp_path)
    read(path)
    (path / "pegawai.csv").write_text(PEGAWAI.replace("Budi", "Bude"), encoding="utf-8")
    raw, _ = read(path)
    assert parses[3:] == ["pegawai.csv"]
    assert raw["pegawai"]["nama"].tolist() == ["Bude", "Sari, S.E."]


def test_same_bytes_under_a_stale_checksum_are_read_again(tmp_path: Path, parses: list[str]) -> None:
    path = folder(tmp_path)
    read(path)
    sums = sha256_of_inputs(path, SHEETS)
    sums["unit_kerja.csv"] = hashlib.sha256(b"lain").hexdigest()
    read_inputs(path, SHEETS, checksums=sums)
    assert parses[3:] == ["unit_kerja.csv"]


def test_only_the_latest_call_is_kept(tmp_path: Path, parses: list[str]) -> None:
    path = folder(tmp_path)
    read(path)
    read(path, ["unit_kerja"])
    assert len(parses) == 3 and len(reader._CACHE) == 1
    read(path)
    assert parses[3:] == ["pegawai.csv", "realisasi.csv"]
    read_inputs(path, SHEETS)  # no checksums: nothing is cached, nothing kept
    assert not reader._CACHE


def test_files_over_the_limit_are_not_cached(
    tmp_path: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = folder(tmp_path)
    read(path, ["unit_kerja"])
    size = next(iter(reader._CACHE.values())).nbytes
    monkeypatch.setenv(CACHE_MAKS_MB_ENV, str((size + 1) / 2**20))  # room for unit_kerja only
    get_settings.cache_clear()
    reader._CACHE.clear()
    parses.clear()
    read(path)
    read(path)
    assert parses == ["unit_kerja.csv", "pegawai.csv", "realisasi.csv", "pegawai.csv",
                      "realisasi.csv"]
    monkeypatch.setenv(CACHE_MAKS_MB_ENV, "0")  # off: what was kept goes, nothing new is kept
    get_settings.cache_clear()
    read(path)
    assert not reader._CACHE
    del parses[:]
    read(path)
    assert parses == ["unit_kerja.csv", "pegawai.csv", "realisasi.csv"]


def test_changing_a_returned_frame_does_not_change_a_later_read(tmp_path: Path) -> None:
    path = folder(tmp_path)
    raw, _ = read(path)
    expected = {sheet: frame.copy(deep=True) for sheet, frame in raw.items()}
    pegawai = raw["pegawai"]
    pegawai.loc[0, "nama"] = "Diubah"
    pegawai["baru"] = 1
    del pegawai["email"]
    pegawai.index = pegawai.index[::-1]
    raw["realisasi"]["realisasi"] = raw["realisasi"]["realisasi"].str.replace("1", "9")
    baris = raw["unit_kerja"]["_baris"].to_numpy()
    with pytest.raises(ValueError, match="read-only"):
        baris[0] = 99
    again, _ = read(path)
    for sheet, frame in expected.items():
        pd.testing.assert_frame_equal(again[sheet], frame)
    assert again["pegawai"] is not pegawai
    assert np.array_equal(again["unit_kerja"]["_baris"].to_numpy(), [2])


def test_workbook_sheets_are_cached_per_sheet(tmp_path: Path, parses: list[str]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "unit_kerja"
    book.active.append(["kode_unit", "nama_unit", "kode_instansi", "nama_instansi"])
    book.active.append(["U1", "Dinas A", "I1", "Pemda"])
    sheet = book.create_sheet("realisasi")
    sheet.append(["id_indikator", "periode", "realisasi"])
    sheet.append(["I1", "2026-01", 1.5])
    book.save(tmp_path / "kinerja.xlsx")
    sheets = ["unit_kerja", "realisasi"]
    first = read(tmp_path, sheets)
    second = read(tmp_path, sheets)
    assert_same(first, second)
    assert second[0]["realisasi"]["realisasi"].tolist() == ["1.5"]
    assert len(reader._CACHE) == 2 and not parses
