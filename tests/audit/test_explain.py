"""`audit explain` on a year archived without Prefect: each step of one employee's predikat agrees with
the stored result and names the stage runs its rows came from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from audit.explain import Penjelasan, explain, line_numbers
from contract.schema import BERAKHLAK
from models import stage_runs
from models.db import read_year, replace_rows, transaction
from penilaian.rating import MATRIKS
from penilaian.ruleset import load_ruleset
from tests.audit.archive import (
    TAHUN,
    ScoredYear,
    archive_curve_unit,
    archive_cycle,
    archive_year,
    objection_result,
    objection_run,
    plan_run,
    training_result,
    year_end_run,
)
from tests.penilaian.year_end_inputs import DIPINDAH_16, URUTAN_PEMEGANG_16, nip


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
    _quarantine(engine, rid, "year-end", [("pegawai.csv", 7, "TANPA_UTAMA", "tidak ada indikator utama")],
                nilai="000000000000000000")
    rows = explain(engine, "000000000000000000", TAHUN)
    assert isinstance(rows, pd.DataFrame)
    assert rows.to_dict("records") == [
        {"berkas": "pegawai.csv", "kode_aturan": "TANPA_UTAMA", "baris": "7",
         "alasan": "tidak ada indikator utama", "reason": "en: tidak ada indikator utama",
         "tahap": "year-end", "stage_run_id": str(rid)}]


QUARANTINED = "199001012020011001"


def _quarantine(engine: Engine, rid: int, tahap: str, rows: list[tuple], gate: bool = False,
                nilai: str = QUARANTINED) -> None:
    """Store a stage run's quarantine rows (berkas, baris, kode_aturan, alasan) of one NIP; with `gate`,
    also one gate check, as every run that reached its gate stores."""
    frame = pd.DataFrame(rows, columns=["berkas", "baris", "kode_aturan", "alasan"]).assign(
        tahun=TAHUN, tahap=tahap, kolom="nip", nilai=nilai, stage_run_id=rid)
    frame["reason"] = "en: " + frame["alasan"]
    checks = pd.DataFrame([{"stage_run_id": rid, "kode": "uji", "berkas": "pegawai.csv", "deskripsi": "uji",
                            "sumber": "uji", "lulus": True, "diperiksa": 1, "gagal": 0, "ambang": "-"}])
    with transaction(engine) as conn:
        replace_rows(conn, "karantina", frame, stage_run_id=rid)
        if gate:
            replace_rows(conn, "gate_check", checks, stage_run_id=rid)


def test_a_quarantined_employee_gets_one_line_per_file_and_rule_from_the_latest_runs(engine: Engine):
    """Each problem once, under the first stage that found it; a stage's earlier runs and a problem its
    latest run no longer finds are not shown."""
    run = {name: stage_runs.insert_run(engine, tahun=TAHUN, tahap=name.split(":")[0], input_checksums="{}")
           for name in ("validation:lama", "plan-collection", "validation", "year-end:lama", "year-end")}
    ganda = [("pegawai.csv", 8, "NIP_GANDA", "nip ganda"), ("pegawai.csv", 7, "NIP_GANDA", "nip ganda")]
    induk = [("skp.csv", n, "INDUK_DIKARANTINA", "induk dikarantina") for n in (5, 3, 4)]
    _quarantine(engine, run["validation:lama"], "validation",
                [("pegawai.csv", 9, "NIP_TANGGAL_LAHIR", "lama")])
    _quarantine(engine, run["plan-collection"], "plan-collection", ganda + induk, gate=True)
    _quarantine(engine, run["validation"], "validation", [
        *induk, *ganda, ("perilaku.csv", 41, "INDUK_DIKARANTINA", "induk dikarantina"),
        ("perilaku.csv", 12, "INDUK_DIKARANTINA", "induk dikarantina"),
        ("perilaku.csv", 40, "INDUK_DIKARANTINA", "induk dikarantina (lain)")], gate=True)
    _quarantine(engine, run["year-end:lama"], "year-end", [("pegawai.csv", 7, "TANPA_UTAMA", "lama")],
                gate=True)
    _quarantine(engine, run["year-end"], "year-end", [], gate=True)  # gated, found nothing of this NIP

    rows = explain(engine, QUARANTINED, TAHUN)

    assert rows[["berkas", "kode_aturan", "baris", "tahap", "stage_run_id"]].values.tolist() == [
        ["pegawai.csv", "NIP_GANDA", "7, 8", "plan-collection", str(run["plan-collection"])],
        ["skp.csv", "INDUK_DIKARANTINA", "3–5", "plan-collection", str(run["plan-collection"])],
        ["perilaku.csv", "INDUK_DIKARANTINA", "12, 40, 41", "validation", str(run["validation"])],
    ]
    assert rows["alasan"].tolist() == ["nip ganda", "induk dikarantina",
                                       "induk dikarantina (+1 alasan lain)"]
    assert rows["reason"].tolist()[2] == "en: induk dikarantina (+1 other)"


def test_line_numbers_show_three_or_more_in_a_row_as_a_range():
    assert line_numbers(pd.Series([53, 12, 40, 41, 50, 51, 52, 12])) == "12, 40, 41, 50–53"
    assert line_numbers(pd.Series(["7"])) == "7"


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


def test_a_curve_move_names_the_rule_the_count_and_the_rank_among_the_holders(engine: Engine):
    """UNIT_KURVA_16: 14 Baik holders of 16, allowed 11; nip 14 (capaian 90, no nilai) ranks 13th."""
    archive_curve_unit(engine, load_ruleset())
    p = explain(engine, nip(14), TAHUN)
    assert p.catatan == [] and p.kalibrasi["predikat_final"] == "Butuh Perbaikan"
    rincian = p.kalibrasi["rincian"]
    assert rincian[:5] == [
        "Kurva Baik: Baik maks. 70% (11 dari 16) — batasan ke-1 untuk predikat organisasi Baik",
        "  ketentuan: paling banyak 70% pegawai unit yang dinilai boleh berpredikat Baik",
        "  batas = floor(70% × 16) = floor(11.2) = 11 (dibulatkan ke bawah) dari 16 pegawai; sebelumnya 14 "
        "berpredikat Baik, lebih 3 → 3 pemegang berperingkat terendah turun ke Butuh Perbaikan",
        "  urutan: capaian_hasil_kerja menurun, lalu nilai_perilaku menurun (kosong paling akhir), lalu NIP "
        "menaik",
        "  pegawai ini: peringkat 13 dari 14 pemegang Baik; bertahan: peringkat 1–11; turun ke Butuh "
        "Perbaikan: peringkat 12–14",
    ]
    assert p.kalibrasi["alasan_kalibrasi"].startswith(rincian[0].split(" — ")[0]), "the stored reason's head"
    ranking = [line.split() for line in rincian[5:]]  # "#rank nip capaian c nilai perilaku p predikat [→ …]"
    assert [r[:2] for r in ranking] == [[f"#{k}", nip(i)] for k, i in enumerate(URUTAN_PEMEGANG_16, start=1)]
    # the ties at capaian 90 (ranks 10-13): nilai 4.00 first, 3.00 twice by NIP, none last
    assert [(r[3], r[6]) for r in ranking[9:13]] == [("90.00", "4.00"), ("90.00", "3.00"), ("90.00", "3.00"),
                                                     ("90.00", "-")]
    assert [r[1] for r in ranking if r[7:11] == ["Baik", "→", "Butuh", "Perbaikan"]] == [
        nip(i) for i in DIPINDAH_16]
    assert [r[:2] for r in ranking if r[-3:] == ["◀", "pegawai", "ini"]] == [["#13", nip(14)]]


def test_a_holder_that_stays_gets_its_rank_and_an_outsider_nothing(engine: Engine):
    archive_curve_unit(engine, load_ruleset())
    tetap = explain(engine, nip(11), TAHUN).kalibrasi
    assert tetap["predikat_final"] == "Baik" and len(tetap["rincian"]) == 5
    assert tetap["rincian"][-1] == ("  pegawai ini: peringkat 11 dari 14 pemegang Baik; bertahan: peringkat "
                                    "1–11; turun ke Butuh Perbaikan: peringkat 12–14")
    assert explain(engine, nip(1), TAHUN).kalibrasi["rincian"] == []  # Sangat Baik: no constraint moved any


def test_a_stored_result_the_curve_does_not_give_is_noted(engine: Engine):
    archive_curve_unit(engine, load_ruleset())
    with transaction(engine) as conn:
        conn.execute(text("update hasil_penilaian set predikat_final = 'Baik' where nip = :n"),
                     {"n": nip(13)})
    p = explain(engine, nip(14), TAHUN)
    assert p.catatan == ["kurva dihitung ulang dari baris tersimpan unit U16: predikat_final 1 pegawai "
                         "berbeda dari yang tersimpan"]



# ---------------------------------------------------------------- after the curve: objection, what stands


def test_an_objection_is_explained_with_its_decision_and_the_predikat_that_stands_with_what_used_it(
    engine: Engine, scored_year: ScoredYear
):
    ids = archive_cycle(engine, scored_year)
    keputusan = objection_result(scored_year).keputusan
    row = keputusan[(keputusan["keputusan"] == "diterima")
                    & (keputusan["predikat_ditetapkan"] != keputusan["predikat_lama"])].iloc[0]
    p = explain(engine, row["nip"], TAHUN)
    assert p.catatan == []
    d = p.keberatan["keputusan"]
    for column in ("keputusan", "rating_hasil_kerja_lama", "rating_perilaku_lama", "predikat_lama",
                   "rating_hasil_kerja_baru", "rating_perilaku_baru", "predikat_ditetapkan", "nip_pemutus",
                   "tanggal_keputusan", "tanggal_terima", "tanggal_pengajuan", "alasan", "catatan_keputusan",
                   "nama_pemutus"):
        assert d[column] == row[column], column
    assert d["predikat_lama"] == p.kalibrasi["predikat_final"], "the objection starts from the curve's result"
    assert d["stage_run_id"] == ids["objection"] and "disisihkan" not in p.keberatan
    filed = read_year(engine, "keberatan", TAHUN, nip=row["nip"])
    assert d["baris"] == filed["baris"].iloc[0] and d["alasan"] == filed["alasan"].iloc[0]

    berlaku = p.berlaku
    assert (berlaku["predikat"], berlaku["sumber"], berlaku["stage_run_id"]) == (
        row["predikat_ditetapkan"], "predikat_ditetapkan", ids["objection"])
    training = training_result(scored_year)
    assert berlaku["dipakai_oleh"] == [ids["training"]]
    assert sorted(berlaku["rekomendasi"]["kode_pelatihan"]) == sorted(
        training.rekomendasi.loc[training.rekomendasi["nip"] == row["nip"], "kode_pelatihan"])
    assert len(berlaku["rekomendasi"]), "this employee has recommendations"
    assert p.stage_runs["tahap"].tolist() == ["plan-collection", "year-end", "objection", "training"]


def test_without_an_objection_the_curve_result_stands_and_follow_up_names_it(
    engine: Engine, scored_year: ScoredYear
):
    ids = archive_cycle(engine, scored_year)
    objected = set(objection_result(scored_year).keputusan["nip"])
    follow_up = read_year(engine, "tindak_lanjut", TAHUN)
    row = follow_up[~follow_up["nip"].isin(objected)].iloc[0]
    p = explain(engine, row["nip"], TAHUN)
    assert p.keberatan == {} and p.catatan == []
    assert p.berlaku["predikat"] == p.kalibrasi["predikat_final"] == row["predikat_ditetapkan"]
    assert p.berlaku["stage_run_id"] == ids["objection"] and p.berlaku["dipakai_oleh"] == [ids["training"]]
    assert p.berlaku["tindak_lanjut"]["jenis"].tolist() == [row["jenis"]]


def test_before_the_objection_review_the_final_predikat_stands_and_nothing_used_it(
    engine: Engine, scored_year: ScoredYear
):
    archive_year(engine, scored_year)
    row = scored(scored_year, False)
    p = explain(engine, row["nip"], TAHUN)
    assert p.keberatan == {}
    b = p.berlaku
    assert (b["predikat"], b["sumber"], b["stage_run_id"], b["dipakai_oleh"]) == (
        row["predikat_final"], "predikat_final", None, [])


def test_an_objection_set_aside_is_listed_with_its_quarantine(
    engine: Engine, scored_year: ScoredYear, tmp_path: Path
):
    """A second objection of the same employee, filed later, is not decided: it is listed with the
    rule the objection stage found on its line."""
    folder = tmp_path / "input"
    shutil.copytree(scored_year.folder, folder)
    keberatan = pd.read_csv(folder / "keberatan.csv", dtype=str, keep_default_na=False)
    first = keberatan.iloc[0]
    second = first.copy()
    second["tanggal_pengajuan"] = str(pd.Timestamp(first["tanggal_pengajuan"]) + pd.Timedelta(days=1))[:10]
    second["alasan"] = "Keberatan kedua"
    pd.concat([keberatan, second.to_frame().T]).to_csv(folder / "keberatan.csv", index=False)
    plan_run(engine, scored_year)
    year_end_run(engine, scored_year)
    objection_id = objection_run(engine, scored_year, folder)

    p = explain(engine, first["nip"], TAHUN)
    assert p.keberatan["keputusan"]["alasan"] == first["alasan"]
    [aside] = p.keberatan["disisihkan"]
    assert (aside["alasan"], aside["baris"], aside["stage_run_id"], aside["tahap"]) == (
        "Keberatan kedua", len(keberatan) + 2, objection_id, "objection")
    karantina = read_year(engine, "karantina", TAHUN, baris=len(keberatan) + 2, berkas="keberatan.csv")
    rules = karantina.drop_duplicates("kode_aturan").to_dict("records")
    assert len(rules) and aside["aturan"] == [f"{r['kode_aturan']}: {r['alasan']}" for r in rules]
