"""A year archived in the database as the stages archive it, built without Prefect.

plan-collection writes the year's units, employees and SKP; year-end writes the scores and the inputs
they came from (of realisasi only the row each score used); each run is sealed into the chain with the
digests of the rows it wrote. The audit reads (verify, explain, log) are tested against it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from audit.chain import GENESIS, digests_json, record_hash
from audit.digest import result_digests
from contract.files import sha256_of_inputs
from contract.reader import read_inputs
from contract.values import check_values
from kinerja.demo.generator import generate
from models import stage_runs
from models.db import replace_rows, transaction
from penilaian.capaian import baris_realisasi_akhir
from penilaian.kurva import kalibrasi_kurva, peringkat_unit
from penilaian.ruleset import Ruleset, load_ruleset
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
    stage = registry.get("year-end")
    raw, _ = read_inputs(folder, stage.required, stage.optional)
    frames, _, _ = check_values(raw, TAHUN, "year-end")
    rules = load_ruleset()
    return ScoredYear(folder, frames, score_year_end(frames, rules, TAHUN), rules)


def checksums(folder: Path, tahap: str) -> dict[str, str]:
    return sha256_of_inputs(folder, registry.get(tahap).inputs)


def sealed_run(
    engine: Engine, tahap: str, tables: dict[str, pd.DataFrame], input_checksums: dict[str, str],
    ruleset_label: str | None = None, ruleset_checksum: str | None = None,
) -> int:
    """One stage run: opened, its tables replaced for the year, closed 'berhasil' and sealed."""
    rid = stage_runs.insert_run(engine, tahun=TAHUN, tahap=tahap, pengguna="auditor-test",
                                input_checksums=json.dumps(input_checksums, sort_keys=True),
                                ruleset_label=ruleset_label, ruleset_checksum=ruleset_checksum,
                                code_version="test")
    counts = {}
    with transaction(engine) as conn:
        for name, frame in tables.items():
            counts[f"{name}_ditulis"] = replace_rows(
                conn, name, frame.assign(tahun=TAHUN, stage_run_id=rid), tahun=TAHUN)
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

