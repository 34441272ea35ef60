"""A stage run's record: opened, rows written all or nothing, gate kept, closed and sealed — on SQLite and
PostgreSQL. write_tables logs through Prefect, so it runs inside a real flow under the session harness."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import pandas as pd
import pytest
from prefect import flow

from audit import digest as digest_module
from audit.chain import GENESIS, digests_json, record_hash
from audit.digest import result_digests
from models import stage_runs
from models.db import read_frame
from stages import records
from stages.cache import ProcessCache
from stages.context import StageContext
from stages.records import (
    close_interrupted_runs,
    close_stage_run,
    open_stage_run,
    store_gate,
    write_tables,
)
from tests.support import crash

TAHUN = 2026
T = TypeVar("T")

UNIT_KERJA = pd.DataFrame({
    "kode_unit": ["U2", "U1"], "nama_unit": ["Bidang\tDua", "Bidang Satu"],
    "kode_instansi": ["I1", "I1"], "nama_instansi": ["Dinas Ñ", "Dinas Ñ"],
    "predikat_organisasi": ["Baik", None],
})
PEGAWAI = pd.DataFrame({
    "nip": ["199001012015011003", "198001012005011001", "198501012010011002"],
    "nama": ["Citra", "Adi \\ Putra", "Budi\nSantoso"], "kode_unit": ["U2", "U1", "U1"],
    "jabatan": ["Analis", "Kepala", "Analis"], "jenis_jabatan": ["fungsional", "struktural", "pelaksana"],
    "nip_atasan": ["198001012005011001", None, "198001012005011001"], "email": [None, "a@x.id", ""],
})
PEMANTAUAN = pd.DataFrame({
    "id_indikator": ["IK3", "IK1", "IK2"], "nip": ["198501012010011002"] * 3,
    "target": [100.0, 12.5, 1e-7], "realisasi": [float("nan"), 6.25, 0.1 + 0.2],
    "capaian_persen": [0.0, 50.0, 120.0], "proyeksi_akhir_tahun": [None, 12.5, 0.3],
    "status": ["tertinggal", "tertinggal", "sesuai_jalur"],
})
TABLES = {"unit_kerja": UNIT_KERJA, "pegawai": PEGAWAI, "pemantauan": PEMANTAUAN}
GATE = pd.DataFrame({
    "kode": ["G01", "G02"], "berkas": ["pegawai.csv", "skp.csv"], "deskripsi": ["nip unik", "target > 0"],
    "sumber": ["gx", "aturan"], "lulus": [True, False], "diperiksa": [3, 10], "gagal": [0, 1],
    "ambang": ["0", "5%"],
})
KARANTINA = pd.DataFrame({
    "tahap": ["plan-collection"], "berkas": ["skp.csv"], "baris": [4], "kolom": ["target"], "nilai": ["0"],
    "kode_aturan": ["TARGET"], "alasan": ["target harus > 0"], "reason": ["target must be > 0"],
})


def in_flow(work: Callable[[], T]) -> T:
    """Run `work` inside a real Prefect flow run (write_tables logs through get_run_logger)."""

    @flow(name="stage-records-test")
    def records_test() -> T:
        return work()

    return records_test()


@pytest.fixture
def new_context(db_url: str, tmp_path: Path) -> Callable[..., StageContext]:
    """Stage contexts on the test's database, each with its own cache (no state shared with other tests)."""

    def make(tahap: str = "plan-collection", **fields: object) -> StageContext:
        values = {"checksums": {"pegawai.csv": "c1", "skp.csv": "c2"}} | fields
        return StageContext(tahap=tahap, tahun=TAHUN, input_dir=tmp_path / "in", output_root=tmp_path / "out",
                            db_url=db_url, ruleset_name="bawaan", cache=ProcessCache(read_budget_bytes=0),
                            **values)

    return make


def _record(ctx: StageContext, stage_run_id: int | None = None) -> dict:
    wanted = ctx.stage_run_id if stage_run_id is None else stage_run_id
    return next(r for r in stage_runs.read_stage_runs(ctx.engine) if r["id"] == wanted)


@pytest.fixture
def read_back(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The tables whose rows sealing reads back from the database (instead of taking `written`)."""
    tables: list[str] = []
    real = digest_module.table_digest

    def reading(engine, name: str, stage_run_id: int) -> dict:
        tables.append(name)
        return real(engine, name, stage_run_id)

    monkeypatch.setattr(digest_module, "table_digest", reading)
    yield tables


# ---------------------------------------------------------------- open, write, seal


def test_open_records_a_running_stage_run(new_context) -> None:
    ctx = open_stage_run(new_context(flow_run_name="uji"), "bawaan 1.0", "rs1")
    record = _record(ctx)
    assert ctx.stage_run_id == record["id"] > 0
    assert record["outcome"] == "berjalan" and record["record_hash"] is None
    assert (record["tahap"], record["tahun"], record["flow_run_name"]) == ("plan-collection", TAHUN, "uji")
    assert json.loads(record["input_checksums"]) == ctx.checksums
    assert (record["ruleset_label"], record["ruleset_checksum"]) == ("bawaan 1.0", "rs1")
    assert record["code_version"]


def test_rows_are_written_and_sealed_with_the_digests_kept_at_write_time(
    prefect_harness, new_context, read_back
) -> None:
    ctx = open_stage_run(new_context(), "bawaan 1.0", "rs1")
    store_gate(ctx, GATE, KARANTINA)
    counts = in_flow(lambda: write_tables(ctx, TABLES))

    assert counts == {"unit_kerja_ditulis": 2, "pegawai_ditulis": 3, "pemantauan_ditulis": 3}
    written = set(ctx.written)
    assert written == {"gate_check", "karantina", *TABLES}
    assert ctx.written["pegawai"]["baris"] == 3

    close_stage_run(ctx, "berhasil", counts)

    assert not written & set(read_back), f"sealing read back {sorted(written & set(read_back))}"
    assert ctx.written == {}
    record = _record(ctx)
    read_back.clear()
    from_database = result_digests(ctx.engine, ctx.stage_run_id)  # every table read back
    assert written <= set(read_back)
    assert record["hasil_digest"] == digests_json(from_database)
    assert {name: d["baris"] for name, d in json.loads(record["hasil_digest"]).items()} == {
        "gate_check": 2, "karantina": 1, "unit_kerja": 2, "pegawai": 3, "pemantauan": 3}
    assert record["outcome"] == "berhasil" and json.loads(record["counts"]) == counts
    assert record["prev_hash"] == GENESIS and record["urutan_rantai"] == 1
    assert record["record_hash"] == record_hash(record)
    head = stage_runs.read_chain_head(ctx.engine)
    assert (head["jumlah"], head["kepala_stage_run_id"], head["kepala_hash"]) == (
        1, ctx.stage_run_id, record["record_hash"])

    rows = read_frame(ctx.engine, "SELECT nip, tahun, stage_run_id, nip_atasan FROM pegawai ORDER BY nip")
    assert list(rows["nip"]) == sorted(PEGAWAI["nip"])
    assert set(rows["tahun"]) == {TAHUN} and set(rows["stage_run_id"]) == {ctx.stage_run_id}
    assert rows["nip_atasan"].isna().sum() == 1


def test_an_identical_second_run_writes_nothing(prefect_harness, new_context) -> None:
    first = open_stage_run(new_context(), "bawaan 1.0", "rs1")
    counts = in_flow(lambda: write_tables(first, TABLES))
    close_stage_run(first, "berhasil", counts)

    second = open_stage_run(new_context(), "bawaan 1.0", "rs1")
    again = in_flow(lambda: write_tables(second, {"pegawai": PEGAWAI.iloc[:1]}))

    assert again == {"pegawai_ditulis": 0, "sama_dengan_stage_run": first.stage_run_id}
    assert second.written == {}
    owners = read_frame(second.engine, "SELECT DISTINCT stage_run_id FROM pegawai")
    assert list(owners["stage_run_id"]) == [first.stage_run_id]

    other_input = new_context(checksums={"pegawai.csv": "c9", "skp.csv": "c2"})
    changed = open_stage_run(other_input, "bawaan 1.0", "rs1")
    third = in_flow(lambda: write_tables(changed, {"pegawai": PEGAWAI.iloc[:1]}))
    assert third == {"pegawai_ditulis": 1}
    rows = read_frame(changed.engine, "SELECT stage_run_id FROM pegawai")
    assert list(rows["stage_run_id"]) == [changed.stage_run_id]  # this year's rows replaced


def test_a_sealed_record_is_left_alone(new_context) -> None:
    ctx = open_stage_run(new_context(), "bawaan 1.0", "rs1")
    close_stage_run(ctx, "gagal", {"gerbang": 1}, "gerbang gagal")
    sealed = _record(ctx)
    close_stage_run(ctx, "berhasil", {})
    assert _record(ctx) == sealed
    assert sealed["hasil_digest"] == "{}" and sealed["outcome"] == "gagal"


# ---------------------------------------------------------------- interrupted runs


def test_close_interrupted_runs_seals_running_records_as_terputus(new_context) -> None:
    killed = open_stage_run(new_context(), "bawaan 1.0", "rs1")
    other_stage = open_stage_run(new_context("validation"), "bawaan 1.0", "rs1")
    other_year = open_stage_run(replace(new_context(), tahun=TAHUN - 1), "bawaan 1.0", "rs1")
    current = open_stage_run(new_context(), "bawaan 1.0", "rs1")

    assert close_interrupted_runs(current) == [killed.stage_run_id]

    closed = _record(current, killed.stage_run_id)
    assert closed["outcome"] == "terputus" and "berhenti sebelum selesai" in closed["pesan"]
    assert closed["record_hash"] == record_hash(closed) and closed["prev_hash"] == GENESIS
    assert closed["hasil_digest"] == "{}"
    for untouched in (current, other_stage, other_year):
        assert _record(current, untouched.stage_run_id)["outcome"] == "berjalan"
    assert close_interrupted_runs(current) == []


def test_an_interrupted_run_is_sealed_with_the_rows_it_committed(prefect_harness, new_context) -> None:
    killed = open_stage_run(new_context(), "bawaan 1.0", "rs1")
    in_flow(lambda: write_tables(killed, {"pegawai": PEGAWAI}))
    current = open_stage_run(new_context(), "bawaan 1.0", "rs1")
    close_interrupted_runs(current)
    sealed = json.loads(_record(current, killed.stage_run_id)["hasil_digest"])
    assert sealed == result_digests(current.engine, killed.stage_run_id)
    assert sealed["pegawai"]["baris"] == 3


# ---------------------------------------------------------------- the gate


def test_store_gate_keeps_checks_and_quarantined_rows(new_context) -> None:
    ctx = open_stage_run(new_context(), "bawaan 1.0", "rs1")
    store_gate(ctx, GATE.iloc[:1], KARANTINA)
    store_gate(ctx, GATE, KARANTINA)  # a second call replaces the run's rows, it does not add to them

    checks = read_frame(ctx.engine, "SELECT * FROM gate_check ORDER BY kode")
    assert list(checks["kode"]) == ["G01", "G02"] and set(checks["stage_run_id"]) == {ctx.stage_run_id}
    assert [bool(v) for v in checks["lulus"]] == [True, False] and list(checks["gagal"]) == [0, 1]
    quarantined = read_frame(ctx.engine, "SELECT * FROM karantina")
    assert len(quarantined) == 1
    row = quarantined.iloc[0]
    assert (row["berkas"], int(row["baris"]), row["kode_aturan"]) == ("skp.csv", 4, "TARGET")
    assert (int(row["tahun"]), int(row["stage_run_id"])) == (TAHUN, ctx.stage_run_id)
    assert ctx.written["gate_check"]["baris"] == 2 and ctx.written["karantina"]["baris"] == 1


def test_store_gate_without_quarantine_forgets_an_earlier_digest(new_context) -> None:
    ctx = open_stage_run(new_context(), "bawaan 1.0", "rs1")
    store_gate(ctx, GATE, KARANTINA)
    store_gate(ctx, GATE, KARANTINA.iloc[:0])
    assert read_frame(ctx.engine, "SELECT COUNT(*) AS n FROM karantina")["n"].iloc[0] == 0
    assert ctx.written["karantina"]["baris"] == 0
    close_stage_run(ctx, "gagal", {})
    assert set(json.loads(_record(ctx)["hasil_digest"])) == {"gate_check"}


# ---------------------------------------------------------------- the checkpoint hook


def test_checkpoint_does_nothing_by_default() -> None:
    for point in ("tulis-mulai", "tulis-tengah", "tulis-akhir", "tulis-selesai"):
        assert records.checkpoint(point) is None


def test_a_replaced_checkpoint_sees_every_point_of_the_write(
    prefect_harness, new_context, monkeypatch: pytest.MonkeyPatch
) -> None:
    reached: list[str] = []
    monkeypatch.setattr(records, "checkpoint", reached.append)
    ctx = open_stage_run(new_context(), "bawaan 1.0", "rs1")
    in_flow(lambda: write_tables(ctx, TABLES))
    assert reached == ["tulis-mulai", "tulis-tengah", "tulis-tengah", "tulis-tengah", "tulis-akhir",
                       "tulis-selesai"]


class Killed(Exception):
    """Stands in for SIGKILL: the process stops at the checkpoint."""


@pytest.mark.parametrize("point", ["tulis-tengah", "tulis-akhir"])
def test_a_crash_installed_at_a_checkpoint_leaves_no_rows(
    prefect_harness, new_context, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    """tests/support/crash.py's fault, with the kill replaced by an exception: the transaction rolls back."""
    monkeypatch.setattr(records, "checkpoint", records.checkpoint)  # restored after the test
    kills: list[int] = []

    def kill(pid: int, signal: int) -> None:
        kills.append(signal)
        raise Killed(point)

    monkeypatch.setattr(crash.os, "kill", kill)
    crash.install(point)
    ctx = open_stage_run(new_context(), "bawaan 1.0", "rs1")

    with pytest.raises(Killed):
        in_flow(lambda: write_tables(ctx, TABLES))

    assert kills == [crash.signal.SIGKILL]
    for name in TABLES:
        assert read_frame(ctx.engine, f"SELECT COUNT(*) AS n FROM {name}")["n"].iloc[0] == 0
    assert ctx.written == {}  # nothing committed, nothing remembered
