"""Stage 4 — year-end scoring: capaian, ratings, predikat, distribution curve, rater bias."""

from __future__ import annotations

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows.executor import compute_by_instansi
from flows.run_names import run_name
from penilaian.partition import combine_year_end
from penilaian.scoring import year_end_key
from penilaian.stage_checks import units_without_predikat, unscored_by_instansi, unscored_quarantine
from tasks.checks import relational_checks
from tasks.outputs import report_year_end, write_year_end
from tasks.steps import finish, gate, gate_results, load_inputs, stage_run

TAHAP = "year-end"


@task(name="hitung-nilai-akhir-tahun", cache_policy=NO_CACHE)
def compute(frames, rules, tahun: int):
    """The whole tables, or one instansi's (module-level: Dask workers import it)."""
    from penilaian.scoring import score_year_end

    return score_year_end(frames, rules, tahun)


@task(name="periksa-kelayakan-penilaian", cache_policy=NO_CACHE)
def scoring_checks(inputs, result, rules) -> list:
    """Every staffed unit has its predikat; at most 10% of an instansi cannot be scored."""
    from expectations.gate import relational_check

    rows, checked = units_without_predikat(inputs.frames)
    checks = [relational_check("unit_kerja.predikat_organisasi",
                               "unit berpegawai memiliki predikat_organisasi",
                               rows, checked, ambang_persen=0, berkas="unit_kerja.csv")]
    maks = rules.gerbang.maks_tidak_dinilai_persen
    for kode, bad, total in unscored_by_instansi(inputs.frames, result.tidak_dinilai):
        checks.append(relational_check(
            f"penilaian.tidak_dinilai.{kode}", f"pegawai {kode} yang tidak dapat dinilai",
            bad, total, ambang_persen=maks, berkas="pegawai.csv"))
    return checks


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
        inputs.release_raw()
        result = compute_by_instansi(compute, executor, inputs.frames, rules, ctx.tahun,
                                     combine=lambda parts: combine_year_end(parts, rules))
        gate_results(ctx, inputs, passed, scoring_checks(inputs, result, rules),
                     unscored_quarantine(inputs.frames, result.tidak_dinilai))
        key = year_end_key(ctx.tahun, rules.checksum, ctx.checksums)
        ctx.cache.remember_year_end(key, result.shallow_copy())
        written = write_year_end(ctx, inputs.frames, result, rules)
        reports = report_year_end(ctx, inputs.frames, result, dokumen)
        counts = {**inputs.counts(), "dikarantina": len(inputs.karantina),
                  "dinilai": len(result.hasil), "tidak_dinilai": len(result.tidak_dinilai),
                  **{f"predikat_final.{k}": int(v) for k, v in
                     result.hasil["predikat_final"].value_counts().sort_index().items()}, **written}
        return finish(ctx, counts, reports)
