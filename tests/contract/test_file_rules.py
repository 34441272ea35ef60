"""The value rules of each input file, on tiny hand-made raw frames: good values pass, bad ones are
quarantined by code, quarantined parents take their dependent rows along."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from contract.checked_file import CheckedFile
from contract.file_rules import check_unit_kerja, on_cycle
from contract.lookup import index_in
from contract.schema import FILES
from contract.values import check_values
from tests.contract.input_rows import (
    ASING,
    TAHUN,
    A,
    B,
    C,
    D,
    E,
    X,
    dataset,
    run,
    with_value,
)
from tests.contract.input_rows import raw as raw_rows

# sheet, row (0-based), column, bad value, expected rule code
CASES = [
    ("pegawai", 4, "nip", "19951231202012200", "NIP_FORMAT"),
    ("pegawai", 4, "nip", "19951231202012200x", "NIP_FORMAT"),
    ("pegawai", 4, "nip", "199502302020122006", "NIP_TANGGAL_LAHIR"),
    ("pegawai", 4, "nip", "199512312020132006", "NIP_TMT"),
    ("pegawai", 4, "nip", "199512312027012006", "NIP_TMT"),
    ("pegawai", 4, "nip", "199512312010012006", "NIP_TMT"),
    ("pegawai", 4, "nip", "199512312020123006", "NIP_JENIS_KELAMIN"),
    ("pegawai", 4, "nip", "199512312020122000", "NIP_URUT"),
    ("pegawai", 4, "nip_atasan", "19900101201501200", "NIP_FORMAT"),
    ("pegawai", 4, "nama", None, "WAJIB_KOSONG"),
    ("pegawai", 4, "jenis_jabatan", "kepala", "JENIS_JABATAN"),
    ("pegawai", 4, "kode_unit", "U7", "UNIT_TIDAK_ADA"),
    ("pegawai", 4, "nip_atasan", ASING, "ATASAN_TIDAK_ADA"),
    ("pegawai", 4, "nip_atasan", X, "ATASAN_INSTANSI_LAIN"),
    ("pegawai", 4, "nip_atasan", None, "ATASAN_KOSONG"),
    ("pegawai", 4, "nip_atasan", E, "ATASAN_SIKLUS"),
    ("unit_kerja", 1, "predikat_organisasi", "Luar Biasa", "PREDIKAT_ORGANISASI"),
    ("unit_kerja", 1, "kode_instansi", None, "WAJIB_KOSONG"),
    ("skp", 4, "tahun", "2025", "TAHUN"),
    ("skp", 4, "tahun", "dua ribu", "TAHUN"),
    ("skp", 4, "aspek", "jumlah", "ASPEK"),
    ("skp", 4, "arah", "atas", "ARAH"),
    ("skp", 4, "jenis", "pokok", "JENIS"),
    ("skp", 4, "target", "0", "TARGET"),
    ("skp", 4, "target", "1,5", "TARGET"),
    ("skp", 4, "kompetensi", "Pelayanan Publik!", "KOMPETENSI"),
    ("skp", 4, "id_indikator_atasan", "IZ", "INDIKATOR_TIDAK_ADA"),
    ("skp", 4, "id_indikator_atasan", "IA", "KASKADE"),
    ("skp", 4, "id_indikator_atasan", None, "KASKADE_WAJIB"),
    ("skp", 4, "nip", ASING, "PEGAWAI_TIDAK_ADA"),
    ("skp", 4, "nip", "123", "NIP_FORMAT"),
    ("skp", 4, "indikator", None, "WAJIB_KOSONG"),
    ("realisasi", 1, "periode", "2026-13", "PERIODE"),
    ("realisasi", 1, "periode", "2026/02", "PERIODE"),
    ("realisasi", 1, "periode", "2025-12", "PERIODE_TAHUN"),
    ("realisasi", 1, "realisasi", "-1", "REALISASI"),
    ("realisasi", 1, "realisasi", "banyak", "REALISASI"),
    ("realisasi", 1, "id_indikator", "IZ", "INDIKATOR_TIDAK_ADA"),
    ("perilaku", 0, "kompeten", "6", "NILAI_PERILAKU"),
    ("perilaku", 0, "kompeten", "3.5", "NILAI_PERILAKU"),
    ("perilaku", 0, "periode", "2026-S3", "SEMESTER"),
    ("perilaku", 0, "periode", "2025-S2", "PERIODE_TAHUN"),
    ("perilaku", 0, "nip_penilai", ASING, "PEGAWAI_TIDAK_ADA"),
    ("perilaku", 0, "nip_penilai", "199001012015015002", "NIP_JENIS_KELAMIN"),
    ("umpan_balik", 0, "jenis", "teguran", "JENIS_UMPAN_BALIK"),
    ("umpan_balik", 0, "tanggal", "01/03/2026", "TANGGAL"),
    ("umpan_balik", 0, "tanggal", "2026-02-30", "TANGGAL"),
    ("umpan_balik", 0, "dari_nip", ASING, "PEGAWAI_TIDAK_ADA"),
    ("survei_masyarakat", 0, "nilai_ikm", "24.9", "IKM"),
    ("survei_masyarakat", 0, "nilai_ikm", "100.5", "IKM"),
    ("survei_masyarakat", 0, "jumlah_responden", "0", "RESPONDEN"),
    ("survei_masyarakat", 0, "jumlah_responden", "1.5", "RESPONDEN"),
    ("survei_masyarakat", 0, "kode_unit", "U7", "UNIT_TIDAK_ADA"),
    ("survei_masyarakat", 0, "periode", "Maret", "PERIODE"),
    ("riwayat_pelatihan", 0, "jp", "0", "JP"),
    ("riwayat_pelatihan", 0, "tanggal", "2026-1-5", "TANGGAL"),
    ("riwayat_pelatihan", 0, "kompetensi", "_x", "KOMPETENSI"),
    ("riwayat_pelatihan", 0, "nip", ASING, "PEGAWAI_TIDAK_ADA"),
    ("katalog_pelatihan", 1, "jp", "-2", "JP"),
    ("katalog_pelatihan", 1, "kode_pelatihan", "P1", "PELATIHAN_GANDA"),
    ("rating_atasan", 0, "rating_perilaku", "tinggi", "RATING"),
    ("rating_atasan", 0, "nip", ASING, "PEGAWAI_TIDAK_ADA"),
    ("keberatan", 0, "nip", "123", "NIP_FORMAT"),
    ("keberatan", 0, "nip", ASING, "PEGAWAI_TIDAK_ADA"),
    ("keberatan", 0, "nip_pemutus", "12345", "NIP_FORMAT"),
    ("keberatan", 0, "nip_pemutus", "199001012015015002", "NIP_JENIS_KELAMIN"),
    ("keberatan", 0, "tahun", "2025", "TAHUN"),
    ("keberatan", 0, "tahun", "2027", "TAHUN"),
    ("keberatan", 0, "tanggal_terima", "25/01/2027", "TANGGAL"),
    ("keberatan", 0, "tanggal_pengajuan", "2027-02-30", "TANGGAL"),
    ("keberatan", 0, "tanggal_keputusan", "2027-2-15", "TANGGAL"),
    ("keberatan", 0, "keputusan", "dikabulkan", "KEPUTUSAN"),
    ("keberatan", 0, "rating_hasil_kerja_baru", "baik", "RATING"),
    ("keberatan", 0, "rating_perilaku_baru", "tinggi", "RATING"),
    ("keberatan", 0, "tanggal_pengajuan", "2027-01-24", "PENGAJUAN_SEBELUM_TERIMA"),
    ("keberatan", 0, "tanggal_keputusan", "2027-02-07", "KEPUTUSAN_SEBELUM_PENGAJUAN"),
    ("keberatan", 0, "alasan", None, "WAJIB_KOSONG"),
    ("keberatan", 0, "tanggal_keputusan", None, "WAJIB_KOSONG"),
    ("keberatan", 0, "keputusan", None, "WAJIB_KOSONG"),
    ("angka_kredit", 0, "nip", "123", "NIP_FORMAT"),
    ("angka_kredit", 0, "nip", "199512312020122000", "NIP_URUT"),
    ("angka_kredit", 0, "nip", ASING, "PEGAWAI_TIDAK_ADA"),
    ("angka_kredit", 0, "nip", C, "BUKAN_FUNGSIONAL"),
    ("angka_kredit", 0, "nip", A, "BUKAN_FUNGSIONAL"),
    ("angka_kredit", 0, "jenjang", "ahli", "JENJANG"),
    ("angka_kredit", 0, "jenjang", "utama", "JENJANG"),
    ("angka_kredit", 0, "golongan", "III/e", "GOLONGAN"),
    ("angka_kredit", 0, "golongan", "I/d", "GOLONGAN"),
    ("angka_kredit", 0, "golongan", "3a", "GOLONGAN"),
    ("angka_kredit", 0, "ak_awal", "-0.5", "AK_AWAL"),
    ("angka_kredit", 0, "ak_awal", "banyak", "AK_AWAL"),
    ("angka_kredit", 0, "bulan", "0", "AK_BULAN"),
    ("angka_kredit", 0, "bulan", "13", "AK_BULAN"),
    ("angka_kredit", 0, "bulan", "6.5", "AK_BULAN"),
    ("angka_kredit", 0, "bulan", "Juni", "AK_BULAN"),
    ("angka_kredit", 0, "nip", None, "WAJIB_KOSONG"),
    ("angka_kredit", 0, "jenjang", None, "WAJIB_KOSONG"),
    ("angka_kredit", 0, "golongan", None, "WAJIB_KOSONG"),
    ("angka_kredit", 0, "ak_awal", None, "WAJIB_KOSONG"),
]


@pytest.mark.parametrize(("sheet", "row", "kolom", "nilai", "kode"), CASES)
def test_bad_value_is_quarantined(sheet: str, row: int, kolom: str, nilai: str | None,
                                  kode: str) -> None:
    clean, karantina, _ = run(with_value(sheet, row, kolom, nilai))
    hit = karantina[karantina["kode_aturan"] == kode]
    assert not hit.empty, karantina
    baris = row + 2
    assert (hit["berkas"] == FILES[sheet].name).any()
    assert ((hit["baris"] == baris) & (hit["kolom"].str.contains(kolom))).any(), hit
    assert baris not in clean[sheet]["_baris"].tolist()
    first = hit.iloc[0]
    assert first["alasan"] and first["reason"] and first["tahap"] == "validation"
    if nilai is not None and kode not in ("NIP_GANDA",):
        assert nilai in first["alasan"] or kode in ("ATASAN_KOSONG", "KASKADE_WAJIB",
                                                    "ATASAN_SIKLUS")


def test_duplicates_quarantine_every_row_of_the_key() -> None:
    data = with_value("pegawai", 4, "nip", D)
    clean, karantina, _ = run(data)
    ganda = karantina[karantina["kode_aturan"] == "NIP_GANDA"]
    assert ganda["baris"].tolist() == [5, 6]
    assert D not in clean["pegawai"]["nip"].tolist()
    induk = karantina[(karantina["berkas"] == "skp.csv")
                      & (karantina["kode_aturan"] == "INDUK_DIKARANTINA")]
    assert induk["baris"].tolist() == [5]  # ID belongs to the duplicated nip; E's rows lost theirs

    data = dataset()
    data["skp"].loc[4, "id_indikator"] = "IC"
    _, karantina, _ = run(data)
    assert karantina.loc[karantina["kode_aturan"] == "ID_GANDA", "baris"].tolist() == [4, 6]

    data = with_value("realisasi", 1, "periode", "2026-01")
    clean, karantina, _ = run(data)
    assert karantina.loc[karantina["kode_aturan"] == "REALISASI_GANDA", "baris"].tolist() == [2, 3]
    assert clean["realisasi"].empty


def test_quarantined_employee_cascades_to_its_rows() -> None:
    clean, karantina, _ = run(with_value("pegawai", 2, "jenis_jabatan", "??"))
    induk = karantina[karantina["kode_aturan"] == "INDUK_DIKARANTINA"]
    assert set(induk["berkas"]) == {"skp.csv", "perilaku.csv", "umpan_balik.csv",
                                    "riwayat_pelatihan.csv", "rating_atasan.csv", "keberatan.csv"}
    assert not (karantina["berkas"] == "angka_kredit.csv").any()  # E's row does not depend on C
    assert "IC" not in clean["skp"]["id_indikator"].tolist()


def test_quarantined_indicator_cascades_to_realisasi() -> None:
    _, karantina, _ = run(with_value("skp", 0, "target", "-5"))
    hit = karantina[karantina["berkas"] == "realisasi.csv"]
    assert hit["kode_aturan"].tolist() == ["INDUK_DIKARANTINA"] * 2


def test_bad_supervisor_row_does_not_cascade_to_its_staff() -> None:
    clean, karantina, _ = run(with_value("pegawai", 1, "jenis_jabatan", "??"))
    assert karantina["berkas"].tolist() == ["pegawai.csv", "skp.csv"]  # B and B's indicator
    assert C in clean["pegawai"]["nip"].tolist() and E in clean["pegawai"]["nip"].tolist()
    assert B not in clean["pegawai"]["nip"].tolist()
    assert not (karantina["kode_aturan"] == "ATASAN_TIDAK_ADA").any()
    # ratings by the quarantined supervisor stay: the rater merely has to exist
    assert len(clean["perilaku"]) == 2


def test_supervisor_cycle_quarantines_everyone_on_it() -> None:
    data = with_value("pegawai", 1, "nip_atasan", C)  # B -> C -> B
    clean, karantina, _ = run(data)
    siklus = karantina[karantina["kode_aturan"] == "ATASAN_SIKLUS"]
    assert siklus["baris"].tolist() == [3, 4]
    assert E in clean["pegawai"]["nip"].tolist()  # below the cycle, not on it
    assert A in clean["pegawai"]["nip"].tolist()


def test_large_cycle_detection_is_iterative() -> None:
    n = 200_000
    nips = pd.Series([f"{1950 + i // 5000:04d}0101{2000 + i % 20:04d}01{1 + i % 2}"
                      f"{i % 999 + 1:03d}" for i in range(n)])
    assert nips.is_unique
    atasan = pd.concat([pd.Series([None]), nips[:-1]], ignore_index=True)
    atasan[n - 10] = nips[n - 1]  # the last ten form a cycle
    frame = pd.DataFrame({"nip": nips, "nama": "N", "kode_unit": "U1", "jabatan": "J",
                          "jenis_jabatan": "pelaksana", "nip_atasan": atasan, "email": None})
    frame = frame.astype("str")
    frame["_baris"] = np.arange(2, n + 2)
    _, karantina, _ = check_values({"pegawai": frame}, TAHUN, "validation")
    siklus = karantina.loc[karantina["kode_aturan"] == "ATASAN_SIKLUS", "baris"]
    assert siklus.tolist() == list(range(n - 10 + 2, n + 2))


def test_head_rules_for_empty_supervisor() -> None:
    data = dataset()
    # a small instansi led by an administrator: the only one without a supervisor is its head
    data["pegawai"].loc[5, "jenis_jabatan"] = "administrator"
    _, karantina, _ = run(data)
    assert karantina.empty


def test_enumerations_are_normalised() -> None:
    data = with_value("unit_kerja", 0, "predikat_organisasi", "butuh perbaikan")
    data["pegawai"].loc[2, "jenis_jabatan"] = "Pelaksana"
    data["skp"].loc[2, "kompetensi"] = "Pelayanan_Publik"
    clean, karantina, _ = run(data)
    assert karantina.empty
    assert clean["unit_kerja"].loc[0, "predikat_organisasi"] == "Butuh Perbaikan"
    assert clean["pegawai"].loc[2, "jenis_jabatan"] == "pelaksana"
    assert clean["skp"].loc[2, "kompetensi"] == "pelayanan_publik"


@pytest.mark.parametrize("nilai", ["nan", "inf", "-Infinity", "1e999"])
def test_numbers_arrow_reads_but_the_contract_does_not(nilai: str) -> None:
    """Arrow's cast reads nan and inf (1e999 too, as inf): none is a realisation >= 0."""
    clean, karantina, _ = run(with_value("realisasi", 1, "realisasi", nilai))
    assert karantina[["baris", "kode_aturan"]].values.tolist() == [[3, "REALISASI"]]
    assert clean["realisasi"]["_baris"].tolist() == [2]



def test_on_cycle_marks_only_the_employees_on_the_cycle() -> None:
    # rows: 0 -> 1 -> 2 -> 1 (1 and 2 form a cycle), 3 has no supervisor, 4 -> 0, 5 repeats nip 3
    nip = pd.Series(["n0", "n1", "n2", "n3", "n4", "n3"], dtype="str")
    atasan = pd.Series(["n1", "n2", "n1", None, "n0", "n2"], dtype="str")
    assert on_cycle(nip, index_in(atasan, nip)).tolist() == [False, True, True, False, False, False]


def test_on_cycle_of_a_self_reference() -> None:
    nip = pd.Series(["n0", "n1"], dtype="str")
    atasan = pd.Series(["n0", "n0"], dtype="str")
    assert on_cycle(nip, index_in(atasan, nip)).tolist() == [True, False]


@pytest.mark.parametrize("needs_predikat", [False, True])
def test_empty_predikat_organisasi_breaks_the_rule_only_when_the_stage_needs_it(
    needs_predikat: bool,
) -> None:
    unit = CheckedFile("unit_kerja", dataset()["unit_kerja"], TAHUN, "validation")
    unit.raw.loc[2, "predikat_organisasi"] = None
    check_unit_kerja(unit, needs_predikat)
    flagged = unit.karantina()
    assert flagged["kode_aturan"].tolist() == (["PREDIKAT_ORGANISASI"] if needs_predikat else [])
    assert unit.broken.tolist() == [False, False, needs_predikat]
    assert unit.clean()["predikat_organisasi"].tolist()[:2] == ["Baik", "Baik"]


def test_objection_rows_keep_their_line_and_typed_values() -> None:
    data = dataset()
    data["keberatan"].loc[0, "keputusan"] = "Diterima"
    clean, karantina, _ = run(data, "objection")
    assert karantina.empty, karantina
    row = clean["keberatan"].iloc[0]
    assert (row["nip"], row["tahun"], row["_baris"], row["keputusan"]) == (C, 2026, 2, "diterima")
    assert clean["keberatan"]["tahun"].dtype == "int64"


def test_objection_dates_on_the_same_day_are_in_order() -> None:
    data = dataset()
    data["keberatan"].loc[0, ["tanggal_pengajuan", "tanggal_keputusan"]] = ["2027-01-25", "2027-01-25"]
    clean, karantina, _ = run(data)
    assert karantina.empty, karantina
    assert len(clean["keberatan"]) == 1


def test_objection_date_that_is_no_date_is_only_a_date_problem() -> None:
    _, karantina, _ = run(with_value("keberatan", 0, "tanggal_pengajuan", "2027-13-01"))
    assert karantina["kode_aturan"].tolist() == ["TANGGAL"]


def test_objection_filed_before_received_and_decided_before_filed() -> None:
    data = dataset()
    data["keberatan"].loc[0, ["tanggal_terima", "tanggal_pengajuan", "tanggal_keputusan"]] = [
        "2027-02-01", "2027-01-31", "2027-01-30"]
    _, karantina, _ = run(data)
    hits = karantina[["kolom", "kode_aturan"]].to_records(index=False).tolist()
    assert hits == [("tanggal_pengajuan", "PENGAJUAN_SEBELUM_TERIMA"),
                    ("tanggal_keputusan", "KEPUTUSAN_SEBELUM_PENGAJUAN")]
    assert karantina["alasan"].tolist() == [
        "tanggal_pengajuan '2027-01-31' sebelum tanggal_terima '2027-02-01': keberatan diajukan atas"
        " hasil penilaian yang sudah diterima",
        "tanggal_keputusan '2027-01-30' sebelum tanggal_pengajuan '2027-01-31'",
    ]


def test_accepted_objection_needs_a_new_rating() -> None:
    data = with_value("keberatan", 0, "rating_hasil_kerja_baru", None)
    clean, karantina, _ = run(data)
    assert karantina[["baris", "kolom", "nilai", "kode_aturan"]].to_records(index=False).tolist() == [
        (2, "keputusan", "diterima", "DITERIMA_TANPA_RATING")]
    assert clean["keberatan"].empty
    # the behaviour rating alone is a new rating
    data["keberatan"].loc[0, "rating_perilaku_baru"] = "sesuai"
    _, karantina, _ = run(data)
    assert karantina.empty
    # a rejected objection needs none
    data = with_value("keberatan", 0, "rating_hasil_kerja_baru", None)
    data["keberatan"].loc[0, "keputusan"] = "ditolak"
    _, karantina, _ = run(data)
    assert karantina.empty
    # a misspelt rating is a rating problem, not a missing rating
    _, karantina, _ = run(with_value("keberatan", 0, "rating_hasil_kerja_baru", "tinggi"))
    assert karantina["kode_aturan"].tolist() == ["RATING"]


def test_empty_decider_passes_the_value_rules() -> None:
    """Whether it must be empty (head of instansi above) is the objection review's rule."""
    clean, karantina, _ = run(with_value("keberatan", 0, "nip_pemutus", None))
    assert karantina.empty
    assert clean["keberatan"]["nip_pemutus"].isna().tolist() == [True]


def test_credit_row_keeps_its_line_and_typed_values() -> None:
    data = dataset()
    data["angka_kredit"].loc[0, ["jenjang", "golongan", "ak_awal", "bulan"]] = [
        "Ahli Pertama", "iii/A", "0", "12.0"]
    clean, karantina, _ = run(data, "training")
    assert karantina.empty, karantina
    row = clean["angka_kredit"].iloc[0]
    assert (row["nip"], row["jenjang"], row["golongan"], row["ak_awal"], row["bulan"], row["_baris"]) == (
        E, "ahli_pertama", "III/a", 0.0, 12.0, 2)
    assert clean["angka_kredit"]["ak_awal"].dtype == "float64"


def test_empty_bulan_passes_and_stays_empty() -> None:
    """The default of 12 months is the conversion's (penilaian/angka_kredit.py)."""
    clean, karantina, _ = run(with_value("angka_kredit", 0, "bulan", None))
    assert karantina.empty, karantina
    assert clean["angka_kredit"]["bulan"].isna().tolist() == [True]


def test_golongan_outside_the_jenjang_passes_the_value_rules() -> None:
    """The range is ruleset data: the conversion quarantines it (GOLONGAN_JENJANG)."""
    clean, karantina, _ = run(with_value("angka_kredit", 0, "golongan", "IV/e"))
    assert karantina.empty, karantina
    assert clean["angka_kredit"]["golongan"].tolist() == ["IV/e"]


def test_repeated_nip_quarantines_the_later_rows() -> None:
    data = dataset()
    first = data["angka_kredit"].iloc[0].to_dict()
    rows = [first, {**first, "golongan": "III/b"}, {**first, "ak_awal": "40"}]
    data["angka_kredit"] = raw_rows("angka_kredit", rows)
    clean, karantina, _ = run(data)
    assert karantina[["baris", "kolom", "nilai", "kode_aturan"]].to_records(index=False).tolist() == [
        (3, "nip", E, "AK_GANDA"), (4, "nip", E, "AK_GANDA")]
    assert karantina["alasan"].tolist() == [
        f"nip '{E}' sudah ada di baris 2 angka_kredit.csv, baris yang berlaku: satu baris per pejabat"
        " fungsional"] * 2
    assert karantina["reason"].iloc[0] == (
        f"nip '{E}' is already on line 2 of angka_kredit.csv, the line that counts: one row per"
        " functional official")
    assert clean["angka_kredit"]["_baris"].tolist() == [2]
    assert clean["angka_kredit"]["golongan"].tolist() == ["III/a"]


def test_repeated_nip_after_a_broken_first_line_is_still_a_repeat() -> None:
    """The first line stands whatever became of it: nothing is silently swapped in."""
    data = dataset()
    first = data["angka_kredit"].iloc[0].to_dict()
    data["angka_kredit"] = raw_rows("angka_kredit", [{**first, "jenjang": "ahli"}, first])
    clean, karantina, _ = run(data)
    assert karantina[["baris", "kode_aturan"]].to_records(index=False).tolist() == [
        (2, "JENJANG"), (3, "AK_GANDA")]
    assert clean["angka_kredit"].empty


def test_credit_row_of_a_quarantined_employee_is_induk_dikarantina_only() -> None:
    clean, karantina, _ = run(with_value("pegawai", 4, "jenis_jabatan", "??"))
    hit = karantina[karantina["berkas"] == "angka_kredit.csv"]
    assert hit[["baris", "kolom", "kode_aturan"]].to_records(index=False).tolist() == [
        (2, "nip", "INDUK_DIKARANTINA")]
    assert clean["angka_kredit"].empty


def test_not_functional_reason_names_the_nip() -> None:
    _, karantina, _ = run(with_value("angka_kredit", 0, "nip", C))
    assert karantina[["kode_aturan", "alasan", "reason"]].to_records(index=False).tolist() == [(
        "BUKAN_FUNGSIONAL",
        f"nip '{C}' bukan pejabat fungsional (jenis_jabatan di pegawai.csv bukan fungsional): angka"
        " kredit hanya untuk jabatan fungsional",
        f"nip '{C}' is not a functional official (jenis_jabatan in pegawai.csv is not fungsional):"
        " credit points are for functional positions only",
    )]


def test_credit_rows_without_pegawai_skip_the_cross_file_rules() -> None:
    clean, karantina, _ = check_values({"angka_kredit": dataset()["angka_kredit"]}, TAHUN, "training")
    assert karantina.empty
    assert len(clean["angka_kredit"]) == 1
