"""Stage 3 — mid-year monitoring: progress to June, early warnings, coaching, citizen satisfaction."""

from __future__ import annotations

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows.executor import compute_by_instansi
from flows.run_names import run_name
from penilaian.partition import combine_mid_year
from penilaian.stage_checks import realisation_coverage, supervisor_rating_coverage
from tasks.checks import relational_checks
from tasks.outputs import report_mid_year, write_mid_year
from tasks.steps import finish, gate, load_inputs, stage_run

TAHAP = "mid-year"


@task(name="periksa-cakupan-pemantauan", cache_policy=NO_CACHE)
def coverage_checks(inputs, rules) -> list:
    """Realisations by June and S1 behaviour ratings must cover most of the plan."""
    from expectations.gate import relational_check

    allowed = 100 - rules.gerbang.min_cakupan_realisasi_persen
    rows, checked = realisation_coverage(inputs.frames, rules.pemantauan.bulan_batas)
    s1_rows, s1_checked = supervisor_rating_coverage(inputs.frames, 1)
    return [
        relational_check("realisasi.cakupan_juni", "indikator SKP sudah punya realisasi s.d. Juni",
                         rows, checked, ambang_persen=allowed, berkas="realisasi.csv"),
        relational_check("perilaku.s1_ada", "penilaian perilaku semester 1 oleh atasan tersedia",
                         s1_rows, s1_checked, ambang_persen=allowed, berkas="perilaku.csv"),
    ]


@task(name="hitung-pemantauan", cache_policy=NO_CACHE)
def compute(frames, rules, tahun: int):
    """The whole tables, or one instansi's (module-level: Dask workers import it)."""
    from penilaian.monitoring import monitor_mid_year

    return monitor_mid_year(frames, rules, tahun)


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
            compute, executor, inputs.frames, rules, ctx.tahun,
            combine=lambda parts: combine_mid_year(parts, inputs.frames, rules, ctx.tahun))
        written = write_mid_year(ctx, result)
        reports = report_mid_year(ctx, result, inputs.frames)
        counts = {**inputs.counts(), "dikarantina": len(inputs.karantina),
                  "indikator_dipantau": len(result.pemantauan), "pegawai_berisiko": len(result.berisiko),
                  **result.pemantauan["status"].value_counts().sort_index().to_dict(), **written}
        return finish(ctx, counts, reports)
