"""The Prefect tasks every stage shares: begin, read and check, gate, record, finish.

Coarse tasks over whole tables. DataFrames pass between tasks in memory, so caching (which would
hash them) is off.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from contract.karantina import KARANTINA_COLUMNS, write_karantina_csv
from kinerja.errors import GateFailed, InputUnreadable
from kinerja.settings import get_settings
from penilaian.ruleset import Ruleset, load_ruleset
from stages import registry
from stages.context import StageContext, ensure_schema, resolve_db_url, resolve_tahun
from stages.records import close_interrupted_runs, close_stage_run, open_stage_run, store_gate


def _transient(_task: object, _task_run: object, state: object) -> bool:
    """Retry only what a retry can fix: a locked SQLite file or a dropped database connection."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    try:
        state.result()  # type: ignore[attr-defined]
    except OperationalError:
        return True
    except DBAPIError as exc:
        return bool(exc.connection_invalidated)
    except BaseException:  # noqa: BLE001 - any other failure is not transient
        return False
    return False


DB_RETRIES = {"retries": 3, "retry_delay_seconds": [2, 5, 15], "retry_condition_fn": _transient}


@dataclass
class Inputs:
    """The stage's input files: raw text frames, checked typed frames, quarantined rows, warnings."""

    raw: dict[str, pd.DataFrame]
    frames: dict[str, pd.DataFrame]
    karantina: pd.DataFrame
    peringatan: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=KARANTINA_COLUMNS))
    baris: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.baris = self.baris or {name: int(len(frame)) for name, frame in sorted(self.raw.items())}

    def counts(self) -> dict[str, int]:
        """Rows read per file (kept when the raw frames are released)."""
        return dict(self.baris)

    def release_raw(self) -> None:
        """Free the raw text frames once the gate has seen them: nothing after it reads them, and at
        1,000,000 employees they are a second copy of the inputs (≈ 5 GiB) beside the clean frames."""
        self.raw = {}


@task(name="mulai-tahap", cache_policy=NO_CACHE, **DB_RETRIES)
def begin(
    tahap: str, tahun: int | None, input_dir: str | None, output_dir: str | None, db_url: str | None,
    ruleset: str | None = None, pemicu: str = "manual",
) -> tuple[StageContext, Ruleset]:
    """Open the stage-run record: flow run, input checksums, ruleset, code version."""
    from prefect.runtime import flow_run

    from contract.files import sha256_of_inputs

    rules = load_ruleset(ruleset)
    ctx = StageContext(
        tahap=tahap, tahun=resolve_tahun(tahap, tahun),
        input_dir=Path(input_dir or get_settings().data_dir / "input"),
        output_root=Path(output_dir or get_settings().data_dir / "output"),
        db_url=resolve_db_url(db_url), ruleset_name=ruleset or rules.nama,
        flow_run_id=str(flow_run.id) if flow_run.id else None, flow_run_name=flow_run.name,
        pemicu=_trigger(pemicu),
    )
    if not ctx.input_dir.is_dir():
        raise InputUnreadable(f"{ctx.input_dir}: folder input tidak ada / input folder does not exist")
    ctx.checksums = sha256_of_inputs(ctx.input_dir, registry.get(tahap).inputs)
    ensure_schema(ctx.db_url, ctx.cache)
    interrupted = close_interrupted_runs(ctx)
    open_stage_run(ctx, rules.label, rules.checksum)
    logger = get_run_logger()
    if interrupted:
        logger.warning("Stage run terputus ditutup: %s", interrupted)
    logger.info("Tahap %s %s dimulai (stage run %s, %s)", tahap, ctx.tahun, ctx.stage_run_id, rules.label)
    return ctx, rules


def _trigger(pemicu: str) -> str:
    """'jadwal' only for runs the scheduler created; a deployment run started by hand says so."""
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    flow_run = context.flow_run if context else None
    if flow_run is None or flow_run.deployment_id is None:
        return pemicu
    return "jadwal" if flow_run.auto_scheduled else "deployment-manual"


@contextmanager
def stage_run(
    tahap: str, tahun: int | None, input_dir: str | None, output_dir: str | None, db_url: str | None,
    ruleset: str | None = None, pemicu: str = "manual",
) -> Iterator[tuple[StageContext, Ruleset]]:
    """The frame of every stage: hold the (stage, year) lock, open the run record, close it."""
    from models.locks import stage_lock

    with stage_lock(tahap, resolve_tahun(tahap, tahun), resolve_db_url(db_url)):
        ctx, rules = begin(tahap, tahun, input_dir, output_dir, db_url, ruleset, pemicu)
        with recorded(ctx):
            yield ctx, rules


@contextmanager
def recorded(ctx: StageContext) -> Iterator[None]:
    """Close the stage-run record with the right outcome however the stage ends."""
    try:
        yield
    except GateFailed as exc:
        close_stage_run(ctx, "gerbang_gagal", {}, str(exc))
        raise
    except InputUnreadable as exc:
        close_stage_run(ctx, "input_tidak_terbaca", {}, str(exc))
        raise
    except BaseException as exc:
        close_stage_run(ctx, "gagal", {}, f"{type(exc).__name__}: {exc}")
        raise


@task(name="baca-dan-periksa-input", cache_policy=NO_CACHE)
def load_inputs(ctx: StageContext) -> Inputs:
    """Read the stage's files and apply every value rule; bad rows go to quarantine, the rest go on."""
    from contract.reader import read_inputs
    from contract.rules import check_values

    stage = registry.get(ctx.tahap)
    raw, read_quarantine = read_inputs(ctx.input_dir, stage.required, stage.optional, checksums=ctx.checksums)
    frames, karantina, peringatan = check_values(raw, ctx.tahun, ctx.tahap)
    karantina = pd.concat([read_quarantine, karantina], ignore_index=True)
    karantina = karantina.assign(tahap=ctx.tahap)[KARANTINA_COLUMNS]
    inputs = Inputs(raw=raw, frames=frames, karantina=karantina, peringatan=peringatan)
    get_run_logger().info("Dibaca: %s; dikarantina: %d baris", inputs.counts(), len(karantina))
    return inputs


@task(name="gerbang-mutu-data", cache_policy=NO_CACHE, **DB_RETRIES)
def gate(ctx: StageContext, inputs: Inputs, rules: Ruleset, extra: list | None = None,
         ringkasan_unit: pd.DataFrame | None = None) -> object:
    """Validate inputs with the GX suites plus stage checks; report; stop the stage on failure."""
    from expectations.gate import GateResult, quarantine_checks, validate_inputs

    maks = rules.gerbang.maks_karantina_persen
    checks = validate_inputs(ctx.tahap, ctx.tahun, inputs.raw, maks_karantina_persen=maks,
                             checksums=ctx.checksums)
    checks += quarantine_checks(inputs.karantina, inputs.counts(), maks_karantina_persen=maks)
    checks += list(extra or [])
    checks += warning_checks(inputs.peringatan, inputs.counts())
    result = GateResult(tahap=ctx.tahap, tahun=ctx.tahun, checks=checks, ringkasan_unit=ringkasan_unit)
    return _decide(ctx, result, inputs.karantina)


def warning_checks(peringatan: pd.DataFrame, row_counts: dict[str, int]) -> list:
    """Warnings (e.g. a cumulative realisation that goes down) are reported, never blocking."""
    from expectations.gate import relational_check

    checks = []
    for (berkas, kode), rows in peringatan.groupby(["berkas", "kode_aturan"], sort=True):
        checks.append(relational_check(
            f"peringatan.{kode.lower()}", f"peringatan {kode}, mis. {rows['alasan'].iloc[0]} "
            "(dilaporkan, tidak menghentikan tahap)",
            rows[["baris", "kolom", "nilai", "kode_aturan", "alasan"]], row_counts.get(
                berkas.removesuffix(".csv"), len(rows)), ambang_persen=None, berkas=berkas))
    return checks


@task(name="gerbang-hasil", cache_policy=NO_CACHE, **DB_RETRIES)
def gate_results(ctx: StageContext, inputs: Inputs, passed: object, extra: list,
                 karantina_tambahan: pd.DataFrame) -> object:
    """Second look, after computing: the stage's own checks join the input gate's report.

    `karantina_tambahan` are rows the stage itself rejects (e.g. employees that cannot be scored):
    kept with the input's quarantine, judged by their own check rather than the file share.
    """
    from expectations.gate import GateResult

    result = GateResult(tahap=ctx.tahap, tahun=ctx.tahun, checks=[*passed.checks, *extra],
                        ringkasan_unit=passed.ringkasan_unit)
    rows = karantina_tambahan.assign(tahap=ctx.tahap)[KARANTINA_COLUMNS]
    return _decide(ctx, result, pd.concat([inputs.karantina, rows], ignore_index=True))


def _decide(ctx: StageContext, result: object, karantina: pd.DataFrame) -> object:
    """Write the report and the quarantine, store both, publish, then stop the stage if it failed."""
    from expectations.gate import enforce
    from reports.render import render_gate_report

    report = render_gate_report(result, ctx.output_dir)
    write_karantina_csv(ctx.output_dir, ctx.tahap, karantina)
    store_gate(ctx, result.to_frame(), karantina)
    publish_gate(ctx, result, report)
    get_run_logger().info("%s", result.ringkas())
    enforce(result, report)
    return result


def publish_gate(ctx: StageContext, result: object, report: Path) -> None:
    """A table artifact of the gate's checks in the run history."""
    from prefect.artifacts import create_table_artifact

    frame = result.to_frame()[["kode", "berkas", "sumber", "lulus", "diperiksa", "gagal", "ambang"]]
    create_table_artifact(
        key=f"gerbang-{ctx.tahap}-{ctx.tahun}",
        table=json.loads(frame.to_json(orient="records")),
        description=f"Gerbang mutu data {ctx.tahap} {ctx.tahun}: {'LULUS' if result.lulus else 'GAGAL'}"
        f" — laporan: {report}",
    )


@task(name="selesai", cache_policy=NO_CACHE, **DB_RETRIES)
def finish(ctx: StageContext, counts: dict, reports: list[Path], outcome: str = "berhasil") -> dict:
    """Close the stage run and publish its summary to the run history."""
    from prefect.artifacts import create_markdown_artifact

    close_stage_run(ctx, outcome, counts)
    lines = [
        f"# {ctx.tahap} {ctx.tahun}",
        "",
        f"- stage run: **{ctx.stage_run_id}**, hasil: **{outcome}**",
        f"- input: `{ctx.input_dir}`",
        f"- output: `{ctx.output_dir}`",
        "",
        "| hitungan | nilai |",
        "|---|---|",
        *[f"| {key} | {value} |" for key, value in sorted(counts.items())],
        "",
        "## Laporan",
        *[f"- [{Path(path).name}]({Path(path).resolve().as_uri()})" for path in reports],
    ]
    create_markdown_artifact(
        key=f"{ctx.tahap}-{ctx.tahun}", markdown="\n".join(lines),
        description=f"Ringkasan {ctx.tahap} {ctx.tahun}",
    )
    get_run_logger().info("Tahap %s %s selesai: %s", ctx.tahap, ctx.tahun, outcome)
    return {"tahap": ctx.tahap, "tahun": ctx.tahun, "stage_run_id": ctx.stage_run_id,
            "outcome": outcome, "counts": counts, "output_dir": str(ctx.output_dir),
            "reports": [str(p) for p in reports]}
