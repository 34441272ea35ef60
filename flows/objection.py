"""Stage 5 — objection review (keberatan): the decisions on objections to the year-end result and the
predikat that stands (predikat_ditetapkan), which training and everything after it use."""

from __future__ import annotations

from prefect import flow

from flows.executor import compute_by_instansi
from flows.run_names import run_name
from penilaian.partition import combine_year_end
from stages import registry
from tasks.checks import objection_checks, relational_checks
from tasks.compute import review, score
from tasks.gates import gate, gate_results
from tasks.inputs import load_inputs
from tasks.lifecycle import finish, stage_run
from tasks.reports import report_objection
from tasks.write_and_report import write_and_report
from tasks.writes import write_objection
from tasks.year_end_result import recall_year_end, remember_year_end, require_year_end

TAHAP = "objection"


@flow(name=TAHAP, flow_run_name=run_name(TAHAP), log_prints=False)
def objection(
    tahun: int | None = None, input_dir: str | None = None, output_dir: str | None = None,
    db_url: str | None = None,
    ruleset: str | None = None, pemicu: str = "manual", dokumen: str = "semua", executor: str = "lokal",
) -> dict:
    """Require year-end → read → gate → year-end result → review objections → gate → write → CSVs,
    documents of the objecting employees, unit summaries."""
    with stage_run(TAHAP, tahun, input_dir, output_dir, db_url, ruleset, pemicu) as (ctx, rules):
        require_year_end(ctx, registry.get(TAHAP).builds_on)
        inputs = load_inputs(ctx)
        passed = gate(ctx, inputs, rules, extra=relational_checks(inputs, rules))
        inputs.release_raw()
        year_end = recall_year_end(ctx, rules) if executor == "lokal" else None
        if year_end is None:
            year_end = compute_by_instansi(score, executor, inputs.frames, rules, ctx.tahun,
                                           combine=lambda parts: combine_year_end(parts, rules))
            remember_year_end(ctx, rules, year_end)
        result = review(inputs.frames, rules, ctx.tahun, year_end)
        gate_results(ctx, inputs, passed, objection_checks(inputs, result), result.karantina)
        written, reports = write_and_report(ctx, executor, write_objection, (inputs.frames, result),
                                            report_objection, (inputs.frames, year_end, result, dokumen))
        keputusan, akhir = result.keputusan["keputusan"], result.akhir
        counts = {**inputs.stage_counts(),
                  "keberatan": len(result.keputusan), "diterima": int((keputusan == "diterima").sum()),
                  "ditolak": int((keputusan == "ditolak").sum()),
                  "predikat_berubah": int((akhir["predikat_ditetapkan"] != akhir["predikat_final"]).sum()),
                  "keberatan_dikarantina": int(result.karantina["baris"].nunique()),
                  "kurva_tidak_memenuhi": int((~result.kurva["memenuhi"].astype(bool)).sum()), **written}
        return finish(ctx, counts, reports)
