"""The reader: both CSV dialects, BOM/CRLF/header quirks, ragged rows, the workbook, unreadable input."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from contract.reader import read_inputs, read_table, sha256_of_inputs
from kinerja.errors import InputUnreadable

NIP_A = "198001012005011001"
NIP_B = "199001012015012002"

SKP_KOMA = (
    "id_indikator,nip,tahun,rencana_hasil_kerja,indikator,aspek,target,satuan,arah,jenis\n"
    f"I1,{NIP_A},2026,RHK,Ind,kuantitas,1234.5,dok,naik,utama\n"
    f"I2,{NIP_B},2026,RHK,Ind,waktu,12,hari,turun,utama\n"
)
SKP_TITIK_KOMA = (
    "id_indikator;nip;tahun;rencana_hasil_kerja;indikator;aspek;target;satuan;arah;jenis\n"
    f"I1;{NIP_A};2026;RHK;Ind;kuantitas;1.234,5;dok;naik;utama\n"
    f"I2;{NIP_B};2026;RHK;Ind;waktu;12;hari;turun;utama\n"
)


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


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


def test_ragged_rows_blank_lines_and_multiline_cells(tmp_path: Path) -> None:
    text = (
        "id_indikator,periode,realisasi,bukti\n"
        'I1,2026-01,1,"baris\nkedua"\n'
        "\n"
        "I2,2026-02\n"
        "I3,2026-03,3,b,lebih,lagi\n"
        "I4,2026-04,4,b,\n"
    )
    write(tmp_path, "realisasi.csv", text)
    frame, karantina = read_table(tmp_path, "realisasi")
    assert frame["id_indikator"].tolist() == ["I1", "I2", "I4"]
    assert frame["_baris"].tolist() == [2, 5, 7]
    assert pd.isna(frame.loc[1, "realisasi"])
    assert karantina[["baris", "kode_aturan", "nilai"]].values.tolist() == [
        [6, "JUMLAH_KOLOM", "lebih,lagi"]
    ]


def test_multiline_cells_keep_line_numbers(tmp_path: Path) -> None:
    text = 'id_indikator,periode,realisasi,bukti\nI1,2026-01,1,"a\nb\nc"\nI2,2026-02,2,x\n'
    write(tmp_path, "realisasi.csv", text)
    frame, _ = read_table(tmp_path, "realisasi")
    assert frame["_baris"].tolist() == [2, 5]


def test_quoted_cells_on_one_line_each_keep_line_numbers(tmp_path: Path) -> None:
    text = 'id_indikator,periode,realisasi,bukti\r\nI1,2026-01,1,"a, b"\r\nI2,2026-02,2,"c"\r\n'
    write(tmp_path, "realisasi.csv", text)
    frame, _ = read_table(tmp_path, "realisasi")
    assert frame["_baris"].tolist() == [2, 3]
    assert frame["bukti"].tolist() == ["a, b", "c"]


def test_line_break_in_a_cell_of_an_unterminated_last_line(tmp_path: Path) -> None:
    text = 'id_indikator,periode,realisasi,bukti\nI1,2026-01,1,a\nI2,2026-02,2,"b\nc"'
    write(tmp_path, "realisasi.csv", text)
    frame, _ = read_table(tmp_path, "realisasi")
    assert frame["_baris"].tolist() == [2, 3]
    assert frame["bukti"].tolist() == ["a", "b\nc"]


def test_unicode_spaces_at_cell_edges_are_stripped(tmp_path: Path) -> None:
    text = ("kode_unit,nama_unit,kode_instansi,nama_instansi\n"
            "U1,\u00a0Dinas A\u3000,I1,Pemda Kota\nU2,Dinas B,I1,\u2003\n")
    write(tmp_path, "unit_kerja.csv", text)
    frame, _ = read_table(tmp_path, "unit_kerja")
    assert frame["nama_unit"].tolist() == ["Dinas A", "Dinas B"]
    assert frame["nama_instansi"].tolist()[0] == "Pemda Kota" and pd.isna(frame.loc[1, "nama_instansi"])


def test_not_utf8_names_line(tmp_path: Path) -> None:
    write(tmp_path, "unit_kerja.csv",
          b"kode_unit,nama_unit,kode_instansi,nama_instansi\nU1,Dinas \xe9,I1,P\n")
    with pytest.raises(InputUnreadable, match=r"unit_kerja.csv: bukan UTF-8 \(byte 0xe9 di baris 2"):
        read_table(tmp_path, "unit_kerja")


def test_missing_required_column(tmp_path: Path) -> None:
    write(tmp_path, "pegawai.csv", "nama,kode_unit,jabatan,jenis_jabatan\nA,U1,Staf,pelaksana\n")
    with pytest.raises(InputUnreadable) as info:
        read_table(tmp_path, "pegawai")
    assert str(info.value) == (
        "pegawai.csv: kolom wajib tidak ada: nip / required column missing: nip"
    )
    assert info.value.exit_code == 2


@pytest.mark.parametrize(
    ("content", "pesan"),
    [(b"", "berkas kosong"), (b"PK\x03\x04\x00\x00binary", "biner"), (b"\xff\xfek\x00", "UTF-16")],
)
def test_empty_or_binary_file(tmp_path: Path, content: bytes, pesan: str) -> None:
    write(tmp_path, "unit_kerja.csv", content)
    with pytest.raises(InputUnreadable, match=pesan):
        read_table(tmp_path, "unit_kerja")


def test_missing_file_required_and_optional(tmp_path: Path) -> None:
    with pytest.raises(InputUnreadable, match="umpan_balik.csv: berkas wajib tidak ada"):
        read_table(tmp_path, "umpan_balik")
    frame, karantina = read_table(tmp_path, "umpan_balik", required=False)
    assert frame.empty and "catatan" in frame.columns and "_baris" in frame.columns
    assert karantina.empty


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


def test_checksums_of_csv_files(tmp_path: Path) -> None:
    write(tmp_path, "skp.csv", SKP_KOMA)
    sums = sha256_of_inputs(tmp_path, ["skp", "realisasi"])
    assert list(sums) == ["skp.csv"] and len(sums["skp.csv"]) == 64
