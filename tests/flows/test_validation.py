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
