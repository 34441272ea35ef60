"""The readings kept in the process cache: the same bytes are parsed once per process, changed or
over-budget files are not reused, only the latest call's files stay, and no caller can change what a
later read returns."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from contract import reader
from contract.files import sha256_of_inputs
from contract.reader import read_inputs
from stages.cache import ProcessCache

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


@pytest.fixture
def cache() -> ProcessCache:
    """A cache of this test's own, with room for every file."""
    return ProcessCache(read_budget_bytes=2**30)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The file names the CSV parser is called for, in order."""
    calls: list[str] = []
    parse = reader.read_csv_cells

    def counting(path: Path, spec: object) -> object:
        calls.append(path.name)
        return parse(path, spec)

    monkeypatch.setattr(reader, "read_csv_cells", counting)
    return calls


def folder(tmp_path: Path) -> Path:
    (tmp_path / "unit_kerja.csv").write_text(UNIT, encoding="utf-8")
    (tmp_path / "pegawai.csv").write_text(PEGAWAI, encoding="utf-8")
    (tmp_path / "realisasi.csv").write_text(REALISASI, encoding="utf-8")
    return tmp_path


def read(
    path: Path, cache: ProcessCache, sheets: list[str] = SHEETS
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    return read_inputs(path, sheets, checksums=sha256_of_inputs(path, sheets), cache=cache)


def assert_same(a: tuple[dict, pd.DataFrame], b: tuple[dict, pd.DataFrame]) -> None:
    assert list(a[0]) == list(b[0])
    for sheet in a[0]:
        pd.testing.assert_frame_equal(a[0][sheet], b[0][sheet])
    pd.testing.assert_frame_equal(a[1], b[1])


def test_unchanged_files_are_parsed_once(
    tmp_path: Path, parses: list[str], cache: ProcessCache
) -> None:
    path = folder(tmp_path)
    first = read(path, cache)
    assert parses == ["unit_kerja.csv", "pegawai.csv", "realisasi.csv"]
    second = read(path, cache)
    assert len(parses) == 3
    assert_same(first, second)
    assert second[1]["kode_aturan"].tolist() == ["JUMLAH_KOLOM"]  # the reader's own quarantine too
    uncached = read_inputs(path, SHEETS)
    assert len(parses) == 6
    assert_same(first, uncached)


def test_without_a_cache_nothing_is_kept_or_used(
    tmp_path: Path, parses: list[str], cache: ProcessCache
) -> None:
    path = folder(tmp_path)
    sums = sha256_of_inputs(path, SHEETS)
    read_inputs(path, SHEETS, checksums=sums)
    read_inputs(path, SHEETS, checksums=sums)
    assert len(parses) == 6
    read(path, cache)
    kept = dict(cache.readings)
    read_inputs(path, SHEETS, checksums=sums)  # another reader's call leaves this cache alone
    assert len(parses) == 12 and cache.readings == kept


def test_a_changed_file_is_read_again(tmp_path: Path, parses: list[str], cache: ProcessCache) -> None:
    path = folder(tmp_path)
    read(path, cache)
    (path / "pegawai.csv").write_text(PEGAWAI.replace("Budi", "Bude"), encoding="utf-8")
    raw, _ = read(path, cache)
    assert parses[3:] == ["pegawai.csv"]
    assert raw["pegawai"]["nama"].tolist() == ["Bude", "Sari, S.E."]


def test_same_bytes_under_a_stale_checksum_are_read_again(
    tmp_path: Path, parses: list[str], cache: ProcessCache
) -> None:
    path = folder(tmp_path)
    read(path, cache)
    sums = sha256_of_inputs(path, SHEETS)
    sums["unit_kerja.csv"] = hashlib.sha256(b"lain").hexdigest()
    read_inputs(path, SHEETS, checksums=sums, cache=cache)
    assert parses[3:] == ["unit_kerja.csv"]


def test_a_file_without_a_checksum_is_not_kept(
    tmp_path: Path, parses: list[str], cache: ProcessCache
) -> None:
    path = folder(tmp_path)
    sums = sha256_of_inputs(path, SHEETS)
    del sums["pegawai.csv"]
    read_inputs(path, SHEETS, checksums=sums, cache=cache)
    read_inputs(path, SHEETS, checksums=sums, cache=cache)
    assert parses[3:] == ["pegawai.csv"]
    assert sorted(key[0] for key in cache.readings) == ["realisasi", "unit_kerja"]


def test_only_the_latest_call_is_kept(tmp_path: Path, parses: list[str], cache: ProcessCache) -> None:
    path = folder(tmp_path)
    read(path, cache)
    read(path, cache, ["unit_kerja"])
    assert len(parses) == 3 and len(cache.readings) == 1
    read(path, cache)
    assert parses[3:] == ["pegawai.csv", "realisasi.csv"]
    read_inputs(path, SHEETS, cache=cache)  # no checksums: nothing is cached, nothing kept
    assert not cache.readings


def test_files_over_the_budget_are_not_kept(tmp_path: Path, parses: list[str], cache: ProcessCache) -> None:
    path = folder(tmp_path)
    read(path, cache, ["unit_kerja"])
    size = next(iter(cache.readings.values())).nbytes
    small = ProcessCache(read_budget_bytes=size + 1)  # room for unit_kerja only
    parses.clear()
    read(path, small)
    read(path, small)
    assert parses == ["unit_kerja.csv", "pegawai.csv", "realisasi.csv", "pegawai.csv",
                      "realisasi.csv"]
    assert [key[0] for key in small.readings] == ["unit_kerja"]
    small.read_budget_bytes = 0  # off: what was kept goes, nothing new is kept
    read(path, small)
    assert not small.readings
    del parses[:]
    read(path, small)
    assert parses == ["unit_kerja.csv", "pegawai.csv", "realisasi.csv"]


def test_the_budget_is_filled_in_file_order(tmp_path: Path, parses: list[str], cache: ProcessCache) -> None:
    """A file that does not fit is skipped; a later, smaller one may still be kept."""
    path = folder(tmp_path)
    read(path, cache)
    sizes = {key[0]: reading.nbytes for key, reading in cache.readings.items()}
    big, smaller = sorted(["pegawai", "realisasi"], key=sizes.get, reverse=True)
    assert sizes[big] > sizes[smaller]
    order = ["unit_kerja", big, smaller]
    small = ProcessCache(read_budget_bytes=sizes["unit_kerja"] + sizes[smaller])
    read(path, small, order)
    assert [key[0] for key in small.readings] == ["unit_kerja", smaller]
    parses.clear()
    read(path, small, order)
    assert parses == [f"{big}.csv"]


def test_changing_a_returned_frame_does_not_change_a_later_read(tmp_path: Path, cache: ProcessCache) -> None:
    path = folder(tmp_path)
    raw, _ = read(path, cache)
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
    again, _ = read(path, cache)
    for sheet, frame in expected.items():
        pd.testing.assert_frame_equal(again[sheet], frame)
    assert again["pegawai"] is not pegawai
    assert np.array_equal(again["unit_kerja"]["_baris"].to_numpy(), [2])
    kept = {key[0]: reading.frame for key, reading in cache.readings.items()}
    assert all(again[sheet] is not frame for sheet, frame in kept.items())  # shallow copies only


def test_workbook_sheets_are_cached_per_sheet(
    tmp_path: Path, parses: list[str], cache: ProcessCache
) -> None:
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
    first = read(tmp_path, cache, sheets)
    second = read(tmp_path, cache, sheets)
    assert_same(first, second)
    assert second[0]["realisasi"]["realisasi"].tolist() == ["1.5"]
    assert len(cache.readings) == 2 and not parses
    assert {key[1] for key in cache.readings} == {str((tmp_path / "kinerja.xlsx").resolve())}
