"""The demo CSV writer: contract columns, quoting only where needed, LF, rows written in batches."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pyarrow as pa

from contract.schema import FILES
from kinerja.demo.csv_writer import HEADERS, TEXT_COLUMNS, CsvWriter, write_sheet


def test_headers_follow_the_contract() -> None:
    assert set(HEADERS) == set(FILES)
    for sheet, header in HEADERS.items():
        assert set(FILES[sheet].required) <= set(header) <= set(FILES[sheet].columns), sheet
        assert len(set(header)) == len(header), sheet
    every_column = {c for header in HEADERS.values() for c in header}
    assert TEXT_COLUMNS <= every_column


def test_only_free_text_columns_are_quoted(tmp_path: Path) -> None:
    """A code with a comma stays unquoted: the broken rows the demo writes on purpose stay broken."""
    write_sheet(tmp_path, "katalog_pelatihan", {
        "kode_pelatihan": pa.array(["PLT,1"]), "nama_pelatihan": pa.array(['Kursus "A", lanjut']),
        "kompetensi": pa.array([None]), "jp": pa.array(["8\n"])})
    text = (tmp_path / FILES["katalog_pelatihan"].name).read_bytes()
    assert text.split(b"\n", 1)[1] == b'PLT,1,"Kursus ""A"", lanjut",,8\n\n'


def test_writer_round_trips_through_the_csv_module(tmp_path: Path) -> None:
    writer = CsvWriter(tmp_path, "umpan_balik")
    writer.write({"nip": np.asarray([1, 2]), "dari_nip": pa.array(["9", "9"]),
                  "tanggal": pa.array(["2026-01-02", "2026-01-03"]),
                  "jenis": pa.array(["coaching", "mentoring"]),
                  "catatan": pa.array(['Baik, "sekali"', None])})
    writer.write({k: pa.array([], pa.string()) for k in HEADERS["umpan_balik"]})
    writer.write({k: pa.array(["z"]) for k in HEADERS["umpan_balik"]})
    assert writer.close() == 3
    raw = (tmp_path / "umpan_balik.csv").read_bytes()
    assert b"\r" not in raw and raw.endswith(b"\n")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    assert rows[0] == list(HEADERS["umpan_balik"])
    assert rows[1] == ["1", "9", "2026-01-02", "coaching", 'Baik, "sekali"']
    assert rows[2] == ["2", "9", "2026-01-03", "mentoring", ""]
    assert rows[3] == ["z"] * 5


def test_write_sheet_uses_the_contract_file_name(tmp_path: Path) -> None:
    n = write_sheet(tmp_path, "katalog_pelatihan", {
        "kode_pelatihan": pa.array(["PLT-001"]), "nama_pelatihan": pa.array(["Pelatihan"]),
        "kompetensi": pa.array(["loyal"]), "jp": np.asarray([8])})
    assert n == 1
    text = (tmp_path / FILES["katalog_pelatihan"].name).read_text("utf-8")
    assert text == "kode_pelatihan,nama_pelatihan,kompetensi,jp\nPLT-001,Pelatihan,loyal,8\n"
