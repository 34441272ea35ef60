"""`audit log`: each stage run of a year in one row, its counts summarised in a few words."""

from __future__ import annotations

import json

from sqlalchemy import Engine

from audit.chain import GENESIS, record_hash
from audit.digest import display_time
from audit.log import stage_run_log, summarise_counts
from models.stage_runs import insert_run, read_stage_runs, seal_run
from tests.audit.archive import TAHUN, ScoredYear, archive_year


def test_counts_summary_drops_input_rows_and_sums_written_rows():
    counts = {"pegawai": 150, "skp": 600, "dinilai": 148, "tidak_dinilai": 2,
              "predikat_final.Baik": 100, "predikat_final.Sangat Baik": 48,
              "hasil_penilaian_ditulis": 148, "capaian_indikator_ditulis": 590}
    assert summarise_counts(counts) == (
        "dinilai=148; tidak_dinilai=2; predikat_final: Baik 100, Sangat Baik 48; baris ditulis=738")


def test_counts_summary_of_a_run_that_wrote_nothing_new():
    counts = {"dinilai": 148, "hasil_penilaian_ditulis": 0, "sama_dengan_stage_run": 4}
    assert summarise_counts(counts) == "dinilai=148; sama_dengan_stage_run=4"
    assert summarise_counts({}) == ""


def test_log_lists_the_years_runs_with_their_seals(engine: Engine, scored_year: ScoredYear):
    plan_id, year_end_id = archive_year(engine, scored_year)
    log = stage_run_log(engine, TAHUN)
    runs = read_stage_runs(engine, TAHUN)
    assert log["id"].tolist() == [plan_id, year_end_id]
    assert log["tahap"].tolist() == ["plan-collection", "year-end"]
    assert log["urutan"].tolist() == [1, 2] and log["hasil"].tolist() == ["berhasil", "berhasil"]
    assert log["record_hash"].tolist() == [r["record_hash"][:16] for r in runs]
    assert log["mulai"].tolist() == [display_time(r["started_at"]) for r in runs]
    assert log["pengguna"].tolist() == ["auditor-test"] * 2
    plan = runs[0]
    pegawai_sha = json.loads(plan["input_checksums"])["pegawai.csv"]
    assert f"pegawai {pegawai_sha[:8]}" in log["input"].iloc[0]
    written = sum(v for k, v in json.loads(plan["counts"]).items() if k.endswith("_ditulis"))
    assert log["hitungan"].iloc[0] == f"baris ditulis={written}"
    assert stage_run_log(engine, TAHUN + 1).empty


def test_log_shows_each_input_file_with_its_rows(engine: Engine):
    rid = insert_run(engine, tahun=TAHUN, tahap="validation", flow_run_id="0123456789abcdef",
                     flow_run_name="validation-2026",
                     input_checksums=json.dumps({"pegawai.csv": "ab" * 32, "kinerja.xlsx": "cd" * 32}))
    seal_run(engine, rid, "gagal", {"pegawai": 150, "karantina": 3}, "gerbang gagal", "{}", GENESIS,
             record_hash)
    (row,) = stage_run_log(engine, TAHUN).to_dict("records")
    assert row["input"] == f"kinerja.xlsx {'cd' * 4}, pegawai {'ab' * 4} ×150"
    assert row["hitungan"] == "karantina=3"
    assert row["flow_run"] == "validation-2026 (01234567)" and row["hasil"] == "gagal"


def test_log_shows_rows_read_from_the_counts_a_stage_run_records_today(engine: Engine):
    rid = insert_run(engine, tahun=TAHUN, tahap="year-end", flow_run_id="0123456789abcdef",
                     flow_run_name="year-end-2026", input_checksums=json.dumps({"pegawai.csv": "ab" * 32}))
    seal_run(engine, rid, "berhasil", {"pegawai.dibaca": 150, "pegawai.sah": 141, "pegawai.dikarantina": 9,
                                       "dikarantina": 12}, None, "{}", GENESIS, record_hash)
    (row,) = stage_run_log(engine, TAHUN).to_dict("records")
    assert row["input"] == f"pegawai {'ab' * 4} ×150"
    assert row["hitungan"] == "dikarantina=12"
