"""Angka kredit (DOMAIN.md "Angka kredit"): every expected number below is worked out by hand from
DOMAIN.md's tables, ak_tahun = bulan / 12 × persentase × koefisien, ak_kumulatif = ak_awal + ak_tahun,
and the next step of golongan k: (k + 1) × next-pangkat-every, or next-jenjang-at at the range's last
golongan, or nothing at the top."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from contract.karantina import KARANTINA_COLUMNS
from penilaian.angka_kredit import (
    ANGKA_KREDIT_COLUMNS,
    ANGKA_KREDIT_EXTRA_COLUMNS,
    AngkaKreditResult,
    convert_angka_kredit,
    to_angka_kredit_hasil_csv,
)
from penilaian.ruleset import Ruleset, load_ruleset

TAHUN = 2026


def nip(i: int) -> str:
    return f"1990010120150110{i:02d}"


def ak_frame(rows: list[tuple]) -> pd.DataFrame:
    """Checked angka_kredit rows as the contract gives them: (nip, jenjang, golongan, ak_awal, bulan)."""
    frame = pd.DataFrame(rows, columns=["nip", "jenjang", "golongan", "ak_awal", "bulan"])
    frame = frame.astype({"nip": "str", "jenjang": "str", "golongan": "str", "ak_awal": "float64",
                          "bulan": "float64"})
    frame["_baris"] = np.arange(2, len(frame) + 2, dtype="int64")
    return frame


def predikat_of(pairs: dict[str, str | None]) -> pd.DataFrame:
    return pd.DataFrame({"nip": list(pairs), "predikat_ditetapkan": list(pairs.values())}).astype("str")


def convert(rows: list[tuple], predikat: str | dict[str, str | None], rules: Ruleset,
            pegawai: pd.DataFrame | None = None) -> AngkaKreditResult:
    """Convert `rows`; a single predikat string stands for every row's nip."""
    frame = ak_frame(rows)
    if isinstance(predikat, str):
        predikat = dict.fromkeys(frame["nip"], predikat)
    frames = {"angka_kredit": frame}
    if pegawai is not None:
        frames["pegawai"] = pegawai
    return convert_angka_kredit(frames, predikat_of(predikat), rules, TAHUN)


def one(rows: list[tuple], predikat: str, rules: Ruleset) -> pd.Series:
    result = convert(rows, predikat, rules)
    assert result.karantina.empty, result.karantina
    assert len(result.hasil) == 1
    return result.hasil.iloc[0]


# predikat -> persentase; jenjang terampil (keterampilan, koefisien 5) and ahli_madya (keahlian, 37.5),
# 12 months from ak_awal 0: ak_tahun = persentase × koefisien.
PREDIKAT_CASES = [
    ("Sangat Baik", "terampil", "II/b", 150, 5, 7.5),
    ("Baik", "terampil", "II/b", 100, 5, 5.0),
    ("Butuh Perbaikan", "terampil", "II/b", 75, 5, 3.75),
    ("Kurang", "terampil", "II/b", 50, 5, 2.5),
    ("Sangat Kurang", "terampil", "II/b", 25, 5, 1.25),
    ("Sangat Baik", "ahli_madya", "IV/a", 150, 37.5, 56.25),
    ("Baik", "ahli_madya", "IV/a", 100, 37.5, 37.5),
    ("Butuh Perbaikan", "ahli_madya", "IV/a", 75, 37.5, 28.125),
    ("Kurang", "ahli_madya", "IV/a", 50, 37.5, 18.75),
    ("Sangat Kurang", "ahli_madya", "IV/a", 25, 37.5, 9.375),
]


@pytest.mark.parametrize(("predikat", "jenjang", "golongan", "persen", "koefisien", "ak_tahun"),
                         PREDIKAT_CASES)
def test_every_predikat_on_a_keterampilan_and_a_keahlian_jenjang(
    ruleset: Ruleset, predikat: str, jenjang: str, golongan: str, persen: float, koefisien: float,
    ak_tahun: float,
) -> None:
    row = one([(nip(1), jenjang, golongan, 0.0, 12.0)], predikat, ruleset)
    assert (row["predikat_ditetapkan"], row["persentase"], row["koefisien"], row["bulan"]) == (
        predikat, persen, koefisien, 12)
    assert row["ak_tahun"] == pytest.approx(ak_tahun)
    assert row["ak_kumulatif"] == pytest.approx(ak_tahun)


def test_bkn_worked_example_two_months() -> None:
    """Baik, ahli_pertama, 2 months: 2/12 × 100% × 12.5 = 2.0833… → 2.08 in the CSV."""
    result = convert([(nip(1), "ahli_pertama", "III/a", 0.0, 2.0)], "Baik", load_ruleset())
    row = result.hasil.iloc[0]
    assert row["bulan"] == 2
    assert row["ak_tahun"] == pytest.approx(25 / 12)
    csv = to_angka_kredit_hasil_csv(result).iloc[0]
    assert (csv["ak_tahun"], csv["ak_kumulatif"], csv["ambang"], csv["kekurangan"]) == (
        "2.08", "2.08", "50.00", "47.92")  # 50 − 2.0833… = 47.9166…


def test_twelve_months_and_an_empty_bulan_are_the_whole_year(ruleset: Ruleset) -> None:
    result = convert([(nip(1), "ahli_pertama", "III/a", 0.0, 12.0),
                      (nip(2), "ahli_pertama", "III/a", 0.0, np.nan)], "Baik", ruleset)
    assert result.hasil["bulan"].tolist() == [12, 12]
    assert result.hasil["ak_tahun"].tolist() == [12.5, 12.5]


def test_months_prorate(ruleset: Ruleset) -> None:
    # 6/12 × 150% × 25 (penyelia) = 18.75; 1/12 × 25% × 3.75 (pemula) = 0.078125 → 0.08
    result = convert([(nip(1), "penyelia", "III/c", 0.0, 6.0), (nip(2), "pemula", "II/a", 0.0, 1.0)],
                     {nip(1): "Sangat Baik", nip(2): "Sangat Kurang"}, ruleset)
    assert result.hasil["ak_tahun"].tolist() == [18.75, 0.078125]
    assert to_angka_kredit_hasil_csv(result)["ak_tahun"].tolist() == ["18.75", "0.08"]


# jenjang, golongan -> next step and threshold (Baik, 12 months, ak_awal 0: ak_tahun = koefisien);
# kekurangan = ambang − koefisien.
POSISI_CASES = [
    ("pemula", "II/a", "jenjang", 15, 3.75),
    ("terampil", "II/b", "pangkat", 20, 5),
    ("terampil", "II/c", "pangkat", 40, 5),
    ("terampil", "II/d", "jenjang", 60, 5),
    ("mahir", "III/a", "pangkat", 50, 12.5),
    ("mahir", "III/b", "jenjang", 100, 12.5),
    ("penyelia", "III/c", "pangkat", 100, 25),
    ("penyelia", "III/d", "puncak", None, 25),
    ("ahli_pertama", "III/a", "pangkat", 50, 12.5),
    ("ahli_pertama", "III/b", "jenjang", 100, 12.5),
    ("ahli_muda", "III/c", "pangkat", 100, 25),
    ("ahli_muda", "III/d", "jenjang", 200, 25),
    ("ahli_madya", "IV/a", "pangkat", 150, 37.5),
    ("ahli_madya", "IV/b", "pangkat", 300, 37.5),
    ("ahli_madya", "IV/c", "jenjang", 450, 37.5),
    ("ahli_utama", "IV/d", "pangkat", 200, 50),
    ("ahli_utama", "IV/e", "puncak", None, 50),
]


@pytest.mark.parametrize(("jenjang", "golongan", "langkah", "ambang", "koefisien"), POSISI_CASES)
def test_next_step_by_position_of_golongan_in_the_jenjang(
    ruleset: Ruleset, jenjang: str, golongan: str, langkah: str, ambang: float | None, koefisien: float,
) -> None:
    row = one([(nip(1), jenjang, golongan, 0.0, 12.0)], "Baik", ruleset)
    assert row["langkah_berikutnya"] == langkah
    assert row["ak_kumulatif"] == koefisien
    assert row["memenuhi"] == "tidak"
    assert bool(row["uji_kompetensi"]) == (langkah == "jenjang")
    if ambang is None:
        assert np.isnan(row["ambang"]) and np.isnan(row["kekurangan"])
    else:
        assert (row["ambang"], row["kekurangan"]) == (ambang, ambang - koefisien)


def test_top_reads_empty_threshold_and_shortfall_in_the_csv(ruleset: Ruleset) -> None:
    result = convert([(nip(1), "ahli_utama", "IV/e", 900.0, 12.0),
                      (nip(2), "penyelia", "III/d", 0.0, 12.0)], "Sangat Baik", ruleset)
    csv = to_angka_kredit_hasil_csv(result)
    assert csv[["langkah_berikutnya", "ambang", "memenuhi", "kekurangan"]].values.tolist() == [
        ["puncak", "", "tidak", ""], ["puncak", "", "tidak", ""]]
    assert csv["ak_kumulatif"].tolist() == ["975.00", "37.50"]  # 900 + 1.5 × 50; 0 + 1.5 × 25


@pytest.mark.parametrize(("row", "predikat", "kumulatif", "memenuhi", "kekurangan"), [
    # exactly the threshold meets it: 262.5 + 37.5 = 300 (ahli_madya IV/b -> pangkat at 300)
    ((nip(1), "ahli_madya", "IV/b", 262.5, 12.0), "Baik", 300.0, "ya", 0.0),
    # 9.375 + 150% × 3.75 = 9.375 + 5.625 = 15 (pemula -> jenjang at 15)
    ((nip(1), "pemula", "II/a", 9.375, 12.0), "Sangat Baik", 15.0, "ya", 0.0),
    # 262.49 + 37.5 = 299.99: a hundredth short
    ((nip(1), "ahli_madya", "IV/b", 262.49, 12.0), "Baik", 299.99, "tidak", 0.01),
    # past it: 95 + 12.5 = 107.5 ≥ 100 (ahli_pertama III/b -> jenjang at 100), no shortfall
    ((nip(1), "ahli_pertama", "III/b", 95.0, 12.0), "Baik", 107.5, "ya", 0.0),
    # 190 + 6/12 × 75% × 25 = 190 + 9.375 = 199.375 < 200 (ahli_muda III/d -> jenjang at 200)
    ((nip(1), "ahli_muda", "III/d", 190.0, 6.0), "Butuh Perbaikan", 199.375, "tidak", 0.625),
])
def test_threshold_hits(ruleset: Ruleset, row: tuple, predikat: str, kumulatif: float, memenuhi: str,
                        kekurangan: float) -> None:
    hasil = one([row], predikat, ruleset)
    assert hasil["ak_kumulatif"] == pytest.approx(kumulatif)
    assert hasil["memenuhi"] == memenuhi
    assert hasil["kekurangan"] == pytest.approx(kekurangan)


def test_rounding_is_half_up_on_the_exact_value(ruleset: Ruleset) -> None:
    """3/12 × 50% × 5 = 0.625 exactly (terampil, Kurang): half-up 0.63, not the banker's 0.62;
    10 + 0.625 = 10.625 → 10.63; 20 − 10.625 = 9.375 → 9.38."""
    result = convert([(nip(1), "terampil", "II/b", 10.0, 3.0)], "Kurang", ruleset)
    assert result.hasil.iloc[0]["ak_tahun"] == 0.625
    csv = to_angka_kredit_hasil_csv(result).iloc[0]
    assert (csv["ak_tahun"], csv["ak_awal"], csv["ak_kumulatif"], csv["ambang"], csv["kekurangan"]) == (
        "0.63", "10.00", "10.63", "20.00", "9.38")
    assert (csv["persentase"], csv["koefisien"], csv["bulan"]) == ("50.00", "5.00", 3)


def test_credit_accumulates_unrounded(ruleset: Ruleset) -> None:
    """0.004 + 2.0833… = 2.0873… → 2.09 (adding the rounded 2.08 would give 2.08)."""
    result = convert([(nip(1), "ahli_pertama", "III/a", 0.004, 2.0)], "Baik", ruleset)
    csv = to_angka_kredit_hasil_csv(result).iloc[0]
    assert (csv["ak_tahun"], csv["ak_kumulatif"]) == ("2.08", "2.09")


def test_threshold_is_compared_unrounded(ruleset: Ruleset) -> None:
    """47.914 + 2.0833… = 49.9973…: shows as 50.00 but does not meet 50; shortfall 0.0027 → 0.00."""
    result = convert([(nip(1), "ahli_pertama", "III/a", 47.914, 2.0)], "Baik", ruleset)
    row = result.hasil.iloc[0]
    assert row["memenuhi"] == "tidak"
    assert row["kekurangan"] == pytest.approx(50 - 47.914 - 25 / 12)
    csv = to_angka_kredit_hasil_csv(result).iloc[0]
    assert (csv["ak_kumulatif"], csv["memenuhi"], csv["kekurangan"]) == ("50.00", "tidak", "0.00")


def test_golongan_outside_the_jenjang_is_quarantined(ruleset: Ruleset) -> None:
    result = convert([(nip(1), "mahir", "IV/a", 0.0, 12.0), (nip(2), "ahli_madya", "IV/c", 0.0, 12.0),
                      (nip(3), "pemula", "II/b", 0.0, 12.0)], "Baik", ruleset)
    assert result.hasil["nip"].tolist() == [nip(2)]
    k = result.karantina
    assert list(k.columns) == KARANTINA_COLUMNS
    assert k[["berkas", "baris", "kolom", "nilai", "kode_aturan", "tahap"]].values.tolist() == [
        ["angka_kredit.csv", 2, "golongan", "IV/a", "GOLONGAN_JENJANG", "training"],
        ["angka_kredit.csv", 4, "golongan", "II/b", "GOLONGAN_JENJANG", "training"],
    ]
    assert k["alasan"].tolist() == [
        "golongan 'IV/a' di luar rentang golongan jenjang mahir (III/a, III/b)",
        "golongan 'II/b' di luar rentang golongan jenjang pemula (II/a)",
    ]
    assert k["reason"].iloc[0] == (
        "golongan 'IV/a' is outside the golongan range of jenjang mahir (III/a, III/b)")


def test_functional_official_without_a_standing_predikat_is_listed(ruleset: Ruleset) -> None:
    rows = [(nip(1), "ahli_muda", "III/c", 0.0, 12.0), (nip(2), "ahli_muda", "III/c", 0.0, 12.0),
            (nip(3), "ahli_muda", "III/c", 0.0, 12.0)]
    # nip(2) is not among the scored; nip(3) is, without a predikat
    result = convert(rows, {nip(1): "Baik", nip(3): None}, ruleset)
    assert result.hasil["nip"].tolist() == [nip(1)]
    k = result.karantina
    assert k[["baris", "kolom", "nilai", "kode_aturan"]].values.tolist() == [
        [3, "nip", nip(2), "AK_TANPA_PREDIKAT"], [4, "nip", nip(3), "AK_TANPA_PREDIKAT"]]
    assert k["alasan"].iloc[0] == (
        f"pejabat fungsional '{nip(2)}' tidak punya predikat yang ditetapkan untuk tahun 2026 (tidak"
        " dinilai atau hasilnya dikarantina): angka kredit tahun ini tidak dihitung")
    assert k["reason"].iloc[0] == (
        f"functional official '{nip(2)}' has no standing predikat for 2026 (not scored, or the result"
        " was quarantined): no credit points are computed this year")


def test_a_row_breaking_both_rules_gets_both_and_nothing_is_dropped(ruleset: Ruleset) -> None:
    rows = [(nip(4), "ahli_utama", "III/a", 0.0, 12.0), (nip(1), "ahli_utama", "IV/d", 0.0, 12.0),
            (nip(3), "terampil", "II/c", 0.0, 12.0)]
    result = convert(rows, {nip(1): "Baik", nip(3): "Kurang"}, ruleset)
    assert result.karantina[["baris", "kode_aturan"]].values.tolist() == [
        [2, "GOLONGAN_JENJANG"], [2, "AK_TANPA_PREDIKAT"]]
    assert result.hasil["nip"].tolist() == [nip(1), nip(3)]  # by nip
    # every input line is either converted or quarantined
    assert len(result.hasil) + result.karantina["baris"].nunique() == len(rows)


def test_no_file_or_an_empty_one_gives_typed_empty_results(ruleset: Ruleset) -> None:
    predikat = predikat_of({nip(1): "Baik"})
    for frames in ({}, {"angka_kredit": ak_frame([])}):
        result = convert_angka_kredit(frames, predikat, ruleset, TAHUN)
        assert result.hasil.empty and result.karantina.empty
        assert list(result.hasil.columns) == [*ANGKA_KREDIT_COLUMNS, *ANGKA_KREDIT_EXTRA_COLUMNS]
        assert list(result.karantina.columns) == KARANTINA_COLUMNS
        assert result.hasil["ak_tahun"].dtype == "float64" and result.hasil["bulan"].dtype == "int64"
        assert result.hasil["uji_kompetensi"].dtype == "bool"
        assert list(to_angka_kredit_hasil_csv(result).columns) == list(ANGKA_KREDIT_COLUMNS)


def test_csv_has_the_contract_columns_and_report_columns_come_from_pegawai(ruleset: Ruleset) -> None:
    pegawai = pd.DataFrame({"nip": [nip(1), nip(2)], "nama": ["Sari", "Budi"],
                            "kode_unit": ["U1", "U2"]}).astype("str")
    result = convert([(nip(2), "ahli_madya", "IV/c", 400.0, 12.0), (nip(1), "mahir", "III/a", 0.0, 12.0)],
                     "Baik", ruleset, pegawai)
    hasil = result.hasil
    assert hasil[["nip", "nama", "kode_unit", "uji_kompetensi"]].values.tolist() == [
        [nip(1), "Sari", "U1", False], [nip(2), "Budi", "U2", True]]
    csv = to_angka_kredit_hasil_csv(result)
    assert tuple(csv.columns) == ANGKA_KREDIT_COLUMNS == (
        "nip", "jenjang", "golongan", "predikat_ditetapkan", "persentase", "koefisien", "bulan", "ak_tahun",
        "ak_awal", "ak_kumulatif", "langkah_berikutnya", "ambang", "memenuhi", "kekurangan")
    # 400 + 37.5 = 437.5 < 450: jenjang step not yet met, 12.5 short
    assert csv.iloc[1].tolist() == [nip(2), "ahli_madya", "IV/c", "Baik", "100.00", "37.50", 12, "37.50",
                                    "400.00", "437.50", "jenjang", "450.00", "tidak", "12.50"]


def test_numbers_come_from_the_ruleset(tmp_path: Path) -> None:
    path = tmp_path / "ak.toml"
    path.write_text('dasar = "permenpan-6-2022"\nnama = "ak"\nversi = "1"\n'
                    '[angka_kredit.persentase]\nKurang = 60.0\n'
                    '[angka_kredit.jenjang.ahli_madya]\nkoefisien = 40.0\npangkat_setiap = 100.0\n',
                    encoding="utf-8")
    row = one([(nip(1), "ahli_madya", "IV/b", 0.0, 12.0)], "Kurang", load_ruleset(path))
    # 60% × 40 = 24; IV/b is k = 1: (1 + 1) × 100 = 200
    assert (row["persentase"], row["koefisien"], row["ak_tahun"], row["ambang"]) == (60, 40, 24, 200)
