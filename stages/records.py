"""A stage run's record in the database: opened, its rows written all or nothing, closed and sealed.

Every write of a stage goes through `write_tables` (one transaction per stage) and `store_gate`; the
rows' digests are computed from memory while the database takes them and kept on the stage context,
so sealing (`close_stage_run`) need not read millions of rows back.
"""

from __future__ import annotations

import getpass
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pandas as pd

from audit.chain import GENESIS, digests_json, record_hash
from audit.digest import result_digests, rows_digest
from contract.lookup import is_category
from models import stage_runs
from models.db import one_chunk, transaction
from models.sqlite_bulk import bulk_writer
from stages.cache import release_unused_memory
from stages.context import StageContext, code_version, ensure_schema


def checkpoint(name: str) -> None:
    """A named point of the write path ('tulis-mulai', 'tulis-tengah', 'tulis-akhir', 'tulis-selesai').

    Does nothing; the crash-safety tests replace it in a child process to kill it exactly there.
    """


def open_stage_run(ctx: StageContext, ruleset_label: str, ruleset_checksum: str) -> StageContext:
    """Insert the stage-run record (outcome 'berjalan') and remember its id."""
    engine = ensure_schema(ctx.db_url, ctx.cache)
    ctx.stage_run_id = stage_runs.insert_run(
        engine, tahun=ctx.tahun, tahap=ctx.tahap, flow_run_id=ctx.flow_run_id,
        flow_run_name=ctx.flow_run_name, pemicu=ctx.pemicu,
        pengguna=os.environ.get("KINERJA_PENGGUNA") or _user(),
        input_checksums=json.dumps(ctx.checksums, sort_keys=True),
        ruleset_label=ruleset_label, ruleset_checksum=ruleset_checksum, code_version=code_version(),
    )
    return ctx


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "tidak diketahui"


def close_interrupted_runs(ctx: StageContext) -> list[int]:
    """Seal earlier runs of this stage and year still marked 'berjalan' as 'terputus'.

    Called while holding the (stage, year) lock, so such a run's process is gone (killed, crashed):
    its record is closed for the audit trail; whatever it committed is replaced by this run.
    """
    ids = stage_runs.unfinished_runs(ctx.engine, ctx.tahun, ctx.tahap, ctx.stage_run_id)
    for run_id in ids:
        close_stage_run(replace(ctx, stage_run_id=run_id, written={}), "terputus", {},
                        "proses berhenti sebelum selesai; ditutup oleh stage run berikutnya / "
                        "process stopped before finishing; closed by the next stage run")
    return ids


def close_stage_run(ctx: StageContext, outcome: str, counts: dict, pesan: str | None = None) -> None:
    """Record how the stage ended, with its counts, and seal it into the audit hash chain.

    The rows the run wrote are digested first (outside the lock: they are this run's own), from the
    digests kept at write time where the database holds as many rows; a record that is already
    sealed is left alone.
    """
    digests = digests_json(result_digests(ctx.engine, ctx.stage_run_id, ctx.written))
    ctx.written = {}
    sealed = stage_runs.seal_run(ctx.engine, ctx.stage_run_id, outcome, counts, pesan, digests,
                                 GENESIS, record_hash)
    if sealed is not None:
        _announce_seal(ctx, *sealed)


def _announce_seal(ctx: StageContext, urutan: int, sealed: str) -> None:
    """Put the new chain head in the Prefect run history too: an anchor outside the database."""
    from prefect.exceptions import MissingContextError

    try:
        from prefect import get_run_logger

        get_run_logger().info("Stage run %s disegel: rantai audit #%s, record_hash %s",
                              ctx.stage_run_id, urutan, sealed)
    except MissingContextError:
        return


def _remember(ctx: StageContext, digests: dict[str, dict | None]) -> None:
    """Record the digests of rows this run has just COMMITTED (call after the transaction)."""
    for name, digest in digests.items():
        if digest is None:
            ctx.written.pop(name, None)
        else:
            ctx.written[name] = digest


def store_gate(ctx: StageContext, gate_frame: pd.DataFrame, karantina: pd.DataFrame) -> None:
    """Keep the gate's checks and the quarantined rows of this run in the database."""
    tables = {"gate_check": gate_frame.assign(stage_run_id=ctx.stage_run_id),
              "karantina": karantina.assign(stage_run_id=ctx.stage_run_id, tahun=ctx.tahun)}
    with transaction(ctx.engine) as conn:
        stage_runs.replace_run_rows(conn, tables, ctx.stage_run_id)
    _remember(ctx, {name: rows_digest(name, frame) for name, frame in tables.items()})


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Category columns (contract.schema FileSpec.kategori) as the text they stand for: the database and
    the rows' digests see the same values as from a text column."""
    kategori = {c: "str" for c in frame.columns if is_category(frame[c])}
    return frame.astype(kategori) if kategori else frame


def write_tables(ctx: StageContext, tables: dict[str, pd.DataFrame], **extra: object) -> dict[str, int]:
    """Replace this year's rows of each table with `tables`, unless an identical run already wrote them."""
    from prefect import get_run_logger

    logger = get_run_logger()
    same = stage_runs.previous_identical_run(ctx.engine, ctx.stage_run_id)
    if same is not None:
        logger.info("Input, ruleset dan kode sama dengan stage run %s: basis data tidak diubah", same)
        return {f"{name}_ditulis": 0 for name in tables} | {"sama_dengan_stage_run": same}
    counts: dict[str, int] = {}
    digests: dict[str, dict | None] = {}

    def prepare(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(tahun=ctx.tahun, stage_run_id=ctx.stage_run_id, **extra)

    # One table at a time: its rows (categories as text, the run's columns) exist only while the
    # database takes them, so a stage never holds a converted copy of all its tables at once. The audit
    # seal digests these rows from memory (not by reading them back), in a second thread while the
    # database takes them (Arrow kernels and the SQLite engine release the GIL) — or, on a SQLite file,
    # while a forked writer inserts the same rows (models.sqlite_bulk); the digests are recorded only
    # once the transaction has committed.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kinerja-digest") as pool:
        checkpoint("tulis-mulai")
        with bulk_writer(ctx.engine, tables, prepare, tahun=ctx.tahun) as write:
            for name, frame in tables.items():
                rows = one_chunk(_as_text(prepare(frame)))  # joined once, not by the insert and digest each
                digest = pool.submit(rows_digest, name, rows)
                counts[f"{name}_ditulis"] = write(name, rows)
                digests[name] = digest.result()
                del rows, digest
                checkpoint("tulis-tengah")
            checkpoint("tulis-akhir")
        checkpoint("tulis-selesai")
    _remember(ctx, digests)
    release_unused_memory()  # the row batches of millions of rows
    logger.info("Ditulis ke basis data: %s", counts)
    return counts
