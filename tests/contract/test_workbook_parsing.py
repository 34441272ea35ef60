"""The workbook kinerja.xlsx: sheets by name, cell values as a CSV would hold them, formulas' values."""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest

from contract.files import sha256_of_inputs
from contract.reader import read_inputs, read_table
from contract.schema import FILES
from contract.workbook_parsing import MIB, OLE_SIGNATURE, cell_text, lost_digits, read_sheet_cells
from kinerja.errors import InputUnreadable
from tests.contract.input_files import NIP_A, NIP_B, workbook_from_csv


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
    # only the float lost digits: its row is marked for SEL_ANGKA (see below)
    assert pegawai["_sel_angka"].fillna("-").tolist() == ["-", "-", "nip"]
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
    header, cells, lines, numbers = read_sheet_cells(tmp_path / "kinerja.xlsx", FILES["realisasi"])
    assert header == ["id_indikator", "periode", "realisasi"]
    assert cells.values.tolist() == [["I1", "2026-01", "2"], ["I2", "", ""]]
    assert lines.tolist() == [2, 3]
    assert numbers is None  # no identifier cell holds a number
    assert read_sheet_cells(tmp_path / "kinerja.xlsx", FILES["skp"]) == (None, None, None, None)


def test_an_empty_sheet_or_a_broken_workbook_is_unreadable(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "skp"
    book.save(tmp_path / "kinerja.xlsx")
    with pytest.raises(InputUnreadable, match="lembar 'skp' kosong"):
        read_sheet_cells(tmp_path / "kinerja.xlsx", FILES["skp"])
    (tmp_path / "kinerja.xlsx").write_bytes(b"PK\x03\x04 rusak")
    with pytest.raises(InputUnreadable, match="kinerja.xlsx: tidak bisa dibaca sebagai workbook Excel"):
        read_sheet_cells(tmp_path / "kinerja.xlsx", FILES["skp"])


# --------------------------------------------------------------------------- numbers in identifier columns
#
# Excel keeps 15 significant digits: an 18-digit NIP typed into a General column is saved as
# 1.97104031999031E+17 (openpyxl reads a float) and shows as 197104031999031000 — the last three
# digits are gone, so no rule on those digits (NIP_URUT, NIP_JENIS_KELAMIN, ...) says what is wrong.
# The decision, per cell of an identifier column (contract/schema.py IDENTIFIERS):
# - a number that cannot be the identifier's text is quarantined as SEL_ANGKA: every float from 2**53
#   (it cannot hold the digits exactly; every 18-digit NIP as Excel saves it), any number of more
#   than 15 digits whose digits after the 15th are all 0 (what Excel leaves; as an int when another
#   tool wrote the shown value), and any fraction (a code "1.10" would have become 1.1);
# - a whole number of at most 15 digits is read as its digits: id_indikator 12 typed as a number is
#   the code "12" (a lost leading zero, "012", shows up as a reference that is not found);
# - a longer whole number whose digits after the 15th are not all 0 was stored exactly (not by
#   Excel, which cannot hold it), so it is the identifier: a NIP 198001012005011001 written as an
#   exact integer stays valid, as test_workbook_sheets_formula_and_numeric_nip reads it.

NIP_EXCEL = 1.97104031999031e17  # 197104031999031234 as Excel saves it


@pytest.mark.parametrize(
    ("value", "lost"),
    [
        (NIP_EXCEL, True),
        (197104031999031000, True),  # the same, written as a whole number
        (1234567890123450.0, True),  # 16 digits, the 16th lost
        (1.5, True),
        (1.1, True),
        (float("nan"), True),
        (198001012005011001, False),  # exact 18 digits: not Excel's
        (123456789012345, False),  # 15 digits fit
        (12, False),
        (12.0, False),
        (-3, False),
        (True, False),
        ("197104031999031000", False),  # text is what it says
        (None, False),
        (dt.datetime(2026, 3, 1), False),
    ],
)
def test_lost_digits(value: object, lost: bool) -> None:
    assert lost_digits(value) is lost


def _append(sheet: openpyxl.worksheet.worksheet.Worksheet, rows: list[list[object]]) -> None:
    for row in rows:
        sheet.append(row)


def test_numbers_in_identifier_columns_are_marked_and_other_types_kept(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    skp = book.active
    skp.title = "skp"
    _append(skp, [
        ["ID_INDIKATOR", "nip", "tahun", "rencana_hasil_kerja", "indikator", "aspek", "target", "satuan",
         "arah", "jenis", "id_indikator_atasan"],
        [12, 197104031999031000, 2026, "R", "I", "kuantitas", 12.5, "dok", "naik", "utama", None],
        ["I2", NIP_EXCEL, 2026.0, "R", "I", "waktu", 3, "hari", "turun", "utama", 1.5],
        ["I3", "197104031999031234", 2026, "R", "I", "biaya", 1e6, "rp", "turun", "tambahan", 12],
        [],
        ["I4", NIP_A, 2026, "R", "I", "kualitas", 0.25, "%", "naik", "utama", "I3"],
    ])
    realisasi = book.create_sheet("realisasi")
    _append(realisasi, [
        ["id_indikator", "periode", "realisasi", "bukti"],
        [12, dt.datetime(2026, 3, 1), 4.0, 7],
    ])
    book.save(tmp_path / "kinerja.xlsx")

    header, cells, lines, numbers = read_sheet_cells(tmp_path / "kinerja.xlsx", FILES["skp"])
    assert numbers.fillna("-").tolist() == ["nip", "nip,id_indikator_atasan", "-", "-", "-"]
    assert lines.tolist() == [2, 3, 4, 5, 6]

    frame, karantina = read_table(tmp_path, "skp")
    assert karantina.empty
    assert frame["_baris"].tolist() == [2, 3, 4, 6]  # the empty row is skipped, the marks stay aligned
    assert frame["_sel_angka"].fillna("-").tolist() == ["nip", "nip,id_indikator_atasan", "-", "-"]
    # the cells themselves read as before: the digits Excel kept, numbers and codes as text
    assert frame["nip"].tolist() == ["197104031999031000", "197104031999031000", "197104031999031234", NIP_A]
    assert frame["id_indikator"].tolist() == ["12", "I2", "I3", "I4"]
    assert frame["id_indikator_atasan"].tolist()[1:3] == ["1.5", "12"]
    assert frame["tahun"].tolist() == ["2026"] * 4
    assert frame["target"].tolist() == ["12.5", "3", "1000000", "0.25"]

    real, _ = read_table(tmp_path, "realisasi")
    assert "_sel_angka" not in real.columns  # no identifier cell lost anything
    assert real[["id_indikator", "periode", "realisasi", "bukti"]].values.tolist() == [
        ["12", "2026-03", "4", "7"]
    ]


BASE = Path(__file__).resolve().parents[1] / "data" / "bad" / "_base"  # P01..P10, IK01U..IK10T


def test_numeric_nips_are_quarantined_as_sel_angka_and_their_rows_cascade(tmp_path: Path) -> None:
    """Typed as numbers: P10's nip (pegawai line 11), P03's nip_atasan (line 4), the nip of P06's
    main indicator IK06U (skp line 12). Each is SEL_ANGKA (never NIP_URUT and the like, which Excel's
    zeros would break); the rows that depend on them follow; nothing is lost."""
    from contract.values import check_values

    numbers = {"pegawai": {11: ("nip",), 4: ("nip_atasan",)}, "skp": {12: ("nip",)}}
    workbook_from_csv(BASE, tmp_path, ["unit_kerja", "pegawai", "skp", "realisasi"], numbers)
    raw, read_q = read_inputs(tmp_path, ["unit_kerja", "pegawai", "skp", "realisasi"])
    frames, karantina, _ = check_values(raw, 2026, "validation")

    got = {(r.berkas, r.baris, r.kolom, r.kode_aturan) for r in karantina.itertuples()}
    want = {
        ("pegawai.csv", 11, "nip", "SEL_ANGKA"),
        ("pegawai.csv", 4, "nip_atasan", "SEL_ANGKA"),
        ("skp.csv", 12, "nip", "SEL_ANGKA"),
        # P10's indicators name its real NIP, which pegawai no longer has
        ("skp.csv", 20, "nip", "PEGAWAI_TIDAK_ADA"), ("skp.csv", 21, "nip", "PEGAWAI_TIDAK_ADA"),
        # P03's indicators: their employee's row is quarantined (no KASKADE: P02 is still P03's
        # supervisor, only the cell lost its digits)
        ("skp.csv", 6, "nip", "INDUK_DIKARANTINA"), ("skp.csv", 7, "nip", "INDUK_DIKARANTINA"),
        # the months of every quarantined indicator (IK03U/T, IK06U, IK10U/T)
        *{("realisasi.csv", line, "id_indikator", "INDUK_DIKARANTINA")
          for line in (10, 11, 12, 13, 22, 23, 38, 39, 40, 41)},
    }
    assert got == want
    # IK08U and IK09U cascade from IK06U: its owner's NIP is unknown, so they are not judged on it
    assert {"IK08U", "IK09U"} <= set(frames["skp"]["id_indikator"])

    row = karantina[(karantina["berkas"] == "pegawai.csv") & (karantina["baris"] == 11)].iloc[0]
    assert row["nilai"] == "198001012005011000"  # what Excel kept of 198001012005011010
    assert row["alasan"].startswith("nip '198001012005011000' tersimpan sebagai angka di Excel")
    assert "15 angka penting" in row["alasan"] and "Format kolom nip sebagai Teks" in row["alasan"]
    assert row["reason"].startswith("nip '198001012005011000' is stored as a number in Excel")
    assert "Format the nip column as Text, then re-enter or re-export" in row["reason"]

    for sheet in ("unit_kerja", "pegawai", "skp", "realisasi"):  # valid + quarantined = input
        records = set(raw[sheet]["_baris"])
        valid = set(frames[sheet]["_baris"])
        quarantined = set(karantina.loc[karantina["berkas"] == FILES[sheet].name, "baris"])
        assert not valid & quarantined and valid | quarantined == records, sheet
    assert read_q.empty and len(raw["realisasi"]) == 40


def test_a_whole_workbook_of_numeric_nips_is_sel_angka_only(tmp_path: Path) -> None:
    """Every NIP typed as a number (what a General-formatted export gives): each NIP cell is one
    SEL_ANGKA row; none of the other rules speaks about digits Excel made up."""
    from contract.values import check_values

    nips = {line: ("nip", "nip_atasan") for line in range(2, 12)}
    workbook_from_csv(BASE, tmp_path, ["unit_kerja", "pegawai", "skp"],
                      {"pegawai": nips, "skp": {line: ("nip",) for line in range(2, 22)}})
    raw, _ = read_inputs(tmp_path, ["unit_kerja", "pegawai", "skp"])
    frames, karantina, _ = check_values(raw, 2026, "plan-collection")

    assert set(karantina["kode_aturan"]) == {"SEL_ANGKA"}
    assert len(karantina) == 10 + 9 + 20  # nip of 10 employees, nip_atasan of 9, nip of 20 indicators
    assert frames["pegawai"].empty and frames["skp"].empty and len(frames["unit_kerja"]) == 5


# --------------------------------------------------------------------------- hostile workbooks
#
# Before openpyxl opens kinerja.xlsx: no .xlsx at all, an encrypted one, or one over the limits on its
# size on disk, its uncompressed size or its compression ratio (KINERJA_XLSX_MAKS_*) is one line;
# so is an XML entity declaration, which openpyxl refuses with defusedxml installed.

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10 if i > 1 else b"&lol;" * 10)
               for i in range(1, 10))
    + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1"'
    b' uniqueCount="1"><si><t>&lol9;</t></si></sst>'
)


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Set KINERJA_XLSX_MAKS_* variables for one test (settings are read again)."""
    from kinerja.settings import get_settings

    def set_limits(**values: float) -> None:
        for name, value in values.items():
            monkeypatch.setenv(f"KINERJA_XLSX_MAKS_{name.upper()}", str(value))
        get_settings.cache_clear()

    get_settings.cache_clear()
    yield set_limits
    get_settings.cache_clear()


def _zip(path: Path, members: dict[str, bytes], *, stored: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        for name, body in members.items():
            archive.writestr(name, body, zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED)
    return path


def _refused(path: Path, sheet: str = "skp") -> str:
    with pytest.raises(InputUnreadable) as caught:
        read_sheet_cells(path, FILES[sheet])
    message = str(caught.value)
    assert message.startswith("kinerja.xlsx: ") and "\n" not in message
    return message


def test_defusedxml_is_what_openpyxl_parses_with() -> None:
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True


def test_a_text_file_is_not_a_workbook(tmp_path: Path) -> None:
    (tmp_path / "kinerja.xlsx").write_text("nip,nama\n198001012005011001,Budi\n", encoding="utf-8")
    assert _refused(tmp_path / "kinerja.xlsx") == (
        "kinerja.xlsx: bukan workbook Excel (.xlsx) / not an Excel workbook")


def test_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "kinerja.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert "bukan workbook Excel (.xlsx): arsip zip tanpa [Content_Types].xml" in _refused(path)


def test_an_encrypted_workbook_asks_for_a_copy_without_password(tmp_path: Path) -> None:
    # what Excel saves with a password: an OLE compound file with an EncryptionInfo stream
    body = bytearray(OLE_SIGNATURE + bytes(4096))
    body[3000:3000] = "EncryptionInfo".encode("utf-16-le")
    (tmp_path / "kinerja.xlsx").write_bytes(bytes(body))
    assert _refused(tmp_path / "kinerja.xlsx") == (
        "kinerja.xlsx: terenkripsi (berkata sandi): simpan ulang tanpa kata sandi"
        " / encrypted (password-protected): save it again without a password")


def test_an_old_xls_under_the_workbooks_name_is_named_as_such(tmp_path: Path) -> None:
    (tmp_path / "kinerja.xlsx").write_bytes(OLE_SIGNATURE + "Workbook".encode("utf-16-le") + bytes(4096))
    message = _refused(tmp_path / "kinerja.xlsx")
    assert "Excel 97-2003 (.xls)" in message and "terenkripsi" not in message


def test_over_the_size_limit_names_the_setting(tmp_path: Path, limits: Callable[..., None]) -> None:
    _workbook(tmp_path / "kinerja.xlsx")
    assert read_sheet_cells(tmp_path / "kinerja.xlsx", FILES["pegawai"])[0] is not None  # fits by default
    limits(mb=0.001)
    message = _refused(tmp_path / "kinerja.xlsx")
    assert "ukuran berkas" in message and "melebihi batas 0.001 MB" in message
    assert "KINERJA_XLSX_MAKS_MB" in message


def test_over_the_uncompressed_limit_names_the_setting(tmp_path: Path, limits: Callable[..., None]) -> None:
    path = _zip(tmp_path / "kinerja.xlsx", {"xl/worksheets/sheet1.xml": os.urandom(MIB).hex().encode()})
    limits(uncompressed_mb=1)
    message = _refused(path)
    assert "ukuran terurai 2.0 MB melebihi batas 1 MB" in message
    assert "KINERJA_XLSX_MAKS_UNCOMPRESSED_MB" in message


def test_a_zip_bomb_is_refused_by_its_ratio(tmp_path: Path) -> None:
    # 20 MiB of zeros deflate to ~20 KiB: a ratio near 1000:1 against the default limit of 100:1
    path = _zip(tmp_path / "kinerja.xlsx", {"xl/sharedStrings.xml": bytes(20 * MIB)})
    message = _refused(path)
    assert re.search(r"rasio kompresi \d+:1 melebihi batas 100:1", message)
    assert "KINERJA_XLSX_MAKS_RASIO" in message


def test_a_bomb_beside_incompressible_bytes_is_refused_by_its_member(tmp_path: Path) -> None:
    # stored random bytes bring the whole archive's ratio under the limit; the member's stays over it
    path = _zip(tmp_path / "kinerja.xlsx",
                {"xl/media/image1.png": os.urandom(2 * MIB), "xl/sharedStrings.xml": bytes(20 * MIB)},
                stored=("xl/media/image1.png",))
    assert "bagian xl/sharedStrings.xml" in _refused(path)


def test_the_ratio_limit_is_a_setting(tmp_path: Path, limits: Callable[..., None]) -> None:
    path = _zip(tmp_path / "kinerja.xlsx", {"xl/sharedStrings.xml": bytes(20 * MIB)})
    limits(rasio=5000)
    assert "rasio" not in _refused(path)  # past the ratio check: openpyxl finds no workbook part


def _rewritten(source: Path, dest: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    """dest: the workbook `source` with its parts changed by `change` (name -> bytes, in place)."""
    with zipfile.ZipFile(source) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    change(parts)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, body in parts.items():
            dst.writestr(name, body)
    return dest


def _billion_laughs_as_shared_strings(parts: dict[str, bytes]) -> None:
    """openpyxl writes no shared strings: add the part and declare it, as Excel does."""
    parts["xl/sharedStrings.xml"] = BILLION_LAUGHS
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" /></Types>')


def test_an_entity_bomb_in_shared_strings_is_refused(tmp_path: Path) -> None:
    _workbook(tmp_path / "good.xlsx")
    path = _rewritten(tmp_path / "good.xlsx", tmp_path / "kinerja.xlsx", _billion_laughs_as_shared_strings)
    assert _refused(path) == (
        "kinerja.xlsx: XML berbahaya (entity) ditolak; simpan ulang dari Excel"
        " / dangerous XML (entities) refused; save it again from Excel")


def test_an_entity_in_a_sheet_is_refused(tmp_path: Path) -> None:
    def entity_in_unit_kerja(parts: dict[str, bytes]) -> None:
        sheet = "xl/worksheets/sheet1.xml"
        assert b"<t>Dinas A</t>" in parts[sheet]
        parts[sheet] = (b'<!DOCTYPE worksheet [<!ENTITY x "Dinas A">]>'
                        + parts[sheet].replace(b"<t>Dinas A</t>", b"<t>&x;</t>"))

    _workbook(tmp_path / "good.xlsx")
    path = _rewritten(tmp_path / "good.xlsx", tmp_path / "kinerja.xlsx", entity_in_unit_kerja)
    with pytest.raises(InputUnreadable, match="XML berbahaya"):
        read_sheet_cells(path, FILES["unit_kerja"])


def test_a_sheet_broken_past_its_start_is_one_line_when_its_rows_are_read(tmp_path: Path) -> None:
    def cut_pegawai(parts: dict[str, bytes]) -> None:
        sheet = "xl/worksheets/sheet2.xml"
        assert b"<t>Siti</t>" in parts[sheet]
        parts[sheet] = parts[sheet][: parts[sheet].index(b"<t>Siti</t>")] + b"<t>Si"

    _workbook(tmp_path / "good.xlsx")
    path = _rewritten(tmp_path / "good.xlsx", tmp_path / "kinerja.xlsx", cut_pegawai)
    assert read_sheet_cells(path, FILES["unit_kerja"])[0] is not None  # the other sheets still read
    assert _refused(path, "pegawai") == (
        "kinerja.xlsx: tidak bisa dibaca sebagai workbook Excel (ParseError)"
        " / cannot be read as an Excel workbook")
