"""Ratings, the head of unit and the matrix on tiny hand-made frames; expected values worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from penilaian.rating import (
    RERATA,
    hasil_kerja_pegawai,
    override_atasan,
    perilaku_pegawai,
    predikat_matriks,
    rating_hasil_kerja,
    rating_kepala_unit,
    rating_perilaku,
)
from tests.penilaian.input_frames import frame
from tests.penilaian.year_end_inputs import TAHUN, nip, peg, rate


def test_rating_hasil_kerja_cases():
    jumlah = pd.Series([3, 3, 4, 3, 4, 1, 2, 1])
    atas = pd.Series([2, 2, 2, 0, 0, 1, 1, 0])
    bawah = pd.Series([0, 1, 0, 2, 2, 0, 0, 1])
    # 2/3 di_atas, none di_bawah -> di_atas; 2/3 di_atas but one di_bawah -> sesuai;
    # 2/4 di_atas is not more than half -> sesuai; 2/3 di_bawah -> di_bawah;
    # 2/4 di_bawah is not more than half -> sesuai; 1/1 di_atas -> di_atas;
    # 1/2 di_atas -> sesuai; 1/1 di_bawah -> di_bawah.
    assert rating_hasil_kerja(jumlah, atas, bawah).tolist() == [
        "di_atas",
        "sesuai",
        "sesuai",
        "di_bawah",
        "sesuai",
        "di_atas",
        "sesuai",
        "di_bawah",
    ]


def test_matrix_all_nine_cells():
    hk = pd.Series(["di_atas"] * 3 + ["sesuai"] * 3 + ["di_bawah"] * 3)
    pk = pd.Series(["di_bawah", "sesuai", "di_atas"] * 3)
    assert predikat_matriks(hk, pk).tolist() == [
        "Kurang",
        "Baik",
        "Sangat Baik",
        "Kurang",
        "Baik",
        "Baik",
        "Sangat Kurang",
        "Butuh Perbaikan",
        "Butuh Perbaikan",
    ]


# ------------------------------------------------------------------ head of unit


# ------------------------------------------------------------------ rating perilaku


def _rerata(*rows):
    """One row of seven value means per employee: an int/float for all seven or a 7-tuple."""
    data = [(v,) * 7 if isinstance(v, int | float) else v for v in rows]
    return pd.DataFrame(data, columns=list(RERATA), dtype="float64")


def test_rating_perilaku_bands_and_the_per_value_floor(ruleset):
    rerata = _rerata(4, 3, (1.9, 5, 5, 5, 5, 5, 5), 2.5, (2.0, 4, 4, 4, 4, 4, 4), 3.9999999999999996)
    got = rating_perilaku(rerata, ruleset.perilaku)
    # 4.0 -> di_atas (edge); 3.0 -> sesuai (edge); (1.9 + 30) / 7 = 4.557 but 1.9 < 2.0 -> di_bawah;
    # 2.5 -> di_bawah; (2 + 24) / 7 = 3.714 with 2.0 not below 2.0 -> sesuai; float noise under 4 -> di_atas.
    assert got["rating_perilaku"].tolist() == [
        "di_atas", "sesuai", "di_bawah", "di_bawah", "sesuai", "di_atas"]
    assert got["nilai_perilaku"].tolist()[:5] == pytest.approx([4.0, 3.0, 31.9 / 7, 2.5, 26 / 7])


def test_perilaku_pegawai_counts_only_the_supervisor_of_the_year(ruleset):
    pegawai = frame("pegawai", [peg(1, "U1"), peg(2, "U1", atasan=1), peg(3, "U1", atasan=1)])
    perilaku = frame("perilaku", [
        rate(2, 1, 1, 4), rate(2, 1, 2, 2),  # supervisor: S1 4, S2 2 -> every value 3.0
        rate(2, 3, 1, 1),  # a peer: ignored
        rate(2, 1, 1, 5, tahun=TAHUN - 1),  # last year: ignored
        rate(1, 2, 1, 5),  # 1 has no supervisor: nobody's rating counts
        rate(3, 2, 1, 5),  # 3's supervisor is 1, not 2
    ])
    got = perilaku_pegawai(perilaku, pegawai, ruleset.perilaku, TAHUN)
    assert got.index.tolist() == [nip(2)]
    assert got.loc[nip(2), list(RERATA)].tolist() == [3.0] * 7
    assert got.loc[nip(2), "nilai_perilaku"] == 3.0 and got.loc[nip(2), "rating_perilaku_hitung"] == "sesuai"


# ------------------------------------------------------------------ hasil kerja, head of unit, overrides


def test_hasil_kerja_pegawai_over_utama_indicators():
    indikator = pd.DataFrame({
        "nip": [nip(1)] * 4 + [nip(2)],
        "jenis": ["utama", "utama", "utama", "tambahan", "tambahan"],
        "capaian": [100.0, 120.0, 115.0, 10.0, 50.0],
        "level": ["sesuai", "di_atas", "di_atas", "di_bawah", "di_bawah"],
    })
    got = hasil_kerja_pegawai(indikator)
    # 1: three utama, mean (100 + 120 + 115) / 3 = 111.67, 2 of 3 di_atas and none di_bawah -> di_atas.
    # 2 has only a tambahan indicator: not listed.
    assert got.index.tolist() == [nip(1)]
    row = got.loc[nip(1)]
    assert row["capaian_hasil_kerja"] == pytest.approx(335 / 3)
    assert [row["jumlah_utama"], row["jumlah_di_atas"], row["jumlah_di_bawah"]] == [3, 2, 0]
    assert row["rating_hasil_kerja_hitung"] == "di_atas"


def test_rating_kepala_unit(ruleset):
    hasil = pd.DataFrame({
        "kepala_unit": [True, True, False],
        "predikat_organisasi": ["Istimewa", None, "Kurang"],
        "rating_hasil_kerja_hitung": ["di_bawah", "di_bawah", "di_atas"],
    }, index=[10, 11, 12])
    got = rating_kepala_unit(hasil, ruleset.kepala_unit)
    # Head of an Istimewa unit -> di_atas; a head without predikat keeps its own; staff keep theirs.
    assert got["rating_hasil_kerja_hitung"].tolist() == ["di_atas", "di_bawah", "di_atas"]
    assert got["catatan_kepala_unit"].tolist() == [
        "kepala unit: rating hasil kerja mengikuti predikat organisasi Istimewa",
        "kepala unit tanpa predikat organisasi: rating hasil kerja dihitung dari indikator",
        "",
    ]
    assert got.index.tolist() == [10, 11, 12]
    off = ruleset.kepala_unit.model_copy(update={"aktif": False})
    got = rating_kepala_unit(hasil, off)
    assert got["rating_hasil_kerja_hitung"].tolist() == ["di_bawah", "di_bawah", "di_atas"]
    assert got["catatan_kepala_unit"].tolist() == ["", "", ""]


def test_override_atasan_last_rating_per_column_and_reasons_once():
    rating = frame("rating_atasan", [
        {"nip": nip(1), "rating_hasil_kerja": "di_atas", "alasan": "a"},
        {"nip": nip(1), "rating_perilaku": "sesuai", "alasan": "b"},
        {"nip": nip(1), "rating_hasil_kerja": "sesuai", "alasan": "a"},
        {"nip": nip(2), "alasan": "hanya catatan"},  # no rating: not an override
        {"nip": nip(3), "rating_perilaku": "  ", "alasan": "kosong"},  # blank: not an override
    ])
    got = override_atasan(rating)
    assert got.index.tolist() == [nip(1)]
    assert got.loc[nip(1)].tolist() == ["sesuai", "sesuai", "a; b"]
    assert list(got.columns) == ["override_hasil_kerja", "override_perilaku", "alasan_override"]
