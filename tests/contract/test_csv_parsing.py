"""CSV bytes into cells: ragged rows, line breaks inside values, line numbers, unreadable files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from contract import csv_parsing
from contract.csv_parsing import read_csv_cells
from contract.reader import read_table
from contract.schema import FILES
from kinerja.errors import InputUnreadable
from tests.contract.input_files import write

SKP_HEADER = "id_indikator,nip,tahun,rencana_hasil_kerja,indikator,aspek,target,satuan,arah,jenis\n"


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


def test_not_utf8_names_line(tmp_path: Path) -> None:
    write(tmp_path, "unit_kerja.csv",
          b"kode_unit,nama_unit,kode_instansi,nama_instansi\nU1,Dinas \xe9,I1,P\n")
    with pytest.raises(InputUnreadable, match=r"unit_kerja.csv: bukan UTF-8 \(byte 0xe9 di baris 2"):
        read_table(tmp_path, "unit_kerja")


@pytest.mark.parametrize(
    ("content", "pesan"),
    [(b"", "berkas kosong"), (b"PK\x03\x04\x00\x00binary", "biner"), (b"\xff\xfek\x00", "UTF-16")],
)
def test_empty_or_binary_file(tmp_path: Path, content: bytes, pesan: str) -> None:
    write(tmp_path, "unit_kerja.csv", content)
    with pytest.raises(InputUnreadable, match=pesan):
        read_table(tmp_path, "unit_kerja")


def test_separator_header_and_bom(tmp_path: Path) -> None:
    path = write(tmp_path, "realisasi.csv", "\ufeffid_indikator;periode;realisasi\nI1;2026-01;1,5\n")
    header, cells, lines, sep = read_csv_cells(path, FILES["realisasi"])
    assert sep == ";" and header == ["id_indikator", "periode", "realisasi"]
    assert cells.values.tolist() == [["I1", "2026-01", "1,5"]] and lines.tolist() == [2]
    path = write(tmp_path, "realisasi.csv", 'id_indikator,periode,"realisasi; bukti"\nI1,2026-01,1\n')
    assert read_csv_cells(path, FILES["realisasi"])[3] == ","  # more commas than semicolons


def test_ragged_and_multiline_rows_together(tmp_path: Path) -> None:
    """Neither Arrow nor pandas' C parser takes these: the csv module does, line numbers intact."""
    text = 'id_indikator,periode,realisasi\nI0,2026-01,1\nI1,"2026\n-01",1,lebih\nI2,2026-02\n'
    path = write(tmp_path, "realisasi.csv", text)
    _, cells, lines, _ = read_csv_cells(path, FILES["realisasi"])
    assert cells["c0"].tolist() == ["I0", "I1", "I2"] and cells["c3"].tolist() == ["", "lebih", ""]
    assert lines.tolist() == [2, 3, 5]


@pytest.mark.xfail(strict=True, reason="known: pandas takes the first column as the index when the "
                   "first record spans lines and has one field more than any single line shows")
def test_ragged_multiline_first_record(tmp_path: Path) -> None:
    text = 'id_indikator,periode,realisasi\nI1,"2026\n-01",1,lebih\nI2,2026-02\n'
    path = write(tmp_path, "realisasi.csv", text)
    _, cells, _, _ = read_csv_cells(path, FILES["realisasi"])
    assert cells["c0"].tolist() == ["I1", "I2"]


def test_old_mac_line_ends_count_cell_by_cell(tmp_path: Path) -> None:
    path = write(tmp_path, "realisasi.csv", 'id_indikator,periode,realisasi\nI1,2026-01,"1"\r')
    _, cells, lines, _ = read_csv_cells(path, FILES["realisasi"])
    assert np.array_equal(lines, [2]) and cells["c2"].tolist() == ["1"]


def test_a_file_that_cannot_be_opened(tmp_path: Path) -> None:
    (tmp_path / "skp.csv").mkdir()
    with pytest.raises(InputUnreadable, match="skp.csv: tidak bisa dibuka"):
        read_csv_cells(tmp_path / "skp.csv", FILES["skp"])


def test_text_columns_come_as_one_chunk_whatever_the_parser_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parser gives one chunk per block; every text column of the frame is joined into one (rows
    taken from it in batches would join the chunks again on every batch), the values as read."""
    rows = [f"SWL-{i:06d}-01,1980{i:014d},2026,RHK {i},Indikator {i % 7},kuantitas,{i},dok,naik,utama"
            for i in range(3_000)]
    write(tmp_path, "skp.csv", SKP_HEADER + "\n".join(rows) + "\n")
    whole, _ = read_table(tmp_path, "skp")
    monkeypatch.setattr(csv_parsing, "_BLOCK", 4096)  # ~40 blocks
    header, cells, _, _ = read_csv_cells(tmp_path / "skp.csv", FILES["skp"])
    assert cells["c0"].array.__arrow_array__().num_chunks == 1
    assert cells["c6"].array.__arrow_array__().num_chunks > 10, "numbers are left as the parser gave them"
    frame, _ = read_table(tmp_path, "skp")
    for kolom in ("id_indikator", "nip", "rencana_hasil_kerja", "indikator"):
        assert frame[kolom].array.__arrow_array__().num_chunks == 1, kolom
    pd.testing.assert_frame_equal(frame, whole)
