"""Each stage's files: the CSV outputs of the contract and the HTML reports, one task per stage."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from contract.output import write_csv
from stages.context import StageContext


@task(name="laporan-pemantauan", cache_policy=NO_CACHE)
def report_mid_year(ctx: StageContext, result, frames: dict[str, pd.DataFrame]) -> list[Path]:
    """pemantauan_tengah_tahun.csv and one HTML report per unit."""
    from penilaian.monitoring import PEMANTAUAN_NUMBERS, to_pemantauan_csv
    from reports.mid_year import render_mid_year_reports

    csv = write_csv(to_pemantauan_csv(result), ctx.output_dir / "pemantauan_tengah_tahun.csv",
                    PEMANTAUAN_NUMBERS)
    pages = render_mid_year_reports(mid_year=result, frames=frames, out_dir=ctx.output_dir)
    get_run_logger().info("Ditulis: %s dan %d laporan unit", csv.name, len(pages))
    return [csv, *pages]


@task(name="laporan-akhir-tahun", cache_policy=NO_CACHE)
def report_year_end(ctx: StageContext, frames: dict[str, pd.DataFrame], result, dokumen: str) -> list[Path]:
    """hasil_penilaian.csv, bias_penilai.csv, the documents and the unit summaries."""
    from penilaian.year_end import (
        BIAS_PENILAI_NUMBERS,
        HASIL_PENILAIAN_NUMBERS,
        to_bias_penilai_csv,
        to_hasil_penilaian_csv,
    )
    from reports.documents import render_documents
    from reports.unit_summaries import render_unit_summaries

    out = ctx.output_dir
    hasil = write_csv(to_hasil_penilaian_csv(result), out / "hasil_penilaian.csv", HASIL_PENILAIAN_NUMBERS)
    bias = write_csv(to_bias_penilai_csv(result), out / "bias_penilai.csv", BIAS_PENILAI_NUMBERS)
    documents = render_documents(year_end=result, frames=frames, out_dir=out, pilihan=dokumen)
    summaries = render_unit_summaries(year_end=result, frames=frames, out_dir=out)
    get_run_logger().info("Ditulis: %d dokumen, %d ringkasan unit", documents, len(summaries))
    return [hasil, bias, *([out / "dokumen"] if documents else []), *summaries]


@task(name="laporan-keberatan", cache_policy=NO_CACHE)
def report_objection(
    ctx: StageContext, frames: dict[str, pd.DataFrame], year_end, result, dokumen: str
) -> list[Path]:
    """keberatan_hasil.csv, hasil_penilaian_akhir.csv, the documents of the employees whose objection was
    decided (with its Keberatan section) and the unit summaries with the unit's objections."""
    from penilaian.keberatan import to_hasil_penilaian_akhir_csv, to_keberatan_hasil_csv
    from penilaian.year_end import HASIL_PENILAIAN_NUMBERS
    from reports.documents import render_documents
    from reports.unit_summaries import render_unit_summaries

    out = ctx.output_dir
    keputusan = write_csv(to_keberatan_hasil_csv(result), out / "keberatan_hasil.csv")
    akhir = write_csv(to_hasil_penilaian_akhir_csv(result), out / "hasil_penilaian_akhir.csv",
                      HASIL_PENILAIAN_NUMBERS)
    documents = render_documents(year_end=year_end, frames=frames, out_dir=out, pilihan=dokumen,
                                 keberatan=result)
    summaries = render_unit_summaries(year_end=year_end, frames=frames, out_dir=out, keberatan=result)
    get_run_logger().info("Ditulis: %s, %s, %d dokumen, %d ringkasan unit", keputusan.name, akhir.name,
                          documents, len(summaries))
    return [keputusan, akhir, *([out / "dokumen"] if documents else []), *summaries]


@task(name="laporan-pelatihan", cache_policy=NO_CACHE)
def report_training(
    ctx: StageContext, frames: dict[str, pd.DataFrame], year_end, result, keberatan, angka_kredit,
    dokumen: str,
) -> list[Path]:
    """rekomendasi_pelatihan.csv, the unit training plans, angka_kredit_hasil.csv, the documents of the
    functional officials whose angka kredit was converted (with its section), and unit summaries with
    follow-up, the unit's objections (as the objection stage showed them) and its JF promotions."""
    from penilaian.angka_kredit import ANGKA_KREDIT_NUMBERS, to_angka_kredit_hasil_csv
    from penilaian.training import REKOMENDASI_NUMBERS, to_rekomendasi_csv
    from reports.documents import render_documents
    from reports.training_plans import write_training_plans
    from reports.unit_summaries import render_unit_summaries

    out = ctx.output_dir
    csv = write_csv(to_rekomendasi_csv(result), out / "rekomendasi_pelatihan.csv", REKOMENDASI_NUMBERS)
    plans = write_training_plans(result, out)
    ak = write_csv(to_angka_kredit_hasil_csv(angka_kredit), out / "angka_kredit_hasil.csv",
                   ANGKA_KREDIT_NUMBERS)
    documents = render_documents(year_end=year_end, frames=frames, out_dir=out, pilihan=dokumen,
                                 keberatan=keberatan, angka_kredit=angka_kredit)
    summaries = render_unit_summaries(year_end=year_end, frames=frames, out_dir=out, training=result,
                                      keberatan=keberatan, angka_kredit=angka_kredit)
    get_run_logger().info("Ditulis: %s, %s, %d rencana unit, %d dokumen, %d ringkasan unit", csv.name,
                          ak.name, len(plans), documents, len(summaries))
    return [csv, *plans, ak, *([out / "dokumen"] if documents else []), *summaries]
