"""The reader: the CSV before the workbook, both dialects alike, missing files, a stage's files at once."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from contract.reader import read_inputs, read_table
from kinerja.errors import InputUnreadable
from tests.contract.input_files import SKP_KOMA, SKP_TITIK_KOMA, write


def test_both_dialects_give_identical_frames(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write(tmp_path / "a", "skp.csv", SKP_KOMA)
    write(tmp_path / "b", "skp.csv", SKP_TITIK_KOMA)
    koma, _ = read_table(tmp_path / "a", "skp")
    titik_koma, _ = read_table(tmp_path / "b", "skp")
    pd.testing.assert_frame_equal(koma, titik_koma)
    assert koma["target"].tolist() == ["1234.5", "12"]
    assert koma["_baris"].tolist() == [2, 3]
    assert koma["id_indikator_atasan"].isna().all()


def test_missing_file_required_and_optional(tmp_path: Path) -> None:
    with pytest.raises(InputUnreadable) as missing:
        read_table(tmp_path, "umpan_balik")
    assert str(missing.value) == (f"umpan_balik.csv: berkas wajib tidak ada di {tmp_path} / "
                                  f"required file missing in {tmp_path}")
    frame, karantina = read_table(tmp_path, "umpan_balik", required=False)
    assert frame.empty and "catatan" in frame.columns and "_baris" in frame.columns
    assert karantina.empty


def test_the_csv_wins_over_the_workbook_and_names_match_in_any_case(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "skp"
    book.active.append(["id_indikator"])
    book.save(tmp_path / "Kinerja.XLSX")
    write(tmp_path, "SKP.csv", SKP_KOMA)
    frame, _ = read_table(tmp_path, "skp")
    assert frame["id_indikator"].tolist() == ["I1", "I2"]
    (tmp_path / "SKP.csv").unlink()
    with pytest.raises(InputUnreadable, match="skp.csv: kolom wajib tidak ada: nip"):
        read_table(tmp_path, "skp")  # now the workbook's sheet, which lacks columns
    with pytest.raises(InputUnreadable) as missing:
        read_table(tmp_path, "pegawai")
    assert str(missing.value) == (
        f"pegawai.csv: berkas wajib tidak ada di {tmp_path} (juga tidak ada lembar 'pegawai' di "
        f"kinerja.xlsx) / required file missing in {tmp_path} (no sheet 'pegawai' in kinerja.xlsx either)")


def test_read_inputs_gives_every_file_and_the_quarantine_in_order(tmp_path: Path) -> None:
    write(tmp_path, "skp.csv", SKP_KOMA + "I3,x,2026,R,I,waktu,1,hari,naik,utama,,,lebih\n")
    write(tmp_path, "unit_kerja.csv",
          "kode_unit,nama_unit,kode_instansi,nama_instansi\nU1,A,I,P,lebih\nU2,B,I,P\n")
    raw, karantina = read_inputs(tmp_path, ["skp", "unit_kerja"], ["rating_atasan"])
    assert list(raw) == ["skp", "unit_kerja", "rating_atasan"]
    assert raw["rating_atasan"].empty and len(raw["skp"]) == 2 and len(raw["unit_kerja"]) == 1
    # FORMATS.md file order, not the order read
    assert karantina[["berkas", "baris"]].values.tolist() == [["unit_kerja.csv", 2], ["skp.csv", 4]]
    assert list(karantina.index) == [0, 1]
