"""Every value rule on tiny hand-made raw frames: good values pass, bad ones are quarantined by code."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from contract.rules import ATURAN, KARANTINA_COLUMNS, check_values
from contract.schema import BERAKHLAK, FILES

TAHUN = 2026
A = "198001012005011001"  # head of instansi I1, unit U1
B = "199001012015012002"  # U1, under A
C = "199203152018031003"  # U1, under B
D = "198505052010011004"  # U2, under A: head of unit U2
E = "199512312020122006"  # U1, under B: nobody refers to E
X = "197001012000011005"  # head of instansi I2
ASING = "199901012020011009"  # well-formed, not in pegawai.csv
EMPAT = dict.fromkeys(BERAKHLAK, "4")


def raw(sheet: str, rows: list[dict]) -> pd.DataFrame:
    """A raw frame as the reader gives it: every column as text (NA when empty) plus `_baris`."""
    frame = pd.DataFrame(rows, columns=list(FILES[sheet].columns)).astype("str")
    frame["_baris"] = np.arange(2, len(frame) + 2)
    return frame


def dataset() -> dict[str, pd.DataFrame]:
    """A small, fully valid input set; tests break one value at a time."""
    def pegawai(nip: str, unit: str, jenis: str, atasan: str | None) -> dict:
        return {"nip": nip, "nama": "N", "kode_unit": unit, "jabatan": "J",
                "jenis_jabatan": jenis, "nip_atasan": atasan}

    def skp(ident: str, nip: str, induk: str | None, jenis: str = "utama") -> dict:
        return {"id_indikator": ident, "nip": nip, "tahun": "2026", "rencana_hasil_kerja": "R",
                "indikator": "I", "aspek": "kuantitas", "target": "10", "satuan": "dok",
                "arah": "naik", "jenis": jenis, "id_indikator_atasan": induk,
                "kompetensi": "pelayanan_publik"}

    return {
        "unit_kerja": raw("unit_kerja", [
            {"kode_unit": u, "nama_unit": u, "kode_instansi": i, "nama_instansi": i,
             "predikat_organisasi": "Baik"}
            for u, i in (("U1", "I1"), ("U2", "I1"), ("U9", "I2"))
        ]),
        "pegawai": raw("pegawai", [
            pegawai(A, "U1", "pimpinan_tinggi", None),
            pegawai(B, "U1", "pengawas", A),
            pegawai(C, "U1", "pelaksana", B),
            pegawai(D, "U2", "administrator", A),
            pegawai(E, "U1", "pelaksana", B),
            pegawai(X, "U9", "pimpinan_tinggi", None),
        ]),
        "skp": raw("skp", [
            skp("IA", A, None), skp("IB", B, "IA"), skp("IC", C, "IB"), skp("ID", D, None),
            skp("IE", E, "IB"), skp("IX", X, None), skp("IE2", E, None, "tambahan"),
        ]),
        "realisasi": raw("realisasi", [
            {"id_indikator": "IA", "periode": "2026-01", "realisasi": "5"},
            {"id_indikator": "IA", "periode": "2026-02", "realisasi": "6.5"},
        ]),
        "perilaku": raw("perilaku", [
            {"nip": C, "nip_penilai": B, "periode": "2026-S1", **EMPAT},
            {"nip": C, "nip_penilai": B, "periode": "2026-S2", **EMPAT, "loyal": "5.0"},
        ]),
        "umpan_balik": raw("umpan_balik", [
            {"nip": C, "dari_nip": B, "tanggal": "2026-03-01", "jenis": "coaching"},
        ]),
        "survei_masyarakat": raw("survei_masyarakat", [
            {"kode_unit": "U1", "periode": "2026-03", "layanan": "KTP", "jumlah_responden": "40",
             "nilai_ikm": "85.5"},
        ]),
        "riwayat_pelatihan": raw("riwayat_pelatihan", [
            {"nip": C, "nama_pelatihan": "P", "kompetensi": "pelayanan_publik",
             "tanggal": "2026-02-01", "jp": "8"},
        ]),
        "katalog_pelatihan": raw("katalog_pelatihan", [
            {"kode_pelatihan": "P1", "nama_pelatihan": "P", "kompetensi": "adaptif", "jp": "10"},
            {"kode_pelatihan": "P2", "nama_pelatihan": "Q", "kompetensi": "k3_konstruksi",
             "jp": "2.5"},
        ]),
        "rating_atasan": raw("rating_atasan", [
            {"nip": C, "rating_hasil_kerja": "di_atas", "rating_perilaku": None, "alasan": "ok"},
        ]),
    }


def run(data: dict[str, pd.DataFrame], tahap: str = "validation"):
    return check_values(data, TAHUN, tahap)


def with_value(sheet: str, row: int, kolom: str, nilai: str | None) -> dict[str, pd.DataFrame]:
    data = dataset()
    data[sheet].loc[row, kolom] = nilai
    return data


def test_valid_dataset_passes_with_contract_types() -> None:
    clean, karantina, peringatan = run(dataset())
    assert karantina.empty and list(karantina.columns) == KARANTINA_COLUMNS
    assert peringatan.empty
    assert {k: len(v) for k, v in clean.items()} == {k: len(v) for k, v in dataset().items()}
    assert clean["skp"]["tahun"].dtype == "int64" and clean["skp"]["target"].dtype == "float64"
    assert clean["realisasi"]["bulan"].tolist() == [1, 2]
    assert clean["realisasi"]["realisasi"].tolist() == [5.0, 6.5]
    assert clean["perilaku"]["semester"].tolist() == [1, 2]
    assert clean["perilaku"]["loyal"].tolist() == [4, 5]  # "5.0" is the integer 5
    assert clean["perilaku"]["loyal"].dtype == "int64"
    assert clean["survei_masyarakat"]["jumlah_responden"].dtype == "int64"
    assert clean["survei_masyarakat"]["bulan"].tolist() == [3]
    assert clean["pegawai"]["_baris"].tolist() == [2, 3, 4, 5, 6, 7]


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


def test_every_rule_has_both_reasons() -> None:
    assert all(a.alasan and a.reason for a in ATURAN.values())


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
                                    "riwayat_pelatihan.csv", "rating_atasan.csv"}
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


def test_predikat_organisasi_required_at_year_end() -> None:
    data = with_value("unit_kerja", 2, "predikat_organisasi", None)
    _, karantina, _ = run(data, "validation")
    assert karantina.empty
    clean, karantina, _ = run(with_value("unit_kerja", 2, "predikat_organisasi", None), "year-end")
    assert karantina.loc[0, "kode_aturan"] == "PREDIKAT_ORGANISASI"
    assert (karantina["kode_aturan"] == "INDUK_DIKARANTINA").any()  # X belongs to that unit


def test_enumerations_are_normalised() -> None:
    data = with_value("unit_kerja", 0, "predikat_organisasi", "butuh perbaikan")
    data["pegawai"].loc[2, "jenis_jabatan"] = "Pelaksana"
    data["skp"].loc[2, "kompetensi"] = "Pelayanan_Publik"
    clean, karantina, _ = run(data)
    assert karantina.empty
    assert clean["unit_kerja"].loc[0, "predikat_organisasi"] == "Butuh Perbaikan"
    assert clean["pegawai"].loc[2, "jenis_jabatan"] == "pelaksana"
    assert clean["skp"].loc[2, "kompetensi"] == "pelayanan_publik"


def test_one_quarantine_row_per_broken_rule_row_dropped_once() -> None:
    data = with_value("skp", 4, "target", "0")
    data["skp"].loc[4, "aspek"] = "jumlah"
    clean, karantina, _ = run(data)
    assert karantina[["baris", "kolom", "kode_aturan"]].values.tolist() == [
        [6, "aspek", "ASPEK"], [6, "target", "TARGET"]
    ]
    assert len(clean["skp"]) == len(dataset()["skp"]) - 1


def test_cross_file_rules_need_both_files() -> None:
    data = dataset()
    only = {"skp": data["skp"].assign(nip=ASING), "realisasi": data["realisasi"]}
    clean, karantina, _ = check_values(only, TAHUN, "validation")
    assert karantina.empty and len(clean["skp"]) == 7


def test_decreasing_cumulative_realisation_is_a_warning() -> None:
    data = with_value("realisasi", 1, "realisasi", "4")
    clean, karantina, peringatan = run(data)
    assert karantina.empty and len(clean["realisasi"]) == 2
    assert peringatan[["berkas", "baris", "kode_aturan"]].values.tolist() == [
        ["realisasi.csv", 3, "REALISASI_TURUN"]
    ]
    assert "5.0 ke 4.0" in peringatan.loc[0, "alasan"]


@pytest.mark.parametrize("nilai", ["nan", "inf", "-Infinity", "1e999"])
def test_numbers_arrow_reads_but_the_contract_does_not(nilai: str) -> None:
    """Arrow's cast reads nan and inf (1e999 too, as inf): none is a realisation >= 0."""
    clean, karantina, _ = run(with_value("realisasi", 1, "realisasi", nilai))
    assert karantina[["baris", "kode_aturan"]].values.tolist() == [[3, "REALISASI"]]
    assert clean["realisasi"]["_baris"].tolist() == [2]


def test_warnings_skip_quarantined_rows_and_indicators_that_go_down() -> None:
    data = dataset()
    data["skp"].loc[1, "arah"] = "Turun"  # IB: lower is better, its decrease is no warning
    data["realisasi"] = raw("realisasi", [
        {"id_indikator": "IA", "periode": "2026-03", "realisasi": "7"},
        {"id_indikator": "IB", "periode": "2026-01", "realisasi": "9"},
        {"id_indikator": "IA", "periode": "2026-01", "realisasi": "5"},
        {"id_indikator": "IB", "periode": "2026-02", "realisasi": "3"},
        {"id_indikator": "IA", "periode": "2026-02", "realisasi": "8"},
        {"id_indikator": "IA", "periode": "2026-04", "realisasi": "-1"},
        {"id_indikator": "IA", "periode": "2026-05", "realisasi": "6"},
    ])
    _, karantina, peringatan = run(data)
    assert karantina[["baris", "kode_aturan"]].values.tolist() == [[7, "REALISASI"]]
    # IA by month: 5, 8, 7 (down from 8), the quarantined -1 left out, 6 (down from 7)
    assert peringatan[["baris", "nilai", "kode_aturan"]].values.tolist() == [
        [2, "7.0", "REALISASI_TURUN"], [8, "6.0", "REALISASI_TURUN"]
    ]
    assert "dari 8.0 ke 7.0" in peringatan.loc[0, "alasan"]
    assert "from 7.0 to 6.0" in peringatan.loc[1, "reason"]
