"""Tindak lanjut rules 1-2: competency and performance gaps, and the catalogue trainings that close them.

Interpretations of DOMAIN.md made explicit here:

- Rules 1-2 need ratings, so they apply to scored employees (``year_end.hasil``). A value mean that
  is missing (no supervisor rating) is no gap. Thresholds are compared on ``numbers.clean``-ed values.
- A catalogue training counts as attended when its nama_pelatihan matches ignoring case and all
  whitespace; trainings attended in earlier years are not recommended again.
- A training that qualifies for several gaps appears once, with the highest priority and the
  reasons joined by "; " (rule 1 in BerAKHLAK order, then rule 2 by id_indikator).
- Gaps with no new training (no catalogue entry, or every entry already attended) go to
  ``tanpa_pelatihan``.
- Numbers inside reasons use the Indonesian decimal comma, half-up to 2 decimals (thresholds
  without trailing zeros): "Nilai 'akuntabel' 2,50 di bawah 3,00".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from contract.schema import BERAKHLAK
from penilaian.numbers import clean
from penilaian.ruleset import Ruleset
from penilaian.text import decimal_comma, decimal_comma_value, join_text

PRIORITAS = ("tinggi", "sedang", "rendah")


def name_key(nama: pd.Series) -> pd.Series:
    """Training names compared case- and space-insensitively ('Etika  ASN' = 'etika asn')."""
    return nama.astype("str").str.lower().str.replace(r"\s+", "", regex=True)


def sudah_diikuti(riwayat: pd.DataFrame, katalog: pd.DataFrame, tahun: int) -> pd.DataFrame:
    """(nip, kode_pelatihan) of catalogue trainings the employee already attended, up to `tahun`.

    DOMAIN.md excludes "trainings already attended" without a year limit, so an earlier year's
    training is not recommended again either.
    """
    sampai = riwayat.loc[riwayat["tanggal"].str.slice(0, 4) <= str(tahun), ["nip", "nama_pelatihan"]]
    diikuti = pd.DataFrame({"nip": sampai["nip"], "kunci": name_key(sampai["nama_pelatihan"])})
    kode = pd.DataFrame(
        {"kunci": name_key(katalog["nama_pelatihan"]), "kode_pelatihan": katalog["kode_pelatihan"]}
    )
    pasangan = diikuti.merge(kode, on="kunci", how="inner")[["nip", "kode_pelatihan"]]
    return pasangan.drop_duplicates().reset_index(drop=True)


def _prioritas(rating: pd.Series) -> pd.Series:
    """tinggi when the matching rating is di_bawah, else sedang."""
    return pd.Series(
        np.where((rating == "di_bawah").fillna(False), "tinggi", "sedang"), index=rating.index,
        dtype="str",
    )


def kesenjangan_perilaku(hasil: pd.DataFrame, ruleset: Ruleset) -> pd.DataFrame:
    """Rule 1: each BerAKHLAK value whose supervisor mean is below 3.0 is a competency gap."""
    batas = ruleset.pelatihan.nilai_lemah_di_bawah
    kolom = [f"rerata_{nilai}" for nilai in BERAKHLAK]
    panjang = hasil[["nip", "rating_perilaku", *kolom]].melt(
        id_vars=["nip", "rating_perilaku"], value_vars=kolom, var_name="kolom", value_name="nilai"
    )
    panjang["nilai"] = panjang["nilai"].astype("float64")
    lemah = panjang.loc[panjang["nilai"].notna() & (clean(panjang["nilai"]) < batas)]
    kompetensi = lemah["kolom"].str.removeprefix("rerata_")
    return pd.DataFrame(
        {
            "nip": lemah["nip"],
            "kompetensi": kompetensi,
            "prioritas": _prioritas(lemah["rating_perilaku"]),
            "alasan": "Nilai '" + kompetensi + "' " + decimal_comma(lemah["nilai"])
            + f" di bawah {decimal_comma_value(batas)}",
            "aturan": 1,
            "urutan": kompetensi.map({nilai: f"{i}" for i, nilai in enumerate(BERAKHLAK)}),
        }
    )


def kesenjangan_hasil_kerja(
    hasil: pd.DataFrame, indikator: pd.DataFrame, ruleset: Ruleset
) -> pd.DataFrame:
    """Rule 2: each utama indicator below 90% that names a kompetensi is a performance gap."""
    batas = ruleset.pelatihan.capaian_lemah_di_bawah
    capaian = indikator["capaian"].astype("float64").fillna(0.0)
    pilih = (
        (indikator["jenis"] == "utama").fillna(False)
        & indikator["kompetensi"].notna()
        & (clean(capaian) < batas)
    )
    lemah = indikator.loc[pilih, ["nip", "id_indikator", "indikator", "kompetensi"]].assign(
        capaian=capaian[pilih]
    ).merge(hasil[["nip", "rating_hasil_kerja"]], on="nip", how="inner")
    return pd.DataFrame(
        {
            "nip": lemah["nip"],
            "kompetensi": lemah["kompetensi"],
            "prioritas": _prioritas(lemah["rating_hasil_kerja"]),
            "alasan": "Indikator " + lemah["id_indikator"] + " '" + lemah["indikator"]
            + "' capaian " + decimal_comma(lemah["capaian"])
            + f"% di bawah {decimal_comma_value(batas, True)}%",
            "aturan": 2,
            "urutan": lemah["id_indikator"],
        }
    )


def _anti_join(left: pd.DataFrame, right: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """Rows of left with no match in right."""
    merged = left.merge(right[on].drop_duplicates(), on=on, how="left", indicator=True)
    return merged.loc[merged["_merge"] == "left_only"].drop(columns="_merge")


def peringkat_prioritas(prioritas: pd.Series) -> np.ndarray:
    """tinggi 0, sedang 1, rendah 2: the sort key of a priority."""
    return pd.Categorical(prioritas, categories=PRIORITAS).codes.astype("int64")


def rekomendasi_kesenjangan(
    kesenjangan: pd.DataFrame, katalog: pd.DataFrame, diikuti: pd.DataFrame
) -> pd.DataFrame:
    """Rules 1-2: every catalogue training for a gap, once per employee, highest priority kept."""
    kunci = ["nip", "kode_pelatihan"]
    kandidat = kesenjangan.merge(katalog, on="kompetensi", how="inner")
    kandidat = _anti_join(kandidat, diikuti, kunci)
    kandidat = kandidat.sort_values([*kunci, "aturan", "urutan"], kind="stable").reset_index(drop=True)
    peringkat = pd.Series(peringkat_prioritas(kandidat["prioritas"]), index=kandidat.index)
    terbaik = peringkat.groupby([kandidat["nip"], kandidat["kode_pelatihan"]], sort=False).transform("min")
    kandidat["prioritas"] = np.asarray(PRIORITAS)[terbaik.to_numpy()]
    ganda = kandidat.duplicated(kunci, keep=False).to_numpy()
    tunggal = kandidat.loc[~ganda]
    gabungan = join_text(kandidat.loc[ganda], kunci, "alasan").merge(
        kandidat.loc[ganda].drop(columns="alasan").drop_duplicates(kunci), on=kunci, how="left"
    )
    kolom = ["nip", "kode_pelatihan", "nama_pelatihan", "kompetensi", "alasan", "jp", "prioritas"]
    return pd.concat([tunggal[kolom], gabungan[kolom]], ignore_index=True).astype(
        {"prioritas": "str"}
    )


def tanpa_pelatihan(
    kesenjangan: pd.DataFrame, katalog: pd.DataFrame, rekomendasi: pd.DataFrame, tahun: int
) -> pd.DataFrame:
    """Gaps for which no new training can be recommended, with the reason why."""
    kosong = _anti_join(kesenjangan, rekomendasi, ["nip", "kompetensi"])
    kosong = kosong.sort_values(["nip", "kompetensi", "aturan", "urutan"], kind="stable")
    kosong = join_text(kosong, ["nip", "kompetensi"], "alasan")
    keterangan = np.where(
        kosong["kompetensi"].isin(katalog["kompetensi"]),
        "semua pelatihan di katalog untuk kompetensi '" + kosong["kompetensi"]
        + f"' sudah pernah diikuti (s.d. {tahun})",
        "tidak ada pelatihan di katalog untuk kompetensi '" + kosong["kompetensi"] + "'",
    )
    return kosong.assign(keterangan=pd.Series(keterangan, index=kosong.index, dtype="str"))[
        ["nip", "kompetensi", "alasan", "keterangan"]
    ].reset_index(drop=True)
