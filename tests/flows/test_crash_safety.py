"""A stage killed (SIGKILL) at any point of its write leaves no partial rows; the re-run gives exactly
the results of an uninterrupted run. Transient database errors are retried."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from audit.verify import verify
from flows.executor import stage_flow
from kinerja.demo.generator import generate
from models.db import get_engine
from stages import registry

pytestmark = pytest.mark.slow

TAHUN = 2026
RESULTS = {"hasil_penilaian": "nip", "capaian_indikator": "id_indikator", "bias_penilai": "nip_penilai"}
OUTPUTS = ("hasil_penilaian.csv", "bias_penilai.csv", "karantina.csv")


@pytest.fixture(scope="module")
def crash_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("crash") / "input"
    generate(folder, pegawai=150, tahun=TAHUN, seed=13, bad_rows=True)
    return folder


def _flow(stage: str, folder: Path, out: Path, db: str) -> dict:
    return stage_flow(stage)(tahun=TAHUN, input_dir=str(folder), output_dir=str(out), db_url=db,
                             **({"dokumen": "tidak"} if registry.get(stage).documents else {}))


def _results(db: str) -> dict[str, pd.DataFrame]:
    engine = get_engine(db)
    frames = {}
    with engine.connect() as conn:
        for name, key in RESULTS.items():
            frame = pd.read_sql(text(f"select * from {name} where tahun = :t"), conn, params={"t": TAHUN})
            frames[name] = frame.drop(columns=["stage_run_id"]).sort_values(key).reset_index(drop=True)
    return frames


@pytest.fixture(scope="module")
def baseline(prefect_harness: None, crash_input: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple:
    base = tmp_path_factory.mktemp("baseline")
    db = f"sqlite:///{base / 'k.db'}"
    _flow("plan-collection", crash_input, base / "out", db)
    _flow("year-end", crash_input, base / "out", db)
    return _results(db), base / "out" / str(TAHUN)


@pytest.mark.parametrize("point", ["tulis-mulai", "tulis-tengah", "tulis-akhir", "tulis-selesai"])
def test_killed_during_write_then_rerun_equals_uninterrupted_run(
    baseline: tuple, crash_input: Path, tmp_path: Path, point: str
) -> None:
    from prefect.settings import PREFECT_API_URL

    expected, expected_out = baseline
    db = f"sqlite:///{tmp_path / 'k.db'}"
    _flow("plan-collection", crash_input, tmp_path / "out", db)
    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value()), "KINERJA_DATA_DIR": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "tests.support.crash", point, "run", "year-end", "--tahun", str(TAHUN),
         "--input", str(crash_input), "--output", str(tmp_path / "out"), "--db", db, "--dokumen", "tidak"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr

    committed = point == "tulis-selesai"
    with get_engine(db).connect() as conn:
        stored = conn.execute(text("select count(*) from hasil_penilaian")).scalar()
    assert stored == (len(expected["hasil_penilaian"]) if committed else 0), "all or nothing"

    _flow("year-end", crash_input, tmp_path / "out", db)

    got = _results(db)
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(got[name], frame, check_dtype=False)
    for name in OUTPUTS:
        assert (tmp_path / "out" / str(TAHUN) / name).read_bytes() == (expected_out / name).read_bytes()
    with get_engine(db).connect() as conn:
        query = text("select outcome from stage_run where tahap = 'year-end' order by id")
        outcomes = conn.execute(query).scalars().all()
    assert outcomes == ["terputus", "berhasil"]
    assert verify(get_engine(db), TAHUN).lulus


def test_locked_sqlite_database_is_retried_until_free(
    prefect_harness: None, crash_input: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program holds the write lock for longer than the busy timeout: the task retries."""
    from kinerja.settings import get_settings

    monkeypatch.setenv("KINERJA_SQLITE_TIMEOUT", "0.5")
    get_settings.cache_clear()
    get_engine.cache_clear()
    path = tmp_path / "k.db"
    db = f"sqlite:///{path}"
    _flow("plan-collection", crash_input, tmp_path / "out", db)  # creates the schema
    get_engine.cache_clear()

    holder = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(4.0, lambda: holder.execute("ROLLBACK"))
    release.start()
    started = time.monotonic()
    try:
        result = _flow("year-end", crash_input, tmp_path / "out", db)
    finally:
        release.join()
        holder.close()
        monkeypatch.delenv("KINERJA_SQLITE_TIMEOUT")
        get_settings.cache_clear()
        get_engine.cache_clear()
    assert result["outcome"] == "berhasil"
    assert time.monotonic() - started >= 4.0, "the run had to wait for the lock to go"
    assert max(_task_run_counts(db, result["stage_run_id"])) > 1, "a task was retried"


def _task_run_counts(db: str, stage_run_id: int) -> list[int]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_engine(db).connect() as conn:
        flow_run_id = conn.execute(text("select flow_run_id from stage_run where id = :i"),
                                   {"i": stage_run_id}).scalar()
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    return [run.run_count for run in runs]


def test_dropped_postgresql_connections_are_reconnected(
    prefect_harness: None, crash_input: Path, tmp_path: Path, postgres_url: str
) -> None:
    _flow("plan-collection", crash_input, tmp_path / "out", postgres_url)
    engine = get_engine(postgres_url)
    admin = get_engine(postgres_url.rsplit("/", 1)[0] + "/postgres")
    with admin.connect() as conn:  # the server drops every pooled connection of the database
        killed = conn.execute(text(
            "select count(pg_terminate_backend(pid)) from pg_stat_activity "
            "where datname = :db and pid <> pg_backend_pid()"), {"db": engine.url.database}).scalar()
        conn.commit()
    assert killed >= 1
    result = _flow("year-end", crash_input, tmp_path / "out", postgres_url)
    assert result["outcome"] == "berhasil"
