"""The data-quality gates of a stage: judge the inputs (and later its own results), report, store, stop.

A gate writes its HTML report and the quarantine, stores both with the stage run and publishes its
checks to the run history before it decides; a failed gate then raises and the stage stops there.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from contract.inputs import Inputs
from contract.karantina import KARANTINA_COLUMNS, name_sources, write_karantina_csv
from penilaian.ruleset import Ruleset
from stages.context import StageContext
from stages.records import store_gate
from tasks.retries import DB_RETRIES


@task(name="gerbang-mutu-data", cache_policy=NO_CACHE, **DB_RETRIES)
def gate(ctx: StageContext, inputs: Inputs, rules: Ruleset, extra: list | None = None,
         ringkasan_unit: pd.DataFrame | None = None) -> object:
    """Validate inputs with the GX suites plus stage checks; report; stop the stage on failure."""
    from expectations.checks import quarantine_checks
    from expectations.gate import validate_inputs
    from expectations.results import GateResult

    maks = rules.gerbang.maks_karantina_persen
    checks = validate_inputs(ctx.tahap, ctx.tahun, inputs.raw, maks_karantina_persen=maks,
                             cache=ctx.cache, checksums=ctx.checksums)
    checks += quarantine_checks(inputs.karantina, inputs.counts(), maks_karantina_persen=maks)
    checks += list(extra or [])
    checks += warning_checks(inputs.peringatan, inputs.counts())
    result = GateResult(tahap=ctx.tahap, tahun=ctx.tahun, checks=checks, ringkasan_unit=ringkasan_unit)
    return decide(ctx, result, inputs.karantina)


@task(name="gerbang-hasil", cache_policy=NO_CACHE, **DB_RETRIES)
def gate_results(ctx: StageContext, inputs: Inputs, passed: object, extra: list,
                 karantina_tambahan: pd.DataFrame) -> object:
    """Second look, after computing: the stage's own checks join the input gate's report.

    `karantina_tambahan` are rows the stage itself rejects (e.g. employees that cannot be scored):
    kept with the input's quarantine, judged by their own check rather than the file share.
    """
    from expectations.results import GateResult

    result = GateResult(tahap=ctx.tahap, tahun=ctx.tahun, checks=[*passed.checks, *extra],
                        ringkasan_unit=passed.ringkasan_unit)
    rows = karantina_tambahan.assign(tahap=ctx.tahap)[KARANTINA_COLUMNS]
    return decide(ctx, result, pd.concat([inputs.karantina, rows], ignore_index=True))


def warning_checks(peringatan: pd.DataFrame, row_counts: dict[str, int]) -> list:
    """Warnings (e.g. a cumulative realisation that goes down) are reported, never blocking."""
    from expectations.checks import relational_check

    checks = []
    for (berkas, kode), rows in peringatan.groupby(["berkas", "kode_aturan"], sort=True):
        checks.append(relational_check(
            f"peringatan.{kode.lower()}", f"peringatan {kode}, mis. {rows['alasan'].iloc[0]} "
            "(dilaporkan, tidak menghentikan tahap)",
            rows[["baris", "kolom", "nilai", "kode_aturan", "alasan"]], row_counts.get(
                berkas.removesuffix(".csv"), len(rows)), ambang_persen=None, berkas=berkas,
            description=f"warning {kode}, e.g. {rows['reason'].iloc[0] if 'reason' in rows else kode} "
            "(reported, does not stop the stage)",
            perbaikan=f"periksa baris {berkas} yang tercantum; perbaiki bila memang salah (tahap tetap "
            "berjalan)",
            fix=f"check the listed rows of {berkas}; correct them if they are wrong (the stage goes on)"))
    return checks


def decide(ctx: StageContext, result: object, karantina: pd.DataFrame) -> object:
    """Write the report and the quarantine, store both, publish, then stop the stage if it failed."""
    from expectations.results import enforce
    from reports.gate_report import render_gate_report

    report = render_gate_report(result, ctx.output_dir)
    karantina = name_sources(karantina, ctx.input_dir)
    write_karantina_csv(ctx.output_dir, ctx.tahap, karantina)
    store_gate(ctx, result.to_frame(), karantina)
    publish_gate(ctx, result, report)
    ctx.gerbang = {"lulus": bool(result.lulus), "diperiksa": len(result.checks),
                   "gagal": len(result.gagal), "laporan": str(report)}
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
