"""`audit explain` on a year archived without Prefect: each step of one employee's predikat agrees with
the stored result and names the stage runs its rows came from."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine

from audit.explain import Penjelasan, explain
from contract.schema import BERAKHLAK
from models import stage_runs
from models.db import replace_rows, transaction
from penilaian.rating import MATRIKS
from tests.audit.archive import TAHUN, ScoredYear, archive_year, plan_run, year_end_run


def scored(year: ScoredYear, head_of_unit: bool) -> pd.Series:
    """A scored employee without a supervisor (head of unit), or with one in the same unit."""
    pegawai = year.frames["pegawai"].set_index("nip")
    hasil = year.result.hasil.sort_values("nip")
    atasan = hasil["nip"].map(pegawai["nip_atasan"])
    same_unit = atasan.map(pegawai["kode_unit"]).eq(hasil["kode_unit"])
    return hasil.loc[atasan.isna() if head_of_unit else same_unit].iloc[0]


@pytest.mark.parametrize("head_of_unit", [False, True])
def test_every_step_agrees_with_the_stored_result(
    engine: Engine, scored_year: ScoredYear, head_of_unit: bool
):
    plan_id, year_end_id = archive_year(engine, scored_year)
    row = scored(scored_year, head_of_unit)
    p = explain(engine, row["nip"], TAHUN)
    assert isinstance(p, Penjelasan) and p.catatan == []
    assert p.hasil["nip"] == p.pegawai["nip"] == row["nip"] and p.hasil["stage_run_id"] == year_end_id
    assert p.ruleset.label == scored_year.rules.label
    indikator = scored_year.result.indikator
    assert sorted(p.indikator["id_indikator"]) == sorted(indikator.loc[indikator["nip"] == row["nip"],
                                                                       "id_indikator"])
    assert p.indikator["indikator"].notna().all(), "each indicator carries its SKP text"
    assert p.hasil_kerja["kepala_unit"] is head_of_unit
    assert p.hasil_kerja["rating"] == row["rating_hasil_kerja"]
    assert p.hasil_kerja["capaian_hasil_kerja"] == pytest.approx(row["capaian_hasil_kerja"])
    if head_of_unit:  # no supervisor: no behaviour rating counts, the stored rating is an override
        assert p.rerata == {} and pd.isna(row["nilai_perilaku"]) and not p.perilaku["dihitung"].any()
    else:
        assert p.hasil_kerja["rating_dari_indikator"] == p.hasil_kerja["rating_hitung"]
        assert set(p.rerata) == set(BERAKHLAK) and p.perilaku["dihitung"].any()
        assert sum(p.rerata.values()) / len(p.rerata) == pytest.approx(row["nilai_perilaku"])
    assert p.perilaku_ringkas["rating"] == row["rating_perilaku"]
    assert p.matriks["predikat"] == MATRIKS[(row["rating_hasil_kerja"], row["rating_perilaku"])]
    assert p.matriks["predikat"] == p.matriks["predikat_tersimpan"] == row["predikat"]
    assert p.kalibrasi["predikat_final"] == row["predikat_final"]
    assert p.stage_runs["id"].tolist() == [plan_id, year_end_id]
    assert p.stage_runs["tahap"].tolist() == ["plan-collection", "year-end"]


def test_an_employee_not_scored_gets_the_quarantine_rows(engine: Engine, scored_year: ScoredYear):
    archive_year(engine, scored_year)
    assert explain(engine, "000000000000000000", TAHUN).empty
    rid = stage_runs.insert_run(engine, tahun=TAHUN, tahap="year-end", input_checksums="{}")
    karantina = pd.DataFrame({"tahun": [TAHUN], "tahap": "year-end", "berkas": "pegawai.csv", "baris": 7,
                              "kolom": "nip", "nilai": "000000000000000000", "kode_aturan": "TANPA_UTAMA",
                              "alasan": "tidak ada indikator utama", "reason": "no main indicator",
                              "stage_run_id": rid})
    with transaction(engine) as conn:
        replace_rows(conn, "karantina", karantina, stage_run_id=rid)
    rows = explain(engine, "000000000000000000", TAHUN)
    assert isinstance(rows, pd.DataFrame)
    assert rows[["kode_aturan", "stage_run_id"]].to_dict("records") == [
        {"kode_aturan": "TANPA_UTAMA", "stage_run_id": rid}]


def test_a_changed_ruleset_is_noted(engine: Engine, scored_year: ScoredYear):
    plan_run(engine, scored_year)
    year_end_run(engine, scored_year, ruleset_checksum="00" * 32)
    p = explain(engine, scored(scored_year, False)["nip"], TAHUN)
    assert p.catatan == ["checksum ruleset sekarang berbeda dari yang tercatat: ambang bisa berbeda"]
    assert p.ruleset is not None and p.rerata


def test_an_unloadable_ruleset_still_explains_from_the_stored_values(engine: Engine, scored_year: ScoredYear):
    plan_run(engine, scored_year)
    year_end_run(engine, scored_year, ruleset_label="hilang v9")
    row = scored(scored_year, False)
    p = explain(engine, row["nip"], TAHUN)
    assert p.ruleset is None and p.rerata == {}
    assert len(p.catatan) == 1 and p.catatan[0].startswith("ruleset hilang v9 tidak dapat dimuat")
    assert p.hasil_kerja["aturan_kepala_unit"] is None
    assert p.matriks["predikat_tersimpan"] == row["predikat"]
