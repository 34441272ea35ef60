"""The stages' own gate checks (relations across files, plan quality, coverage, scoring) as tasks."""

from __future__ import annotations

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE

from contract.inputs import Inputs
from penilaian.plan import completeness_by_unit, employees_without_utama, relational_findings
from penilaian.ruleset import Ruleset
from penilaian.stage_checks import (
    held_back_staff,
    realisation_coverage,
    supervisor_rating_coverage,
    units_without_predikat,
    unscored_by_instansi,
)

completeness = task(completeness_by_unit, name="kelengkapan-per-unit", cache_policy=NO_CACHE)


@task(name="periksa-relasi", cache_policy=NO_CACHE)
def relational_checks(inputs: Inputs, rules: Ruleset, *, rencana: bool = False) -> list:
    """Supervisor exists / same instansi / no cycles / cascading; with `rencana`, every employee has utama."""
    from expectations.checks import relational_check

    maks = rules.gerbang.maks_karantina_persen
    checks = [
        relational_check(f["kode"], f["deskripsi"], _examples(f["rows"]), f["diperiksa"],
                         ambang_persen=maks, berkas=f["berkas"])
        for f in relational_findings(inputs.karantina, inputs.counts())
    ]
    if rencana:
        missing = employees_without_utama(inputs.frames["pegawai"], inputs.frames["skp"])
        rows = pd.DataFrame({
            "baris": missing["_baris"], "kolom": "nip", "nilai": missing["nip"],
            "alasan": "pegawai tidak memiliki indikator utama",
        })
        checks.append(relational_check(
            "pegawai.indikator_utama", "setiap pegawai memiliki minimal satu indikator utama",
            rows, len(inputs.frames["pegawai"]), ambang_persen=maks, berkas="skp.csv"))
    return checks


def _examples(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[["baris", "kolom", "nilai", "kode_aturan", "alasan"]]


@task(name="periksa-cakupan-pemantauan", cache_policy=NO_CACHE)
def coverage_checks(inputs: Inputs, rules: Ruleset) -> list:
    """Realisations by June and S1 behaviour ratings must cover most of the plan."""
    from expectations.checks import relational_check

    allowed = 100 - rules.gerbang.min_cakupan_realisasi_persen
    rows, checked = realisation_coverage(inputs.frames, rules.pemantauan.bulan_batas)
    s1_rows, s1_checked = supervisor_rating_coverage(inputs.frames, 1)
    return [
        relational_check("realisasi.cakupan_juni", "indikator SKP sudah punya realisasi s.d. Juni",
                         rows, checked, ambang_persen=allowed, berkas="realisasi.csv"),
        relational_check("perilaku.s1_ada", "penilaian perilaku semester 1 oleh atasan tersedia",
                         s1_rows, s1_checked, ambang_persen=allowed, berkas="perilaku.csv"),
    ]


@task(name="pegawai-unit-dikarantina", cache_policy=NO_CACHE)
def staff_held_back(inputs: Inputs) -> pd.DataFrame:
    """Employees set aside with their quarantined unit, read off the raw rows before they are released."""
    return held_back_staff(inputs.raw, inputs.karantina)


@task(name="periksa-kelayakan-penilaian", cache_policy=NO_CACHE)
def scoring_checks(inputs: Inputs, result, rules: Ruleset, held_back: pd.DataFrame | None = None) -> list:
    """Every staffed unit has its predikat; at most 10% of an instansi cannot be scored — the staff set
    aside with a quarantined unit count as staffed and as not scored."""
    from expectations.checks import relational_check

    rows, checked = units_without_predikat(inputs.frames, held_back)
    checks = [relational_check("unit_kerja.predikat_organisasi",
                               "unit berpegawai memiliki predikat_organisasi",
                               rows, checked, ambang_persen=0, berkas="unit_kerja.csv")]
    maks = rules.gerbang.maks_tidak_dinilai_persen
    for kode, bad, total in unscored_by_instansi(inputs.frames, result.tidak_dinilai, held_back):
        checks.append(relational_check(
            f"penilaian.tidak_dinilai.{kode}", f"pegawai {kode} yang tidak dapat dinilai",
            bad, total, ambang_persen=maks, berkas="pegawai.csv"))
    return checks
