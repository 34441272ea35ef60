"""Cells into a raw frame: header matching, trimming, decimal commas, surplus fields, blank lines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from contract.raw_frame import empty_raw, raw_frame
from contract.reader import read_table
from contract.schema import FILES
from kinerja.errors import InputUnreadable
from tests.contract.input_files import write


def test_decimal_comma_and_grouping(tmp_path: Path) -> None:
    write(tmp_path, "katalog_pelatihan.csv",
          "kode_pelatihan;nama_pelatihan;kompetensi;jp\nP1;A;adaptif;2,5\nP2;B;adaptif;1.000\n"
          "P3;C;adaptif;0.5\n")
    frame, _ = read_table(tmp_path, "katalog_pelatihan")
    assert frame["jp"].tolist() == ["2.5", "1000", "0.5"]


def test_bom_crlf_header_case_spaces_unknown_columns(tmp_path: Path) -> None:
    text = (
        "\ufeff Kode_Unit ,NAMA_UNIT,kode_instansi,Nama_Instansi,lain,\r\n"
        "U1 , Dinas A ,I1,Pemda,abaikan,\r\n"
    )
    write(tmp_path, "unit_kerja.csv", text)
    frame, karantina = read_table(tmp_path, "unit_kerja")
    assert list(frame.columns) == [
        "kode_unit", "nama_unit", "kode_instansi", "nama_instansi", "predikat_organisasi", "_baris"
    ]
    assert frame.iloc[0][["kode_unit", "nama_unit", "nama_instansi"]].tolist() == [
        "U1", "Dinas A", "Pemda"
    ]
    assert pd.isna(frame.loc[0, "predikat_organisasi"])
    assert karantina.empty


def test_header_only_file_is_fine(tmp_path: Path) -> None:
    write(tmp_path, "realisasi.csv", "id_indikator,periode,realisasi\n")
    frame, karantina = read_table(tmp_path, "realisasi")
    assert len(frame) == 0 and "bukti" in frame.columns and karantina.empty


def test_unicode_spaces_at_cell_edges_are_stripped(tmp_path: Path) -> None:
    text = ("kode_unit,nama_unit,kode_instansi,nama_instansi\n"
            "U1,\u00a0Dinas A\u3000,I1,Pemda Kota\nU2,Dinas B,I1,\u2003\n")
    write(tmp_path, "unit_kerja.csv", text)
    frame, _ = read_table(tmp_path, "unit_kerja")
    assert frame["nama_unit"].tolist() == ["Dinas A", "Dinas B"]
    assert frame["nama_instansi"].tolist()[0] == "Pemda Kota" and pd.isna(frame.loc[1, "nama_instansi"])


def test_missing_required_column(tmp_path: Path) -> None:
    write(tmp_path, "pegawai.csv", "nama,kode_unit,jabatan,jenis_jabatan\nA,U1,Staf,pelaksana\n")
    with pytest.raises(InputUnreadable) as info:
        read_table(tmp_path, "pegawai")
    assert str(info.value) == (
        "pegawai.csv: kolom wajib tidak ada: nip / required column missing: nip"
    )
    assert info.value.exit_code == 2


def cells(*rows: list[str]) -> pd.DataFrame:
    width = max(len(r) for r in rows)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows],
                        columns=[f"c{i}" for i in range(width)], dtype="str")


def test_surplus_fields_are_quarantined_and_blank_rows_dropped() -> None:
    header = ["periode", "ID_Indikator ", "realisasi"]
    frame, karantina = raw_frame(
        FILES["realisasi"], header,
        cells(["2026-01", "I1", " 1 "], ["", "", ""], ["2026-02", "I2", "2", "x", "", "y"], ["", "I3"]),
        np.array([2, 3, 4, 6]), ",",
    )
    assert frame[["id_indikator", "periode", "realisasi", "_baris"]].values.tolist() == [
        ["I1", "2026-01", "1", 2], ["I3", np.nan, np.nan, 6]
    ]
    assert frame["bukti"].isna().all() and frame["bukti"].dtype == "str"
    # realisasi's ids and months are dictionary-encoded: text categories of the kept rows only, sorted
    assert list(frame["periode"].cat.categories) == ["2026-01"]
    assert list(frame["id_indikator"].cat.categories) == ["I1", "I3"]
    assert frame["periode"].cat.categories.dtype == "str"
    assert karantina[["berkas", "baris", "kolom", "nilai", "kode_aturan"]].values.tolist() == [
        ["realisasi.csv", 4, "*", "x,,y", "JUMLAH_KOLOM"]
    ]


def test_decimal_commas_only_in_numeric_columns_of_the_semicolon_dialect() -> None:
    header = ["id_indikator", "periode", "realisasi", "bukti"]
    rows = cells(["1.234", "2026-01", "1.234,5", "1,5"], ["I2", "2026-02", "-2.500", "x"])
    frame, _ = raw_frame(FILES["realisasi"], header, rows, np.array([2, 3]), ";")
    assert frame["realisasi"].tolist() == ["1234.5", "-2500"]
    assert frame["id_indikator"].tolist() == ["1.234", "I2"] and frame["bukti"].tolist()[0] == "1,5"
    frame, _ = raw_frame(FILES["realisasi"], header, rows, np.array([2, 3]), ",")
    assert frame["realisasi"].tolist() == ["1.234,5", "-2.500"]


def test_missing_required_column_names_each() -> None:
    with pytest.raises(InputUnreadable, match="realisasi.csv: kolom wajib tidak ada: periode, realisasi"):
        raw_frame(FILES["realisasi"], ["id_indikator"], cells(["I1"]), np.array([2]), ",")


def test_empty_raw_has_every_column() -> None:
    frame = empty_raw("perilaku")
    assert list(frame.columns) == [*FILES["perilaku"].columns, "_baris"] and frame.empty
    assert frame["_baris"].dtype == "int64" and frame["nip"].dtype == "str"
