"""Stage writes: each stage's rows for one year are replaced in ONE transaction (all or nothing)."""

from __future__ import annotations

import os
import signal
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from models.db import replace_rows, transaction
from tasks.audit import remember_digests, rows_digest
from tasks.stage import StageContext, previous_identical_run
from tasks.steps import DB_RETRIES


def crash_point(name: str) -> None:
    """Fault injection for the crash-safety tests: KINERJA_CRASH_AT=<name> SIGKILLs the process here."""
    if os.environ.get("KINERJA_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _with_run(frame: pd.DataFrame, ctx: StageContext, **extra: object) -> pd.DataFrame:
    return frame.assign(tahun=ctx.tahun, stage_run_id=ctx.stage_run_id, **extra)


def write_tables(ctx: StageContext, tables: dict[str, pd.DataFrame], **extra: object) -> dict[str, int]:
    """Replace this year's rows of each table with `tables`, unless an identical run already wrote them."""
    logger = get_run_logger()
    same = previous_identical_run(ctx)
    if same is not None:
        logger.info("Input, ruleset dan kode sama dengan stage run %s: basis data tidak diubah", same)
        return {f"{name}_ditulis": 0 for name in tables} | {"sama_dengan_stage_run": same}
    counts: dict[str, int] = {}
    rows = {name: _with_run(frame, ctx, **extra) for name, frame in tables.items()}
    # The audit seal digests these rows from memory (not by reading them back); the digests are
    # computed in a second thread while the database takes the rows (Arrow kernels and the SQLite
    # engine release the GIL) and recorded only once the transaction has committed.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kinerja-digest") as pool:
        digests = pool.submit(lambda: {name: rows_digest(name, f) for name, f in rows.items()})
        crash_point("tulis-mulai")
        with transaction(ctx.engine) as conn:
            for name, frame in rows.items():
                counts[f"{name}_ditulis"] = replace_rows(conn, name, frame, tahun=ctx.tahun)
                crash_point("tulis-tengah")
            crash_point("tulis-akhir")
        crash_point("tulis-selesai")
        remember_digests(ctx.db_url, ctx.stage_run_id, digests.result())
    logger.info("Ditulis ke basis data: %s", counts)
    return counts


@task(name="simpan-rencana", cache_policy=NO_CACHE, **DB_RETRIES)
def write_plan(ctx: StageContext, frames: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Units, employees and SKP indicators of the year."""
    return write_tables(ctx, {
        "unit_kerja": frames["unit_kerja"],
        "pegawai": frames["pegawai"],
        "indikator_skp": frames["skp"].drop(columns=["tahun"]),
    })
