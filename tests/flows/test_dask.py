"""The cycle on a local two-worker Dask cluster with PostgreSQL equals the single-process run on SQLite."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from flows.cycle import cycle
from flows.executor import LOCAL_CLUSTER
from kinerja.demo.generator import generate
from models.db import get_engine
from stages import registry

pytestmark = pytest.mark.slow

TAHUN = 2026
OUTPUTS = ("hasil_penilaian.csv", "bias_penilai.csv", "pemantauan_tengah_tahun.csv",
           "keberatan_hasil.csv", "hasil_penilaian_akhir.csv", "rekomendasi_pelatihan.csv",
           "angka_kredit_hasil.csv", "karantina.csv")
PARTITIONED_TASKS = ("hitung-pemantauan", "hitung-nilai-akhir-tahun", "hitung-rekomendasi")


def _hasil_rows(db_url: str) -> pd.DataFrame:
    """hasil_penilaian of the year without the run-specific columns, as plain Python values."""
    with get_engine(db_url).connect() as conn:
        rows = pd.read_sql(text("select * from hasil_penilaian where tahun = :t order by nip"), conn,
                           params={"t": TAHUN})
    rows = rows.drop(columns=[c for c in ("id", "stage_run_id") if c in rows])
    return rows.astype(object).where(rows.notna(), None)


def _task_run_names(db_url: str) -> list[str]:
    """Names of the compute task runs of the partitioned stages' flow runs, from the Prefect API."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_engine(db_url).connect() as conn:
        ids = conn.execute(text("select flow_run_id from stage_run where tahun = :t and tahap in "
                                "('mid-year', 'year-end', 'training')"), {"t": TAHUN}).scalars().all()
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=list(ids))))
    return sorted(r.name for r in runs if r.name.startswith(PARTITIONED_TASKS))


def test_cycle_on_a_dask_cluster_with_postgresql_equals_the_single_process_run(
    prefect_harness: None, tmp_path: Path, sqlite_url: str, postgres_url: str
) -> None:
    from distributed import Client, LocalCluster, get_task_stream

    input_dir = tmp_path / "input"
    generate(input_dir, pegawai=300, tahun=TAHUN, seed=7, bad_rows=True)
    common = dict(tahun=TAHUN, input_dir=str(input_dir))

    start = time.perf_counter()
    lokal = cycle(**common, output_dir=str(tmp_path / "lokal"), db_url=sqlite_url, dokumen="tidak")
    lokal_s = time.perf_counter() - start
    with LocalCluster(**LOCAL_CLUSTER) as cluster, Client(cluster) as client, \
            get_task_stream(client) as stream:
        assert len(cluster.workers) == 2
        start = time.perf_counter()
        dask = cycle(**common, output_dir=str(tmp_path / "dask"), db_url=postgres_url, dokumen="tidak",
                     executor="dask", dask_address=cluster.scheduler_address)
        dask_s = time.perf_counter() - start
    print(f"\ncycle 300 pegawai: lokal/SQLite {lokal_s:.1f} s, dask 2 workers/PostgreSQL {dask_s:.1f} s")

    stages_passed = ["berhasil"] * len(registry.STAGES)
    assert [r["outcome"] for r in lokal] == [r["outcome"] for r in dask] == stages_passed
    assert [r["counts"] for r in lokal] == [r["counts"] for r in dask]
    for name in OUTPUTS:
        a = (tmp_path / "lokal" / str(TAHUN) / name).read_bytes()
        b = (tmp_path / "dask" / str(TAHUN) / name).read_bytes()
        assert a == b, name
    pd.testing.assert_frame_equal(_hasil_rows(sqlite_url), _hasil_rows(postgres_url))

    # the dask run really was split: three instansi per partitioned stage, each run on the cluster
    instansi = sorted(pd.read_csv(input_dir / "unit_kerja.csv", dtype=str)["kode_instansi"].unique())
    assert _task_run_names(postgres_url) == sorted(
        f"{task}-{kode}" for task in PARTITIONED_TASKS for kode in instansi)
    lokal_runs = _task_run_names(sqlite_url)  # one whole-table task per stage, nothing per instansi
    assert len(lokal_runs) == 3 and not any(kode in name for name in lokal_runs for kode in instansi)
    assert len(stream.data) >= 3 * len(instansi)
