"""Where an input file is and what its bytes are: lookup by name, checksums, the files a stage reads."""

from __future__ import annotations

import hashlib
from pathlib import Path

from contract.files import (
    WORKBOOK,
    berkas_name,
    file_checksum,
    find_file,
    recorded_checksum,
    sha256_of_inputs,
    source_of,
    stage_checksums,
)
from stages import registry
from tests.contract.input_files import SKP_KOMA, write


def test_find_file_matches_the_name_in_any_case(tmp_path: Path) -> None:
    write(tmp_path, "SKP.CSV", "x")
    assert find_file(tmp_path, "skp.csv") == tmp_path / "SKP.CSV"
    write(tmp_path, "skp.csv", "y")
    assert find_file(tmp_path, "skp.csv") == tmp_path / "skp.csv"  # the exact name first
    (tmp_path / "pegawai.csv").mkdir()
    assert find_file(tmp_path, "pegawai.csv") is None
    assert find_file(tmp_path / "tidak-ada", "skp.csv") is None


def test_source_of_is_the_csv_else_the_workbook(tmp_path: Path) -> None:
    assert source_of(tmp_path, "skp") is None
    write(tmp_path, WORKBOOK, "book")
    assert source_of(tmp_path, "skp") == tmp_path / WORKBOOK
    write(tmp_path, "skp.csv", "csv")
    assert source_of(tmp_path, "skp") == tmp_path / "skp.csv"


def test_file_checksum_is_the_sha256_of_the_bytes(tmp_path: Path) -> None:
    data = bytes(range(256)) * 5000  # more than one block
    path = write(tmp_path, "skp.csv", data)
    assert file_checksum(path) == hashlib.sha256(data).hexdigest()


def test_checksums_of_csv_files(tmp_path: Path) -> None:
    write(tmp_path, "skp.csv", SKP_KOMA)
    sums = sha256_of_inputs(tmp_path, ["skp", "realisasi"])
    assert list(sums) == ["skp.csv"] and len(sums["skp.csv"]) == 64


def test_sha256_of_inputs_counts_the_workbook_once(tmp_path: Path) -> None:
    write(tmp_path, WORKBOOK, "book")
    write(tmp_path, "Skp.csv", "csv")
    sums = sha256_of_inputs(tmp_path, ["unit_kerja", "skp", "pegawai"])
    assert sums == {"Skp.csv": hashlib.sha256(b"csv").hexdigest(),
                    WORKBOOK: hashlib.sha256(b"book").hexdigest()}


def test_recorded_checksum_of_a_sheet() -> None:
    sums = {"SKP.csv": "a", WORKBOOK: "b"}
    assert recorded_checksum(sums, "skp") == "a"
    assert recorded_checksum(sums, "pegawai") == "b"
    assert recorded_checksum({"skp.csv": "a"}, "pegawai") is None


def test_stage_checksums_keep_the_stage_files_and_the_workbook() -> None:
    first = registry.get(registry.names()[0])
    unread = next(s for s in ("katalog_pelatihan", "realisasi") if s not in first.inputs)
    sums = {f"{s}.csv".upper(): s for s in (*first.inputs, unread)} | {WORKBOOK: "book"}
    kept = stage_checksums(sums, first.name)
    assert kept == {f"{s}.csv": s for s in first.inputs} | {WORKBOOK: "book"}


def test_berkas_name_is_the_csv_or_the_workbook_sheet(tmp_path: Path) -> None:
    write(tmp_path, "skp.csv", SKP_KOMA)
    assert berkas_name(tmp_path, "pegawai") == "pegawai.csv"  # no file at all: the contract's name
    write(tmp_path, "Kinerja.XLSX", b"PK")
    assert berkas_name(tmp_path, "skp") == "skp.csv"  # the CSV wins
    assert berkas_name(tmp_path, "pegawai") == "Kinerja.XLSX:pegawai"
