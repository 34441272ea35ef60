"""Stage 6 — training recommendations and follow-up (tindak lanjut) from the result that stands after the
objection review (predikat_ditetapkan)."""

from __future__ import annotations

from prefect import flow

from flows.executor import compute_by_instansi
from flows.run_names import run_name
from penilaian.partition import combine_training, combine_year_end
from stages import registry
from tasks.compute import recommend, review, score_and_recommend
from tasks.gates import gate
from tasks.inputs import load_inputs
from tasks.lifecycle import finish, stage_run
from tasks.reports import report_training
from tasks.writes import write_training
from tasks.year_end_result import recall_year_end, require_year_end

TAHAP = "training"


@flow(name=TAHAP, flow_run_name=run_name(TAHAP), log_prints=False)
def training(
    tahun: int | None = None, input_dir: str | None = None, output_dir: str | None = None,
    db_url: str | None = None,
    ruleset: str | None = None, pemicu: str = "manual", executor: str = "lokal",
) -> dict:
    """Require the objection review → read → gate → recommend from the predikat that stands → write →
    plans and unit summaries."""
    with stage_run(TAHAP, tahun, input_dir, output_dir, db_url, ruleset, pemicu) as (ctx, rules):
        require_year_end(ctx, registry.get(TAHAP).builds_on)
        inputs = load_inputs(ctx)
        gate(ctx, inputs, rules)
        inputs.release_raw()
        year_end = recall_year_end(ctx, rules) if executor == "lokal" else None
        if year_end is not None:
            keberatan = review(inputs.frames, rules, ctx.tahun, year_end)
            result = recommend(inputs.frames, rules, ctx.tahun, year_end, keberatan)
        else:
            year_end, result = compute_by_instansi(
                score_and_recommend, executor, inputs.frames, rules, ctx.tahun,
                combine=lambda parts: (combine_year_end([p[0] for p in parts], rules),
                                       combine_training([p[1] for p in parts])))
            keberatan = review(inputs.frames, rules, ctx.tahun, year_end)  # for the unit summaries
        written = write_training(ctx, result, inputs.frames)
        reports = report_training(ctx, inputs.frames, year_end, result, keberatan)
        counts = {**inputs.stage_counts(),
                  "rekomendasi": len(result.rekomendasi), "penghargaan": len(result.penghargaan),
                  "tindak_lanjut": len(result.tindak_lanjut), **written}
        return finish(ctx, counts, reports)
