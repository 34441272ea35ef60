"""`audit explain` on a year archived without Prefect: each step of one employee's predikat agrees with
the stored result and names the stage runs its rows came from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from audit.explain import Penjelasan, explain, line_numbers
from audit.explain_angka_kredit import angka_kredit_tanpa_predikat, rincian_angka_kredit
from contract.schema import BERAKHLAK
from models import stage_runs
from models.db import read_year, replace_rows, transaction
from penilaian.rating import MATRIKS
from penilaian.ruleset import load_ruleset
from tests.audit.archive import (
    AK_BARIS,
    TAHUN,
    ScoredYear,
    angka_kredit_result,
    archive_curve_unit,
    archive_cycle,
    archive_year,
    objection_result,
    objection_run,
    plan_run,
    score_jf_year,
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


# ---------------------------------------------------------------- a functional official's angka kredit

# ahli_pertama III/a, ak_awal 40, bulan empty (12), by the predikat that stands: ak_tahun = 12 / 12 ×
# persentase × 12.5 and the cumulative figure, worked out by hand; the next pangkat needs 1 × 50.
PERTAMA_III_A = {"Sangat Baik": ("150", "18.75", "58.75"), "Baik": ("100", "12.5", "52.5"),
                 "Butuh Perbaikan": ("75", "9.375 (dibulatkan 9.38)", "49.375 (dibulatkan 49.38)"),
                 "Kurang": ("50", "6.25", "46.25"), "Sangat Kurang": ("25", "3.125 (dibulatkan 3.13)",
                                                                     "43.125 (dibulatkan 43.13)")}


def test_a_functional_officials_conversion_is_worked_out_with_its_numbers_and_its_training_run(
    engine: Engine, jf_year: ScoredYear
):
    ids = archive_cycle(engine, jf_year)
    nip_ = read_year(engine, "angka_kredit", TAHUN, baris=2)["nip"].iloc[0]  # AK_BARIS[0]: ahli_pertama III/a
    p = explain(engine, nip_, TAHUN)
    assert p.catatan == []
    a = p.angka_kredit
    predikat = p.berlaku["predikat"]
    assert a["hasil"]["predikat_ditetapkan"] == predikat and a["stage_run_id"] == ids["training"]
    assert a["masukan"]["baris"] == 2 and pd.isna(a["masukan"]["bulan"])
    persen, tahun_ini, kumulatif = PERTAMA_III_A[predikat]
    ya = float(kumulatif.split()[0]) >= 50
    assert a["rincian"] == [
        "jenjang ahli_pertama, golongan III/a; ak_awal 40 (angka kredit kumulatif PAK terakhir), bulan 12 "
        "(angka_kredit.csv baris 2; bulan kosong = 12)",
        f"predikat {predikat} → persentase {persen}%; koefisien ahli_pertama 12.5 per tahun",
        f"ak_tahun = bulan / 12 × persentase × koefisien = 12 / 12 × {persen}% × 12.5 = {tahun_ini}",
        f"ak_kumulatif = ak_awal + ak_tahun = 40 + {tahun_ini.split()[0]} = {kumulatif}",
        "langkah berikutnya: kenaikan pangkat — golongan III/a ke-1 dari 2 dalam rentang ahli_pertama "
        "(III/a, III/b): ambang = 1 × 50 = 50",
        f"memenuhi: {'ya' if ya else 'tidak'} (ak_kumulatif {kumulatif.split()[0]} "
        f"{'≥' if ya else '<'} ambang 50); kekurangan = max(0, 50 − {kumulatif.split()[0]}) = "
        f"{'0' if ya else PERTAMA_III_A_KURANG[predikat]}",
    ]
    # what used the predikat that stands: the training run, with this angka kredit among its rows
    assert ids["training"] in p.berlaku["dipakai_oleh"]
    assert p.berlaku["angka_kredit"]["nip"].tolist() == [nip_]
    assert p.stage_runs["tahap"].tolist()[-1] == "training"
    assert ids["training"] in p.stage_runs["id"].tolist()


PERTAMA_III_A_KURANG = {"Butuh Perbaikan": "0.625 (dibulatkan 0.63)", "Kurang": "3.75",
                        "Sangat Kurang": "6.875 (dibulatkan 6.88)"}


@pytest.mark.parametrize("baris, langkah", [(3, "jenjang"), (4, "puncak"), (5, "pangkat")])
def test_each_next_step_names_where_its_threshold_comes_from(
    engine: Engine, jf_year: ScoredYear, baris: int, langkah: str
):
    """AK_BARIS: ahli_madya IV/c (the range's last golongan: the jenjang at 450 and the competency test),
    ahli_utama IV/e (the top), terampil II/b (the first of three: the pangkat at 1 × 20)."""
    archive_cycle(engine, jf_year)
    nip_ = read_year(engine, "angka_kredit", TAHUN, baris=baris)["nip"].iloc[0]
    p = explain(engine, nip_, TAHUN)
    assert p.catatan == []
    row = p.angka_kredit["hasil"]
    assert row["langkah_berikutnya"] == langkah
    step = p.angka_kredit["rincian"][4]
    if langkah == "jenjang":
        assert step == ("langkah berikutnya: kenaikan jenjang — golongan IV/c ke-3 dari 3 dalam rentang "
                        "ahli_madya (IV/a, IV/b, IV/c), golongan terakhir: ambang jenjang 450, ditambah uji "
                        "kompetensi")
        assert p.angka_kredit["rincian"][0].endswith("bulan 6 (angka_kredit.csv baris 3)")
        assert p.angka_kredit["rincian"][2].startswith(
            "ak_tahun = bulan / 12 × persentase × koefisien = 6 / 12 ×")
    elif langkah == "puncak":
        assert p.angka_kredit["rincian"][4:] == [
            "langkah berikutnya: tidak ada (puncak) — golongan IV/e ke-2 dari 2 dalam rentang ahli_utama "
            "(IV/d, IV/e) dan ahli_utama tidak punya jenjang berikutnya; ambang dan kekurangan kosong, "
            "memenuhi: tidak"]
    else:
        assert step == ("langkah berikutnya: kenaikan pangkat — golongan II/b ke-1 dari 3 dalam rentang "
                        "terampil (II/b, II/c, II/d): ambang = 1 × 20 = 20")
        # 5 + at most 1.5 × 5 = 12.5 < 20: not met, the shortfall is 20 − cumulative
        assert p.angka_kredit["rincian"][5].startswith("memenuhi: tidak (ak_kumulatif ")


def test_an_employee_who_is_not_a_functional_official_gets_no_angka_kredit(
    engine: Engine, jf_year: ScoredYear
):
    archive_cycle(engine, jf_year)
    pegawai = jf_year.frames["pegawai"]
    other = jf_year.result.hasil[jf_year.result.hasil["nip"].isin(
        pegawai.loc[pegawai["jenis_jabatan"] != "fungsional", "nip"])].iloc[0]
    p = explain(engine, other["nip"], TAHUN)
    assert p.angka_kredit == {} and p.berlaku["angka_kredit"].empty
    assert len(read_year(engine, "angka_kredit_hasil", TAHUN)) == len(AK_BARIS) - 1, "others have theirs"


def test_a_functional_official_without_a_standing_predikat_is_quarantined_and_said_so(
    engine: Engine, jf_year: ScoredYear
):
    """The last of AK_BARIS has no SKP rows: not scored, no predikat stands, so no angka kredit."""
    ids = archive_cycle(engine, jf_year)
    nip_ = read_year(engine, "angka_kredit", TAHUN, baris=len(AK_BARIS) + 1)["nip"].iloc[0]
    assert nip_ not in set(jf_year.result.hasil["nip"])
    rows = explain(engine, nip_, TAHUN)
    assert isinstance(rows, pd.DataFrame)
    assert rows[["berkas", "kode_aturan", "baris", "tahap", "stage_run_id"]].values.tolist() == [
        ["angka_kredit.csv", "AK_TANPA_PREDIKAT", str(len(AK_BARIS) + 1), "training", str(ids["training"])]]
    ak = angka_kredit_tanpa_predikat(engine, nip_, TAHUN)
    [quarantined] = angka_kredit_result(jf_year).karantina.to_dict("records")
    assert (ak["baris"], ak["jenjang"], ak["golongan"], ak["stage_run_id"]) == (
        len(AK_BARIS) + 1, "ahli_muda", "III/c", ids["training"])
    assert ak["aturan"] == [f"AK_TANPA_PREDIKAT: {quarantined['alasan']}"]
    assert angka_kredit_tanpa_predikat(engine, read_year(engine, "angka_kredit_hasil", TAHUN)["nip"].iloc[0],
                                       TAHUN)["aturan"] == [], "a converted row has no quarantine"
    assert angka_kredit_tanpa_predikat(engine, "000000000000000000", TAHUN) is None


def test_a_scored_functional_officials_row_set_aside_is_named_with_its_quarantine(
    engine: Engine, jf_year: ScoredYear, tmp_path: Path
):
    """terampil with golongan III/a (outside II/b–II/d): archived, not converted, quarantined on its
    line by the training run; the explanation names the line and the rule."""
    year = score_jf_year(tmp_path / "input", jf_year.folder, golongan_lain="III/a")
    ids = archive_cycle(engine, year)
    nip_ = read_year(engine, "angka_kredit", TAHUN, baris=5)["nip"].iloc[0]
    assert nip_ in set(year.result.hasil["nip"])
    p = explain(engine, nip_, TAHUN)
    assert p.catatan == [] and "hasil" not in p.angka_kredit and p.berlaku["angka_kredit"].empty
    quarantined = angka_kredit_result(year).karantina
    [alasan] = quarantined.loc[quarantined["kode_aturan"] == "GOLONGAN_JENJANG", "alasan"]
    assert (p.angka_kredit["masukan"]["golongan"], p.angka_kredit["stage_run_id"], p.angka_kredit["aturan"]) \
        == ("III/a", ids["training"], [f"GOLONGAN_JENJANG: {alasan}"])
    assert "II/b" in alasan and ids["training"] in p.stage_runs["id"].tolist()


def test_a_functional_official_missing_from_the_archived_file_is_said_so(engine: Engine, jf_year: ScoredYear):
    ids = archive_cycle(engine, jf_year)
    nip_ = read_year(engine, "angka_kredit_hasil", TAHUN)["nip"].iloc[0]
    with transaction(engine) as conn:
        for table in ("angka_kredit", "angka_kredit_hasil"):
            conn.execute(text(f"delete from {table} where nip = :n"), {"n": nip_})
    p = explain(engine, nip_, TAHUN)
    assert p.angka_kredit == {"masukan": None, "stage_run_id": ids["training"],
                              "stage_run_ids": [ids["training"]]}


def test_a_stored_angka_kredit_that_does_not_add_up_is_noted(engine: Engine, jf_year: ScoredYear):
    archive_cycle(engine, jf_year)
    row = read_year(engine, "angka_kredit_hasil", TAHUN, langkah_berikutnya="jenjang").iloc[0]
    other = "Sangat Baik" if row["predikat_ditetapkan"] != "Sangat Baik" else "Baik"
    with transaction(engine) as conn:
        conn.execute(text("update angka_kredit_hasil set ak_tahun = ak_tahun + 1, predikat_ditetapkan = :p, "
                          "ambang = 400 where nip = :n"), {"n": row["nip"], "p": other})
    p = explain(engine, row["nip"], TAHUN)
    persen, tahun_ini = float(row["persentase"]), float(row["ak_tahun"])
    assert p.catatan == [
        f"angka kredit memakai predikat {other}, bukan predikat yang berlaku {row['predikat_ditetapkan']}",
        f"angka kredit: persentase {other} tersimpan {persen!r}, seharusnya "
        f"{jf_year.rules.angka_kredit.persentase[other]!r}",
        f"angka kredit: ak_tahun tersimpan {tahun_ini + 1!r}, seharusnya {tahun_ini!r}",
        f"angka kredit: ak_kumulatif tersimpan {float(row['ak_kumulatif'])!r}, seharusnya "
        f"{float(row['ak_awal']) + tahun_ini + 1!r}",
        "angka kredit: ambang tersimpan 400.0, seharusnya 450.0",
        f"angka kredit: kekurangan tersimpan {float(row['kekurangan'])!r}, seharusnya "
        f"{max(0.0, 400 - float(row['ak_kumulatif']))!r}",
    ] + ([] if float(row["ak_kumulatif"]) < 400 else [
        f"angka kredit: memenuhi tersimpan tidak bertentangan dengan ak_kumulatif "
        f"{float(row['ak_kumulatif'])!r} dan ambang 400.0"])


def test_the_bkn_worked_example_and_a_second_pangkat_are_worked_out_by_hand():
    """DOMAIN.md: Baik, ahli_pertama, 2 months: 2/12 × 100% × 12.5 = 2.08; ahli_madya IV/b → 300."""
    rules, catatan = load_ruleset(), []
    base = {"jenjang": "ahli_pertama", "golongan": "III/b", "predikat_ditetapkan": "Baik",
            "persentase": 100.0, "koefisien": 12.5, "bulan": 2, "ak_tahun": 2 / 12 * 12.5, "ak_awal": 0.0,
            "ak_kumulatif": 2 / 12 * 12.5, "langkah_berikutnya": "jenjang", "ambang": 100.0,
            "memenuhi": "tidak", "kekurangan": 100 - 2 / 12 * 12.5}
    lines = rincian_angka_kredit(base, {"baris": 7, "bulan": 2}, rules, catatan)
    assert catatan == []
    assert lines[2] == ("ak_tahun = bulan / 12 × persentase × koefisien = 2 / 12 × 100% × 12.5 = 2.083333 "
                        "(dibulatkan 2.08)")
    assert lines[5] == ("memenuhi: tidak (ak_kumulatif 2.083333 < ambang 100); kekurangan = max(0, 100 − "
                        "2.083333) = 97.916667 (dibulatkan 97.92)")
    madya = {**base, "jenjang": "ahli_madya", "golongan": "IV/b", "koefisien": 37.5, "bulan": 12,
             "ak_tahun": 37.5, "ak_awal": 270.0, "ak_kumulatif": 307.5, "langkah_berikutnya": "pangkat",
             "ambang": 300.0, "memenuhi": "ya", "kekurangan": 0.0}
    lines = rincian_angka_kredit(madya, None, rules, catatan)
    assert catatan == []
    assert lines[0].endswith("bulan 12 (baris angka_kredit.csv tidak diarsipkan)")
    assert lines[4:] == [
        "langkah berikutnya: kenaikan pangkat — golongan IV/b ke-2 dari 3 dalam rentang ahli_madya "
        "(IV/a, IV/b, IV/c): ambang = 2 × 150 = 300",
        "memenuhi: ya (ak_kumulatif 307.5 ≥ ambang 300); kekurangan = max(0, 300 − 307.5) = 0"]
    rincian_angka_kredit({**madya, "memenuhi": "tidak"}, None, rules, catatan)
    assert catatan == ["angka kredit: memenuhi tersimpan tidak bertentangan dengan ak_kumulatif 307.5 dan "
                       "ambang 300.0"]
