"""Mid-year monitoring on tiny hand-made frames; every expected number is worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from penilaian.monitoring import (
    PEMANTAUAN_COLUMNS,
    monitor_mid_year,
    mutu_ikm,
    proyeksi_akhir_tahun,
    to_pemantauan_csv,
)
from tests.penilaian.input_frames import frame

TAHUN = 2026
ATASAN = "197001011995031001"
ANI = "198501012010012001"
BUDI = "198602022011011002"
CICI = "198703032012012003"


def indikator(id_indikator: str, nip: str, target: float, aspek: str = "kualitas",
              arah: str = "naik", jenis: str = "utama") -> dict:
    return {
        "id_indikator": id_indikator, "nip": nip, "tahun": TAHUN, "rencana_hasil_kerja": "RHK",
        "indikator": f"Indikator {id_indikator}", "aspek": aspek, "target": target,
        "satuan": "dokumen", "arah": arah, "jenis": jenis,
    }


def realisasi(id_indikator: str, bulan: int, nilai: float) -> dict:
    return {"id_indikator": id_indikator, "periode": f"{TAHUN}-{bulan:02d}", "realisasi": nilai}


def pegawai(nip: str, nama: str, nip_atasan: str | None = ATASAN, kode_unit: str = "U1") -> dict:
    return {"nip": nip, "nama": nama, "kode_unit": kode_unit, "jabatan": "Analis",
            "jenis_jabatan": "fungsional", "nip_atasan": nip_atasan}


def frames(skp: list[dict], real: list[dict], umpan: list[dict] | None = None,
           survei: list[dict] | None = None) -> dict[str, pd.DataFrame]:
    staf = [pegawai(ATASAN, "Kepala", None), pegawai(ANI, "Ani"), pegawai(BUDI, "Budi"),
            pegawai(CICI, "Cici")]
    return {
        "pegawai": frame("pegawai", staf),
        "skp": frame("skp", skp),
        "realisasi": frame("realisasi", real),
        "umpan_balik": frame("umpan_balik", umpan or []),
        "survei_masyarakat": frame("survei_masyarakat", survei or []),
    }


def baris(result, id_indikator: str) -> pd.Series:
    tabel = result.pemantauan.set_index("id_indikator")
    return tabel.loc[id_indikator]


def test_projection_doubles_only_kuantitas_naik(ruleset):
    skp = [
        indikator("KN", ANI, 100, aspek="kuantitas", arah="naik"),
        indikator("KL", ANI, 100, aspek="kualitas", arah="naik"),
        indikator("KT", ANI, 10, aspek="kuantitas", arah="turun"),
        indikator("WT", ANI, 10, aspek="waktu", arah="turun"),
    ]
    real = [realisasi("KN", 6, 40), realisasi("KL", 6, 80), realisasi("KT", 6, 12),
            realisasi("WT", 6, 5)]
    result = monitor_mid_year(frames(skp, real), ruleset, TAHUN)

    kn = baris(result, "KN")  # June 40 of 100 -> capaian 40; projection 80 -> 80 -> berisiko
    assert (kn["capaian_persen"], kn["proyeksi_akhir_tahun"], kn["capaian_proyeksi"]) == (40, 80, 80)
    assert kn["status"] == "berisiko"
    kl = baris(result, "KL")  # kualitas keeps the June value: 80 -> berisiko
    assert (kl["proyeksi_akhir_tahun"], kl["capaian_proyeksi"], kl["status"]) == (80, 80, "berisiko")
    kt = baris(result, "KT")  # turun: (2 - 12/10) x 100 = 80, projection stays 12
    assert kt["proyeksi_akhir_tahun"] == 12
    assert kt["capaian_persen"] == pytest.approx(80)
    assert kt["status"] == "berisiko"
    wt = baris(result, "WT")  # turun: (2 - 0.5) x 100 = 150 -> capped at 120
    assert (wt["capaian_persen"], wt["status"]) == (120, "sesuai_jalur")


def test_projection_helper_keeps_na():
    proyeksi = proyeksi_akhir_tahun(
        pd.Series([3.0, math.nan, 3.0]),
        pd.Series(["kuantitas", "kuantitas", "biaya"]),
        pd.Series(["naik", "naik", "naik"]),
    )
    assert proyeksi.iloc[0] == 6 and math.isnan(proyeksi.iloc[1]) and proyeksi.iloc[2] == 3


@pytest.mark.parametrize(
    ("nilai", "status"),
    [(69.99, "tertinggal"), (70, "berisiko"), (89.99, "berisiko"), (90, "sesuai_jalur")],
)
def test_status_band_edges(ruleset, nilai, status):
    result = monitor_mid_year(
        frames([indikator("I1", ANI, 100)], [realisasi("I1", 6, nilai)]), ruleset, TAHUN
    )
    assert baris(result, "I1")["status"] == status


def test_status_edge_is_not_moved_by_float_noise(ruleset):
    # 27 of 60 in June, doubled: 54 / 60 x 100 is 90 up to float noise -> sesuai_jalur
    skp = [indikator("I1", ANI, 60, aspek="kuantitas"), indikator("I2", ANI, 0.3)]
    real = [realisasi("I1", 6, 27), realisasi("I2", 6, 0.21)]  # 0.21 / 0.3 = 70% -> berisiko
    result = monitor_mid_year(frames(skp, real), ruleset, TAHUN)
    assert baris(result, "I1")["status"] == "sesuai_jalur"
    assert baris(result, "I2")["status"] == "berisiko"


def test_latest_month_up_to_june_counts_not_a_sum_and_july_ignored(ruleset):
    skp = [indikator("I1", ANI, 100)]
    real = [realisasi("I1", 7, 99), realisasi("I1", 3, 30), realisasi("I1", 5, 50)]
    row = baris(monitor_mid_year(frames(skp, real), ruleset, TAHUN), "I1")
    assert row["realisasi"] == 50  # May is the latest month <= June; July 99 is ignored
    assert row["capaian_persen"] == 50
    assert row["status"] == "tertinggal"


def test_no_realisation_by_june(ruleset):
    skp = [indikator("I1", ANI, 10, aspek="waktu", arah="turun"), indikator("I2", BUDI, 5)]
    real = [realisasi("I1", 8, 1), realisasi("I2", 1, 5)]
    result = monitor_mid_year(frames(skp, real), ruleset, TAHUN)
    row = baris(result, "I1")
    assert pd.isna(row["realisasi"]) and pd.isna(row["proyeksi_akhir_tahun"])
    # a turun indicator with nothing reported must not score as "0 days" (= 120%)
    assert (row["capaian_persen"], row["capaian_proyeksi"], row["status"]) == (0, 0, "tertinggal")
    assert result.tanpa_realisasi.to_dict("records") == [{"id_indikator": "I1", "nip": ANI}]
    csv = to_pemantauan_csv(result)
    assert csv.iloc[0].to_dict() == {
        "nip": ANI, "id_indikator": "I1", "target": "10.00", "realisasi": "",
        "capaian_persen": "0.00", "proyeksi_akhir_tahun": "", "status": "tertinggal",
    }


def test_pemantauan_csv_columns_and_order(ruleset):
    skp = [indikator("B2", BUDI, 3), indikator("B1", BUDI, 3), indikator("A1", ANI, 3)]
    real = [realisasi("B2", 6, 2), realisasi("B1", 6, 3), realisasi("A1", 6, 1)]
    csv = to_pemantauan_csv(monitor_mid_year(frames(skp, real), ruleset, TAHUN))
    assert tuple(csv.columns) == PEMANTAUAN_COLUMNS
    assert list(zip(csv["nip"], csv["id_indikator"], strict=True)) == [
        (ANI, "A1"), (BUDI, "B1"), (BUDI, "B2"),
    ]
    assert csv["capaian_persen"].tolist() == ["33.33", "100.00", "66.67"]


def test_at_risk_staff_with_and_without_feedback(ruleset):
    skp = [
        indikator("A1", ANI, 100), indikator("A2", ANI, 100),  # berisiko + tertinggal
        indikator("B1", BUDI, 100),  # tertinggal
        indikator("C1", CICI, 100), indikator("C2", CICI, 100, jenis="tambahan"),  # on track
    ]
    real = [realisasi("A1", 6, 75), realisasi("A2", 6, 10), realisasi("B1", 6, 20),
            realisasi("C1", 6, 95), realisasi("C2", 6, 1)]
    umpan = [
        {"nip": ANI, "dari_nip": ATASAN, "tanggal": "2026-05-02", "jenis": "apresiasi"},
        {"nip": ANI, "dari_nip": ATASAN, "tanggal": "2026-03-14", "jenis": "coaching"},
        {"nip": ANI, "dari_nip": ATASAN, "tanggal": "2026-07-01", "jenis": "counseling"},
        {"nip": ANI, "dari_nip": ATASAN, "tanggal": "2025-12-20", "jenis": "mentoring"},
        {"nip": BUDI, "dari_nip": ATASAN, "tanggal": "2026-06-30", "jenis": "mentoring"},
        {"nip": CICI, "dari_nip": ATASAN, "tanggal": "2026-02-01", "jenis": "coaching"},
    ]
    umpan[4]["nip"] = CICI  # Budi's only note goes to Cici: Budi has none
    result = monitor_mid_year(frames(skp, real, umpan), ruleset, TAHUN)
    assert result.berisiko.to_dict("records") == [
        {"nip_atasan": ATASAN, "nip": ANI, "nama": "Ani", "kode_unit": "U1", "jumlah_berisiko": 1,
         "jumlah_tertinggal": 1, "umpan_balik": "coaching 2026-03-14; apresiasi 2026-05-02",
         "jumlah_umpan_balik": 2, "ada_umpan_balik": True},
        {"nip_atasan": ATASAN, "nip": BUDI, "nama": "Budi", "kode_unit": "U1", "jumlah_berisiko": 0,
         "jumlah_tertinggal": 1, "umpan_balik": "", "jumlah_umpan_balik": 0,
         "ada_umpan_balik": False},
    ]


def survei(kode_unit: str, bulan: int, responden: int, nilai: float, layanan: str = "KTP") -> dict:
    return {"kode_unit": kode_unit, "periode": f"{TAHUN}-{bulan:02d}", "layanan": layanan,
            "jumlah_responden": responden, "nilai_ikm": nilai}


def test_ikm_is_respondent_weighted_up_to_june(ruleset):
    rows = [
        survei("U1", 1, 10, 80), survei("U1", 2, 10, 90, "SIM"), survei("U1", 2, 20, 90),
        survei("U1", 7, 1000, 30),  # after the cut-off: ignored
        survei("U2", 3, 1, 88.30), survei("U2", 4, 1, 88.31),
    ]
    result = monitor_mid_year(frames([indikator("I1", ANI, 1)], [], survei=rows), ruleset, TAHUN)
    # U1: (10x80 + 10x90 + 20x90) / 40 = 3500 / 40 = 87.5 -> B (not the plain mean of 80 and 90)
    # U2: (88.30 + 88.31) / 2 = 88.305 -> half-up 88.31 -> A
    ikm = result.ikm.set_index("kode_unit")
    assert ikm.loc["U1", "ikm"] == pytest.approx(87.5)
    assert ikm.loc["U1", "jumlah_responden"] == 40
    assert ikm["mutu"].tolist() == ["B", "A"]
    assert ikm.loc["U2", "ikm"] == pytest.approx(88.305)
    trend = result.ikm_bulanan
    assert trend[["kode_unit", "periode", "jumlah_responden"]].values.tolist() == [
        ["U1", "2026-01", 10], ["U1", "2026-02", 30], ["U2", "2026-03", 1], ["U2", "2026-04", 1],
    ]
    assert trend["ikm"].tolist() == pytest.approx([80, 90, 88.30, 88.31])


@pytest.mark.parametrize(
    ("nilai", "mutu"),
    [(100, "A"), (88.31, "A"), (88.305, "A"), (88.30, "B"), (88.3049, "B"), (76.61, "B"),
     (76.605, "B"), (76.60, "C"), (65.00, "C"), (64.995, "C"), (64.99, "D"), (25, "D")],
)
def test_ikm_grade_edges(ruleset, nilai, mutu):
    assert mutu_ikm(pd.Series([nilai]), ruleset).iloc[0] == mutu


def test_optional_files_may_be_absent(ruleset):
    data = frames([indikator("I1", ANI, 100)], [realisasi("I1", 6, 10)])
    del data["umpan_balik"], data["survei_masyarakat"]
    result = monitor_mid_year(data, ruleset, TAHUN)
    assert result.berisiko[["nip", "umpan_balik", "ada_umpan_balik"]].values.tolist() == [
        [ANI, "", False]
    ]
    assert result.ikm.empty and result.ikm_bulanan.empty


def test_shuffled_input_gives_identical_output(ruleset):
    skp = [indikator(f"I{i}", nip, 100, aspek=aspek) for i, (nip, aspek) in enumerate(
        [(ANI, "kuantitas"), (BUDI, "kualitas"), (CICI, "waktu"), (ANI, "biaya"), (BUDI, "kuantitas")]
    )]
    real = [realisasi(f"I{i}", bulan, 10.0 * i + bulan) for i in range(5) for bulan in (2, 4, 6, 8)]
    umpan = [{"nip": nip, "dari_nip": ATASAN, "tanggal": tanggal, "jenis": jenis}
             for nip in (ANI, BUDI) for tanggal, jenis in (("2026-02-01", "coaching"),
                                                           ("2026-02-01", "apresiasi"))]
    survei_rows = [survei(u, b, 5 + b, 70 + b) for u in ("U2", "U1") for b in (1, 3, 9)]
    data = frames(skp, real, umpan, survei_rows)
    rng = np.random.default_rng(11)
    acak = {k: v.iloc[rng.permutation(len(v))].reset_index(drop=True) for k, v in data.items()}
    satu, dua = monitor_mid_year(data, ruleset, TAHUN), monitor_mid_year(acak, ruleset, TAHUN)
    for bagian in ("pemantauan", "berisiko", "ikm", "ikm_bulanan", "tanpa_realisasi"):
        pd.testing.assert_frame_equal(getattr(satu, bagian), getattr(dua, bagian))
    assert satu.berisiko["umpan_balik"].tolist() == [
        "apresiasi 2026-02-01; coaching 2026-02-01", "apresiasi 2026-02-01; coaching 2026-02-01", "",
    ]  # same date: ordered by jenis; Cici is at risk with no feedback
