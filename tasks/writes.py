"""Each stage's database writes: one task per stage, all of its tables in one transaction."""

from __future__ import annotations

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE

from stages.context import StageContext
from stages.records import write_tables
from tasks.retries import DB_RETRIES


@task(name="simpan-rencana", cache_policy=NO_CACHE, **DB_RETRIES)
def write_plan(ctx: StageContext, frames: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Units, employees and SKP indicators of the year."""
    return write_tables(ctx, {
        "unit_kerja": frames["unit_kerja"],
        "pegawai": frames["pegawai"],
        "indikator_skp": frames["skp"].drop(columns=["tahun"]),
    })


@task(name="simpan-pemantauan", cache_policy=NO_CACHE, **DB_RETRIES)
def write_mid_year(ctx: StageContext, frames: dict[str, pd.DataFrame], result, rules) -> dict[str, int]:
    """Per-indicator monitoring rows of the year and, of realisasi.csv, the row each one used (its
    latest month up to the mid-year cut-off) — what `audit verify` recomputes them from — and the citizen
    survey as read (the IKM of each unit: its mid-year page and the index show the grade); one transaction."""
    from contract.schema import input_frame
    from penilaian.capaian import baris_realisasi_akhir

    realisasi = frames["realisasi"]
    used = baris_realisasi_akhir(realisasi, rules.pemantauan.bulan_batas, ctx.tahun)
    return write_tables(ctx, {"pemantauan": result.pemantauan, "realisasi_pemantauan": realisasi.iloc[used],
                              "survei_masyarakat": input_frame(frames, "survei_masyarakat")})


@task(name="simpan-hasil-penilaian", cache_policy=NO_CACHE, **DB_RETRIES)
def write_year_end(ctx: StageContext, frames: dict[str, pd.DataFrame], result, rules) -> dict[str, int]:
    """Scores, the inputs they came from, and rater bias — all or nothing.

    Of realisasi.csv only the row each indicator's score used is kept (its latest month up to the
    cut-off, `scoring.baris_realisasi_akhir`): one row per indicator instead of up to twelve, which is
    what recomputing and explaining a score needs; the whole file stays identified by its sha256 in
    the stage run. Writing every monthly row cost more than the rest of the stage at 100,000 employees.
    """
    from penilaian.capaian import baris_realisasi_akhir

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


@task(name="simpan-keberatan", cache_policy=NO_CACHE, **DB_RETRIES)
def write_objection(ctx: StageContext, frames: dict[str, pd.DataFrame], result) -> dict[str, int]:
    """The objections as filed (with their line), the decisions, and the predikat that stands for every
    scored employee — all or nothing; no keberatan.csv leaves no objection rows of the year."""
    from contract.schema import input_frame
    from penilaian.keberatan import tabel_keberatan

    filed = input_frame(frames, "keberatan")
    return write_tables(ctx, {"keberatan": filed.assign(baris=filed["_baris"]), **tabel_keberatan(result)})


@task(name="simpan-rekomendasi", cache_policy=NO_CACHE, **DB_RETRIES)
def write_training(
    ctx: StageContext, result, frames: dict[str, pd.DataFrame], angka_kredit
) -> dict[str, int]:
    """Recommendations, follow-up entries and angka kredit of the year, with the training inputs they came
    from that no earlier stage archives — the catalogue, the training history and angka_kredit.csv as
    read (every row that passed the value rules, with its line) — all or nothing (so `audit verify` can
    recompute them); no angka_kredit.csv leaves no angka kredit rows of the year."""
    from contract.schema import input_frame
    from penilaian.training import tabel_tindak_lanjut

    filed = input_frame(frames, "angka_kredit")
    return write_tables(ctx, {
        "rekomendasi_pelatihan": result.rekomendasi,
        "tindak_lanjut": tabel_tindak_lanjut(result),
        "katalog_pelatihan": frames["katalog_pelatihan"],
        "riwayat_pelatihan": input_frame(frames, "riwayat_pelatihan"),
        "angka_kredit": filed.assign(baris=filed["_baris"], bulan=filed["bulan"].astype("Int64")),
        "angka_kredit_hasil": angka_kredit.hasil,
    })
