"""Stage 3 — mid-year monitoring: progress to June, early warnings, coaching, citizen satisfaction."""

from __future__ import annotations

from prefect import flow

from flows.executor import compute_by_instansi
from flows.run_names import run_name
from penilaian.partition import combine_mid_year
from tasks.checks import coverage_checks, relational_checks
from tasks.compute import monitor
from tasks.gates import gate
from tasks.inputs import load_inputs
from tasks.lifecycle import finish, stage_run
from tasks.reports import report_mid_year
from tasks.write_and_report import write_and_report
from tasks.writes import write_mid_year

TAHAP = "mid-year"


@flow(name=TAHAP, flow_run_name=run_name(TAHAP), log_prints=False)
def mid_year(
    tahun: int | None = None, input_dir: str | None = None, output_dir: str | None = None,
    db_url: str | None = None,
    ruleset: str | None = None, pemicu: str = "manual", executor: str = "lokal",
) -> dict:
    """Read → gate → capaian and projection per indicator, at-risk staff, IKM → write → reports."""
    with stage_run(TAHAP, tahun, input_dir, output_dir, db_url, ruleset, pemicu) as (ctx, rules):
        inputs = load_inputs(ctx)
        gate(ctx, inputs, rules, extra=relational_checks(inputs, rules) + coverage_checks(inputs, rules))
        inputs.release_raw()
        result = compute_by_instansi(
            monitor, executor, inputs.frames, rules, ctx.tahun,
            combine=lambda parts: combine_mid_year(parts, inputs.frames, rules, ctx.tahun))
        written, reports = write_and_report(ctx, executor, write_mid_year, (inputs.frames, result, rules),
                                            report_mid_year, (result, inputs.frames))
        counts = {**inputs.stage_counts(),
                  "indikator_dipantau": len(result.pemantauan), "pegawai_berisiko": len(result.berisiko),
                  **result.pemantauan["status"].value_counts().sort_index().to_dict(), **written}
        return finish(ctx, counts, reports)
