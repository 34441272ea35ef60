"""Each stage's writes (database, one transaction) and its files (CSV contract, HTML reports)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from contract.files import stage_checksums
from contract.output import write_csv
from kinerja.errors import StageRefused
from models import stage_runs
from stages.context import StageContext
from stages.records import write_tables
from tasks.steps import DB_RETRIES

# ---------------------------------------------------------------- plan collection


@task(name="simpan-rencana", cache_policy=NO_CACHE, **DB_RETRIES)
def write_plan(ctx: StageContext, frames: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Units, employees and SKP indicators of the year."""
    return write_tables(ctx, {
        "unit_kerja": frames["unit_kerja"],
        "pegawai": frames["pegawai"],
        "indikator_skp": frames["skp"].drop(columns=["tahun"]),
    })


# ---------------------------------------------------------------- mid-year


@task(name="simpan-pemantauan", cache_policy=NO_CACHE, **DB_RETRIES)
def write_mid_year(ctx: StageContext, result) -> dict[str, int]:
    """Per-indicator monitoring rows of the year (one transaction)."""
    return write_tables(ctx, {"pemantauan": result.pemantauan})


@task(name="laporan-pemantauan", cache_policy=NO_CACHE)
def report_mid_year(ctx: StageContext, result, frames: dict[str, pd.DataFrame]) -> list[Path]:
    """pemantauan_tengah_tahun.csv and one HTML report per unit."""
    from penilaian.monitoring import to_pemantauan_csv
    from reports.render import render_mid_year_reports

    csv = write_csv(to_pemantauan_csv(result), ctx.output_dir / "pemantauan_tengah_tahun.csv")
    pages = render_mid_year_reports(mid_year=result, frames=frames, out_dir=ctx.output_dir)
    get_run_logger().info("Ditulis: %s dan %d laporan unit", csv.name, len(pages))
    return [csv, *pages]


# ---------------------------------------------------------------- year-end


@task(name="simpan-hasil-penilaian", cache_policy=NO_CACHE, **DB_RETRIES)
def write_year_end(ctx: StageContext, frames: dict[str, pd.DataFrame], result, rules) -> dict[str, int]:
    """Scores, the inputs they came from, and rater bias — all or nothing.

    Of realisasi.csv only the row each indicator's score used is kept (its latest month up to the
    cut-off, `scoring.baris_realisasi_akhir`): one row per indicator instead of up to twelve, which is
    what recomputing and explaining a score needs; the whole file stays identified by its sha256 in
    the stage run. Writing every monthly row cost more than the rest of the stage at 100,000 employees.
    """
    from penilaian.scoring import baris_realisasi_akhir

    realisasi = frames["realisasi"]
    tables = {
        "capaian_indikator": result.indikator,
        "hasil_penilaian": result.hasil.assign(ruleset_label=result.ruleset_label),
        "bias_penilai": result.bias,
        "realisasi": realisasi.iloc[baris_realisasi_akhir(realisasi, rules.penilaian.bulan_batas, ctx.tahun)],
        "perilaku": frames["perilaku"],
    }
    for name in ("umpan_balik", "rating_atasan"):
        if name in frames:
            tables[name] = frames[name]
    return write_tables(ctx, tables)


@task(name="laporan-akhir-tahun", cache_policy=NO_CACHE)
def report_year_end(ctx: StageContext, frames: dict[str, pd.DataFrame], result, dokumen: str) -> list[Path]:
    """hasil_penilaian.csv, bias_penilai.csv, the documents and the unit summaries."""
    from penilaian.scoring import to_bias_penilai_csv, to_hasil_penilaian_csv
    from reports.render import render_documents, render_unit_summaries

    out = ctx.output_dir
    hasil = write_csv(to_hasil_penilaian_csv(result), out / "hasil_penilaian.csv")
    bias = write_csv(to_bias_penilai_csv(result), out / "bias_penilai.csv")
    documents = render_documents(year_end=result, frames=frames, out_dir=out, pilihan=dokumen)
    summaries = render_unit_summaries(year_end=result, frames=frames, out_dir=out)
    get_run_logger().info("Ditulis: %d dokumen, %d ringkasan unit", documents, len(summaries))
    return [hasil, bias, out / "dokumen", *summaries]


# ---------------------------------------------------------------- training


@task(name="periksa-hasil-akhir-tahun", cache_policy=NO_CACHE, **DB_RETRIES)
def require_year_end(ctx: StageContext) -> int:
    """Refuse to run before year-end scoring, or when its inputs have changed since."""
    row = stage_runs.latest_successful_run(ctx.engine, ctx.tahun, "year-end")
    if row is None:
        raise StageRefused(
            f"training {ctx.tahun}: belum ada hasil penilaian akhir tahun; jalankan dulu "
            f"`kinerja run year-end --tahun {ctx.tahun}` / no year-end results yet: run year-end first"
        )
    year_end_run, recorded = row
    scored = stage_checksums(recorded, "year-end")
    now = stage_checksums(ctx.checksums, "year-end")
    changed = sorted(n for n in scored.keys() | now.keys() if scored.get(n) != now.get(n))
    if changed:
        raise StageRefused(
            f"training {ctx.tahun}: input berubah sejak penilaian akhir tahun ({', '.join(changed)}); "
            f"jalankan ulang year-end / inputs changed since year-end scoring: re-run year-end"
        )
    return year_end_run


@task(name="simpan-rekomendasi", cache_policy=NO_CACHE, **DB_RETRIES)
def write_training(ctx: StageContext, result) -> dict[str, int]:
    """Recommendations and follow-up entries of the year (one transaction)."""
    reward = result.penghargaan.assign(
        jenis="penghargaan", rencana="Kandidat penghargaan (predikat Sangat Baik)")
    follow = result.tindak_lanjut.assign(jenis="konseling")
    return write_tables(ctx, {
        "rekomendasi_pelatihan": result.rekomendasi,
        "tindak_lanjut": pd.concat([reward, follow], ignore_index=True),
    })


@task(name="laporan-pelatihan", cache_policy=NO_CACHE)
def report_training(ctx: StageContext, frames: dict[str, pd.DataFrame], year_end, result) -> list[Path]:
    """rekomendasi_pelatihan.csv, the unit training plans, unit summaries with follow-up."""
    from penilaian.training import to_rekomendasi_csv
    from reports.render import render_unit_summaries, write_training_plans

    out = ctx.output_dir
    csv = write_csv(to_rekomendasi_csv(result), out / "rekomendasi_pelatihan.csv")
    plans = write_training_plans(result, out)
    summaries = render_unit_summaries(year_end=year_end, frames=frames, out_dir=out, training=result)
    return [csv, *plans, *summaries]
