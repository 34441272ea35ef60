"""The plan-collection flow end to end, as real Prefect flow runs under the test harness: valid rows stored,
bad rows quarantined, idempotent reruns, updates in place, and a gate that must fail."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from kinerja.errors import GateFailed
from models.db import get_engine
from tests.flows.stage_calls import TAHUN, count, csv_rows, data_rows, last_outcome, run

pytestmark = pytest.mark.slow


def test_plan_collection_loads_valid_rows_quarantines_bad_ones_and_reruns_idempotently(
    prefect_harness: None, demo_input: Path, tmp_path: Path, db_url: str
) -> None:
    out = tmp_path / "out"
    first = run("plan-collection", demo_input, out, db_url)

    karantina = csv_rows(out / str(TAHUN) / "karantina.csv")
    bad_pegawai = {int(r["baris"]) for r in karantina if r["berkas"] == "pegawai.csv"}
    bad_skp = {int(r["baris"]) for r in karantina if r["berkas"] == "skp.csv"}
    assert bad_pegawai and bad_skp, "the demo data carries deliberate bad rows"
    assert all(r["alasan"] and r["reason"] and r["kode_aturan"] for r in karantina)
    # nothing lost: every data row is either stored or quarantined
    assert count(db_url, "pegawai") == data_rows(demo_input / "pegawai.csv") - len(bad_pegawai)
    assert count(db_url, "indikator_skp") == data_rows(demo_input / "skp.csv") - len(bad_skp)
    assert (out / str(TAHUN) / "gerbang_plan-collection.html").exists()
    assert first["outcome"] == "berhasil"

    before = {t: count(db_url, t) for t in ("unit_kerja", "pegawai", "indikator_skp")}
    second = run("plan-collection", demo_input, out, db_url)
    assert {t: count(db_url, t) for t in before} == before
    assert second["counts"]["sama_dengan_stage_run"] == first["stage_run_id"]
    assert csv_rows(out / str(TAHUN) / "karantina.csv") == karantina


def test_plan_collection_updates_in_place_with_corrected_files(
    prefect_harness: None, demo_input: Path, tmp_path: Path, db_url: str
) -> None:
    folder = tmp_path / "input"
    folder.mkdir()
    for name in ("unit_kerja.csv", "pegawai.csv", "skp.csv"):
        (folder / name).write_bytes((demo_input / name).read_bytes())
    out = tmp_path / "out"
    run("plan-collection", folder, out, db_url)
    stored = count(db_url, "pegawai")

    pegawai = pd.read_csv(folder / "pegawai.csv", dtype=str, keep_default_na=False)
    nip = pegawai.loc[pegawai["nip_atasan"] != "", "nip"].iloc[0]
    pegawai.loc[pegawai["nip"] == nip, "nama"] = "Nama Sudah Dibetulkan"
    pegawai.to_csv(folder / "pegawai.csv", index=False, lineterminator="\n")
    run("plan-collection", folder, out, db_url)

    assert count(db_url, "pegawai") == stored
    with get_engine(db_url).connect() as conn:
        nama = conn.execute(text("select nama from pegawai where nip = :n and tahun = :t"),
                            {"n": nip, "t": TAHUN}).scalar()
    assert nama == "Nama Sudah Dibetulkan"


def test_a_gate_that_must_fail_stops_the_stage_and_keeps_every_row(
    prefect_harness: None, demo_input: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "input"
    folder.mkdir()
    for name in ("unit_kerja.csv", "skp.csv"):
        (folder / name).write_bytes((demo_input / name).read_bytes())
    pegawai = pd.read_csv(demo_input / "pegawai.csv", dtype=str, keep_default_na=False)
    broken = pegawai.index % 2 == 0
    pegawai.loc[broken, "nip"] = pegawai.loc[broken, "nip"].str[:10]  # half the NIPs too short
    pegawai.to_csv(folder / "pegawai.csv", index=False, lineterminator="\n")
    db = f"sqlite:///{tmp_path / 'k.db'}"

    with pytest.raises(GateFailed) as failure:
        run("plan-collection", folder, tmp_path / "out", db)

    report = tmp_path / "out" / str(TAHUN) / "gerbang_plan-collection.html"
    assert failure.value.report_path == report and report.exists()
    assert "GAGAL" in report.read_text(encoding="utf-8")
    karantina = csv_rows(tmp_path / "out" / str(TAHUN) / "karantina.csv")
    short = {int(r["baris"]) for r in karantina
             if r["berkas"] == "pegawai.csv" and r["kode_aturan"] == "NIP_FORMAT"}
    assert short == {i + 2 for i in pegawai.index[broken]}
    assert count(db, "pegawai") == 0, "a failed gate writes nothing"
    assert last_outcome(db) == "gerbang_gagal"


def test_stage_run_records_what_ran(prefect_harness: None, demo_input: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'k.db'}"
    result = run("plan-collection", demo_input, tmp_path / "out", db)
    with get_engine(db).connect() as conn:
        query = text("select * from stage_run where id = :i")
        row = conn.execute(query, {"i": result["stage_run_id"]}).mappings().one()
    checksums = json.loads(row["input_checksums"])
    assert set(checksums) == {"unit_kerja.csv", "pegawai.csv", "skp.csv"}
    assert all(len(v) == 64 for v in checksums.values())
    assert row["flow_run_name"] == f"plan-collection-{TAHUN}"
    assert row["ruleset_label"].startswith("permenpan-6-2022")
    assert row["outcome"] == "berhasil" and row["finished_at"] is not None
