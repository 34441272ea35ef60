"""Objection review (DOMAIN.md "Keberatan"), on tiny hand-made frames with the answers worked out by hand.

The instansi I1 below (supervisors in brackets):

    A  head of instansi (none)        U1   sesuai / sesuai    Baik             -> Baik
    B  (A)                            U1   di_atas / di_atas  Sangat Baik      -> Sangat Baik
    C  (B)                            U1   sesuai / sesuai    Baik             -> Butuh Perbaikan
    E  (B)                            U1   sesuai / sesuai    Baik             -> Baik
    F  (A)                            U1   sesuai / di_atas   Baik             -> Baik
    G  (F)                            U1   sesuai / sesuai    Baik             -> Baik
    H  (A)                            U2   di_bawah / sesuai  Butuh Perbaikan  -> Butuh Perbaikan
    Z  (B)                            U1   not scored

U1 is a Baik unit of 6 scored employees: Baik at most floor(70% x 6) = floor(4.2) = 4, Butuh
Perbaikan + Kurang at least 1. The matrix gave 5 Baik, so the curve moved the lowest-ranked, C, down
to Butuh Perbaikan: 4 Baik and 1 Butuh Perbaikan meet the curve. Deciders (the supervisor's
supervisor): C, E, Z -> A; G -> A (F's supervisor); F, B, H -> nobody in the data (their supervisor A
heads the instansi), so nip_pemutus must be empty; A has no supervisor and cannot object.
"""

from __future__ import annotations

import pandas as pd
import pytest

from contract.karantina import KARANTINA_COLUMNS
from penilaian.keberatan import (
    AKHIR_COLUMNS,
    KEPUTUSAN_COLUMNS,
    KEPUTUSAN_EXTRA_COLUMNS,
    KeberatanResult,
    review_objections,
    to_hasil_penilaian_akhir_csv,
    to_keberatan_hasil_csv,
)
from penilaian.ruleset import Keberatan, Ruleset
from penilaian.year_end import HASIL_PENILAIAN_COLUMNS, score_year_end
from tests.penilaian.input_frames import frame
from tests.penilaian.year_end_inputs import frames as year_end_frames
from tests.penilaian.year_end_inputs import ind, peg, rate, real, unit, year_end_result
from tests.penilaian.year_end_inputs import nip as nip_of

TAHUN = 2026
A = "197001012000011001"
B = "197502022001011002"
C = "198003032005011003"
E = "198504042010012004"
F = "197806062003011005"
G = "199007072015012006"
H = "198808082012011008"
Z = "199109092016011007"

# nip, supervisor, unit, rating hasil kerja, rating perilaku, predikat (matrix), predikat_final, capaian
PEGAWAI = [
    (A, None, "U1", "sesuai", "sesuai", "Baik", "Baik", 100.0),
    (B, A, "U1", "di_atas", "di_atas", "Sangat Baik", "Sangat Baik", 115.0),
    (C, B, "U1", "sesuai", "sesuai", "Baik", "Butuh Perbaikan", 91.0),
    (E, B, "U1", "sesuai", "sesuai", "Baik", "Baik", 99.0),
    (F, A, "U1", "sesuai", "di_atas", "Baik", "Baik", 98.0),
    (G, F, "U1", "sesuai", "sesuai", "Baik", "Baik", 97.0),
    (H, A, "U2", "di_bawah", "sesuai", "Butuh Perbaikan", "Butuh Perbaikan", 80.0),
    (Z, B, "U1", None, None, None, None, None),
]
GESER = "Kurva Baik: Baik maks. 70% (4 dari 6); turun dari Baik ke Butuh Perbaikan"


def inputs(pegawai_out: tuple[str, ...] = ()) -> dict[str, pd.DataFrame]:
    """unit_kerja and pegawai as the checked frames; `pegawai_out`: rows quarantined (left out)."""
    return {
        "unit_kerja": frame("unit_kerja", [
            {"kode_unit": "U1", "nama_unit": "Unit 1", "kode_instansi": "I1", "nama_instansi": "I",
             "predikat_organisasi": "Baik"},
            {"kode_unit": "U2", "nama_unit": "Unit 2", "kode_instansi": "I1", "nama_instansi": "I",
             "predikat_organisasi": "Butuh Perbaikan"},
        ]),
        "pegawai": frame("pegawai", [
            {"nip": n, "nama": f"Nama {n[-3:]}", "kode_unit": u, "jabatan": "J",
             "jenis_jabatan": "pimpinan_tinggi" if atasan is None else "pelaksana", "nip_atasan": atasan}
            for n, atasan, u, *_ in PEGAWAI if n not in pegawai_out
        ]),
    }


def year_end() -> object:
    """The year-end result of the table above (only hasil is read)."""
    rows = [
        {"nip": n, "nama": f"Nama {n[-3:]}", "kode_unit": u, "capaian_hasil_kerja": capaian,
         "rating_hasil_kerja": hk, "nilai_perilaku": 3.5, "rating_perilaku": pk, "predikat": predikat,
         "predikat_final": final, "alasan_kalibrasi": GESER if n == C else None, "nip_atasan": atasan,
         "predikat_organisasi": "Baik" if u == "U1" else "Butuh Perbaikan"}
        for n, atasan, u, hk, pk, predikat, final, capaian in PEGAWAI if final is not None
    ]
    return year_end_result(hasil=pd.DataFrame(rows))


def objection(nip: str, pemutus: str | None, keputusan: str = "ditolak", *, terima: str = "2027-01-25",
              pengajuan: str = "2027-02-01", hk: str | None = None, pk: str | None = None,
              tahun: int = TAHUN) -> dict:
    return {"nip": nip, "tahun": tahun, "tanggal_terima": terima, "tanggal_pengajuan": pengajuan,
            "alasan": "hasil kerja belum dihitung lengkap", "nip_pemutus": pemutus,
            "tanggal_keputusan": "2027-02-20", "keputusan": keputusan, "rating_hasil_kerja_baru": hk,
            "rating_perilaku_baru": pk, "catatan_keputusan": "sudah diklarifikasi"}


def review(rows: list[dict], ruleset: Ruleset, pegawai_out: tuple[str, ...] = ()) -> KeberatanResult:
    data = inputs(pegawai_out)
    data["keberatan"] = frame("keberatan", rows)
    return review_objections(data, year_end(), ruleset, TAHUN)


def quarantined(result: KeberatanResult) -> list[tuple[int, str, str]]:
    return result.karantina[["baris", "kolom", "kode_aturan"]].to_records(index=False).tolist()


def standing(result: KeberatanResult) -> dict[str, str]:
    return dict(zip(result.akhir["nip"], result.akhir["predikat_ditetapkan"], strict=True))


FINAL = {n: final for n, *_, final, _ in PEGAWAI if final is not None}


# ---------------------------------------------------------------------------------- no objections


@pytest.mark.parametrize("keberatan", ["absent", "empty"])
def test_without_objections_every_final_predikat_stands(keberatan: str, ruleset: Ruleset) -> None:
    data = inputs()
    if keberatan == "empty":
        data["keberatan"] = frame("keberatan", [])
    result = review_objections(data, year_end(), ruleset, TAHUN)
    assert standing(result) == FINAL
    assert set(result.akhir["keberatan"]) == {"tidak"}
    assert list(result.akhir["nip"]) == sorted(FINAL)
    assert result.keputusan.empty and list(result.keputusan.columns) == [*KEPUTUSAN_COLUMNS,
                                                                         *KEPUTUSAN_EXTRA_COLUMNS]
    assert result.karantina.empty and list(result.karantina.columns) == KARANTINA_COLUMNS
    assert result.kurva.empty
    assert list(result.kurva.columns) == ["kode_unit", "predikat_organisasi", "memenuhi", "pelanggaran"]


# ---------------------------------------------------------------------------------- the window


def test_day_14_is_in_time_day_15_is_late(ruleset: Ruleset) -> None:
    # 2027-01-25 + 14 days = 2027-02-08 (6 days to the 31st, 8 into February)
    in_time = review([objection(C, A, pengajuan="2027-02-08")], ruleset)
    assert in_time.karantina.empty and list(in_time.keputusan["nip"]) == [C]

    late = review([objection(C, A, pengajuan="2027-02-09")], ruleset)
    assert quarantined(late) == [(2, "tanggal_pengajuan", "KEBERATAN_TERLAMBAT")]
    assert late.karantina["alasan"].tolist() == [
        "tanggal_pengajuan '2027-02-09' 15 hari sesudah tanggal_terima '2027-01-25': lewat batas 14 hari"]
    assert late.karantina["reason"].tolist() == [
        "tanggal_pengajuan '2027-02-09' is 15 days after tanggal_terima '2027-01-25': past the 14-day"
        " limit"]
    assert late.keputusan.empty
    assert standing(late) == FINAL


def test_window_counts_calendar_days_across_a_leap_day(ruleset: Ruleset) -> None:
    # 2028-02-20 -> 2028-03-05: 9 days to 29 February, then 5 = 14; 2028-03-06 is day 15
    ok = review([objection(C, A, terima="2028-02-20", pengajuan="2028-03-05")], ruleset)
    assert ok.karantina.empty
    late = review([objection(C, A, terima="2028-02-20", pengajuan="2028-03-06")], ruleset)
    assert [k for *_, k in quarantined(late)] == ["KEBERATAN_TERLAMBAT"]


def test_the_window_is_the_rulesets(ruleset: Ruleset) -> None:
    longer = ruleset.model_copy(update={"keberatan": Keberatan(batas_hari=15)})
    result = review([objection(C, A, pengajuan="2027-02-09")], longer)
    assert result.karantina.empty and list(result.keputusan["nip"]) == [C]


# ---------------------------------------------------------------------------------- the decider


def test_decider_is_the_supervisors_supervisor(ruleset: Ruleset) -> None:
    # C's supervisor is B, B's is A; G's supervisor is F, F's is A
    result = review([objection(C, A), objection(G, A)], ruleset)
    assert result.karantina.empty
    assert list(result.keputusan["nip"]) == [C, G]
    assert list(result.keputusan["nip_pemutus"]) == [A, A]


@pytest.mark.parametrize("pemutus", [B, E, None])
def test_anyone_else_deciding_is_quarantined(pemutus: str | None, ruleset: Ruleset) -> None:
    """C's own supervisor B, a colleague, or nobody: only A decides C's objection."""
    result = review([objection(C, pemutus)], ruleset)
    assert quarantined(result) == [(2, "nip_pemutus", "PEMUTUS_SALAH")]
    shown = "(kosong)" if pemutus is None else pemutus
    assert result.karantina["alasan"].tolist() == [
        f"nip_pemutus '{shown}' bukan pejabat yang memutus keberatan ini: yang memutus atasan dari atasan"
        f" langsung '{B}', yaitu '{A}'"]
    assert result.keputusan.empty


def test_staff_of_the_head_of_instansi_object_with_an_empty_decider(ruleset: Ruleset) -> None:
    """F's supervisor A has no supervisor: the PPK decides, outside the data, so nip_pemutus is empty."""
    result = review([objection(F, None, "diterima", hk="di_atas")], ruleset)
    assert result.karantina.empty
    row = result.keputusan.iloc[0]
    assert (row["nip"], pd.isna(row["nip_pemutus"]), row["predikat_ditetapkan"]) == (F, True, "Sangat Baik")

    named = review([objection(F, A, "diterima", hk="di_atas")], ruleset)
    assert quarantined(named) == [(2, "nip_pemutus", "PEMUTUS_SALAH")]
    assert named.karantina["alasan"].tolist() == [
        f"nip_pemutus '{A}' bukan pejabat yang memutus keberatan ini: harus kosong: atasan langsung"
        f" '{A}' tidak punya atasan (pimpinan instansi), yang memutus Pejabat Pembina Kepegawaian di"
        " luar data"]
    assert named.karantina["reason"].tolist() == [
        f"nip_pemutus '{A}' is not who decides this objection: must be empty: the direct supervisor"
        f" '{A}' has no supervisor (head of the instansi), the Pejabat Pembina Kepegawaian decides,"
        " outside the data"]
    assert standing(named)[F] == "Baik"


def test_employee_without_supervisor_cannot_object(ruleset: Ruleset) -> None:
    result = review([objection(A, None)], ruleset)
    assert quarantined(result) == [(2, "nip", "KEBERATAN_TANPA_ATASAN")]
    assert result.keputusan.empty


def test_decider_cannot_be_checked_when_the_supervisors_row_was_quarantined(ruleset: Ruleset) -> None:
    """G's supervisor F is not among the clean pegawai rows: who decides is unknown."""
    result = review([objection(G, A)], ruleset, pegawai_out=(F,))
    assert quarantined(result) == [(2, "nip", "PEMUTUS_TIDAK_TERPERIKSA")]
    assert f"atasan langsung '{F}'" in result.karantina["alasan"].iloc[0]


# ---------------------------------------------------------------------------------- who and how often


def test_only_a_scored_employee_can_object(ruleset: Ruleset) -> None:
    result = review([objection(Z, A)], ruleset)
    assert quarantined(result) == [(2, "nip", "KEBERATAN_TIDAK_DINILAI")]
    assert result.karantina["alasan"].tolist() == [
        f"nip '{Z}' tidak dinilai pada tahun 2026 (tidak ada di hasil_penilaian.csv): hanya pegawai yang"
        " dinilai dapat mengajukan keberatan"]
    assert Z not in set(result.akhir["nip"])


def test_second_objection_is_the_later_filed_one(ruleset: Ruleset) -> None:
    # line 2 filed on 5 February, line 3 on 1 February: line 3 is the objection, line 2 the second
    result = review([
        objection(C, A, "diterima", pengajuan="2027-02-05", hk="di_atas"),
        objection(C, A, "ditolak", pengajuan="2027-02-01"),
    ], ruleset)
    assert quarantined(result) == [(2, "nip", "KEBERATAN_GANDA")]
    assert result.karantina["alasan"].tolist() == [
        f"keberatan kedua untuk nip '{C}' tahun 2026: keberatan hanya sekali; yang berlaku diajukan"
        " 2027-02-01 (baris 3)"]
    assert result.keputusan[["nip", "keputusan", "tanggal_pengajuan"]].values.tolist() == [
        [C, "ditolak", "2027-02-01"]]
    assert standing(result)[C] == "Butuh Perbaikan"


def test_second_objection_on_the_same_day_is_the_later_line(ruleset: Ruleset) -> None:
    result = review([
        objection(E, A),
        objection(C, A, "diterima", pengajuan="2027-02-03", hk="di_atas"),
        objection(C, A, "ditolak", pengajuan="2027-02-03"),
    ], ruleset)
    assert quarantined(result) == [(4, "nip", "KEBERATAN_GANDA")]
    assert "(baris 3)" in result.karantina["alasan"].iloc[0]
    assert list(result.keputusan["nip"]) == [C, E]
    # line 3 stands: sesuai -> di_atas hasil kerja, perilaku kept sesuai: Baik
    assert standing(result)[C] == "Baik"


def test_a_row_breaking_several_rules_is_listed_once_per_rule(ruleset: Ruleset) -> None:
    result = review([
        objection(Z, A, pengajuan="2027-02-01"),
        objection(Z, B, pengajuan="2027-02-10"),
    ], ruleset)
    assert quarantined(result) == [
        (2, "nip", "KEBERATAN_TIDAK_DINILAI"),
        (3, "nip", "KEBERATAN_TIDAK_DINILAI"),
        (3, "nip", "KEBERATAN_GANDA"),
        (3, "tanggal_pengajuan", "KEBERATAN_TERLAMBAT"),
    ]
    assert set(result.karantina["tahap"]) == {"objection"}
    assert set(result.karantina["berkas"]) == {"keberatan.csv"}


# ---------------------------------------------------------------------------------- the decision


def test_rejected_objection_keeps_the_result(ruleset: Ruleset) -> None:
    # new ratings written on a rejected objection are ignored
    result = review([objection(C, A, "ditolak", hk="di_atas", pk="di_atas")], ruleset)
    row = result.keputusan.iloc[0]
    assert row[list(KEPUTUSAN_COLUMNS)].tolist() == [
        C, "ditolak", "sesuai", "sesuai", "Butuh Perbaikan", "sesuai", "sesuai", "Butuh Perbaikan", A,
        "2027-02-20"]
    assert standing(result) == FINAL
    akhir = result.akhir.set_index("nip")["keberatan"]
    assert akhir[C] == "ya" and set(akhir.drop(C)) == {"tidak"}


def test_accepted_objection_takes_the_matrix_of_the_standing_ratings(ruleset: Ruleset) -> None:
    # H: di_bawah / sesuai (Butuh Perbaikan); new perilaku di_atas only: di_bawah / di_atas is still
    # Butuh Perbaikan. E: sesuai / sesuai; new hasil kerja di_atas and perilaku di_atas: Sangat Baik.
    result = review([
        objection(H, None, "diterima", pk="di_atas"),
        objection(E, A, "diterima", hk="di_atas", pk="di_atas"),
    ], ruleset)
    assert result.karantina.empty
    tabel = result.keputusan.set_index("nip")
    baru = ["rating_hasil_kerja_baru", "rating_perilaku_baru", "predikat_ditetapkan"]
    assert tabel.loc[H, baru].tolist() == ["di_bawah", "di_atas", "Butuh Perbaikan"]
    lama = ["rating_hasil_kerja_lama", "rating_perilaku_lama", "predikat_lama"]
    assert tabel.loc[E, lama + baru].tolist() == [
        "sesuai", "sesuai", "Baik", "di_atas", "di_atas", "Sangat Baik"]
    assert tabel.loc[E, ["nama", "kode_unit", "tanggal_terima", "tanggal_pengajuan", "alasan",
                         "catatan_keputusan", "nama_pemutus"]].tolist() == [
        f"Nama {E[-3:]}", "U1", "2027-01-25", "2027-02-01", "hasil kerja belum dihitung lengkap",
        "sudah diklarifikasi", f"Nama {A[-3:]}"]
    assert standing(result) == {**FINAL, H: "Butuh Perbaikan", E: "Sangat Baik"}


def test_the_curve_is_not_applied_again(ruleset: Ruleset) -> None:
    """C was moved down by the curve; accepted with the same ratings, the matrix's Baik stands and
    nobody else moves, although U1 now has 5 Baik (more than 4) and no Butuh Perbaikan or Kurang."""
    result = review([objection(C, A, "diterima", pk="sesuai")], ruleset)
    assert standing(result) == {**FINAL, C: "Baik"}
    assert result.kurva.to_dict("records") == [{
        "kode_unit": "U1", "predikat_organisasi": "Baik", "memenuhi": False,
        "pelanggaran": "Kurva Baik: Baik maks. 70% (4 dari 6, ada 5): tidak terpenuhi, lebih 1 pegawai; "
                       "Kurva Baik: Butuh Perbaikan + Kurang min. 1 pegawai (1 dari 6, ada 0): tidak "
                       "terpenuhi, kurang 1 pegawai",
    }]


def test_units_with_a_decided_objection_are_checked_and_only_those(ruleset: Ruleset) -> None:
    # C rejected: U1 keeps 4 Baik of 6 and 1 Butuh Perbaikan, its curve is met. H's objection in U2
    # names a decider although A heads the instansi: quarantined, so U2 is not checked.
    result = review([objection(C, A, "ditolak"), objection(H, A, "ditolak")], ruleset)
    assert quarantined(result) == [(3, "nip_pemutus", "PEMUTUS_SALAH")]
    assert result.kurva.to_dict("records") == [
        {"kode_unit": "U1", "predikat_organisasi": "Baik", "memenuhi": True, "pelanggaran": ""}]


def test_a_small_unit_is_checked_too(ruleset: Ruleset) -> None:
    """U2 (Butuh Perbaikan) has one scored employee, H: Sangat Baik at most floor(10% x 1) = 0 and
    Butuh Perbaikan at least ceil(60% x 1) = 1. Raised to Sangat Baik, H breaks both."""
    result = review([objection(H, None, "diterima", hk="di_atas", pk="di_atas")], ruleset)
    assert result.kurva.to_dict("records") == [{
        "kode_unit": "U2", "predikat_organisasi": "Butuh Perbaikan", "memenuhi": False,
        "pelanggaran": "Kurva Butuh Perbaikan: Sangat Baik maks. 10% (0 dari 1, ada 1): tidak terpenuhi, "
                       "lebih 1 pegawai; Kurva Butuh Perbaikan: Butuh Perbaikan min. 60% (1 dari 1, ada 0): "
                       "tidak terpenuhi, kurang 1 pegawai",
    }]


def test_rows_of_another_year_are_not_reviewed(ruleset: Ruleset) -> None:
    """The value rules quarantine them (TAHUN); the review does not take them up either."""
    result = review([objection(C, A, "diterima", hk="di_atas", tahun=2025)], ruleset)
    assert result.keputusan.empty and result.karantina.empty
    assert standing(result) == FINAL


# ---------------------------------------------------------------------------------- output files


def test_output_frames_have_the_contracts_columns(ruleset: Ruleset) -> None:
    result = review([objection(C, A, "diterima", hk="di_atas")], ruleset)
    hasil = to_keberatan_hasil_csv(result)
    assert list(hasil.columns) == list(KEPUTUSAN_COLUMNS) == [
        "nip", "keputusan", "rating_hasil_kerja_lama", "rating_perilaku_lama", "predikat_lama",
        "rating_hasil_kerja_baru", "rating_perilaku_baru", "predikat_ditetapkan", "nip_pemutus",
        "tanggal_keputusan"]
    assert hasil.iloc[0].tolist() == [C, "diterima", "sesuai", "sesuai", "Butuh Perbaikan", "di_atas",
                                      "sesuai", "Baik", A, "2027-02-20"]
    akhir = to_hasil_penilaian_akhir_csv(result)
    assert list(akhir.columns) == list(AKHIR_COLUMNS) == [*HASIL_PENILAIAN_COLUMNS, "keberatan",
                                                         "predikat_ditetapkan"]
    baris_c = akhir.loc[akhir["nip"] == C].iloc[0]
    assert (baris_c["capaian_hasil_kerja"], baris_c["predikat_final"], baris_c["alasan_kalibrasi"],
            baris_c["keberatan"], baris_c["predikat_ditetapkan"]) == (
        "91.00", "Butuh Perbaikan", GESER, "ya", "Baik")
    assert list(akhir["nip"]) == sorted(FINAL)


def test_on_a_scored_year(ruleset: Ruleset) -> None:
    """On score_year_end's own result: 1 heads U1, 2 reports to 1, 3 to 2; 3 objects to 1, accepted
    with both ratings di_atas: Sangat Baik, whatever year-end gave; 1 and 2 keep their predikat_final."""
    data = year_end_frames(
        [unit("U1")],
        [peg(1, "U1"), peg(2, "U1", 1), peg(3, "U1", 2)],
        [ind("I1", 1), ind("I2", 2, ), ind("I3", 3)],
        [real("I1", 12, 100.0), real("I2", 12, 95.0), real("I3", 12, 80.0)],
        [rate(2, 1, 1, 3), rate(2, 1, 2, 3), rate(3, 2, 1, 3), rate(3, 2, 2, 3)],
        [{"nip": nip_of(1), "rating_perilaku": "sesuai", "alasan": "pimpinan"}],
    )
    scored = score_year_end(data, ruleset, TAHUN)
    data["keberatan"] = frame("keberatan", [objection(nip_of(3), nip_of(1), "diterima", hk="di_atas",
                                                      pk="di_atas")])
    result = review_objections(data, scored, ruleset, TAHUN)
    assert result.karantina.empty
    final = dict(zip(scored.hasil["nip"], scored.hasil["predikat_final"], strict=True))
    assert standing(result) == {**final, nip_of(3): "Sangat Baik"}
    assert list(result.akhir.columns) == [*scored.hasil.columns, "keberatan", "predikat_ditetapkan"]
