"""What every stage does around its own work: open a stage run, read and check inputs, gate, record, close.

The functions here are plain; flows wrap them in coarse tasks (never one task per employee).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select

from kinerja.settings import PROJECT_DIR, get_settings
from models.db import get_engine, migrate, replace_rows, table, transaction

STAGES = ("plan-collection", "validation", "mid-year", "year-end", "training")
KARANTINA_COLUMNS = ["berkas", "baris", "kolom", "nilai", "kode_aturan", "alasan", "reason", "tahap"]

# Which input files each stage reads: required ones stop the stage when missing.
STAGE_INPUTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "plan-collection": (("unit_kerja", "pegawai", "skp"), ()),
    "validation": (
        ("unit_kerja", "pegawai", "skp"),
        ("realisasi", "perilaku", "umpan_balik", "survei_masyarakat", "riwayat_pelatihan",
         "katalog_pelatihan", "rating_atasan"),
    ),
    "mid-year": (
        ("unit_kerja", "pegawai", "skp", "realisasi"),
        ("perilaku", "umpan_balik", "survei_masyarakat"),
    ),
    "year-end": (
        ("unit_kerja", "pegawai", "skp", "realisasi", "perilaku"),
        ("umpan_balik", "rating_atasan"),
    ),
    "training": (
        ("unit_kerja", "pegawai", "skp", "realisasi", "perilaku", "katalog_pelatihan"),
        ("umpan_balik", "rating_atasan", "riwayat_pelatihan"),
    ),
}


def stage_checksums(checksums: dict[str, str], tahap: str) -> dict[str, str]:
    """Of recorded input checksums (file name -> sha256), those of the files stage `tahap` reads.

    Names are compared case-insensitively (the reader finds files that way); the workbook counts for
    every stage, since any sheet may come from it.
    """
    from tasks.reader import WORKBOOK
    from tasks.schema import FILES

    required, optional = STAGE_INPUTS[tahap]
    names = {FILES[sheet].name.lower() for sheet in required + optional} | {WORKBOOK.lower()}
    return {name.lower(): sha for name, sha in sorted(checksums.items()) if name.lower() in names}


@dataclass
class StageContext:
    """Everything a stage run needs to know about itself; small and picklable."""

    tahap: str
    tahun: int
    input_dir: Path
    output_root: Path
    db_url: str
    ruleset_name: str
    stage_run_id: int = 0
    flow_run_id: str | None = None
    flow_run_name: str | None = None
    checksums: dict[str, str] = field(default_factory=dict)
    pemicu: str = "manual"

    @property
    def output_dir(self) -> Path:
        return self.output_root / str(self.tahun)

    @property
    def engine(self) -> Engine:
        return get_engine(self.db_url)


@lru_cache
def code_version() -> str:
    """The git commit of the code (or the package version when not in a checkout)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(PROJECT_DIR), "rev-parse", "--short=12", "HEAD"],
            capture_output=True, text=True, timeout=5, check=True,
        )
        dirty = subprocess.run(
            ["git", "-C", str(PROJECT_DIR), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=5, check=True,
        ).stdout.strip()
        return out.stdout.strip() + ("+lokal" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        from importlib.metadata import version

        return f"kinerja {version('kinerja')}"


def resolve_db_url(db_url: str | None) -> str:
    return db_url or get_settings().db_url


_MIGRATED: set[str] = set()


def ensure_schema(db_url: str) -> Engine:
    """Engine for the URL with the schema migrated once per process."""
    engine = get_engine(db_url)
    if db_url not in _MIGRATED:
        migrate(engine)
        _MIGRATED.add(db_url)
    return engine


def open_stage_run(ctx: StageContext, ruleset_label: str, ruleset_checksum: str) -> StageContext:
    """Insert the stage-run record (outcome 'berjalan') and remember its id."""
    engine = ensure_schema(ctx.db_url)
    tbl = table("stage_run")
    with transaction(engine) as conn:
        result = conn.execute(
            tbl.insert().values(
                tahun=ctx.tahun, tahap=ctx.tahap, flow_run_id=ctx.flow_run_id,
                flow_run_name=ctx.flow_run_name, pemicu=ctx.pemicu,
                pengguna=os.environ.get("KINERJA_PENGGUNA") or _user(),
                input_checksums=json.dumps(ctx.checksums, sort_keys=True),
                ruleset_label=ruleset_label, ruleset_checksum=ruleset_checksum,
                code_version=code_version(), started_at=datetime.now(UTC), outcome="berjalan",
                counts="{}",
            )
        )
        ctx.stage_run_id = int(result.inserted_primary_key[0])
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
    from dataclasses import replace

    runs = table("stage_run")
    with ctx.engine.connect() as conn:
        ids = conn.execute(
            select(runs.c.id).where(runs.c.tahun == ctx.tahun, runs.c.tahap == ctx.tahap,
                                    runs.c.outcome == "berjalan", runs.c.id != ctx.stage_run_id)
            .order_by(runs.c.id)
        ).scalars().all()
    for run_id in ids:
        close_stage_run(replace(ctx, stage_run_id=int(run_id)), "terputus", {},
                        "proses berhenti sebelum selesai; ditutup oleh stage run berikutnya / "
                        "process stopped before finishing; closed by the next stage run")
    return [int(i) for i in ids]


def previous_identical_run(ctx: StageContext) -> int | None:
    """The last successful run of this stage and year with the same inputs, ruleset and code."""
    tbl = table("stage_run")
    with ctx.engine.connect() as conn:
        current = conn.execute(select(tbl).where(tbl.c.id == ctx.stage_run_id)).mappings().one()
        row = conn.execute(
            select(tbl.c.id)
            .where(
                tbl.c.tahun == ctx.tahun, tbl.c.tahap == ctx.tahap, tbl.c.id != ctx.stage_run_id,
                tbl.c.outcome.in_(("berhasil", "tanpa_perubahan")),
            )
            .order_by(tbl.c.id.desc())
            .limit(1)
            .add_columns(tbl.c.input_checksums, tbl.c.ruleset_checksum, tbl.c.code_version)
        ).first()
    if row is None:
        return None
    same = (
        row.input_checksums == current["input_checksums"]
        and row.ruleset_checksum == current["ruleset_checksum"]
        and row.code_version == current["code_version"]
    )
    return int(row.id) if same else None


def close_stage_run(ctx: StageContext, outcome: str, counts: dict, pesan: str | None = None) -> None:
    """Record how the stage ended, with its counts, and seal it into the audit hash chain (tasks/audit.py).

    The rows the run wrote are digested first (outside the lock: they are this run's own); then the
    chain head in `rantai_audit` is locked by updating it — a row lock on PostgreSQL, the write lock
    on SQLite — so two runs closing at once queue instead of taking the same prev_hash. A record that
    is already sealed is left alone: after sealing, stage_run rows are append-only (migration 0002).
    """
    from tasks.audit import GENESIS, digests_json, record_hash, result_digests

    runs, head = table("stage_run"), table("rantai_audit")
    digests = digests_json(result_digests(ctx.engine, ctx.stage_run_id, ctx.db_url))
    this = runs.c.id == ctx.stage_run_id
    with transaction(ctx.engine) as conn:
        if not conn.execute(head.update().where(head.c.id == 1).values(jumlah=head.c.jumlah)).rowcount:
            conn.execute(head.insert().values(id=1, jumlah=0))
        chain = conn.execute(select(head).where(head.c.id == 1)).mappings().one()
        if conn.execute(select(runs.c.record_hash).where(this)).scalar_one() is not None:
            return
        conn.execute(runs.update().where(this).values(
            finished_at=datetime.now(UTC), outcome=outcome,
            counts=json.dumps(counts, sort_keys=True, default=str), pesan=pesan, hasil_digest=digests,
            urutan_rantai=chain["jumlah"] + 1, prev_hash=chain["kepala_hash"] or GENESIS,
        ))
        sealed = record_hash(conn.execute(select(runs).where(this)).mappings().one())
        conn.execute(runs.update().where(this).values(record_hash=sealed))
        conn.execute(head.update().where(head.c.id == 1).values(
            jumlah=chain["jumlah"] + 1, kepala_stage_run_id=ctx.stage_run_id, kepala_hash=sealed))
    _announce_seal(ctx, chain["jumlah"] + 1, sealed)


def _announce_seal(ctx: StageContext, urutan: int, sealed: str) -> None:
    """Put the new chain head in the Prefect run history too: an anchor outside the database."""
    from prefect.exceptions import MissingContextError

    try:
        from prefect import get_run_logger

        get_run_logger().info("Stage run %s disegel: rantai audit #%s, record_hash %s",
                              ctx.stage_run_id, urutan, sealed)
    except MissingContextError:
        return


def store_gate(ctx: StageContext, gate_frame: pd.DataFrame, karantina: pd.DataFrame) -> None:
    """Keep the gate's checks and the quarantined rows of this run in the database."""
    from tasks.audit import remember_digests, rows_digest

    tables = {"gate_check": gate_frame.assign(stage_run_id=ctx.stage_run_id),
              "karantina": karantina.assign(stage_run_id=ctx.stage_run_id, tahun=ctx.tahun)}
    with transaction(ctx.engine) as conn:
        for name, frame in tables.items():
            replace_rows(conn, name, frame, stage_run_id=ctx.stage_run_id)
    remember_digests(ctx.db_url, ctx.stage_run_id, {n: rows_digest(n, f) for n, f in tables.items()})


def write_karantina_csv(ctx: StageContext, karantina: pd.DataFrame) -> Path:
    """Merge this stage's quarantined rows into DIR/<tahun>/karantina.csv (other stages' rows kept)."""
    path = ctx.output_dir / "karantina.csv"
    ctx.output_dir.mkdir(parents=True, exist_ok=True)
    frames = []
    if path.exists():
        old = pd.read_csv(path, dtype=str, keep_default_na=False)
        frames.append(old[old["tahap"] != ctx.tahap])
    new = karantina.assign(tahap=ctx.tahap)[KARANTINA_COLUMNS].astype(str)
    new = new.replace({"<NA>": "", "nan": "", "None": ""})
    frames.append(new)
    merged = pd.concat(frames, ignore_index=True)[KARANTINA_COLUMNS]
    order = {name: i for i, name in enumerate(STAGES)}
    merged = merged.assign(
        _t=merged["tahap"].map(order).fillna(99), _b=pd.to_numeric(merged["baris"], errors="coerce")
    ).sort_values(["_t", "berkas", "_b", "kolom", "kode_aturan"], kind="stable")
    write_csv(merged.drop(columns=["_t", "_b"]), path)
    return path


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """An output CSV the way the contract wants it: UTF-8, ',' separator, LF, no index."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    text = _csv_text(frame)
    if text is None:
        frame.to_csv(tmp, index=False, lineterminator="\n", na_rep="")
    else:
        tmp.write_bytes(text)
    tmp.replace(path)
    return path


_PERLU_KUTIP = r'[,"\r\n]'


def _csv_text(frame: pd.DataFrame) -> bytes | None:
    """The bytes `to_csv` writes, joined by Arrow, for the common case: two or more text columns
    (outputs format their numbers beforehand) with no value that needs quoting. None otherwise,
    and the caller lets pandas write it (quoting, numbers, a lone empty field). pandas formats
    through Python's csv module row by row: 1.4 s for the 350,000 mid-year rows, this 0.1 s."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from tasks.arrow_text import lines

    if len(frame.columns) < 2 or not all(pd.api.types.is_string_dtype(t) for t in frame.dtypes):
        return None
    names = [str(c) for c in frame.columns]
    if any(re.search(_PERLU_KUTIP, name) for name in names):
        return None
    try:
        columns = [pa.array(frame[c], type=pa.large_string(), from_pandas=True) for c in frame.columns]
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # an object column holding something other than text
        return None
    if any(pc.any(pc.match_substring_regex(c, _PERLU_KUTIP)).as_py() for c in columns):
        return None
    empty = pa.scalar("", pa.large_string())
    header = (",".join(names) + "\n").encode("utf-8")
    return header + bytes(lines([pc.fill_null(c, empty) for c in columns], ","))


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# Year-end scoring and training run in January for the year that just ended (DOMAIN.md schedule).
_PREVIOUS_YEAR_STAGES = ("year-end", "training")


def resolve_tahun(tahap: str, tahun: int | None, today: datetime | None = None) -> int:
    """The year a stage works on: as given, or derived from the run date in Asia/Jakarta."""
    if tahun is not None:
        return int(tahun)
    from zoneinfo import ZoneInfo

    now = (today or datetime.now(UTC)).astimezone(ZoneInfo("Asia/Jakarta"))
    if tahap in _PREVIOUS_YEAR_STAGES and now.month <= 6:
        return now.year - 1
    return now.year


def run_name(tahap: str):
    """Flow-run names that say stage and year, e.g. `year-end-2026`, also for scheduled runs."""

    def _name() -> str:
        from prefect.runtime import flow_run

        return f"{tahap}-{resolve_tahun(tahap, flow_run.parameters.get('tahun'))}"

    return _name
