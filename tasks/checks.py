"""The stages' own gate checks (relations across files, plan quality, coverage, scoring) as tasks."""

from __future__ import annotations

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE

from contract.inputs import Inputs
from contract.schema import PREDIKAT_ORGANISASI
from penilaian.plan import completeness_by_unit, employees_without_utama, relational_findings
from penilaian.ruleset import Ruleset
from penilaian.stage_checks import (
    held_back_staff,
    realisation_coverage,
    supervisor_rating_coverage,
    units_without_predikat,
    unscored_by_instansi,
)

ULANGI, RERUN = "lalu jalankan ulang tahap", "then re-run the stage"

completeness = task(completeness_by_unit, name="kelengkapan-per-unit", cache_policy=NO_CACHE)


@task(name="periksa-relasi", cache_policy=NO_CACHE)
def relational_checks(inputs: Inputs, rules: Ruleset, *, rencana: bool = False) -> list:
    """Supervisor exists / same instansi / no cycles / cascading; with `rencana`, every employee has utama."""
    from expectations.checks import relational_check

    maks = rules.gerbang.maks_karantina_persen
    checks = [
        relational_check(f["kode"], f["deskripsi"], _examples(f["rows"]), f["diperiksa"],
                         ambang_persen=maks, berkas=f["berkas"], description=f["description"],
                         perbaikan=f["perbaikan"], fix=f["fix"])
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
            rows, len(inputs.frames["pegawai"]), ambang_persen=maks, berkas="skp.csv",
            description="every employee has at least one main (utama) indicator",
            perbaikan=f"tambahkan di skp.csv minimal satu indikator berjenis utama untuk pegawai "
            f"{_daftar(missing['nip'])}; {ULANGI}",
            fix=f"add at least one indicator of jenis utama to skp.csv for employees "
            f"{_daftar(missing['nip'], en=True)}; {RERUN}"))
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
    bulan = rules.pemantauan.bulan_batas
    return [
        relational_check("realisasi.cakupan_juni", "indikator SKP sudah punya realisasi s.d. Juni",
                         rows, checked, ambang_persen=allowed, berkas="realisasi.csv",
                         description="SKP indicators have a realisation up to June",
                         perbaikan=f"tambahkan di realisasi.csv realisasi s.d. bulan {bulan} untuk indikator "
                         f"yang tercantum (kolom nilai: id_indikator); {ULANGI}",
                         fix=f"add realisations up to month {bulan} to realisasi.csv for the listed "
                         f"indicators (nilai column: id_indikator); {RERUN}"),
        relational_check("perilaku.s1_ada", "penilaian perilaku semester 1 oleh atasan tersedia",
                         s1_rows, s1_checked, ambang_persen=allowed, berkas="perilaku.csv",
                         description="a semester 1 behaviour rating by the supervisor exists",
                         perbaikan="tambahkan di perilaku.csv penilaian periode S1 oleh atasan langsung "
                         f"(nip_penilai = nip_atasan) untuk pegawai yang tercantum; {ULANGI}",
                         fix="add to perilaku.csv an S1 rating by the direct supervisor (nip_penilai = "
                         f"nip_atasan) for the listed employees; {RERUN}"),
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
    pilihan = ", ".join(PREDIKAT_ORGANISASI)
    checks = [relational_check("unit_kerja.predikat_organisasi",
                               "unit berpegawai memiliki predikat_organisasi",
                               rows, checked, ambang_persen=0, berkas="unit_kerja.csv",
                               description="every unit with staff has a predikat_organisasi",
                               perbaikan=f"isi predikat_organisasi ({pilihan}) untuk unit "
                               f"{_daftar(rows['nilai'])} di unit_kerja.csv {ULANGI}",
                               fix=f"fill in predikat_organisasi ({pilihan}) for unit "
                               f"{_daftar(rows['nilai'], en=True)} in unit_kerja.csv, {RERUN}")]
    maks = rules.gerbang.maks_tidak_dinilai_persen
    for kode, bad, total in unscored_by_instansi(inputs.frames, result.tidak_dinilai, held_back):
        checks.append(relational_check(
            f"penilaian.tidak_dinilai.{kode}", f"pegawai {kode} yang tidak dapat dinilai",
            bad, total, ambang_persen=maks, berkas="pegawai.csv",
            description=f"employees of {kode} who cannot be scored",
            perbaikan="lengkapi data pegawai yang tercantum menurut kolom alasan (indikator utama di "
            f"skp.csv, penilaian perilaku oleh atasan di perilaku.csv, atau unit yang dikarantina); {ULANGI}",
            fix="complete the data of the listed employees as the alasan column says (a main indicator in "
            f"skp.csv, a supervisor's rating in perilaku.csv, or a quarantined unit); {RERUN}"))
    return checks


def _daftar(values: pd.Series, most: int = 5, *, en: bool = False) -> str:
    """The first distinct values, and how many more: 'U01, U02 dan 3 lainnya'."""
    unique = list(dict.fromkeys(str(v) for v in values if pd.notna(v) and str(v) != ""))
    shown = ", ".join(unique[:most]) or ("(none)" if en else "(tidak ada)")
    rest = len(unique) - most
    if rest <= 0:
        return shown
    return f"{shown} and {rest} more" if en else f"{shown} dan {rest} lainnya"


@task(name="periksa-keberatan", cache_policy=NO_CACHE)
def objection_checks(inputs: Inputs, result) -> list:
    """Reported, never blocking: the objections set aside by the review's rules (each employee's own
    legal matter, not a data-quality share) and the units whose standing distribution no longer meets
    their curve (flagged, not corrected: DOMAIN.md "Keberatan")."""
    from contract.schema import input_frame
    from expectations.checks import relational_check

    diajukan = input_frame(inputs.frames, "keberatan")
    set_aside = result.karantina
    kurva = result.kurva[~result.kurva["memenuhi"].astype(bool)]
    units = inputs.frames["unit_kerja"].drop_duplicates("kode_unit").set_index("kode_unit")["_baris"]
    flagged = pd.DataFrame({"baris": kurva["kode_unit"].map(units).to_numpy(), "kolom": "kode_unit",
                            "nilai": kurva["kode_unit"].to_numpy(), "kode_aturan": "",
                            "alasan": kurva["pelanggaran"].to_numpy()})
    return [
        relational_check(
            "keberatan.dikesampingkan", "keberatan yang memenuhi aturan keberatan (tepat waktu, pemutus "
            "yang benar, satu kali, pegawai yang dinilai)", _examples(set_aside),
            len(diajukan), ambang_persen=None, berkas="keberatan.csv",
            description="objections that meet the objection rules (on time, the right decider, once, a "
            "scored employee)",
            perbaikan="periksa baris keberatan.csv yang tercantum menurut kolom alasan; keberatan yang "
            "memang tidak sah tetap dikesampingkan (tahap tetap berjalan); bila ada yang salah tulis, "
            f"perbaiki {ULANGI}",
            fix="check the listed rows of keberatan.csv as the alasan column says; an objection that is "
            f"indeed invalid stays set aside (the stage goes on); {RERUN} if one was mistyped"),
        relational_check(
            "keberatan.kurva", "unit dengan keberatan yang sebaran predikat ditetapkannya masih memenuhi "
            "kurva (dilaporkan, tidak dikoreksi)", flagged,
            len(result.kurva), ambang_persen=None, berkas="unit_kerja.csv",
            description="units with objections whose standing distribution still meets the curve "
            "(reported, not corrected)",
            perbaikan="tidak ada yang perlu diperbaiki di berkas: keputusan keberatan bersifat final; "
            "unit yang tercantum ditandai di ringkasannya",
            fix="nothing to correct in the files: objection decisions are final; the listed units are "
            "flagged in their summaries"),
    ]


@task(name="periksa-angka-kredit", cache_policy=NO_CACHE)
def angka_kredit_checks(inputs: Inputs, result) -> list:
    """Reported, never blocking: functional officials of angka_kredit.csv who get no angka kredit because
    no predikat stands for them (not scored at year-end): each one's own matter, not a data-quality share
    (DOMAIN.md "Angka kredit")."""
    from contract.schema import input_frame
    from expectations.checks import relational_check

    return [relational_check(
        "angka_kredit.tanpa_predikat", "pejabat fungsional di angka_kredit.csv yang memiliki predikat "
        "ditetapkan (dinilai akhir tahun)", _examples(result.karantina),
        len(input_frame(inputs.frames, "angka_kredit")), ambang_persen=None, berkas="angka_kredit.csv",
        description="functional officials of angka_kredit.csv with a standing predikat (scored at year-end)",
        perbaikan="lengkapi data penilaian pegawai yang tercantum (lihat karantina.csv untuk alasan ia tidak "
        f"dinilai), jalankan ulang penilaian akhir tahun dan keberatan, {ULANGI}; tanpa predikat tidak ada "
        "angka kredit tahun ini",
        fix="complete the appraisal data of the listed employees (karantina.csv says why they were not "
        f"scored), re-run year-end and objection, {RERUN}; without a predikat there is no angka kredit "
        "this year")]
