"""Stage 4 — year-end scoring: capaian, ratings, predikat, distribution curve, rater bias."""

from __future__ import annotations

from prefect import flow

from flows.executor import compute_by_instansi
from flows.run_names import run_name
from penilaian.partition import combine_year_end
from penilaian.stage_checks import unscored_quarantine
from tasks.checks import relational_checks, scoring_checks, staff_held_back
from tasks.compute import score
from tasks.gates import gate, gate_results
from tasks.inputs import load_inputs
from tasks.lifecycle import finish, stage_run
from tasks.reports import report_year_end
from tasks.write_and_report import write_and_report
from tasks.writes import write_year_end
from tasks.year_end_result import remember_year_end

TAHAP = "year-end"


@flow(name=TAHAP, flow_run_name=run_name(TAHAP), log_prints=False)
def year_end(
    tahun: int | None = None, input_dir: str | None = None, output_dir: str | None = None,
    db_url: str | None = None,
    ruleset: str | None = None, pemicu: str = "manual", dokumen: str = "semua", executor: str = "lokal",
) -> dict:
    """Read → gate → score → gate → write results → CSVs, documents, unit summaries."""
    with stage_run(TAHAP, tahun, input_dir, output_dir, db_url, ruleset, pemicu) as (ctx, rules):
        inputs = load_inputs(ctx)
        passed = gate(ctx, inputs, rules, extra=relational_checks(inputs, rules))
        held_back = staff_held_back(inputs)
        inputs.release_raw()
        result = compute_by_instansi(score, executor, inputs.frames, rules, ctx.tahun,
                                     combine=lambda parts: combine_year_end(parts, rules))
        gate_results(ctx, inputs, passed, scoring_checks(inputs, result, rules, held_back),
                     unscored_quarantine(inputs.frames, result.tidak_dinilai))
        remember_year_end(ctx, rules, result)
        written, reports = write_and_report(ctx, executor, write_year_end, (inputs.frames, result, rules),
                                            report_year_end, (inputs.frames, result, dokumen))
        counts = {**inputs.stage_counts(),
                  "dinilai": len(result.hasil), "tidak_dinilai": len(result.tidak_dinilai),
                  **{f"predikat_final.{k}": int(v) for k, v in
                     result.hasil["predikat_final"].value_counts().sort_index().items()}, **written}
        return finish(ctx, counts, reports)
