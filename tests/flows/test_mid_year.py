"""The mid-year flow end to end: every monitored indicator stored and in the CSV, a page per unit; and a
batch without realisation rows that must fail its gate."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from kinerja.errors import GateFailed
from models.db import get_engine
from tests.flows.stage_calls import TAHUN, count, header_only, last_outcome, missing_outputs, run

pytestmark = pytest.mark.slow


def test_mid_year_monitors_stores_and_reports_every_indicator(
    prefect_harness: None, demo_input: Path, tmp_path: Path, db_url: str
) -> None:
    result = run("mid-year", demo_input, tmp_path / "out", db_url)

    year = tmp_path / "out" / str(TAHUN)
    assert result["outcome"] == "berhasil"
    assert missing_outputs("mid-year", year) == []
    assert all(Path(p).exists() for p in result["reports"])
    csv = pd.read_csv(year / "pemantauan_tengah_tahun.csv", dtype=str)
    with get_engine(db_url).connect() as conn:
        stored = conn.execute(text("select id_indikator, status from pemantauan where tahun = :t"),
                              {"t": TAHUN}).all()
    assert dict(stored) == dict(zip(csv["id_indikator"], csv["status"], strict=True))
    counts = result["counts"]
    assert counts["indikator_dipantau"] == counts["pemantauan_ditulis"] == len(csv) > 0
    assert {status: counts[status] for status in set(csv["status"])} == csv["status"].value_counts().to_dict()
    units = set(pd.read_csv(demo_input / "unit_kerja.csv", dtype=str)["kode_unit"])
    pages = {p.name for p in year.glob("pemantauan_*.html")}
    assert pages and pages <= {f"pemantauan_{kode}.html" for kode in units}


def test_mid_year_without_realisation_rows_stops_at_its_gate(
    prefect_harness: None, demo_input: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "input"
    shutil.copytree(demo_input, folder)
    header_only(folder, "realisasi.csv")
    db = f"sqlite:///{tmp_path / 'k.db'}"

    with pytest.raises(GateFailed) as failure:
        run("mid-year", folder, tmp_path / "out", db)

    report = tmp_path / "out" / str(TAHUN) / "gerbang_mid-year.html"
    assert failure.value.report_path == report
    assert "GAGAL" in report.read_text(encoding="utf-8")
    assert not (report.parent / "pemantauan_tengah_tahun.csv").exists()
    assert count(db, "pemantauan") == 0, "a failed gate writes nothing"
    assert last_outcome(db) == "gerbang_gagal"
