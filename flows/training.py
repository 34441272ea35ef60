"""Stage 5 — training recommendations and follow-up (tindak lanjut) from the year-end results."""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.executor import compute_by_instansi
from flows.run_names import run_name
from penilaian.partition import combine_training, combine_year_end
from penilaian.scoring import year_end_key
from tasks.outputs import report_training, require_year_end, write_training
from tasks.steps import finish, gate, load_inputs, stage_run

TAHAP = "training"


@task(name="hitung-rekomendasi", cache_policy=NO_CACHE)
def compute(frames, rules, tahun: int):
    """Recompute the (deterministic) year-end result from the same inputs, then recommend."""
    from penilaian.scoring import score_year_end
    from penilaian.training import recommend_trainings

    year_end = score_year_end(frames, rules, tahun)
    return year_end, recommend_trainings(year_end, frames, rules, tahun)


@task(name="hitung-rekomendasi-dari-hasil-akhir-tahun", cache_policy=NO_CACHE)
def recommend(frames, rules, tahun: int, year_end):
    """Recommend from the year-end result this process scored from the same inputs and ruleset."""
    from penilaian.training import recommend_trainings

    get_run_logger().info("Hasil akhir tahun yang sudah dihitung di proses ini dipakai (input dan ruleset "
                          "sama) / the year-end result scored earlier in this process is reused")
    return recommend_trainings(year_end, frames, rules, tahun)


@flow(name=TAHAP, flow_run_name=run_name(TAHAP), log_prints=False)
def training(
    tahun: int | None = None, input_dir: str | None = None, output_dir: str | None = None,
    db_url: str | None = None,
    ruleset: str | None = None, pemicu: str = "manual", executor: str = "lokal",
) -> dict:
    """Require year-end → read → gate → recommend → write → plans and unit summaries."""
    with stage_run(TAHAP, tahun, input_dir, output_dir, db_url, ruleset, pemicu) as (ctx, rules):
        require_year_end(ctx)
        inputs = load_inputs(ctx)
        gate(ctx, inputs, rules)
        inputs.release_raw()
        year_end = ctx.cache.recall_year_end(year_end_key(ctx.tahun, rules.checksum, ctx.checksums))
        if year_end is not None and executor == "lokal":
            year_end = year_end.shallow_copy()
            result = recommend(inputs.frames, rules, ctx.tahun, year_end)
        else:
            year_end, result = compute_by_instansi(
                compute, executor, inputs.frames, rules, ctx.tahun,
                combine=lambda parts: (combine_year_end([p[0] for p in parts], rules),
                                       combine_training([p[1] for p in parts])))
        written = write_training(ctx, result)
        reports = report_training(ctx, inputs.frames, year_end, result)
        counts = {**inputs.counts(), "dikarantina": len(inputs.karantina),
                  "rekomendasi": len(result.rekomendasi), "penghargaan": len(result.penghargaan),
                  "tindak_lanjut": len(result.tindak_lanjut), **written}
        return finish(ctx, counts, reports)
