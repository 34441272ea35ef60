"""The stage-run records: every query and update of `stage_run` and the chain head `rantai_audit`.

A record is opened as 'berjalan', closed with its outcome and counts, and sealed into the audit hash
chain in the same transaction (the hash itself is computed by audit.chain and handed in, so this module
knows tables, not hashing). After sealing the record is append-only (migration 0002).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, func, select

from models.db import replace_rows, table, transaction

SUCCESS = ("berhasil", "tanpa_perubahan")


def insert_run(engine: Engine, **values: object) -> int:
    """Open a record (outcome 'berjalan') and return its id."""
    with transaction(engine) as conn:
        result = conn.execute(table("stage_run").insert().values(
            started_at=datetime.now(UTC), outcome="berjalan", counts="{}", **values))
        return int(result.inserted_primary_key[0])


def unfinished_runs(engine: Engine, tahun: int, tahap: str, except_id: int) -> list[int]:
    """Runs of this stage and year still marked 'berjalan', other than `except_id`, oldest first."""
    runs = table("stage_run")
    with engine.connect() as conn:
        ids = conn.execute(
            select(runs.c.id).where(runs.c.tahun == tahun, runs.c.tahap == tahap,
                                    runs.c.outcome == "berjalan", runs.c.id != except_id)
            .order_by(runs.c.id)
        ).scalars().all()
    return [int(i) for i in ids]


def previous_identical_run(engine: Engine, stage_run_id: int) -> int | None:
    """The last successful run of the same stage and year with the same inputs, ruleset and code."""
    tbl = table("stage_run")
    with engine.connect() as conn:
        current = conn.execute(select(tbl).where(tbl.c.id == stage_run_id)).mappings().one()
        row = conn.execute(
            select(tbl.c.id, tbl.c.input_checksums, tbl.c.ruleset_checksum, tbl.c.code_version)
            .where(tbl.c.tahun == current["tahun"], tbl.c.tahap == current["tahap"],
                   tbl.c.id != stage_run_id, tbl.c.outcome.in_(SUCCESS))
            .order_by(tbl.c.id.desc()).limit(1)
        ).first()
    if row is None:
        return None
    same = (row.input_checksums == current["input_checksums"]
            and row.ruleset_checksum == current["ruleset_checksum"]
            and row.code_version == current["code_version"])
    return int(row.id) if same else None


def latest_successful_run(engine: Engine, tahun: int, tahap: str) -> tuple[int, dict[str, str]] | None:
    """Id and input checksums of the latest successful run of a stage and year, if any."""
    runs = table("stage_run")
    with engine.connect() as conn:
        row = conn.execute(
            select(runs.c.id, runs.c.input_checksums)
            .where(runs.c.tahun == tahun, runs.c.tahap == tahap, runs.c.outcome.in_(SUCCESS))
            .order_by(runs.c.id.desc()).limit(1)
        ).first()
    return None if row is None else (int(row.id), json.loads(row.input_checksums))


def seal_run(
    engine: Engine, stage_run_id: int, outcome: str, counts: Mapping, pesan: str | None, digests: str,
    genesis: str, record_hash: Callable[[Mapping[str, object]], str],
) -> tuple[int, str] | None:
    """Close a record and seal it: (position in the chain, record hash); None when already sealed.

    The chain head is locked by updating it — a row lock on PostgreSQL, the write lock on SQLite —
    so two runs closing at once queue instead of taking the same prev_hash.
    """
    runs, head = table("stage_run"), table("rantai_audit")
    this = runs.c.id == stage_run_id
    with transaction(engine) as conn:
        if not conn.execute(head.update().where(head.c.id == 1).values(jumlah=head.c.jumlah)).rowcount:
            conn.execute(head.insert().values(id=1, jumlah=0))
        chain = conn.execute(select(head).where(head.c.id == 1)).mappings().one()
        if conn.execute(select(runs.c.record_hash).where(this)).scalar_one() is not None:
            return None
        conn.execute(runs.update().where(this).values(
            finished_at=datetime.now(UTC), outcome=outcome,
            counts=json.dumps(counts, sort_keys=True, default=str), pesan=pesan, hasil_digest=digests,
            urutan_rantai=chain["jumlah"] + 1, prev_hash=chain["kepala_hash"] or genesis,
        ))
        sealed = record_hash(conn.execute(select(runs).where(this)).mappings().one())
        conn.execute(runs.update().where(this).values(record_hash=sealed))
        conn.execute(head.update().where(head.c.id == 1).values(
            jumlah=chain["jumlah"] + 1, kepala_stage_run_id=stage_run_id, kepala_hash=sealed))
    return chain["jumlah"] + 1, sealed


def replace_run_rows(conn: Connection, tables: Mapping[str, pd.DataFrame], stage_run_id: int) -> None:
    """Replace the rows a stage run keeps per table (gate checks, quarantine) with these frames."""
    for name, frame in tables.items():
        replace_rows(conn, name, frame, stage_run_id=stage_run_id)


def read_stage_runs(engine: Engine, tahun: int | None = None) -> list[dict]:
    """Stage-run records as plain dicts (native types, so hashing sees what was sealed)."""
    runs = table("stage_run")
    query = select(runs).order_by(runs.c.id)
    if tahun is not None:
        query = query.where(runs.c.tahun == tahun)
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def read_chain_head(engine: Engine) -> dict | None:
    """The one-row chain head (count, last sealed run, its hash); None before the first seal."""
    head = table("rantai_audit")
    with engine.connect() as conn:
        row = conn.execute(select(head).where(head.c.id == 1)).mappings().first()
    return dict(row) if row else None


def rows_per_run(engine: Engine, tahun: int, names: Iterable[str]) -> dict[str, dict[int, int]]:
    """Per table: how many rows of the year each stage_run_id holds (a table without `tahun`, such as
    gate_check, counts the rows of the year's runs)."""
    runs = table("stage_run")
    out: dict[str, dict[int, int]] = {}
    with engine.connect() as conn:
        for name in names:
            tbl = table(name)
            query = select(tbl.c.stage_run_id, func.count()).group_by(tbl.c.stage_run_id)
            if "tahun" in tbl.c:
                query = query.where(tbl.c.tahun == tahun)
            else:
                query = query.where(tbl.c.stage_run_id.in_(select(runs.c.id).where(runs.c.tahun == tahun)))
            out[name] = {int(rid): int(n) for rid, n in conn.execute(query)}
    return out
