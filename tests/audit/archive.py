"""A year archived in the database as the stages archive it, built without Prefect.

plan-collection writes the year's units, employees and SKP; mid-year its monitoring and the realisasi
row each indicator's monitoring used; year-end writes the scores and the inputs they came from (of
realisasi only the row each score used); training its recommendations and follow-up with the catalogue
and training history; each run is sealed into the chain with the digests of the rows it wrote. The
audit reads (verify, explain, log) are tested against it.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from audit.chain import GENESIS, digests_json, record_hash
from audit.digest import result_digests
from contract.files import sha256_of_inputs
from contract.reader import read_inputs
from contract.schema import input_frame
from contract.values import check_values
from kinerja.demo.generator import generate
from models import stage_runs
from models.db import replace_rows, transaction
from penilaian.angka_kredit import AngkaKreditResult, convert_angka_kredit
from penilaian.capaian import baris_realisasi_akhir
from penilaian.keberatan import KeberatanResult, review_objections, tabel_keberatan
from penilaian.kurva import kalibrasi_kurva, peringkat_unit
from penilaian.monitoring import monitor_mid_year
from penilaian.ruleset import Ruleset, load_ruleset
from penilaian.training import TrainingResult, recommend_trainings, tabel_tindak_lanjut
from penilaian.year_end import YearEndResult, score_year_end
from stages import registry
from tests.penilaian.year_end_inputs import UNIT_KURVA_16, nip, peg, unit

TAHUN = 2026


@dataclass(frozen=True)
class ScoredYear:
    """Demo inputs of one year, read, checked and scored (once per test session)."""

    folder: Path
    frames: dict[str, pd.DataFrame]
    result: YearEndResult
    rules: Ruleset


def score_demo_year(folder: Path, pegawai: int = 40) -> ScoredYear:
    generate(folder, pegawai=pegawai, tahun=TAHUN, seed=5, bad_rows=False)
    frames = stage_frames(folder, "year-end")
    rules = load_ruleset()
    return ScoredYear(folder, frames, score_year_end(frames, rules, TAHUN), rules)


@cache
def stage_frames(folder: Path, tahap: str) -> dict[str, pd.DataFrame]:
    """The stage's input files in `folder`, read and checked by every value rule, as the stage has them
    (once per folder and stage: the session's demo folder is read-only)."""
    stage = registry.get(tahap)
    raw, _ = read_inputs(folder, stage.required, stage.optional)
    frames, _, _ = check_values(raw, TAHUN, tahap)
    return frames


def checksums(folder: Path, tahap: str) -> dict[str, str]:
    return sha256_of_inputs(folder, registry.get(tahap).inputs)


def sealed_run(
    engine: Engine, tahap: str, tables: dict[str, pd.DataFrame], input_checksums: dict[str, str],
    ruleset_label: str | None = None, ruleset_checksum: str | None = None,
    karantina: pd.DataFrame | None = None,
) -> int:
    """One stage run: opened, its tables replaced for the year, its quarantine (as its gate stores it,
    replacing only the run's own rows), closed 'berhasil' and sealed."""
    rid = stage_runs.insert_run(engine, tahun=TAHUN, tahap=tahap, pengguna="auditor-test",
                                input_checksums=json.dumps(input_checksums, sort_keys=True),
                                ruleset_label=ruleset_label, ruleset_checksum=ruleset_checksum,
                                code_version="test")
    counts = {}
    with transaction(engine) as conn:
        for name, frame in tables.items():
            counts[f"{name}_ditulis"] = replace_rows(
                conn, name, frame.assign(tahun=TAHUN, stage_run_id=rid), tahun=TAHUN)
        if karantina is not None:
            replace_rows(conn, "karantina", karantina.assign(tahun=TAHUN, stage_run_id=rid), stage_run_id=rid)
    digests = digests_json(result_digests(engine, rid))
    assert stage_runs.seal_run(engine, rid, "berhasil", counts, None, digests, GENESIS, record_hash)
    return rid


def plan_run(engine: Engine, year: ScoredYear, input_checksums: dict[str, str] | None = None) -> int:
    frames = year.frames
    return sealed_run(engine, "plan-collection", {
        "unit_kerja": frames["unit_kerja"], "pegawai": frames["pegawai"],
        "indikator_skp": frames["skp"].drop(columns=["tahun"]),
    }, input_checksums or checksums(year.folder, "plan-collection"))


def year_end_run(engine: Engine, year: ScoredYear, ruleset_checksum: str | None = None,
                 ruleset_label: str | None = None) -> int:
    frames, result, rules = year.frames, year.result, year.rules
    realisasi = frames["realisasi"]
    tables = {
        "capaian_indikator": result.indikator,
        "hasil_penilaian": result.hasil.assign(ruleset_label=result.ruleset_label),
        "bias_penilai": result.bias,
        "realisasi": realisasi.iloc[baris_realisasi_akhir(realisasi, rules.penilaian.bulan_batas, TAHUN)],
        "perilaku": frames["perilaku"],
        **{name: frames[name] for name in ("umpan_balik", "rating_atasan") if name in frames},
    }
    return sealed_run(engine, "year-end", tables, checksums(year.folder, "year-end"),
                      ruleset_label or rules.label, ruleset_checksum or rules.checksum)


def archive_year(engine: Engine, year: ScoredYear) -> tuple[int, int]:
    """plan-collection then year-end: the ids of their stage runs."""
    return plan_run(engine, year), year_end_run(engine, year)


def mid_year_run(engine: Engine, year: ScoredYear, archive_realisasi: bool = True) -> int:
    """Mid-year as tasks/writes.write_mid_year stores it: the monitoring and the realisasi rows it used
    (not those, with `archive_realisasi=False`: a run of a version that did not archive them)."""
    frames, rules = stage_frames(year.folder, "mid-year"), year.rules
    tables = {"pemantauan": monitor_mid_year(frames, rules, TAHUN).pemantauan}
    if archive_realisasi:
        realisasi = frames["realisasi"]
        tables["realisasi_pemantauan"] = realisasi.iloc[
            baris_realisasi_akhir(realisasi, rules.pemantauan.bulan_batas, TAHUN)]
    return sealed_run(engine, "mid-year", tables, checksums(year.folder, "mid-year"), rules.label,
                      rules.checksum)


def objection_result(year: ScoredYear, folder: Path | None = None) -> KeberatanResult:
    """What the objection stage computes from the year's files (or those in `folder`)."""
    frames = stage_frames(folder or year.folder, "objection")
    return review_objections(frames, score_year_end(frames, year.rules, TAHUN), year.rules, TAHUN)


def objection_run(engine: Engine, year: ScoredYear, folder: Path | None = None) -> int:
    """The objection review as tasks/writes.write_objection stores it: the objections as filed (with
    their line), the decisions, and the predikat that stands for every scored employee; with the
    objections it set aside in its quarantine, as the stage's gate stores them."""
    folder = folder or year.folder
    filed = input_frame(stage_frames(folder, "objection"), "keberatan")
    result = objection_result(year, folder)
    return sealed_run(engine, "objection", {"keberatan": filed.assign(baris=filed["_baris"]),
                                            **tabel_keberatan(result),
                                            "karantina": result.karantina.assign(tahap="objection")},
                      checksums(folder, "objection"), year.rules.label, year.rules.checksum)


def training_result(year: ScoredYear) -> TrainingResult:
    """What the training stage computes from the year's files: from the predikat that stands after the
    objection review of the same files."""
    frames = stage_frames(year.folder, "training")
    year_end = score_year_end(frames, year.rules, TAHUN)
    keberatan = review_objections(frames, year_end, year.rules, TAHUN)
    return recommend_trainings(year_end, frames, year.rules, TAHUN, keberatan)


def angka_kredit_result(year: ScoredYear) -> AngkaKreditResult:
    """The functional officials' angka kredit the training stage converts from the year's files (none
    without angka_kredit.csv), from the predikat that stands after the objection review."""
    frames = stage_frames(year.folder, "training")
    keberatan = review_objections(frames, score_year_end(frames, year.rules, TAHUN), year.rules, TAHUN)
    return convert_angka_kredit(frames, keberatan.akhir[["nip", "predikat_ditetapkan"]], year.rules, TAHUN)


def training_run(engine: Engine, year: ScoredYear, archive_angka_kredit: bool = True) -> int:
    """Training as tasks/writes.write_training stores it: recommendations, follow-up, angka kredit, and
    the training catalogue, history and angka_kredit.csv rows they came from; with the angka kredit rows
    it set aside in its quarantine, as the stage's gate stores them. With `archive_angka_kredit=False`:
    a run of a version before angka kredit (neither the rows nor the results)."""
    frames, result = stage_frames(year.folder, "training"), training_result(year)
    tables = {
        "rekomendasi_pelatihan": result.rekomendasi, "tindak_lanjut": tabel_tindak_lanjut(result),
        "katalog_pelatihan": frames["katalog_pelatihan"],
        "riwayat_pelatihan": input_frame(frames, "riwayat_pelatihan"),
    }
    karantina = None
    if archive_angka_kredit:
        filed, angka_kredit = input_frame(frames, "angka_kredit"), angka_kredit_result(year)
        tables |= {"angka_kredit": filed.assign(baris=filed["_baris"], bulan=filed["bulan"].astype("Int64")),
                   "angka_kredit_hasil": angka_kredit.hasil}
        karantina = angka_kredit.karantina
    return sealed_run(engine, "training", tables, checksums(year.folder, "training"), year.rules.label,
                      year.rules.checksum, karantina=karantina)


def archive_cycle(engine: Engine, year: ScoredYear) -> dict[str, int]:
    """Every stage that writes results, in cycle order: the id of each one's stage run."""
    return {"plan-collection": plan_run(engine, year), "mid-year": mid_year_run(engine, year),
            "year-end": year_end_run(engine, year), "objection": objection_run(engine, year),
            "training": training_run(engine, year)}


def archive_curve_unit(engine: Engine, rules: Ruleset, kode_unit: str = "U16") -> int:
    """UNIT_KURVA_16 archived: its unit and staff (plan-collection), its scores with predikat_final from
    the curve (year-end, with the ruleset's label and checksum); the year-end stage run id."""
    unit_kerja = pd.DataFrame([unit(kode_unit, "Baik")])
    skor = pd.DataFrame({"nip": [nip(r[0]) for r in UNIT_KURVA_16], "kode_unit": kode_unit,
                         "capaian_hasil_kerja": [r[1] for r in UNIT_KURVA_16],
                         "nilai_perilaku": [r[2] for r in UNIT_KURVA_16],
                         "predikat": [r[3] for r in UNIT_KURVA_16]}).astype({"nilai_perilaku": "float64"})
    hasil, _, _ = kalibrasi_kurva(peringkat_unit(skor), unit_kerja, rules.kurva)
    hasil = hasil.assign(nama="Pegawai", kode_instansi=unit_kerja["kode_instansi"].iloc[0],
                         rating_hasil_kerja_hitung="sesuai", rating_hasil_kerja="sesuai",
                         rating_perilaku_hitung="sesuai", rating_perilaku="sesuai", ruleset_label=rules.label)
    pegawai = pd.DataFrame([peg(r[0], kode_unit) for r in UNIT_KURVA_16])
    sealed_run(engine, "plan-collection", {"unit_kerja": unit_kerja, "pegawai": pegawai}, {})
    return sealed_run(engine, "year-end", {"hasil_penilaian": hasil}, {}, rules.label, rules.checksum)



# ---------------------------------------------------------------- functional officials (angka kredit)

# angka_kredit.csv rows given to the demo year's functional officials, in NIP order: (jenjang, golongan,
# ak_awal, bulan). The first two reach their next step when their predikat is Baik or better (a pangkat
# at (0 + 1) × 50; a jenjang at 450, with the competency test); the third is at the top; the fourth is
# far from its next pangkat (20); the last loses its SKP rows, so it is not scored: no predikat stands.
AK_BARIS = (("ahli_pertama", "III/a", "40", ""), ("ahli_madya", "IV/c", "438", "6"),
            ("ahli_utama", "IV/e", "10", "12"), ("terampil", "II/b", "5", "12"),
            ("ahli_muda", "III/c", "50", "12"))


def add_functional_officials(folder: Path) -> list[str]:
    """angka_kredit.csv in the demo `folder` for its first functional officials by NIP (AK_BARIS), the
    last of them without SKP rows (so not scored); their NIPs, in AK_BARIS order."""
    pegawai = pd.read_csv(folder / "pegawai.csv", dtype=str, keep_default_na=False)
    fungsional = sorted(pegawai.loc[pegawai["jenis_jabatan"] == "fungsional", "nip"])
    assert len(fungsional) >= len(AK_BARIS), "the demo year has enough functional officials"
    nips = fungsional[:len(AK_BARIS)]
    rows = pd.DataFrame(AK_BARIS, columns=["jenjang", "golongan", "ak_awal", "bulan"]).assign(nip=nips)
    rows[["nip", "jenjang", "golongan", "ak_awal", "bulan"]].to_csv(folder / "angka_kredit.csv", index=False)
    skp = pd.read_csv(folder / "skp.csv", dtype=str, keep_default_na=False)
    skp[skp["nip"] != nips[-1]].to_csv(folder / "skp.csv", index=False)
    return nips


def score_jf_year(folder: Path, source: Path, golongan_lain: str | None = None) -> ScoredYear:
    """The demo year in `source` copied to `folder` with its functional officials' angka_kredit.csv
    (add_functional_officials; with `golongan_lain`, the fourth row's golongan replaced: outside its
    jenjang's range, GOLONGAN_JENJANG); read, checked and scored."""
    shutil.copytree(source, folder)
    add_functional_officials(folder)
    if golongan_lain is not None:
        rows = pd.read_csv(folder / "angka_kredit.csv", dtype=str, keep_default_na=False)
        rows.loc[3, "golongan"] = golongan_lain
        rows.to_csv(folder / "angka_kredit.csv", index=False)
    frames = stage_frames(folder, "year-end")
    rules = load_ruleset()
    return ScoredYear(folder, frames, score_year_end(frames, rules, TAHUN), rules)
