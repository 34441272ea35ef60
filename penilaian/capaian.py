"""Capaian of one indicator: year-end realisasi, capaian and level (DOMAIN.md "Capaian").

Interpretations of DOMAIN.md made explicit here (one place, so the documents and tests agree):

- realisasi is the cumulative value of the latest month <= the cut-off (``penilaian.bulan_batas``
  at year end, ``pemantauan.bulan_batas`` at mid-year), not a sum.
- Band edges are compared on ``numbers.clean``-ed values; stored numbers stay unrounded, rounding
  happens only in the CSV converters.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from contract.lookup import is_category, per_value
from penilaian.joins import merge_checked
from penilaian.numbers import clean
from penilaian.ruleset import Capaian, Ruleset

INDIKATOR_COLUMNS = (
    "id_indikator",
    "nip",
    "jenis",
    "indikator",
    "rencana_hasil_kerja",
    "aspek",
    "arah",
    "target",
    "satuan",
    "kompetensi",
    "realisasi",
    "capaian",
    "level",
)


def equals(values: pd.Series, nilai: str) -> np.ndarray:
    """Equality as a plain bool array: missing never matches."""
    return values.eq(nilai).fillna(False).to_numpy(dtype=bool)


def capaian(realisasi: pd.Series, target: pd.Series, arah: pd.Series, batas_atas: float) -> pd.Series:
    """Indicator capaian: naik r/t*100, turun (2 - r/t)*100 floored at 0, capped; no realisasi -> 0."""
    r = realisasi.astype("float64").to_numpy()
    t = target.astype("float64").to_numpy()
    rasio = r / t
    nilai = np.where(equals(arah, "turun"), (2.0 - rasio) * 100.0, rasio * 100.0)
    bersih = clean(nilai)
    nilai = np.where(bersih <= 0.0, 0.0, np.where(bersih >= batas_atas, float(batas_atas), nilai))
    nilai = np.where(np.isnan(r), 0.0, nilai)
    return pd.Series(nilai, index=realisasi.index, name="capaian", dtype="float64")


def level_capaian(nilai_capaian: pd.Series, aturan: Capaian) -> pd.Series:
    """Per-indicator level: di_atas >= 110, sesuai 90..<110, di_bawah < 90 (PP 30/2019 Pasal 41)."""
    c = clean(nilai_capaian.astype("float64").to_numpy())
    level = np.select([c >= aturan.di_atas_min, c >= aturan.sesuai_min], ["di_atas", "sesuai"], "di_bawah")
    return pd.Series(level, index=nilai_capaian.index, name="level", dtype="str")


def baris_realisasi_akhir(realisasi: pd.DataFrame, bulan_batas: int, tahun: int) -> np.ndarray:
    """Positions of the rows `realisasi_akhir` picks, ordered by indicator: per indicator the latest month
    <= the cut-off of `tahun`, and of several rows of that month the last in file order.

    Month by month from the cut-off down, keeping per indicator the last row of the latest month seen:
    what it holds besides the file is a few arrays of one entry per indicator and the rows of one month,
    not copies of the whole file (at 1,000,000 employees realisasi has 42M rows: sorting them all by
    (indicator, month) took 1.3–1.7 GiB on top of the stage and 9–13 s). Indicators are grouped on
    integer codes (the category's own, or factorized); only the picked rows are sorted by text.
    """
    if "periode" in realisasi:
        dipakai = per_value(realisasi["periode"],
                            lambda p: p.astype("str").str[:4].eq(str(tahun)).fillna(False), False)
    else:
        dipakai = np.ones(len(realisasi), dtype=bool)
    if "bulan" in realisasi:
        bulan = realisasi["bulan"].to_numpy()
    else:
        bulan = realisasi["periode"].astype("str").str[5:7].astype("int64").to_numpy()
    ids = realisasi["id_indikator"]
    if is_category(ids):
        codes, jumlah = ids.array.codes, len(ids.cat.categories)  # (a view, not a copy)
    else:
        codes, uniques = pd.factorize(ids)
        jumlah = len(uniques)
    # code -1 (an empty id) is a group of its own, as in a sort by (code, month): slot 0
    terakhir = np.full(jumlah + 1, -1, dtype=np.int64)  # per code + 1: the picked row, -1 for none yet
    sampai_batas = dipakai & (bulan <= bulan_batas)
    for b in np.sort(pd.unique(bulan[sampai_batas]))[::-1]:
        baris = np.flatnonzero(sampai_batas & (bulan == b))
        slot = codes[baris].astype(np.int64) + 1
        bulan_ini = np.full(jumlah + 1, -1, dtype=np.int64)
        np.maximum.at(bulan_ini, slot, baris)  # the last row of this month per indicator
        baru = (terakhir < 0) & (bulan_ini >= 0)  # indicators without a later month up to the cut-off
        terakhir[baru] = bulan_ini[baru]
    picked = terakhir[terakhir >= 0]
    if is_category(ids):  # by the rank of each picked row's text among the categories (empty id last)
        kategori = ids.cat.categories
        peringkat = np.arange(jumlah + 1, dtype=np.int64)
        if not kategori.is_monotonic_increasing:
            peringkat[np.asarray(kategori.argsort())] = np.arange(jumlah, dtype=np.int64)
        by_id = np.argsort(peringkat[codes[picked]], kind="stable")  # code -1 takes the last slot: jumlah
    else:
        texts = ids.iloc[picked].astype("str").reset_index(drop=True)
        by_id = texts.sort_values(kind="stable").index.to_numpy()
    return picked[by_id]


def realisasi_akhir(realisasi: pd.DataFrame, bulan_batas: int, tahun: int) -> pd.DataFrame:
    """Cumulative realisasi at the latest month <= the cut-off, one row per indicator (not a sum)."""
    rows = realisasi.iloc[baris_realisasi_akhir(realisasi, bulan_batas, tahun)]
    return rows[["id_indikator", "realisasi"]].astype({"id_indikator": "str", "realisasi": "float64"}
                                                      ).reset_index(drop=True)


def capaian_indikator(
    skp: pd.DataFrame, realisasi: pd.DataFrame, ruleset: Ruleset, tahun: int
) -> pd.DataFrame:
    """The capaian_indikator table: per indicator its year-end realisasi, capaian and level, by nip."""
    kolom = [k for k in INDIKATOR_COLUMNS if k in skp.columns]
    indikator = skp.loc[skp["tahun"].astype("int64") == tahun, kolom].drop(
        columns=["realisasi", "capaian", "level"], errors="ignore"
    )
    indikator = merge_checked(
        indikator, realisasi_akhir(realisasi, ruleset.penilaian.bulan_batas, tahun),
        on="id_indikator", how="left", validate="m:1",
    )
    indikator["target"] = indikator["target"].astype("float64")
    indikator["capaian"] = capaian(
        indikator["realisasi"], indikator["target"], indikator["arah"], ruleset.capaian.batas_atas
    ).to_numpy()
    indikator["level"] = level_capaian(indikator["capaian"], ruleset.capaian).to_numpy()
    for k in INDIKATOR_COLUMNS:
        if k not in indikator:
            indikator[k] = pd.NA
    indikator = indikator[list(INDIKATOR_COLUMNS)]
    return indikator.sort_values(["nip", "id_indikator"], kind="stable").reset_index(drop=True)
