"""The validation flow end to end: completeness per unit in its gate report, and a decreasing cumulative
realisation that warns without stopping the stage."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.flows.stage_calls import TAHUN, csv_rows, run

pytestmark = pytest.mark.slow


def test_validation_reports_completeness_per_unit(
    prefect_harness: None, demo_input: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'k.db'}"
    result = run("validation", demo_input, tmp_path / "out", db)
    html = (tmp_path / "out" / str(TAHUN) / "gerbang_validation.html").read_text(encoding="utf-8")
    units = pd.read_csv(demo_input / "unit_kerja.csv", dtype=str)
    assert result["counts"]["unit"] == len(units)
    assert "LULUS" in html
    assert units["kode_unit"].iloc[0] in html
    assert "pegawai.atasan.siklus" in html and "skp.kaskade" in html


def test_a_decreasing_cumulative_realisation_is_a_warning_not_a_stop(
    prefect_harness: None, demo_input: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "input"
    shutil.copytree(demo_input, folder)
    realisasi = pd.read_csv(folder / "realisasi.csv", dtype=str, keep_default_na=False)
    skp = pd.read_csv(folder / "skp.csv", dtype=str, keep_default_na=False)
    naik = set(skp.loc[skp["arah"] == "naik", "id_indikator"])
    row = realisasi.index[realisasi["id_indikator"].isin(naik) & realisasi["periode"].str.endswith("-12")][0]
    realisasi.loc[row, "realisasi"] = "0"
    realisasi.to_csv(folder / "realisasi.csv", index=False, lineterminator="\n")

    result = run("validation", folder, tmp_path / "out", f"sqlite:///{tmp_path / 'k.db'}")

    assert result["outcome"] == "berhasil" and result["counts"]["peringatan"] >= 1
    html = (tmp_path / "out" / str(TAHUN) / "gerbang_validation.html").read_text(encoding="utf-8")
    assert "peringatan.realisasi_turun" in html
    karantina = csv_rows(tmp_path / "out" / str(TAHUN) / "karantina.csv")
    assert not [r for r in karantina if r["berkas"] == "realisasi.csv" and int(r["baris"]) == row + 2]


def test_a_workbook_with_a_numeric_nip_quarantines_it_by_sheet_and_row(
    prefect_harness: None, tmp_path: Path
) -> None:
    """kinerja.xlsx (unit_kerja, pegawai, skp) whose P10 NIP was typed as a number (Excel saves
    1.98001012005011E+17), the other files as CSV: karantina.csv names the sheet and its row, with
    SEL_ANGKA and a reason that says how to fix it; P10's rows elsewhere no longer find their
    employee; every row is valid or quarantined."""
    from tests.contract.input_files import workbook_from_csv

    base = Path(__file__).resolve().parents[1] / "data" / "bad" / "_base"
    folder = tmp_path / "input"
    shutil.copytree(base, folder)
    workbook_from_csv(base, folder, ["unit_kerja", "pegawai", "skp"], {"pegawai": {11: ("nip",)}})
    for sheet in ("unit_kerja", "pegawai", "skp"):
        (folder / f"{sheet}.csv").unlink()

    result = run("validation", folder, tmp_path / "out", f"sqlite:///{tmp_path / 'k.db'}")

    assert result["outcome"] == "berhasil"
    karantina = csv_rows(tmp_path / "out" / str(TAHUN) / "karantina.csv")
    by_file: dict[str, list[tuple[int, str, str]]] = {}
    for r in karantina:
        by_file.setdefault(r["berkas"], []).append((int(r["baris"]), r["kolom"], r["kode_aturan"]))
    assert by_file.pop("kinerja.xlsx:pegawai") == [(11, "nip", "SEL_ANGKA")]
    assert by_file.pop("kinerja.xlsx:skp") == [(n, "nip", "PEGAWAI_TIDAK_ADA") for n in (20, 21)]
    # the CSV files keep their names: P10's realisations follow its quarantined indicators
    assert sorted(by_file.pop("realisasi.csv")) == [(n, "id_indikator", "INDUK_DIKARANTINA")
                                                   for n in (38, 39, 40, 41)]
    # the rest: P10's ratings, feedback and training, which name its real NIP (text in the CSVs)
    rest = [r for r in karantina if r["berkas"] in by_file]
    assert rest and all(r["berkas"].endswith(".csv") for r in rest)
    assert {(r["kode_aturan"], r["nilai"]) for r in rest} == {("PEGAWAI_TIDAK_ADA", "198001012005011010")}
    assert not [r for r in karantina if r["kode_aturan"].startswith("NIP_")]

    row = next(r for r in karantina if r["kode_aturan"] == "SEL_ANGKA")
    assert row["nilai"] == "198001012005011000" and row["tahap"] == "validation"
    assert "tersimpan sebagai angka di Excel" in row["alasan"] and "sebagai Teks" in row["alasan"]
    assert "ketik ulang atau ekspor ulang" in row["alasan"]
    assert "stored as a number in Excel" in row["reason"] and "the digits after the 15th" in row["reason"]
    assert "Format the nip column as Text, then re-enter or re-export" in row["reason"]
