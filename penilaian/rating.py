"""Rating Hasil Kerja, Rating Perilaku Kerja, the head of unit, supervisor overrides and the matrix.

Interpretations of DOMAIN.md made explicit here (one place, so the documents and tests agree):

- Band edges are compared on ``numbers.clean``-ed values; stored numbers stay unrounded.
- Perilaku counts only ratings of ``tahun`` (periode ``<tahun>-S1``/``-S2``) whose ``nip_penilai``
  is the employee's ``nip_atasan``. Several such rows in one semester are averaged first; each
  value's mean is then the mean of the semester means (each semester weighs the same).
- Head of unit: no supervisor, a supervisor missing from pegawai, or a supervisor in another
  unit. The ``kepala_unit.peta`` mapping applies only when the unit has a predikat_organisasi;
  otherwise the computed rating stands and ``catatan_kepala_unit`` says so.
- Overrides: the last non-empty rating per column (file order) replaces the computed one;
  ``alasan_override`` is set only where a rating is actually overridden.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from contract.schema import BERAKHLAK
from penilaian.capaian import equals
from penilaian.numbers import clean
from penilaian.ruleset import KepalaUnit
from penilaian.ruleset import Perilaku as AturanPerilaku

RERATA = tuple(f"rerata_{nilai}" for nilai in BERAKHLAK)
# Predikat Kinerja Pegawai, PermenPAN-RB 6/2022: (rating hasil kerja, rating perilaku) -> predikat.
MATRIKS: dict[tuple[str, str], str] = {
    ("di_atas", "di_bawah"): "Kurang",
    ("di_atas", "sesuai"): "Baik",
    ("di_atas", "di_atas"): "Sangat Baik",
    ("sesuai", "di_bawah"): "Kurang",
    ("sesuai", "sesuai"): "Baik",
    ("sesuai", "di_atas"): "Baik",
    ("di_bawah", "di_bawah"): "Sangat Kurang",
    ("di_bawah", "sesuai"): "Butuh Perbaikan",
    ("di_bawah", "di_atas"): "Butuh Perbaikan",
}


def rating_hasil_kerja(jumlah: pd.Series, di_atas: pd.Series, di_bawah: pd.Series) -> pd.Series:
    """Over the utama indicators: > half di_atas and none di_bawah -> di_atas; > half di_bawah -> di_bawah."""
    n = jumlah.to_numpy(dtype="int64")
    atas = di_atas.to_numpy(dtype="int64")
    bawah = di_bawah.to_numpy(dtype="int64")
    rating = np.select([(2 * atas > n) & (bawah == 0), 2 * bawah > n], ["di_atas", "di_bawah"], "sesuai")
    return pd.Series(rating, index=jumlah.index, name="rating_hasil_kerja", dtype="str")


def rating_perilaku(rerata: pd.DataFrame, aturan: AturanPerilaku) -> pd.DataFrame:
    """nilai_perilaku = mean of the seven value means; bands, and di_bawah if any value mean < 2.0."""
    nilai = rerata[list(RERATA)].astype("float64").mean(axis=1)
    c = clean(nilai.to_numpy())
    terendah = clean(rerata[list(RERATA)].astype("float64").min(axis=1).to_numpy())
    rating = np.select(
        [terendah < aturan.nilai_minimum_per_nilai, c >= aturan.di_atas_min, c >= aturan.sesuai_min],
        ["di_bawah", "di_atas", "sesuai"],
        "di_bawah",
    )
    return pd.DataFrame(
        {"nilai_perilaku": nilai, "rating_perilaku": pd.Series(rating, index=rerata.index, dtype="str")},
        index=rerata.index,
    )


def predikat_matriks(rating_hk: pd.Series, rating_pk: pd.Series) -> pd.Series:
    """Predikat Kinerja Pegawai from the two ratings (the regulation's 3x3 quadrant)."""
    kunci = pd.MultiIndex.from_arrays([rating_hk.astype("str"), rating_pk.astype("str")])
    peta = pd.Series(list(MATRIKS.values()), index=pd.MultiIndex.from_tuples(list(MATRIKS)))
    return pd.Series(peta.reindex(kunci).to_numpy(), index=rating_hk.index, name="predikat", dtype="str")


def rating_kepala_unit(hasil: pd.DataFrame, aturan: KepalaUnit) -> pd.DataFrame:
    """A head of unit's computed rating_hasil_kerja follows the unit's predikat_organisasi (when it has one).

    ``hasil`` carries kepala_unit, predikat_organisasi and rating_hasil_kerja_hitung; returns that
    rating after the head-of-unit rule and ``catatan_kepala_unit`` saying which way it went.
    """
    kepala = hasil["kepala_unit"].to_numpy()
    pakai_peta = aturan.aktif & kepala & hasil["predikat_organisasi"].notna().to_numpy()
    dari_peta = hasil["predikat_organisasi"].map(aturan.peta)
    tanpa_org = aturan.aktif & kepala & ~pakai_peta
    catatan = np.select(
        [pakai_peta, tanpa_org],
        [
            "kepala unit: rating hasil kerja mengikuti predikat organisasi "
            + hasil["predikat_organisasi"].astype("str"),
            "kepala unit tanpa predikat organisasi: rating hasil kerja dihitung dari indikator",
        ],
        "",
    )
    return pd.DataFrame(
        {
            "rating_hasil_kerja_hitung": hasil["rating_hasil_kerja_hitung"].where(~pakai_peta, dari_peta),
            "catatan_kepala_unit": pd.Series(catatan, index=hasil.index, dtype="str"),
        },
        index=hasil.index,
    )


def hasil_kerja_pegawai(indikator: pd.DataFrame) -> pd.DataFrame:
    """Per employee over utama indicators: count, capaian_hasil_kerja (mean) and computed rating."""
    utama = indikator.loc[equals(indikator["jenis"], "utama")]
    g = utama.assign(
        _atas=equals(utama["level"], "di_atas").astype("int64"),
        _bawah=equals(utama["level"], "di_bawah").astype("int64"),
    ).groupby("nip", sort=True)
    per = pd.DataFrame(
        {
            "jumlah_utama": g["capaian"].size(),
            "capaian_hasil_kerja": g["capaian"].mean(),
            "jumlah_di_atas": g["_atas"].sum(),
            "jumlah_di_bawah": g["_bawah"].sum(),
        }
    )
    per["rating_hasil_kerja_hitung"] = rating_hasil_kerja(
        per["jumlah_utama"], per["jumlah_di_atas"], per["jumlah_di_bawah"]
    )
    per.index.name = "nip"
    return per


def perilaku_pegawai(
    perilaku: pd.DataFrame, pegawai: pd.DataFrame, aturan: AturanPerilaku, tahun: int
) -> pd.DataFrame:
    """Per employee rated by their own supervisor in `tahun`: 7 value means, nilai and computed rating."""
    p = perilaku.loc[perilaku["periode"].astype("str").str[:4].eq(str(tahun)).fillna(False).to_numpy()]
    semester = p["semester"] if "semester" in p else p["periode"].astype("str").str[-1].astype("int64")
    p = p.assign(semester=semester.astype("int64")).merge(
        pegawai[["nip", "nip_atasan"]].drop_duplicates("nip"), on="nip", how="inner"
    )
    atasan = p.loc[
        (p["nip_penilai"].astype("str").to_numpy() == p["nip_atasan"].astype("str").to_numpy())
        & p["nip_atasan"].notna().to_numpy()
    ]
    atasan = atasan.astype({nilai: "float64" for nilai in BERAKHLAK})
    per_semester = atasan.groupby(["nip", "semester"], sort=True)[list(BERAKHLAK)].mean()
    rerata = per_semester.groupby(level="nip", sort=True).mean().astype("float64")
    rerata.columns = list(RERATA)
    rerata.index.name = "nip"
    hasil = rating_perilaku(rerata, aturan)
    return rerata.join(hasil.rename(columns={"rating_perilaku": "rating_perilaku_hitung"}))


def override_atasan(rating_atasan: pd.DataFrame) -> pd.DataFrame:
    """Supervisor overrides per nip: last non-empty rating per column, with the reasons kept."""
    kolom = ["nip", "rating_hasil_kerja", "rating_perilaku", "alasan"]
    ra = rating_atasan.reindex(columns=[*kolom, "_baris"])
    if ra["_baris"].notna().all():
        ra = ra.sort_values("_baris", kind="stable")
    for k in ("rating_hasil_kerja", "rating_perilaku"):
        ra[k] = ra[k].astype("str").str.strip().replace("", np.nan)
    ra = ra.loc[ra["rating_hasil_kerja"].notna() | ra["rating_perilaku"].notna()]
    g = ra.groupby("nip", sort=True)
    alasan = (
        ra.dropna(subset=["alasan"])
        .drop_duplicates(["nip", "alasan"])
        .groupby("nip", sort=True)["alasan"]
        .agg("; ".join)
    )
    hasil = pd.DataFrame(
        {
            "override_hasil_kerja": g["rating_hasil_kerja"].last(),
            "override_perilaku": g["rating_perilaku"].last(),
        }
    )
    hasil["alasan_override"] = alasan.reindex(hasil.index)
    hasil.index.name = "nip"
    return hasil
