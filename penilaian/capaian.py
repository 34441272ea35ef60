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

from contract.lookup import per_value
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
    """Positions of the rows `realisasi_akhir` picks (latest month <= cut-off per indicator), by indicator.

    The last row of each indicator after a stable sort by (indicator, month) is found on integer codes
    (a string sort of millions of rows costs more); only the picked rows are sorted by text.
    """
    posisi = np.arange(len(realisasi))
    r = realisasi
    if "periode" in r:
        tahun_ini = per_value(r["periode"], lambda p: p.astype("str").str[:4].eq(str(tahun)).fillna(False),
                              False)
        r, posisi = r.loc[tahun_ini], posisi[tahun_ini]
    bulan = (r["bulan"] if "bulan" in r else r["periode"].astype("str").str[5:7]).astype("int64").to_numpy()
    sampai_batas = bulan <= bulan_batas
    ids, bulan, posisi = r["id_indikator"].loc[sampai_batas], bulan[sampai_batas], posisi[sampai_batas]
    codes, _ = pd.factorize(ids)
    order = np.lexsort((bulan, codes))
    sorted_codes = codes[order]
    last = np.ones(len(order), dtype=bool)
    last[:-1] = sorted_codes[1:] != sorted_codes[:-1]
    picked = order[last]
    by_id = ids.iloc[picked].astype("str").reset_index(drop=True).sort_values(kind="stable").index.to_numpy()
    return posisi[picked[by_id]]


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
    indikator = indikator.merge(
        realisasi_akhir(realisasi, ruleset.penilaian.bulan_batas, tahun),
        on="id_indikator",
        how="left",
        validate="m:1",
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
