"""Capaian of one indicator on tiny hand-made frames; every expected value is worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from penilaian.capaian import (
    INDIKATOR_COLUMNS,
    baris_realisasi_akhir,
    capaian,
    capaian_indikator,
    equals,
    level_capaian,
    realisasi_akhir,
)
from tests.penilaian.input_frames import frame
from tests.penilaian.year_end_inputs import TAHUN, ind, nip, real


def test_capaian_naik_turun_cap_floor_and_missing():
    r = pd.Series([45.0, 130.0, 6.0, 3.0, 9.0, np.nan, 0.0])
    t = pd.Series([50.0, 100.0, 4.0, 4.0, 4.0, 10.0, 5.0])
    arah = pd.Series(["naik", "naik", "turun", "turun", "turun", "naik", "turun"])
    got = capaian(r, t, arah, 120.0).tolist()
    # naik 45/50*100 = 90; naik 130/100*100 = 130 -> cap 120;
    # turun (2 - 6/4)*100 = 50; turun (2 - 3/4)*100 = 125 -> cap 120;
    # turun (2 - 9/4)*100 = -25 -> floor 0; no realisasi -> 0; turun (2 - 0/5)*100 = 200 -> 120.
    assert got == pytest.approx([90.0, 120.0, 50.0, 120.0, 0.0, 0.0, 120.0])


def test_capaian_cap_is_configurable():
    # 130/100*100 = 130 -> capped at 125 under an instansi cap of 125.
    got = capaian(pd.Series([130.0]), pd.Series([100.0]), pd.Series(["naik"]), 125.0)
    assert got.iloc[0] == 125.0


def test_level_band_edges(ruleset):
    c = pd.Series([89.99, 90.0, 109.99, 110.0, 120.0, 0.0])
    assert level_capaian(c, ruleset.capaian).tolist() == [
        "di_bawah",
        "sesuai",
        "sesuai",
        "di_atas",
        "di_atas",
        "di_bawah",
    ]


def test_level_ignores_float_noise(ruleset):
    # 0.09/0.1*100 = 89.99999999999999 in binary floats; 0.11/0.1*100 = 109.99999999999999;
    # turun (2 - 0.33/0.3)*100 = 89.99999999999999. All are exactly 90 / 110 / 90 on paper.
    c = capaian(
        pd.Series([0.09, 0.11, 0.33]), pd.Series([0.1, 0.1, 0.3]), pd.Series(["naik", "naik", "turun"]), 120.0
    )
    assert level_capaian(c, ruleset.capaian).tolist() == ["sesuai", "di_atas", "sesuai"]


def test_realisasi_latest_month_not_sum():
    r = frame(
        "realisasi",
        [
            real("A", 3, 10.0),
            real("A", 12, 40.0),
            real("A", 6, 25.0),
            real("B", 2, 5.0),
            real("C", 1, 7.0, tahun=2025),
        ],
    )
    # December cut-off: A -> month 12 value 40 (not 10+25+40); B -> 5; C is another year.
    akhir = realisasi_akhir(r, 12, TAHUN).set_index("id_indikator")["realisasi"].to_dict()
    assert akhir == {"A": 40.0, "B": 5.0}
    # June cut-off: A -> month 6 value 25.
    assert realisasi_akhir(r, 6, TAHUN).set_index("id_indikator")["realisasi"].to_dict() == {
        "A": 25.0,
        "B": 5.0,
    }


def test_equals_never_matches_missing():
    assert equals(pd.Series(["turun", None, "naik"]), "turun").tolist() == [True, False, False]


def test_baris_realisasi_akhir_positions_by_indicator():
    r = frame(
        "realisasi",
        [
            real("B", 3, 10.0),  # position 0
            real("A", 2, 5.0),  # 1
            real("B", 12, 40.0),  # 2
            real("B", 6, 25.0),  # 3
            real("C", 1, 7.0, tahun=TAHUN - 1),  # 4: another year
        ],
    )
    # June: A -> its only row (1), B -> month 6 (3); ordered by id_indikator.
    assert baris_realisasi_akhir(r, 6, TAHUN).tolist() == [1, 3]
    # December: B -> month 12 (2).
    assert baris_realisasi_akhir(r, 12, TAHUN).tolist() == [1, 2]
    assert baris_realisasi_akhir(r, 1, TAHUN).tolist() == []


def _latest_rows_by_sorting(r: pd.DataFrame, bulan_batas: int, tahun: int) -> list[int]:
    """The definition, spelled out: rows of `tahun` up to the cut-off, stably sorted by (indicator text,
    month); the last row of each indicator; in indicator order (an empty id after the others)."""
    periode = r["periode"].astype("str")
    rows = pd.DataFrame({"pos": np.arange(len(r)), "id": r["id_indikator"].astype("str"),
                         "bulan": periode.str[5:7].astype("int64")})
    rows = rows[periode.str[:4].eq(str(tahun)).to_numpy() & (rows["bulan"] <= bulan_batas).to_numpy()]
    rows = rows.sort_values(["id", "bulan"], kind="stable", na_position="last")
    return rows.groupby("id", sort=False, dropna=False).tail(1)["pos"].tolist()


@pytest.mark.parametrize("ids", ["str", "category", "category-unsorted"])
def test_baris_realisasi_akhir_is_the_last_row_of_the_latest_month_per_indicator(ids: str):
    """Random files: duplicate rows of one month (the last in the file wins), other years, empty ids,
    categories in any order; what the function picks is what the sort-based definition picks."""
    rng = np.random.default_rng(7)
    for _ in range(200):
        n = int(rng.integers(0, 80))
        r = pd.DataFrame({
            "id_indikator": pd.Series(rng.choice(["a", "b", "c", "d", "e", None], size=n), dtype="str"),
            "periode": pd.Series([f"{y}-{m:02d}" for y, m in zip(rng.choice([TAHUN - 1, TAHUN], n),
                                                                  rng.integers(1, 13, n), strict=True)],
                                 dtype="str"),
        })
        if ids != "str":
            order = ["e", "c", "a", "d", "b"] if ids == "category-unsorted" else sorted("abcde")
            r["id_indikator"] = r["id_indikator"].astype(pd.CategoricalDtype(pd.Index(order, dtype="str")))
        if rng.random() < 0.5:  # the reader's month column, or the month read from periode
            r["bulan"] = r["periode"].str[5:7].astype("int8")
        for batas in (1, 6, 12):
            assert baris_realisasi_akhir(r, batas, TAHUN).tolist() == _latest_rows_by_sorting(r, batas, TAHUN)


def test_capaian_indikator_table(ruleset):
    skp = frame("skp", [
        ind("X1", 2, target=50.0),
        ind("X2", 1, target=4.0, arah="turun"),
        ind("X3", 1),
        {**ind("X4", 1), "tahun": TAHUN - 1},  # another year: left out
    ])
    realisasi = frame("realisasi", [real("X1", 12, 45.0), real("X2", 11, 3.0), real("X4", 12, 1.0)])
    got = capaian_indikator(skp, realisasi, ruleset, TAHUN)
    assert list(got.columns) == list(INDIKATOR_COLUMNS)
    # Sorted by nip then id: X2 (nip 1) turun (2 - 3/4) * 100 = 125 -> capped 120, di_atas;
    # X3 (nip 1) no realisasi -> 0, di_bawah; X1 (nip 2) 45/50 = 90 -> sesuai (edge).
    assert got["id_indikator"].tolist() == ["X2", "X3", "X1"]
    assert got["capaian"].tolist() == [120.0, 0.0, 90.0]
    assert got["level"].tolist() == ["di_atas", "di_bawah", "sesuai"]
    assert got["realisasi"].tolist()[0] == 3.0 and np.isnan(got["realisasi"].tolist()[1])
    assert got["nip"].tolist() == [nip(1), nip(1), nip(2)]
