"""`audit verify` on a year archived without Prefect: an intact archive passes, and each kind of
change (a value, a row, the ruleset, an input file, a run still open) is named where it is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from audit.digest import run_tables
from audit.verify import verify
from models import stage_runs
from models.db import replace_rows, transaction
from tests.audit.archive import TAHUN, ScoredYear, archive_year, checksums, plan_run, year_end_run


def findings(engine: Engine, **kwargs: object) -> list[tuple]:
    return [(t.bagian, t.tabel, t.kunci, t.stage_run_id, t.uraian)
            for t in verify(engine, TAHUN, **kwargs).temuan]


def execute(engine: Engine, statement: str, **params: object) -> None:
    with engine.begin() as conn:
        conn.execute(text(statement), params)


def test_an_intact_archive_passes_with_every_check_counted(engine: Engine, scored_year: ScoredYear):
    plan_id, year_end_id = archive_year(engine, scored_year)
    hasil = verify(engine, TAHUN, input_dir=scored_year.folder)
    assert hasil.temuan == [] and hasil.lulus, hasil.temuan
    assert hasil.peringatan == []
    assert hasil.kepala["jumlah"] == 2 and hasil.kepala["kepala_stage_run_id"] == year_end_id
    result = scored_year.result
    used = checksums(scored_year.folder, "plan-collection") | checksums(scored_year.folder, "year-end")
    written = sum(int(n) for (n,) in _counts(engine, plan_id, year_end_id))
    assert hasil.diperiksa == {
        "catatan_rantai": 2, "stage_run_tahun": 2, "baris_didigest": written,
        "hasil_penilaian_dihitung_ulang": len(result.hasil),
        "capaian_indikator_dihitung_ulang": len(result.indikator),
        "bias_penilai_dihitung_ulang": len(result.bias),
        "berkas_input": len(used),
    }


def _counts(engine: Engine, *ids: int) -> list[tuple]:
    """Rows per run table held by these stage runs."""
    runs = ", ".join(map(str, ids))
    with engine.connect() as conn:
        return [conn.execute(text(f"select count(*) from {name} where stage_run_id in ({runs})")).one()
                for name in run_tables()]


def test_no_runs_for_the_year(engine: Engine):
    hasil = verify(engine, TAHUN)
    assert hasil.lulus
    assert hasil.peringatan == [f"tidak ada stage run untuk tahun {TAHUN}",
                                f"tidak ada hasil_penilaian tahun {TAHUN}: tidak ada yang dihitung ulang"]


def test_a_changed_result_is_named_by_the_recomputation_and_the_seal(engine: Engine, scored_year: ScoredYear):
    _, year_end_id = archive_year(engine, scored_year)
    row = scored_year.result.hasil.sort_values("nip").iloc[3]
    other = "Kurang" if row["predikat_final"] != "Kurang" else "Baik"
    execute(engine, "update hasil_penilaian set predikat_final = :p where nip = :n", p=other, n=row["nip"])
    found = findings(engine)
    assert ("hitung_ulang", "hasil_penilaian", f"nip={row['nip']}", year_end_id,
            f"predikat_final: tersimpan {other!r}, hitung ulang {row['predikat_final']!r}") in found
    assert ("baris", "hasil_penilaian", f"stage_run_id={year_end_id}", year_end_id,
            f"isi {len(scored_year.result.hasil)} baris berbeda dari yang disegel (digest berbeda): "
            "nilai diubah") in found
    assert len(found) == 2


def test_a_changed_snapshot_breaks_the_seal_of_the_run_that_wrote_it(engine: Engine, scored_year: ScoredYear):
    plan_id, _ = archive_year(engine, scored_year)
    execute(engine, "update pegawai set email = 'lain@contoh.go.id' where nip = :n",
            n=scored_year.frames["pegawai"]["nip"].iloc[0])
    assert [f[:4] for f in findings(engine)] == [("baris", "pegawai", f"stage_run_id={plan_id}", plan_id)]


def test_a_later_run_that_rewrote_the_year_is_not_tampering(engine: Engine, scored_year: ScoredYear):
    _, first = archive_year(engine, scored_year)
    second = year_end_run(engine, scored_year)
    hasil = verify(engine, TAHUN)
    assert hasil.temuan == []
    assert f"stage run {first}: hasil_penilaian ({len(scored_year.result.hasil)} baris) diganti stage run " \
           f"{second}" in hasil.peringatan


def test_a_changed_ruleset_stops_the_recomputation(engine: Engine, scored_year: ScoredYear):
    plan_run(engine, scored_year)
    year_end_id = year_end_run(engine, scored_year, ruleset_checksum="00" * 32)
    found = findings(engine)
    assert [f[:4] for f in found] == [("ruleset", "stage_run", f"id={year_end_id}", year_end_id)]
    assert "berkas ruleset berubah sejak penilaian" in found[0][4]
    missing = findings(engine, ruleset="tidak-ada")
    assert [f[:4] for f in missing] == [("ruleset", "stage_run", f"id={year_end_id}", year_end_id)]
    assert "ruleset 'tidak-ada' tidak dapat dimuat" in missing[0][4]


def test_changed_and_missing_input_files(engine: Engine, scored_year: ScoredYear, tmp_path: Path):
    plan_id, year_end_id = archive_year(engine, scored_year)
    folder = tmp_path / "input"
    shutil.copytree(scored_year.folder, folder)
    pegawai = folder / "pegawai.csv"
    pegawai.write_text(pegawai.read_text(encoding="utf-8").replace(",", ", ", 1), encoding="utf-8")
    (folder / "skp.csv").unlink()
    found = [f for f in findings(engine, input_dir=folder) if f[0] == "input"]
    assert [(f[1], f[4].split(":")[0]) for f in found] == [
        ("pegawai.csv", "berkas berubah"),
        ("skp.csv", f"berkas tidak ada di {folder} (dipakai stage run {plan_id} (plan-collection), "
                    f"{year_end_id} (year-end))")]


def test_archived_inputs_from_other_files_than_the_scoring_run_read_are_a_warning(
    engine: Engine, scored_year: ScoredYear
):
    other = checksums(scored_year.folder, "plan-collection") | {"pegawai.csv": "ee" * 32}
    plan_id = plan_run(engine, scored_year, other)
    year_end_id = year_end_run(engine, scored_year)
    hasil = verify(engine, TAHUN)
    assert hasil.temuan == []
    assert hasil.peringatan == [
        f"arsip pegawai berasal dari stage run {plan_id} (plan-collection) dengan pegawai.csv yang berbeda "
        f"dari yang dibaca stage run {year_end_id} (year-end)"]


def test_rows_of_a_run_still_open_are_a_warning(engine: Engine, scored_year: ScoredYear):
    archive_year(engine, scored_year)
    rid = stage_runs.insert_run(engine, tahun=TAHUN, tahap="validation", input_checksums="{}")
    karantina = pd.DataFrame({"tahun": [TAHUN], "tahap": "validation", "berkas": "pegawai.csv", "baris": 2,
                              "kolom": "nip", "nilai": "x", "kode_aturan": "NIP_FORMAT", "alasan": "a",
                              "reason": "r", "stage_run_id": rid})
    with transaction(engine) as conn:
        replace_rows(conn, "karantina", karantina, stage_run_id=rid)
    hasil = verify(engine, TAHUN)
    assert hasil.temuan == []
    assert hasil.peringatan == [
        f"karantina: 1 baris milik stage run {rid} yang masih berjalan (belum disegel)"]


@pytest.mark.parametrize("tahun", [TAHUN - 1])
def test_other_years_are_not_recomputed(engine: Engine, scored_year: ScoredYear, tahun: int):
    archive_year(engine, scored_year)
    hasil = verify(engine, tahun)
    assert hasil.lulus and hasil.diperiksa["catatan_rantai"] == 2 and hasil.diperiksa["stage_run_tahun"] == 0
