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
from models.db import read_year, replace_rows, transaction
from tests.audit.archive import (
    AK_BARIS,
    TAHUN,
    ScoredYear,
    angka_kredit_result,
    archive_cycle,
    archive_year,
    checksums,
    mid_year_run,
    objection_result,
    objection_run,
    plan_run,
    training_result,
    training_run,
    year_end_run,
)


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
    assert found[0][4].endswith("berkas ruleset berubah sejak stage run ini (year-end)")
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


# ---------------------------------------------------------------- every stage, not only year-end


def test_an_honest_cycle_passes_with_every_stage_recomputed(engine: Engine, scored_year: ScoredYear):
    ids = archive_cycle(engine, scored_year)
    hasil = verify(engine, TAHUN, input_dir=scored_year.folder)
    assert hasil.temuan == [] and hasil.peringatan == []
    training = training_result(scored_year)
    mid_year = read_year(engine, "pemantauan", TAHUN)
    assert len(mid_year) > 0 and set(mid_year["stage_run_id"]) == {ids["mid-year"]}
    keberatan = objection_result(scored_year)
    assert len(keberatan.keputusan) and set(read_year(engine, "keberatan_hasil", TAHUN)["stage_run_id"]) == {
        ids["objection"]}
    assert {k: v for k, v in hasil.diperiksa.items() if k.endswith("_dihitung_ulang")} == {
        "pemantauan_dihitung_ulang": len(mid_year),
        "hasil_penilaian_dihitung_ulang": len(scored_year.result.hasil),
        "capaian_indikator_dihitung_ulang": len(scored_year.result.indikator),
        "bias_penilai_dihitung_ulang": len(scored_year.result.bias),
        "keberatan_hasil_dihitung_ulang": len(keberatan.keputusan),
        "predikat_ditetapkan_dihitung_ulang": len(scored_year.result.hasil),
        "rekomendasi_pelatihan_dihitung_ulang": len(training.rekomendasi),
        "tindak_lanjut_dihitung_ulang": len(training.penghargaan) + len(training.tindak_lanjut),
        "angka_kredit_hasil_dihitung_ulang": len(angka_kredit_result(scored_year).hasil),
    }
    assert len(training.rekomendasi) and len(training.tindak_lanjut)


def test_a_changed_training_recommendation_is_named_by_table_key_and_stage_run(
    engine: Engine, scored_year: ScoredYear
):
    training_id = archive_cycle(engine, scored_year)["training"]
    stored = read_year(engine, "rekomendasi_pelatihan", TAHUN)
    row = stored[stored["prioritas"] != "tinggi"].iloc[0]
    execute(engine, "update rekomendasi_pelatihan set prioritas = 'tinggi' "
            "where nip = :n and kode_pelatihan = :k", n=row["nip"], k=row["kode_pelatihan"])
    found = findings(engine)
    assert found == [
        ("baris", "rekomendasi_pelatihan", f"stage_run_id={training_id}", training_id,
         f"isi {len(stored)} baris berbeda dari yang disegel (digest berbeda): nilai diubah"),
        ("hitung_ulang", "rekomendasi_pelatihan", f"nip={row['nip']}, kode_pelatihan={row['kode_pelatihan']}",
         training_id, f"prioritas: tersimpan 'tinggi', hitung ulang {row['prioritas']!r}"),
    ]


def test_a_deleted_follow_up_and_an_inserted_recommendation_are_named(
    engine: Engine, scored_year: ScoredYear
):
    training_id = archive_cycle(engine, scored_year)["training"]
    konseling = read_year(engine, "tindak_lanjut", TAHUN, jenis="konseling").iloc[0]
    execute(engine, "delete from tindak_lanjut where nip = :n", n=konseling["nip"])
    extra = read_year(engine, "rekomendasi_pelatihan", TAHUN).iloc[0].to_dict()
    extra["kode_pelatihan"] = "TIDAK-DIREKOMENDASIKAN"
    with transaction(engine) as conn:
        conn.execute(text("insert into rekomendasi_pelatihan (tahun, nip, kode_pelatihan, nama_pelatihan, "
                          "kompetensi, alasan, jp, prioritas, stage_run_id) values (:tahun, :nip, "
                          ":kode_pelatihan, :nama_pelatihan, :kompetensi, :alasan, :jp, :prioritas, "
                          ":stage_run_id)"), extra)
    recomputed = [f for f in findings(engine) if f[0] == "hitung_ulang"]
    assert recomputed == [
        ("hitung_ulang", "rekomendasi_pelatihan",
         f"nip={extra['nip']}, kode_pelatihan=TIDAK-DIREKOMENDASIKAN", training_id,
         "baris tersimpan tidak dihasilkan oleh hitung ulang: baris disisipkan"),
        ("hitung_ulang", "tindak_lanjut", f"nip={konseling['nip']}", training_id,
         "baris hasil hitung ulang tidak ada di basis data: baris dihapus"),
    ]


def test_a_changed_catalogue_in_the_archive_changes_the_recomputed_recommendations(
    engine: Engine, scored_year: ScoredYear
):
    """The recomputation reads the archived catalogue: a changed JP there is named in the recommendations
    that use it, and the seal names the archive row's change."""
    training_id = archive_cycle(engine, scored_year)["training"]
    kode, jp = read_year(engine, "rekomendasi_pelatihan", TAHUN)[["kode_pelatihan", "jp"]].iloc[0]
    execute(engine, "update katalog_pelatihan set jp = :jp where kode_pelatihan = :k", jp=jp + 1, k=kode)
    found = findings(engine)
    seal = ("baris", "katalog_pelatihan", f"stage_run_id={training_id}", training_id)
    assert seal in [f[:4] for f in found]
    changed = [f for f in found if f[0] == "hitung_ulang" and f[4].startswith("jp: ")]
    assert changed and {f[1] for f in changed} == {"rekomendasi_pelatihan"}
    assert all(f[2].endswith(f"kode_pelatihan={kode}") and f[3] == training_id for f in changed)
    assert {f[4] for f in changed} == {f"jp: tersimpan {float(jp)!r}, hitung ulang {float(jp + 1)!r}"}


def test_a_changed_monitoring_status_is_named_by_table_key_and_stage_run(
    engine: Engine, scored_year: ScoredYear
):
    mid_year_id = archive_cycle(engine, scored_year)["mid-year"]
    stored = read_year(engine, "pemantauan", TAHUN)
    row = stored[stored["status"] != "sesuai_jalur"].iloc[0]
    execute(engine, "update pemantauan set status = 'sesuai_jalur' where id_indikator = :i",
            i=row["id_indikator"])
    assert findings(engine) == [
        ("baris", "pemantauan", f"stage_run_id={mid_year_id}", mid_year_id,
         f"isi {len(stored)} baris berbeda dari yang disegel (digest berbeda): nilai diubah"),
        ("hitung_ulang", "pemantauan", f"id_indikator={row['id_indikator']}", mid_year_id,
         f"status: tersimpan 'sesuai_jalur', hitung ulang {row['status']!r}"),
    ]


def test_monitoring_is_recomputed_from_the_realisation_rows_mid_year_archived(
    engine: Engine, scored_year: ScoredYear
):
    mid_year_id = archive_cycle(engine, scored_year)["mid-year"]
    used = read_year(engine, "realisasi_pemantauan", TAHUN)
    month = used["periode"].str[5:7].astype(int)
    assert len(used) and (month <= scored_year.rules.pemantauan.bulan_batas).all()
    row = used.iloc[0]
    execute(engine, "update realisasi_pemantauan set realisasi = :r where id_indikator = :i",
            r=float(row["realisasi"]) + 7, i=row["id_indikator"])
    found = findings(engine)
    assert found[0][:4] == ("baris", "realisasi_pemantauan", f"stage_run_id={mid_year_id}", mid_year_id)
    was = float(row["realisasi"])
    assert ("hitung_ulang", "pemantauan", f"id_indikator={row['id_indikator']}", mid_year_id,
            f"realisasi: tersimpan {was!r}, hitung ulang {was + 7!r}") in found
    assert {f[1] for f in found[1:]} == {"pemantauan"} and {f[2] for f in found[1:]} == {
        f"id_indikator={row['id_indikator']}"}


def test_a_mid_year_run_that_did_not_archive_its_realisation_rows_is_not_recomputed(
    engine: Engine, scored_year: ScoredYear
):
    plan_run(engine, scored_year)
    mid_year_id = mid_year_run(engine, scored_year, archive_realisasi=False)
    hasil = verify(engine, TAHUN)
    assert hasil.temuan == [] and "pemantauan_dihitung_ulang" not in hasil.diperiksa
    assert hasil.peringatan == [
        f"stage run {mid_year_id} (mid-year) tidak mengarsipkan realisasi_pemantauan (versi lama): "
        "pemantauan tidak dihitung ulang",
        f"tidak ada hasil_penilaian tahun {TAHUN}: tidak ada yang dihitung ulang"]


def test_a_changed_objection_decision_is_named_by_table_key_and_stage_run(
    engine: Engine, scored_year: ScoredYear
):
    objection_id = archive_cycle(engine, scored_year)["objection"]
    stored = read_year(engine, "keberatan_hasil", TAHUN)
    row = stored[stored["keputusan"] == "diterima"].iloc[0]
    execute(engine, "update keberatan_hasil set keputusan = 'ditolak' where nip = :n", n=row["nip"])
    assert findings(engine) == [
        ("baris", "keberatan_hasil", f"stage_run_id={objection_id}", objection_id,
         f"isi {len(stored)} baris berbeda dari yang disegel (digest berbeda): nilai diubah"),
        ("hitung_ulang", "keberatan_hasil", f"nip={row['nip']}", objection_id,
         "keputusan: tersimpan 'ditolak', hitung ulang 'diterima'"),
    ]


def test_a_changed_standing_predikat_is_named_in_the_objection_and_the_follow_up_built_on_it(
    engine: Engine, scored_year: ScoredYear
):
    ids = archive_cycle(engine, scored_year)
    follow_up = read_year(engine, "tindak_lanjut", TAHUN).iloc[0]
    nip, was = follow_up["nip"], follow_up["predikat_ditetapkan"]
    execute(engine, "update predikat_ditetapkan set predikat_ditetapkan = 'Baik' where nip = :n", n=nip)
    execute(engine, "update tindak_lanjut set predikat_ditetapkan = 'Baik' where nip = :n", n=nip)
    recomputed = [f for f in findings(engine) if f[0] == "hitung_ulang"]
    assert recomputed == [
        ("hitung_ulang", "predikat_ditetapkan", f"nip={nip}", ids["objection"],
         f"predikat_ditetapkan: tersimpan 'Baik', hitung ulang {was!r}"),
        ("hitung_ulang", "tindak_lanjut", f"nip={nip}", ids["training"],
         f"predikat_ditetapkan: tersimpan 'Baik', hitung ulang {was!r}"),
    ]


def test_a_changed_objection_as_filed_changes_the_recomputed_decision_and_what_used_it(
    engine: Engine, scored_year: ScoredYear
):
    """The recomputation reads the archived objections: a decision turned round there is named in the
    objection's results and in training's, which uses the predikat that stands."""
    ids = archive_cycle(engine, scored_year)
    decided = read_year(engine, "keberatan_hasil", TAHUN)
    row = decided[(decided["keputusan"] == "diterima")
                  & (decided["predikat_ditetapkan"] != decided["predikat_lama"])].iloc[0]
    execute(engine, "update keberatan set keputusan = 'ditolak' where nip = :n", n=row["nip"])
    found = findings(engine)
    assert found[0] == ("baris", "keberatan", f"stage_run_id={ids['objection']}", ids["objection"],
                        f"isi {len(read_year(engine, 'keberatan', TAHUN))} baris berbeda dari yang disegel "
                        "(digest berbeda): nilai diubah")
    recomputed = {(f[1], f[2], f[3], f[4]) for f in found[1:]}
    assert {("keberatan_hasil", f"nip={row['nip']}", ids["objection"],
             "keputusan: tersimpan 'diterima', hitung ulang 'ditolak'"),
            ("keberatan_hasil", f"nip={row['nip']}", ids["objection"],
             f"predikat_ditetapkan: tersimpan {row['predikat_ditetapkan']!r}, hitung ulang "
             f"{row['predikat_lama']!r}"),
            ("predikat_ditetapkan", f"nip={row['nip']}", ids["objection"],
             f"predikat_ditetapkan: tersimpan {row['predikat_ditetapkan']!r}, hitung ulang "
             f"{row['predikat_lama']!r}")} <= recomputed
    assert {f[0] for f in found[1:]} == {"hitung_ulang"}
    assert {f[2] for f in found[1:] if f[1] != "rekomendasi_pelatihan"} == {f"nip={row['nip']}"}


# ---------------------------------------------------------------- angka kredit of functional officials


def test_an_honest_cycle_with_functional_officials_passes_with_their_angka_kredit_recomputed(
    engine: Engine, jf_year: ScoredYear
):
    ids = archive_cycle(engine, jf_year)
    hasil = verify(engine, TAHUN, input_dir=jf_year.folder)
    assert hasil.temuan == [] and hasil.peringatan == []
    stored = read_year(engine, "angka_kredit_hasil", TAHUN)
    # five rows filed, one without a standing predikat: four converted, each kind of next step among them
    assert len(read_year(engine, "angka_kredit", TAHUN)) == len(AK_BARIS)
    assert hasil.diperiksa["angka_kredit_hasil_dihitung_ulang"] == len(stored) == len(AK_BARIS) - 1
    assert set(stored["stage_run_id"]) == {ids["training"]}
    assert set(stored["langkah_berikutnya"]) == {"pangkat", "jenjang", "puncak"}
    assert "angka_kredit.csv" in json_checksums(engine, ids["training"])


def json_checksums(engine: Engine, rid: int) -> dict:
    import json

    [run] = [r for r in stage_runs.read_stage_runs(engine, TAHUN) if int(r["id"]) == rid]
    return json.loads(run["input_checksums"])


@pytest.mark.parametrize("column", ["ak_kumulatif", "memenuhi"])
def test_a_changed_angka_kredit_is_named_by_table_key_and_stage_run(
    engine: Engine, jf_year: ScoredYear, column: str
):
    training_id = archive_cycle(engine, jf_year)["training"]
    stored = read_year(engine, "angka_kredit_hasil", TAHUN)
    row = stored[stored["langkah_berikutnya"] == "pangkat"].iloc[0]
    if column == "ak_kumulatif":
        was, now = float(row["ak_kumulatif"]), float(row["ak_kumulatif"]) + 10
        execute(engine, "update angka_kredit_hasil set ak_kumulatif = :v where nip = :n", v=now, n=row["nip"])
        shown = f"ak_kumulatif: tersimpan {now!r}, hitung ulang {was!r}"
    else:
        was, now = row["memenuhi"], "tidak" if row["memenuhi"] == "ya" else "ya"
        execute(engine, "update angka_kredit_hasil set memenuhi = :v where nip = :n", v=now, n=row["nip"])
        shown = f"memenuhi: tersimpan {now!r}, hitung ulang {was!r}"
    assert findings(engine) == [
        ("baris", "angka_kredit_hasil", f"stage_run_id={training_id}", training_id,
         f"isi {len(stored)} baris berbeda dari yang disegel (digest berbeda): nilai diubah"),
        ("hitung_ulang", "angka_kredit_hasil", f"nip={row['nip']}", training_id, shown),
    ]


def test_a_deleted_and_an_inserted_angka_kredit_are_named(engine: Engine, jf_year: ScoredYear):
    """The row of the official without a standing predikat inserted as if converted, a converted row
    deleted: both named with the training run."""
    training_id = archive_cycle(engine, jf_year)["training"]
    stored = read_year(engine, "angka_kredit_hasil", TAHUN)
    gone = stored.iloc[0].to_dict()
    execute(engine, "delete from angka_kredit_hasil where nip = :n", n=gone["nip"])
    without = read_year(engine, "angka_kredit", TAHUN).iloc[-1]["nip"]
    assert without not in set(stored["nip"])
    with transaction(engine) as conn:
        replace_rows(conn, "angka_kredit_hasil", pd.DataFrame([{**gone, "nip": without}]), nip=without)
    recomputed = [f for f in findings(engine) if f[0] == "hitung_ulang"]
    assert recomputed == [
        ("hitung_ulang", "angka_kredit_hasil", f"nip={gone['nip']}", training_id,
         "baris hasil hitung ulang tidak ada di basis data: baris dihapus"),
        ("hitung_ulang", "angka_kredit_hasil", f"nip={without}", training_id,
         "baris tersimpan tidak dihasilkan oleh hitung ulang: baris disisipkan"),
    ]


def test_a_changed_archived_angka_kredit_row_changes_the_recomputed_credit(
    engine: Engine, jf_year: ScoredYear
):
    """The recomputation reads the archived angka_kredit.csv rows: ak_awal changed there is named in the
    stored result's ak_awal and cumulative figure, and the seal names the archive row's change."""
    training_id = archive_cycle(engine, jf_year)["training"]
    row = read_year(engine, "angka_kredit_hasil", TAHUN, langkah_berikutnya="puncak").iloc[0]
    execute(engine, "update angka_kredit set ak_awal = ak_awal + 1 where nip = :n", n=row["nip"])
    found = findings(engine)
    assert found[0] == ("baris", "angka_kredit", f"stage_run_id={training_id}", training_id,
                        f"isi {len(AK_BARIS)} baris berbeda dari yang disegel (digest berbeda): nilai diubah")
    awal, kumulatif = float(row["ak_awal"]), float(row["ak_kumulatif"])
    assert found[1:] == [
        ("hitung_ulang", "angka_kredit_hasil", f"nip={row['nip']}", training_id,
         f"ak_awal: tersimpan {awal!r}, hitung ulang {awal + 1!r}"),
        ("hitung_ulang", "angka_kredit_hasil", f"nip={row['nip']}", training_id,
         f"ak_kumulatif: tersimpan {kumulatif!r}, hitung ulang {kumulatif + 1!r}"),
    ]


def test_a_changed_standing_predikat_is_named_in_the_angka_kredit_converted_from_it(
    engine: Engine, jf_year: ScoredYear
):
    ids = archive_cycle(engine, jf_year)
    row = read_year(engine, "angka_kredit_hasil", TAHUN, langkah_berikutnya="jenjang").iloc[0]
    other = "Sangat Kurang" if row["predikat_ditetapkan"] != "Sangat Kurang" else "Baik"
    persen = jf_year.rules.angka_kredit.persentase[other]
    execute(engine, "update angka_kredit_hasil set predikat_ditetapkan = :p, persentase = :q where nip = :n",
            p=other, q=persen, n=row["nip"])
    recomputed = [f for f in findings(engine) if f[0] == "hitung_ulang"]
    assert recomputed == [
        ("hitung_ulang", "angka_kredit_hasil", f"nip={row['nip']}", ids["training"],
         f"predikat_ditetapkan: tersimpan {other!r}, hitung ulang {row['predikat_ditetapkan']!r}"),
        ("hitung_ulang", "angka_kredit_hasil", f"nip={row['nip']}", ids["training"],
         f"persentase: tersimpan {persen!r}, hitung ulang {float(row['persentase'])!r}"),
    ]


def test_a_training_run_from_before_angka_kredit_is_recomputed_without_it(
    engine: Engine, jf_year: ScoredYear
):
    """A training run that archived no angka_kredit.csv rows (an earlier version): its recommendations and
    follow-up are still recomputed; its angka kredit is not, with a warning."""
    archive_year(engine, jf_year)
    objection_run(engine, jf_year)
    older = training_run(engine, jf_year, archive_angka_kredit=False)
    hasil = verify(engine, TAHUN)
    assert hasil.temuan == [] and "angka_kredit_hasil_dihitung_ulang" not in hasil.diperiksa
    training = training_result(jf_year)
    assert hasil.diperiksa["rekomendasi_pelatihan_dihitung_ulang"] == len(training.rekomendasi) > 0
    assert hasil.peringatan == [f"stage run {older} (training) tidak mengarsipkan angka_kredit (versi lama): "
                                "angka_kredit_hasil tidak dihitung ulang"]
