"""The workbook kinerja.xlsx: sheets by name, cell values as a CSV would hold them, formulas' values."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from contract.files import sha256_of_inputs
from contract.reader import read_inputs, read_table
from contract.schema import FILES
from contract.workbook_parsing import cell_text, read_sheet_cells
from kinerja.errors import InputUnreadable
from tests.contract.input_files import NIP_A, NIP_B


def _workbook(path: Path) -> None:
    book = openpyxl.Workbook()
    unit = book.active
    unit.title = "unit_kerja"
    unit.append(["kode_unit", "nama_unit", "kode_instansi", "nama_instansi", "predikat_organisasi"])
    unit.append(["U1", "Dinas A", "I1", "Pemda", "Baik"])
    pegawai = book.create_sheet("Pegawai")
    pegawai.append(["NIP", "nama", "kode_unit", "jabatan", "jenis_jabatan", "nip_atasan"])
    pegawai.append([int(NIP_A), "Budi", "U1", "Kepala", "pimpinan_tinggi", None])
    pegawai.append([])
    pegawai.append([NIP_B, "Siti", "U1", "Staf", "pelaksana", "=A2"])
    pegawai.append([int(NIP_B) + 1, "Ani", "U1", "Staf", "pelaksana", None])
    survei = book.create_sheet("survei_masyarakat")
    survei.append(["kode_unit", "periode", "layanan", "jumlah_responden", "nilai_ikm"])
    survei.append(["U1", "2026-03", "KTP", 40.0, 85.5])
    book.save(path)
    # openpyxl does not compute formulas: store the cached value Excel would have saved.
    with zipfile.ZipFile(path) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    for name, body in parts.items():
        # a NIP stored as an exact whole number (openpyxl itself writes it as a float)
        body = body.replace(b"<v>1.98001012005011e+17</v>", b"<v>" + NIP_A.encode() + b"</v>")
        parts[name] = body
        if name.startswith("xl/worksheets/") and b"<f>A2</f>" in body:
            parts[name] = re.sub(rb"<f>A2</f>(<v>[^<]*</v>|<v/>)?",
                                 b"<f>A2</f><v>" + NIP_A.encode() + b"</v>", body)
            parts[name] = parts[name].replace(b't="n"><f>A2', b't="str"><f>A2')
    with zipfile.ZipFile(path, "w") as dst:
        for name, body in parts.items():
            dst.writestr(name, body)


def test_workbook_sheets_formula_and_numeric_nip(tmp_path: Path) -> None:
    _workbook(tmp_path / "kinerja.xlsx")
    raw, karantina = read_inputs(tmp_path, ["unit_kerja", "pegawai", "survei_masyarakat"], ["skp"])
    pegawai = raw["pegawai"]
    # exact whole number -> its 18 digits; a float keeps Excel's 15 significant digits
    assert pegawai["nip"].tolist() == [NIP_A, NIP_B, "199001012015012000"]
    assert pegawai["_baris"].tolist() == [2, 4, 5]
    assert pegawai.loc[1, "nip_atasan"] == NIP_A
    assert raw["survei_masyarakat"][["jumlah_responden", "nilai_ikm"]].values.tolist() == [
        ["40", "85.5"]
    ]
    assert raw["skp"].empty and karantina.empty
    assert list(sha256_of_inputs(tmp_path, ["unit_kerja", "pegawai"])) == ["kinerja.xlsx"]


def test_workbook_missing_sheet(tmp_path: Path) -> None:
    _workbook(tmp_path / "kinerja.xlsx")
    with pytest.raises(InputUnreadable, match="lembar 'skp'"):
        read_table(tmp_path, "skp")


@pytest.mark.parametrize(
    ("value", "kolom", "text"),
    [
        (None, "nama", ""),
        (True, "nama", "TRUE"),
        (198001012005011001, "nip", "198001012005011001"),
        (4.0, "jp", "4"),
        (1.98001012005011e17, "nip", "198001012005011000"),
        (85.5, "nilai_ikm", "85.5"),
        (dt.datetime(2026, 3, 1), "periode", "2026-03"),
        (dt.datetime(2026, 3, 1), "tanggal", "2026-03-01"),
        (dt.datetime(2026, 3, 2), "periode", "2026-03-02"),
        (dt.datetime(2026, 3, 1, 8, 30), "tanggal", "2026-03-01 08:30:00"),
        (dt.date(2026, 3, 1), "tanggal", "2026-03-01"),
        (" teks ", "nama", " teks "),
    ],
)
def test_cell_text(value: object, kolom: str, text: str) -> None:
    assert cell_text(value, kolom) == text


def test_sheet_names_match_case_and_spaces_and_rows_keep_their_number(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = " Realisasi "
    book.active.append(["id_indikator", "periode", "realisasi"])
    book.active.append(["I1", dt.datetime(2026, 1, 1), 2])
    book.active.append(["I2"])
    book.save(tmp_path / "kinerja.xlsx")
    header, cells, lines = read_sheet_cells(tmp_path / "kinerja.xlsx", FILES["realisasi"])
    assert header == ["id_indikator", "periode", "realisasi"]
    assert cells.values.tolist() == [["I1", "2026-01", "2"], ["I2", "", ""]]
    assert lines.tolist() == [2, 3]
    assert read_sheet_cells(tmp_path / "kinerja.xlsx", FILES["skp"]) == (None, None, None)


def test_an_empty_sheet_or_a_broken_workbook_is_unreadable(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "skp"
    book.save(tmp_path / "kinerja.xlsx")
    with pytest.raises(InputUnreadable, match="lembar 'skp' kosong"):
        read_sheet_cells(tmp_path / "kinerja.xlsx", FILES["skp"])
    (tmp_path / "kinerja.xlsx").write_bytes(b"PK\x03\x04 rusak")
    with pytest.raises(InputUnreadable, match="kinerja.xlsx: tidak bisa dibaca sebagai workbook Excel"):
        read_sheet_cells(tmp_path / "kinerja.xlsx", FILES["skp"])
