"""Angka kredit of functional officials (PermenPAN-RB 1/2023, PerBKN 3/2023): the year's predikat that
stands converted into credit points, added to the last PAK's figure, and the next step it reaches.

The value rules of one row (vocabularies, ak_awal >= 0, bulan 1-12, a `fungsional` employee, one row
per nip) are the input contract's (contract/file_rules.py, check_angka_kredit); the rules needing the
ruleset or the year's results are here. Interpretations of DOMAIN.md made explicit here (one place, so
the documents, the audit and the tests agree):

- `ak_tahun = bulan / 12 × persentase / 100 × koefisien`, with the persentase of predikat_ditetapkan
  and the koefisien of the jenjang (ruleset ``angka_kredit``); an empty ``bulan`` is 12.
  ``ak_kumulatif = ak_awal + ak_tahun``. Everything is computed on unrounded values; only the CSV is
  rounded, half-up to 2 decimals. ``persentase`` is a percentage (150 for Sangat Baik), as the PAK form
  writes it.
- Position k: the 0-based index of the golongan in its jenjang's range, lowest first (ruleset
  ``angka_kredit.jenjang.<jenjang>.golongan``; ahli_madya IV/a → 0, IV/b → 1, IV/c → 2). Below the
  range's last golongan the next step is ``pangkat`` at ``(k + 1) × pangkat_setiap`` (ahli_madya
  IV/a → 150, IV/b → 300); at the last golongan it is ``jenjang`` at ``jenjang_pada`` (ahli_madya IV/c
  → 450), which also needs the competency test (uji_kompetensi); at the last golongan of a jenjang
  without ``jenjang_pada`` (penyelia III/d, ahli_utama IV/e) it is ``puncak``: no next step.
- ``memenuhi`` = "ya" where ak_kumulatif ≥ ambang (equality meets it), compared on unrounded values
  with float noise removed (a cumulative 49.997 shows as 50.00 but does not meet 50);
  ``kekurangan = max(0, ambang − ak_kumulatif)``.
- ``puncak``: ``ambang`` and ``kekurangan`` are empty (there is no threshold, so no shortfall) and
  ``memenuhi`` is "tidak" (no next step is reached: FORMATS.md allows only ya/tidak).
- A golongan outside its jenjang's range is quarantined here (GOLONGAN_JENJANG, the range is ruleset
  data the contract does not see), and so is a row whose nip has no standing predikat
  (AK_TANPA_PREDIKAT: not scored, or the result was quarantined); a row may break both, one quarantine
  row per broken rule. Duplicate nip rows never get here: the contract quarantines every row after
  the nip's first line (AK_GANDA), whatever became of the first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from contract.aturan import ATURAN_ANGKA_KREDIT
from contract.karantina import KARANTINA_COLUMNS, empty_karantina, karantina_rows, sort_karantina
from contract.schema import FILES, input_frame
from penilaian.numbers import clean, format_2
from penilaian.ruleset import JenjangAk, Ruleset

TAHAP = "training"
BERKAS = FILES["angka_kredit"].name
LANGKAH = ("pangkat", "jenjang", "puncak")
# angka_kredit_hasil.csv, exactly as FORMATS.md lists it.
ANGKA_KREDIT_COLUMNS = (
    "nip",
    "jenjang",
    "golongan",
    "predikat_ditetapkan",
    "persentase",
    "koefisien",
    "bulan",
    "ak_tahun",
    "ak_awal",
    "ak_kumulatif",
    "langkah_berikutnya",
    "ambang",
    "memenuhi",
    "kekurangan",
)
# What the documents and unit summaries show beside them.
ANGKA_KREDIT_EXTRA_COLUMNS = ("nama", "kode_unit", "uji_kompetensi")
_TYPES = {
    **dict.fromkeys(ANGKA_KREDIT_COLUMNS, "str"),
    **dict.fromkeys(("persentase", "koefisien", "ak_tahun", "ak_awal", "ak_kumulatif", "ambang",
                     "kekurangan"), "float64"),
    "bulan": "int64",
    "nama": "str",
    "kode_unit": "str",
    "uji_kompetensi": "bool",
}
# The columns of angka_kredit_hasil.csv that hold numbers (written as text, not formula-escaped).
ANGKA_KREDIT_NUMBERS = (
    "persentase", "koefisien", "ak_tahun", "ak_awal", "ak_kumulatif", "ambang", "kekurangan",
)
_BULAN_PENUH = 12


@dataclass
class AngkaKreditResult:
    """The credit conversion: one row per functional official converted, and the rows set aside."""

    hasil: pd.DataFrame  # ANGKA_KREDIT_COLUMNS + ANGKA_KREDIT_EXTRA_COLUMNS, unrounded, by nip
    karantina: pd.DataFrame  # KARANTINA_COLUMNS (tahap "training"; the caller may set it)


def convert_angka_kredit(
    frames: dict[str, pd.DataFrame], predikat: pd.DataFrame, rules: Ruleset, tahun: int
) -> AngkaKreditResult:
    """Convert each checked angka_kredit row's standing predikat into this year's credit points.

    `frames` are the checked frames (angka_kredit optional; pegawai, when there, gives nama and
    kode_unit); `predikat` has nip and predikat_ditetapkan per scored employee (KeberatanResult.akhir).
    """
    rows = input_frame(frames, "angka_kredit").reset_index(drop=True)
    if rows.empty:
        return AngkaKreditResult(hasil=_typed(pd.DataFrame()), karantina=empty_karantina())
    if "_baris" not in rows:
        rows = rows.assign(_baris=np.arange(2, len(rows) + 2, dtype="int64"))
    ak = rules.angka_kredit
    tangga = pd.DataFrame(
        [(jenjang, golongan, k, k == len(j.golongan) - 1, j.koefisien, j.pangkat_setiap,
          np.nan if j.jenjang_pada is None else j.jenjang_pada)
         for jenjang, j in ak.jenjang.items() for k, golongan in enumerate(j.golongan)],
        columns=["jenjang", "golongan", "k", "terakhir", "koefisien", "pangkat_setiap", "jenjang_pada"],
    ).astype({"jenjang": "str", "golongan": "str"})
    posisi = rows[["jenjang", "golongan"]].astype("str").merge(tangga, how="left", validate="m:1")
    berdiri = predikat.loc[predikat["predikat_ditetapkan"].notna().to_numpy()]
    ditetapkan = rows["nip"].astype("str").map(berdiri.drop_duplicates("nip").set_index("nip")
                                               ["predikat_ditetapkan"])
    di_luar = posisi["k"].isna().to_numpy()
    tanpa_predikat = ditetapkan.isna().to_numpy()
    karantina = _karantina(rows, di_luar, tanpa_predikat, tahun, ak.jenjang)
    lolos = ~(di_luar | tanpa_predikat)
    hasil = _hasil(rows.loc[lolos], posisi.loc[lolos], ditetapkan.loc[lolos], ak.persentase,
                   frames.get("pegawai"), predikat)
    return AngkaKreditResult(hasil=hasil, karantina=karantina)


def _karantina(rows: pd.DataFrame, di_luar: np.ndarray, tanpa_predikat: np.ndarray, tahun: int,
               jenjang: dict[str, JenjangAk]) -> pd.DataFrame:
    """Quarantine rows of the conversion's own rules (one per broken rule)."""
    findings = []
    if di_luar.any():
        found = rows.loc[di_luar]
        rentang = found["jenjang"].map({j: ", ".join(s.golongan) for j, s in jenjang.items()})
        findings.append(karantina_rows(BERKAS, found, "GOLONGAN_JENJANG",
                                       ATURAN_ANGKA_KREDIT["GOLONGAN_JENJANG"], found["golongan"], TAHAP,
                                       tahun=tahun, rentang=rentang))
    if tanpa_predikat.any():
        found = rows.loc[tanpa_predikat]
        findings.append(karantina_rows(BERKAS, found, "AK_TANPA_PREDIKAT",
                                       ATURAN_ANGKA_KREDIT["AK_TANPA_PREDIKAT"], found["nip"], TAHAP,
                                       tahun=tahun))
    if not findings:
        return empty_karantina()
    return sort_karantina(pd.concat(findings, ignore_index=True))[KARANTINA_COLUMNS]


def _hasil(rows: pd.DataFrame, posisi: pd.DataFrame, ditetapkan: pd.Series, persentase: dict[str, float],
           pegawai: pd.DataFrame | None, predikat: pd.DataFrame) -> pd.DataFrame:
    """The converted rows, unrounded, by nip."""
    if rows.empty:
        return _typed(pd.DataFrame())
    bulan = rows["bulan"].astype("float64").fillna(_BULAN_PENUH).to_numpy()
    persen = ditetapkan.map(persentase).astype("float64").to_numpy()
    koefisien = posisi["koefisien"].to_numpy(dtype="float64")
    ak_tahun = bulan / 12.0 * (persen / 100.0) * koefisien
    ak_awal = rows["ak_awal"].astype("float64").to_numpy()
    kumulatif = ak_awal + ak_tahun
    k = posisi["k"].to_numpy(dtype="float64")
    terakhir = posisi["terakhir"].astype("bool").to_numpy()
    jenjang_pada = posisi["jenjang_pada"].to_numpy(dtype="float64")
    langkah = np.where(~terakhir, "pangkat", np.where(np.isnan(jenjang_pada), "puncak", "jenjang"))
    ambang = np.where(~terakhir, (k + 1) * posisi["pangkat_setiap"].to_numpy(dtype="float64"),
                      jenjang_pada)
    puncak = np.isnan(ambang)
    memenuhi = ~puncak & (clean(kumulatif) >= clean(np.where(puncak, 0.0, ambang)))
    kekurangan = np.where(puncak, np.nan, np.maximum(0.0, clean(ambang - kumulatif)))
    nip = rows["nip"].astype("str")
    sumber = pegawai if pegawai is not None else predikat
    orang = sumber.drop_duplicates("nip").set_index("nip").reindex(columns=["nama", "kode_unit"])
    out = pd.DataFrame({
        "nip": nip.to_numpy(),
        "jenjang": rows["jenjang"].to_numpy(),
        "golongan": rows["golongan"].to_numpy(),
        "predikat_ditetapkan": ditetapkan.to_numpy(),
        "persentase": persen,
        "koefisien": koefisien,
        "bulan": bulan,
        "ak_tahun": ak_tahun,
        "ak_awal": ak_awal,
        "ak_kumulatif": kumulatif,
        "langkah_berikutnya": langkah,
        "ambang": ambang,
        "memenuhi": np.where(memenuhi, "ya", "tidak"),
        "kekurangan": kekurangan,
        "nama": nip.map(orang["nama"]).to_numpy(),
        "kode_unit": nip.map(orang["kode_unit"]).to_numpy(),
        "uji_kompetensi": langkah == "jenjang",
    })
    return _typed(out.sort_values("nip", kind="stable"))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    kolom = [*ANGKA_KREDIT_COLUMNS, *ANGKA_KREDIT_EXTRA_COLUMNS]
    return frame.reindex(columns=kolom).astype(_TYPES).reset_index(drop=True)


def to_angka_kredit_hasil_csv(result: AngkaKreditResult) -> pd.DataFrame:
    """angka_kredit_hasil.csv exactly as FORMATS.md lists it, numbers half-up to 2 decimals, by nip; for
    `puncak` ambang and kekurangan are empty and memenuhi is "tidak"."""
    tabel = result.hasil[list(ANGKA_KREDIT_COLUMNS)].copy()
    for kolom in ANGKA_KREDIT_NUMBERS:
        tabel[kolom] = format_2(tabel[kolom])
    return tabel.reset_index(drop=True)
