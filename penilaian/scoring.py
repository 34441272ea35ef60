"""Year-end scoring (penilaian akhir tahun): capaian, ratings, matrix, distribution curve, rater bias.

Interpretations of DOMAIN.md made explicit here (one place, so the documents and tests agree):

- realisasi is the cumulative value of the latest month <= ``penilaian.bulan_batas`` (not a sum).
- Band edges and ranking keys are compared on ``numbers.clean``-ed values; stored numbers stay
  unrounded, rounding happens only in the CSV converters.
- Perilaku counts only ratings of ``tahun`` (periode ``<tahun>-S1``/``-S2``) whose ``nip_penilai``
  is the employee's ``nip_atasan``. Several such rows in one semester are averaged first; each
  value's mean is then the mean of the semester means (each semester weighs the same).
- Head of unit: no supervisor, a supervisor missing from pegawai, or a supervisor in another
  unit. The ``kepala_unit.peta`` mapping applies only when the unit has a predikat_organisasi;
  otherwise the computed rating stands and ``catatan_kepala_unit`` says so.
- Overrides: the last non-empty rating per column (file order) replaces the computed one;
  ``alasan_override`` is set only where a rating is actually overridden.
- An employee that cannot be scored gets one ``tidak_dinilai`` row per failing rule (count
  employees with ``nunique("nip")``).
- Curve: the ranking is fixed before calibration; constraints run in the table's order on the
  current predikat. "<=" moves the surplus one step below the group's worst predikat (for the
  single-predikat groups of DOMAIN.md: one step down). A unit is calibrated only with at least
  ``kurva.min_pegawai`` scored employees and a predikat_organisasi that has constraints; the
  others are checked against their matrix predikat and reported in ``kurva.catatan``. Several
  moves of one employee are joined with "; " in ``alasan_kalibrasi``.
- Rater bias: population = scored employees with a supervisor rating (computed nilai_perilaku,
  overrides ignored); the rater is their nip_atasan; sd is the population sd by default (ruleset).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from contract.schema import BERAKHLAK, PREDIKAT, PREDIKAT_ORGANISASI, input_frame
from penilaian.numbers import clean, format_2
from penilaian.ruleset import BatasanKurva, Capaian, Kurva, Ruleset
from penilaian.ruleset import Bias as AturanBias
from penilaian.ruleset import Perilaku as AturanPerilaku

RERATA = tuple(f"rerata_{nilai}" for nilai in BERAKHLAK)
KUNCI_PREDIKAT = {p: p.lower().replace(" ", "_") for p in PREDIKAT}
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
HASIL_PENILAIAN_COLUMNS = (
    "nip",
    "nama",
    "kode_unit",
    "capaian_hasil_kerja",
    "rating_hasil_kerja",
    "nilai_perilaku",
    "rating_perilaku",
    "predikat",
    "predikat_final",
    "alasan_kalibrasi",
)
BIAS_PENILAI_COLUMNS = ("nip_penilai", "jumlah_dinilai", "rata_rata", "selisih_z", "pola")
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
TIDAK_DINILAI_COLUMNS = (
    "nip",
    "nama",
    "kode_unit",
    "kode_instansi",
    "kode_aturan",
    "alasan",
    "reason",
    "baris",
)
KARANTINA_COLUMNS = ("berkas", "baris", "kolom", "nilai", "kode_aturan", "alasan", "reason", "tahap")
TAHAP = "year-end"


@dataclass
class YearEndResult:
    """Everything the year-end stage produces, unrounded; the CSV converters round."""

    indikator: pd.DataFrame
    hasil: pd.DataFrame
    tidak_dinilai: pd.DataFrame
    bias: pd.DataFrame
    kurva: pd.DataFrame
    ruleset_label: str = ""
    ruleset_checksum: str = ""

    def shallow_copy(self) -> YearEndResult:
        """A copy whose frames share data copy-on-write: changes to one never reach the other."""
        return replace(self, **{f.name: getattr(self, f.name).copy(deep=False) for f in fields(self)
                                if isinstance(getattr(self, f.name), pd.DataFrame)})

    @property
    def karantina(self) -> pd.DataFrame:
        """Unscorable employees as quarantine rows pointing at their pegawai.csv line."""
        td = self.tidak_dinilai
        return pd.DataFrame(
            {
                "berkas": "pegawai.csv",
                "baris": td["baris"].astype("Int64") if "baris" in td else pd.NA,
                "kolom": "nip",
                "nilai": td["nip"],
                "kode_aturan": td["kode_aturan"],
                "alasan": td["alasan"],
                "reason": td["reason"],
                "tahap": TAHAP,
            },
            columns=list(KARANTINA_COLUMNS),
        ).reset_index(drop=True)


# ---------------------------------------------------------------- small rules (unit-tested)


def _mask(values: pd.Series, nilai: str) -> np.ndarray:
    """Equality as a plain bool array: missing never matches."""
    return values.eq(nilai).fillna(False).to_numpy(dtype=bool)


def capaian(realisasi: pd.Series, target: pd.Series, arah: pd.Series, batas_atas: float) -> pd.Series:
    """Indicator capaian: naik r/t*100, turun (2 - r/t)*100 floored at 0, capped; no realisasi -> 0."""
    r = realisasi.astype("float64").to_numpy()
    t = target.astype("float64").to_numpy()
    rasio = r / t
    nilai = np.where(_mask(arah, "turun"), (2.0 - rasio) * 100.0, rasio * 100.0)
    bersih = clean(nilai)
    nilai = np.where(bersih <= 0.0, 0.0, np.where(bersih >= batas_atas, float(batas_atas), nilai))
    nilai = np.where(np.isnan(r), 0.0, nilai)
    return pd.Series(nilai, index=realisasi.index, name="capaian", dtype="float64")


def level_capaian(capaian_indikator: pd.Series, aturan: Capaian) -> pd.Series:
    """Per-indicator level: di_atas >= 110, sesuai 90..<110, di_bawah < 90 (PP 30/2019 Pasal 41)."""
    c = clean(capaian_indikator.astype("float64").to_numpy())
    level = np.select([c >= aturan.di_atas_min, c >= aturan.sesuai_min], ["di_atas", "sesuai"], "di_bawah")
    return pd.Series(level, index=capaian_indikator.index, name="level", dtype="str")


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


def kepala_unit(pegawai: pd.DataFrame) -> pd.Series:
    """Head of unit: no supervisor, a supervisor not in pegawai, or a supervisor in another unit."""
    unit = pegawai.drop_duplicates("nip").set_index("nip")["kode_unit"]
    unit_atasan = pegawai["nip_atasan"].map(unit)
    kepala = unit_atasan.isna().to_numpy() | (
        unit_atasan.astype("str").to_numpy() != pegawai["kode_unit"].astype("str").to_numpy()
    )
    return pd.Series(kepala, index=pegawai.index, name="kepala_unit", dtype="bool")


def baris_realisasi_akhir(realisasi: pd.DataFrame, bulan_batas: int, tahun: int) -> np.ndarray:
    """Positions of the rows `realisasi_akhir` picks (latest month <= cut-off per indicator), by indicator.

    The last row of each indicator after a stable sort by (indicator, month) is found on integer codes
    (a string sort of millions of rows costs more); only the picked rows are sorted by text.
    """
    posisi = np.arange(len(realisasi))
    r = realisasi
    if "periode" in r:
        tahun_ini = r["periode"].astype("str").str[:4].eq(str(tahun)).fillna(False).to_numpy()
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
    by_id = ids.iloc[picked].reset_index(drop=True).sort_values(kind="stable").index.to_numpy()
    return posisi[picked[by_id]]


def realisasi_akhir(realisasi: pd.DataFrame, bulan_batas: int, tahun: int) -> pd.DataFrame:
    """Cumulative realisasi at the latest month <= the cut-off, one row per indicator (not a sum)."""
    rows = realisasi.iloc[baris_realisasi_akhir(realisasi, bulan_batas, tahun)]
    return rows[["id_indikator", "realisasi"]].astype({"realisasi": "float64"}).reset_index(drop=True)


# ---------------------------------------------------------------- tables


def nilai_indikator(skp: pd.DataFrame, realisasi: pd.DataFrame, ruleset: Ruleset, tahun: int) -> pd.DataFrame:
    """Per indicator: year-end realisasi, capaian and level; sorted by nip, id_indikator."""
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


def hasil_kerja_pegawai(indikator: pd.DataFrame) -> pd.DataFrame:
    """Per employee over utama indicators: count, capaian_hasil_kerja (mean) and computed rating."""
    utama = indikator.loc[_mask(indikator["jenis"], "utama")]
    g = utama.assign(
        _atas=_mask(utama["level"], "di_atas").astype("int64"),
        _bawah=_mask(utama["level"], "di_bawah").astype("int64"),
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


def _tidak_dinilai(
    pegawai: pd.DataFrame, tanpa_utama: np.ndarray, tanpa_perilaku: np.ndarray, tahun: int
) -> pd.DataFrame:
    """One row per unscorable employee and failing rule, Indonesian and English reasons."""
    aturan = (
        (
            tanpa_utama,
            "penilaian.tanpa_indikator_utama",
            f"Pegawai tidak memiliki indikator kinerja utama pada SKP tahun {tahun}; tidak dapat dinilai",
            f"Employee has no main (utama) performance indicator in the {tahun} SKP; cannot be scored",
        ),
        (
            tanpa_perilaku,
            "penilaian.tanpa_penilaian_perilaku",
            f"Tidak ada penilaian perilaku oleh atasan langsung tahun {tahun} dan tidak ada "
            "rating_perilaku dari atasan; tidak dapat dinilai",
            f"No behaviour rating by the direct supervisor in {tahun} and no rating_perilaku "
            "override; cannot be scored",
        ),
    )
    bagian = []
    for mask, kode, alasan, reason in aturan:
        rows = pegawai.loc[mask, ["nip", "nama", "kode_unit", "kode_instansi", "_baris"]]
        bagian.append(rows.assign(kode_aturan=kode, alasan=alasan, reason=reason))
    td = pd.concat(bagian, ignore_index=True).rename(columns={"_baris": "baris"})
    td = td.sort_values(["nip", "kode_aturan"], kind="stable").reset_index(drop=True)
    return td[list(TIDAK_DINILAI_COLUMNS)]


def peringkat_unit(hasil: pd.DataFrame) -> pd.DataFrame:
    """Sort by unit then rank: capaian_hasil_kerja desc, nilai_perilaku desc (NA last), nip asc."""
    urut = hasil.assign(
        _c=clean(hasil["capaian_hasil_kerja"].astype("float64").to_numpy()),
        _n=clean(hasil["nilai_perilaku"].astype("float64").to_numpy()),
    ).sort_values(
        ["kode_unit", "_c", "_n", "nip"],
        ascending=[True, False, False, True],
        na_position="last",
        kind="stable",
    )
    urut["peringkat"] = urut.groupby("kode_unit", sort=False).cumcount().astype("int64") + 1
    return urut.drop(columns=["_c", "_n"]).reset_index(drop=True)


def _cumcount(mask: np.ndarray, unit: np.ndarray, dari_bawah: bool = False) -> np.ndarray:
    """0-based position of each True row among the True rows of its unit (rows sorted by rank)."""
    s = pd.Series(mask.astype("int64"))
    if dari_bawah:
        pos = s[::-1].groupby(unit[::-1], sort=False).cumsum()[::-1]
    else:
        pos = s.groupby(unit, sort=False).cumsum()
    return pos.to_numpy() - 1


def _batas_unit(batasan: BatasanKurva, n: np.ndarray) -> np.ndarray:
    """Allowed (<=, floor) or required (>=, ceil) head count per unit, vectorised."""
    if batasan.jumlah is not None:
        return np.full(n.shape, batasan.jumlah, dtype="int64")
    nilai = clean(batasan.persen * n.astype("float64") / 100.0)
    bulat = np.floor(nilai) if batasan.op == "<=" else np.ceil(nilai)
    return bulat.astype("int64")


def kalibrasi_kurva(
    hasil: pd.DataFrame, unit_kerja: pd.DataFrame, kurva: Kurva
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply the distribution curve per unit (moves only down, fewest moves); report every unit.

    Rows must come from ``peringkat_unit`` (sorted by unit, then rank). Constraints of a
    predikat_organisasi are applied in order to all its units at once: for "<=" the holders past
    the allowed count (lowest-ranked) move one step down (below the group's worst predikat); for
    ">=" the lowest-ranked employees better than the whole group move to its best predikat until
    the required count is met or nobody is left. Units under ``min_pegawai`` or without a
    predikat_organisasi are only checked.
    """
    kode_unit = hasil["kode_unit"].astype("str").to_numpy()
    unit_kode, unit = np.unique(kode_unit, return_inverse=True)
    unit = unit.astype("int64")
    n_unit = np.bincount(unit, minlength=len(unit_kode)).astype("int64")
    org_map = unit_kerja.drop_duplicates("kode_unit").set_index("kode_unit")["predikat_organisasi"]
    org_unit = pd.Series(unit_kode).map(org_map).to_numpy(dtype=object)
    kode_predikat = {p: i for i, p in enumerate(PREDIKAT)}
    sebelum = hasil["predikat"].map(kode_predikat).to_numpy(dtype="int64")
    sekarang = sebelum.copy()
    alasan = pd.Series("", index=range(len(hasil)), dtype="str")
    nama_predikat = np.array(PREDIKAT, dtype=object)
    ada_aturan = np.array([bool(kurva.aturan.get(str(o))) for o in org_unit], dtype=bool)
    dikalibrasi = (n_unit >= kurva.min_pegawai) & pd.notna(org_unit) & ada_aturan
    catatan = [[] for _ in range(len(unit_kode))]

    for org in PREDIKAT_ORGANISASI:
        unit_org = np.asarray(org_unit == org, dtype=bool)
        if not unit_org.any():
            continue
        baris_org = unit_org[unit]
        for batasan in kurva.aturan.get(org, ()):
            kelompok = np.array([kode_predikat[p] for p in batasan.kelompok], dtype="int64")
            batas = _batas_unit(batasan, n_unit)
            di_kelompok = np.isin(sekarang, kelompok) & baris_org
            jumlah = np.bincount(unit, weights=di_kelompok, minlength=len(unit_kode)).astype("int64")
            if batasan.op == "<=":
                tujuan = int(kelompok.max()) + 1
                pindah = di_kelompok & (_cumcount(di_kelompok, unit) >= batas[unit]) & dikalibrasi[unit]
                kurang = np.zeros_like(jumlah)
                gagal = np.zeros_like(jumlah)
            else:
                tujuan = int(kelompok.min())
                kurang = np.maximum(batas - jumlah, 0)
                calon = (sekarang < tujuan) & baris_org
                jumlah_calon = np.bincount(unit, weights=calon, minlength=len(unit_kode)).astype("int64")
                pindah = calon & (_cumcount(calon, unit, dari_bawah=True) < kurang[unit]) & dikalibrasi[unit]
                gagal = np.maximum(kurang - jumlah_calon, 0)
            dipindah = np.bincount(unit, weights=pindah, minlength=len(unit_kode)).astype("int64")
            _catat(
                catatan,
                np.flatnonzero(unit_org),
                batasan,
                batas,
                n_unit,
                jumlah,
                kurang,
                dipindah,
                gagal,
                dikalibrasi,
            )
            if pindah.any():
                idx = np.flatnonzero(pindah)
                teks = (
                    f"Kurva {org}: {batasan.teks} ("
                    + pd.Series(batas[unit[idx]]).astype("str")
                    + " dari "
                    + pd.Series(n_unit[unit[idx]]).astype("str")
                    + "); turun dari "
                    + pd.Series(nama_predikat[sekarang[idx]], dtype="str")
                    + " ke "
                    + PREDIKAT[tujuan]
                )
                lama = alasan.iloc[idx].reset_index(drop=True)
                alasan.iloc[idx] = np.where(lama == "", teks, lama + "; " + teks)
                sekarang[idx] = tujuan

    hasil = hasil.reset_index(drop=True).copy()
    hasil["predikat_final"] = pd.Series(nama_predikat[sekarang], dtype="str")
    hasil["alasan_kalibrasi"] = alasan.to_numpy()
    ringkas = pd.DataFrame({"kode_unit": unit_kode, "n": n_unit, "dikalibrasi": dikalibrasi})
    for label, kode in (("sebelum", sebelum), ("sesudah", sekarang)):
        hitung = np.zeros((len(unit_kode), len(PREDIKAT)), dtype="int64")
        np.add.at(hitung, (unit, kode), 1)
        for i, p in enumerate(PREDIKAT):
            ringkas[f"{label}_{KUNCI_PREDIKAT[p]}"] = hitung[:, i]
    ringkas["jumlah_dipindah"] = np.bincount(
        unit, weights=(sekarang != sebelum), minlength=len(unit_kode)
    ).astype("int64")
    ringkas["catatan"] = [
        _kepala_catatan(n, org, kurva) + "; ".join(c)
        for n, org, c in zip(n_unit, org_unit, catatan, strict=True)
    ]
    return hasil, _semua_unit(ringkas, unit_kerja)


def _catat(
    catatan: list[list[str]],
    units: np.ndarray,
    batasan: BatasanKurva,
    batas: np.ndarray,
    n_unit: np.ndarray,
    jumlah: np.ndarray,
    kurang: np.ndarray,
    dipindah: np.ndarray,
    gagal: np.ndarray,
    dikalibrasi: np.ndarray,
) -> None:
    """Append one constraint's outcome per unit (per unit, not per employee)."""
    for u in units:
        kepala = f"{batasan.teks} ({batas[u]} dari {n_unit[u]}, ada {jumlah[u]})"
        if batasan.op == "<=":
            lebih = jumlah[u] - batas[u]
            if lebih <= 0:
                status = "terpenuhi"
            elif dikalibrasi[u]:
                status = f"{dipindah[u]} pegawai diturunkan"
            else:
                status = f"tidak terpenuhi, lebih {lebih} pegawai"
        elif kurang[u] == 0:
            status = "terpenuhi"
        elif dikalibrasi[u]:
            status = f"{dipindah[u]} pegawai diturunkan"
            if gagal[u] > 0:
                status += f", tidak dapat dipenuhi: kurang {gagal[u]} pegawai"
        else:
            status = f"tidak terpenuhi, kurang {kurang[u]} pegawai"
        catatan[u].append(f"{kepala}: {status}")


def _kepala_catatan(n: int, org: object, kurva: Kurva) -> str:
    """Why a unit was or was not calibrated, as the start of its catatan."""
    if pd.isna(org):
        return "predikat organisasi tidak ada: tidak dikalibrasi"
    if not kurva.aturan.get(str(org)):
        return f"tidak ada batasan kurva untuk predikat organisasi {org}"
    if n < kurva.min_pegawai:
        return f"di bawah {kurva.min_pegawai} pegawai: hanya dilaporkan; "
    return ""


def _semua_unit(ringkas: pd.DataFrame, unit_kerja: pd.DataFrame) -> pd.DataFrame:
    """Every unit of unit_kerja in the curve report, units without scored employees included."""
    units = unit_kerja.drop_duplicates("kode_unit")[["kode_unit", "predikat_organisasi"]]
    tabel = units.merge(ringkas, on="kode_unit", how="outer")
    kosong = tabel["n"].isna()
    angka = [c for c in ringkas.columns if c not in ("kode_unit", "dikalibrasi", "catatan")]
    tabel[angka] = tabel[angka].fillna(0).astype("int64")
    tabel["dikalibrasi"] = tabel["dikalibrasi"].fillna(False).astype("bool")
    tabel["catatan"] = tabel["catatan"].astype("str").where(~kosong, "tidak ada pegawai yang dinilai")
    return tabel.sort_values("kode_unit", kind="stable").reset_index(drop=True)


def _sd_per_kelompok(data: pd.DataFrame, by: list[str], ddof: int) -> np.ndarray:
    """nilai_perilaku's standard deviation per group, in sorted group order, bit for bit what
    `Series.std(ddof)` gives each group (np.std: the same two-pass sum over the group's rows in
    their original order), without a pandas call per group (12,000 raters: 0.75 s → 0.1 s)."""
    codes = data.groupby(by, sort=True).ngroup().to_numpy()
    order = np.argsort(codes, kind="stable")
    values = data["nilai_perilaku"].to_numpy(dtype="float64")[order]
    bounds = np.searchsorted(codes[order], np.arange(int(codes.max(initial=-1)) + 2))
    return np.array([np.std(values[a:b], ddof=ddof) if b - a > ddof else np.nan
                     for a, b in zip(bounds[:-1], bounds[1:], strict=True)], dtype="float64")


def bias_penilai(hasil: pd.DataFrame, aturan: AturanBias) -> pd.DataFrame:
    """Rater bias: z of each supervisor's mean nilai_perilaku against the instansi.

    The population is the scored employees with a supervisor rating (computed nilai_perilaku, not
    the override); the rater is their nip_atasan (the only rater whose ratings count). Both the
    rater's sd and the instansi's sd describe a whole set, so by default they are population
    standard deviations (ddof=0; ruleset bias.simpangan_baku = "sampel" gives ddof=1). An
    instansi sd of 0 gives selisih_z 0 and pola wajar.
    """
    dinilai = hasil.loc[hasil["nilai_perilaku"].notna(), ["kode_instansi", "nip_atasan", "nilai_perilaku"]]
    dinilai = dinilai.assign(nilai_perilaku=dinilai["nilai_perilaku"].astype("float64"))
    instansi = dinilai.groupby("kode_instansi", sort=True)["nilai_perilaku"].agg(rata_rata_instansi="mean")
    instansi["sd_instansi"] = _sd_per_kelompok(dinilai, ["kode_instansi"], aturan.ddof)
    penilai = dinilai.groupby(["kode_instansi", "nip_atasan"], sort=True)["nilai_perilaku"].agg(
        jumlah_dinilai="size", rata_rata="mean")
    penilai["sd_penilai"] = _sd_per_kelompok(dinilai, ["kode_instansi", "nip_atasan"], aturan.ddof)
    penilai = penilai.reset_index().rename(columns={"nip_atasan": "nip_penilai"})
    penilai = penilai.loc[penilai["jumlah_dinilai"] >= aturan.min_dinilai]
    penilai = penilai.merge(instansi, on="kode_instansi", how="left")
    sd_i = penilai["sd_instansi"].astype("float64").fillna(0.0).to_numpy()
    ada_sd = clean(sd_i) > 0
    z = np.where(
        ada_sd,
        (penilai["rata_rata"].to_numpy() - penilai["rata_rata_instansi"].to_numpy())
        / np.where(ada_sd, sd_i, 1.0),
        0.0,
    )
    zc = clean(z)
    terpusat = clean(penilai["sd_penilai"].astype("float64").to_numpy()) < clean(aturan.rasio_terpusat * sd_i)
    pola = np.select(
        [~ada_sd, zc >= aturan.z_lunak, zc <= aturan.z_keras, terpusat],
        ["wajar", "lunak", "keras", "terpusat"],
        "wajar",
    )
    penilai["selisih_z"] = z
    penilai["pola"] = pd.Series(pola, index=penilai.index, dtype="str")
    penilai["jumlah_dinilai"] = penilai["jumlah_dinilai"].astype("int64")
    kolom = [
        "nip_penilai",
        "kode_instansi",
        "jumlah_dinilai",
        "rata_rata",
        "sd_penilai",
        "selisih_z",
        "pola",
        "rata_rata_instansi",
        "sd_instansi",
    ]
    return penilai[kolom].sort_values("nip_penilai", kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------- the stage


def year_end_key(tahun: int, ruleset_checksum: str, checksums: dict[str, str]) -> tuple:
    """What a year-end result depends on: the year, the ruleset and the year-end input files' bytes.

    Training builds on exactly that result (it refuses to run when the year-end inputs changed), so a
    cycle run in one process keeps it in the process cache under this key instead of scoring twice.
    """
    from contract.files import stage_checksums

    return (int(tahun), ruleset_checksum, tuple(stage_checksums(checksums, "year-end").items()))


def score_year_end(frames: dict[str, pd.DataFrame], ruleset: Ruleset, tahun: int) -> YearEndResult:
    """The whole year-end scoring: indicators -> ratings -> matrix -> curve -> rater bias."""
    unit_kerja = frames["unit_kerja"]
    pegawai = frames["pegawai"].drop_duplicates("nip").reset_index(drop=True)
    if "_baris" not in pegawai:
        pegawai = pegawai.assign(_baris=np.arange(2, len(pegawai) + 2))
    pegawai = pegawai.merge(
        unit_kerja.drop_duplicates("kode_unit")[["kode_unit", "kode_instansi", "predikat_organisasi"]],
        on="kode_unit",
        how="left",
    )
    realisasi = input_frame(frames, "realisasi")
    perilaku = input_frame(frames, "perilaku")
    rating_atasan = input_frame(frames, "rating_atasan")

    indikator = nilai_indikator(frames["skp"], realisasi, ruleset, tahun)
    hk = hasil_kerja_pegawai(indikator)
    pk = perilaku_pegawai(perilaku, pegawai, ruleset.perilaku, tahun)
    ov = override_atasan(rating_atasan)

    semua = pegawai.join(hk, on="nip").join(pk, on="nip").join(ov, on="nip")
    semua["kepala_unit"] = kepala_unit(pegawai).to_numpy()
    tanpa_utama = semua["jumlah_utama"].isna().to_numpy()
    tanpa_perilaku = (semua["nilai_perilaku"].isna() & semua["override_perilaku"].isna()).to_numpy()
    tidak_dinilai = _tidak_dinilai(semua, tanpa_utama, tanpa_perilaku, tahun)

    hasil = semua.loc[~(tanpa_utama | tanpa_perilaku)].copy()
    aturan_kepala = ruleset.kepala_unit
    pakai_peta = (
        aturan_kepala.aktif
        & hasil["kepala_unit"].to_numpy()
        & hasil["predikat_organisasi"].notna().to_numpy()
    )
    dari_peta = hasil["predikat_organisasi"].map(aturan_kepala.peta)
    hasil["rating_hasil_kerja_hitung"] = hasil["rating_hasil_kerja_hitung"].where(~pakai_peta, dari_peta)
    tanpa_org = aturan_kepala.aktif & hasil["kepala_unit"].to_numpy() & ~pakai_peta
    hasil["catatan_kepala_unit"] = pd.Series(
        np.select(
            [pakai_peta, tanpa_org],
            [
                "kepala unit: rating hasil kerja mengikuti predikat organisasi "
                + hasil["predikat_organisasi"].astype("str"),
                "kepala unit tanpa predikat organisasi: rating hasil kerja dihitung dari indikator",
            ],
            "",
        ),
        index=hasil.index,
        dtype="str",
    )
    hasil["rating_hasil_kerja"] = hasil["override_hasil_kerja"].fillna(hasil["rating_hasil_kerja_hitung"])
    hasil["rating_perilaku"] = hasil["override_perilaku"].fillna(hasil["rating_perilaku_hitung"])
    ada_override = (hasil["override_hasil_kerja"].notna() | hasil["override_perilaku"].notna()).to_numpy()
    hasil["alasan_override"] = hasil["alasan_override"].where(ada_override)
    hasil["predikat"] = predikat_matriks(hasil["rating_hasil_kerja"], hasil["rating_perilaku"]).to_numpy()

    hasil = peringkat_unit(hasil)
    hasil, kurva = kalibrasi_kurva(hasil, unit_kerja, ruleset.kurva)
    hasil = hasil.sort_values("nip", kind="stable").reset_index(drop=True)
    kolom = [
        "nip",
        "nama",
        "kode_unit",
        "kode_instansi",
        "nip_atasan",
        "kepala_unit",
        "capaian_hasil_kerja",
        "rating_hasil_kerja_hitung",
        "rating_hasil_kerja",
        "nilai_perilaku",
        "rating_perilaku_hitung",
        "rating_perilaku",
        "alasan_override",
        "predikat",
        "predikat_final",
        "alasan_kalibrasi",
        "peringkat",
        *RERATA,
        "predikat_organisasi",
        "catatan_kepala_unit",
        "jumlah_utama",
    ]
    hasil = hasil[kolom].astype({"kepala_unit": "bool", "peringkat": "int64", "jumlah_utama": "int64"})
    return YearEndResult(
        indikator=indikator,
        hasil=hasil,
        tidak_dinilai=tidak_dinilai,
        bias=bias_penilai(hasil, ruleset.bias),
        kurva=kurva,
        ruleset_label=ruleset.label,
        ruleset_checksum=ruleset.checksum,
    )


# ---------------------------------------------------------------- output CSVs


def to_hasil_penilaian_csv(result: YearEndResult) -> pd.DataFrame:
    """hasil_penilaian.csv exactly as FORMATS.md lists it, numbers half-up to 2 decimals, by nip."""
    tabel = result.hasil.sort_values("nip", kind="stable")[list(HASIL_PENILAIAN_COLUMNS)].copy()
    for k in ("capaian_hasil_kerja", "nilai_perilaku"):
        tabel[k] = format_2(tabel[k])
    tabel["alasan_kalibrasi"] = tabel["alasan_kalibrasi"].fillna("")
    return tabel.reset_index(drop=True)


def to_bias_penilai_csv(result: YearEndResult) -> pd.DataFrame:
    """bias_penilai.csv exactly as FORMATS.md lists it, numbers half-up to 2 decimals."""
    tabel = result.bias.sort_values("nip_penilai", kind="stable")[list(BIAS_PENILAI_COLUMNS)].copy()
    for k in ("rata_rata", "selisih_z"):
        tabel[k] = format_2(tabel[k])
    return tabel.reset_index(drop=True)
