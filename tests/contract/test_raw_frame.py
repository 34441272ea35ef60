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


@pytest.mark.parametrize("text", [
    # spaces (ASCII, tab, Unicode) around ids and months, empty ids, a blank record, a BOM, CRLF
    "\ufeffid_indikator,periode,realisasi,bukti\r\n X-1 ,2026-01,5,\r\nX-1,2026-02 ,6,http://a\r\n"
    ",2026-03,7,\r\n  ,2026-03,7,\r\n,,,\r\nX-2,2026-01,1,x\r\n\tX-1\t,2026-05,3,\r\n"
    "\u00a0X-3,2026-01,4,\r\n",
    # a quoted id over two lines, months out of order, an id only on a blank-after-strip row
    'periode,id_indikator,realisasi\n2026-02,"B\nb",1\n2026-01,A,2\n2026-01, ,3\n,,\n2026-12,A,4\n',
    # the semicolon dialect, every id empty
    "id_indikator;periode;realisasi\n;2026-01;1,5\n  ;2026-02;2\n",
])
def test_category_columns_parsed_as_codes_equal_the_text_path(tmp_path: Path, text: str) -> None:
    """realisasi's id and month come out of the Arrow parser as codes (never one string per row) and are
    tidied on their distinct values: the raw frame must be exactly the one the same cells give as text."""
    from contract.csv_parsing import read_csv_cells

    spec = FILES["realisasi"]
    path = write(tmp_path, "realisasi.csv", text)
    header, cells, lines, sep = read_csv_cells(path, spec)
    coded = [c for c in cells.columns if isinstance(cells[c].dtype, pd.CategoricalDtype)]
    assert len(coded) == 2  # the parser encoded them: the comparison below is not text against text
    frame, karantina = raw_frame(spec, header, cells, lines, sep)
    expected, expected_karantina = raw_frame(spec, header, cells.astype("str"), lines, sep)
    pd.testing.assert_frame_equal(frame, expected, check_exact=True)
    pd.testing.assert_frame_equal(karantina, expected_karantina)
    for kolom in spec.kategori:
        assert frame[kolom].cat.categories.tolist() == sorted(frame[kolom].dropna().unique().tolist())
        assert frame[kolom].cat.codes.dtype == expected[kolom].cat.codes.dtype


def test_clean_frame_helper_columns_are_narrow(tmp_path: Path) -> None:
    """_baris, bulan and semester are held for every stage: int32 / int8, with the same values."""
    from contract.checked_file import CheckedFile

    raw, _ = read_table(write(tmp_path, "realisasi.csv",
                              "id_indikator,periode,realisasi\nA,2026-01,1\nA,2026-12,2\n").parent,
                        "realisasi")
    checked = CheckedFile("realisasi", raw, 2026, "validation")
    checked.periode(r"^\d{4}-(0[1-9]|1[0-2])$", "PERIODE", slice(5, 7), "bulan")
    clean = checked.clean()
    assert clean["_baris"].dtype == np.int32 and clean["_baris"].tolist() == [2, 3]
    assert clean["bulan"].dtype == np.int8 and clean["bulan"].tolist() == [1, 12]
