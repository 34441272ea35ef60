"""Year-end scoring (penilaian akhir tahun): indicators -> ratings -> matrix -> curve -> rater bias.

The rules live in ``capaian``, ``rating``, ``kurva`` and ``bias``; this module runs them in order
over one year's frames and turns the result into its output CSVs. Interpretations of DOMAIN.md made
explicit here: an employee that cannot be scored gets one ``tidak_dinilai`` row per failing rule
(count employees with ``nunique("nip")``); numbers stay unrounded until the CSV converters.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

import numpy as np
import pandas as pd

from contract.files import stage_checksums
from contract.hierarchy import kepala_unit
from contract.schema import input_frame
from penilaian.bias import bias_penilai
from penilaian.capaian import capaian_indikator
from penilaian.kurva import kalibrasi_kurva, peringkat_unit
from penilaian.numbers import format_2
from penilaian.rating import (
    RERATA,
    hasil_kerja_pegawai,
    override_atasan,
    perilaku_pegawai,
    predikat_matriks,
    rating_kepala_unit,
)
from penilaian.ruleset import Ruleset

TAHAP = "year-end"
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
# The columns the CSVs hold as numbers formatted as text (contract/output.py leaves them unescaped).
HASIL_PENILAIAN_NUMBERS = ("capaian_hasil_kerja", "nilai_perilaku")
BIAS_PENILAI_NUMBERS = ("rata_rata", "selisih_z")
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
    # every curve move: the rule, the allowed/required count, the rank among holders (PESERTA_KURVA_COLUMNS)
    pindah_kurva: pd.DataFrame = field(default_factory=pd.DataFrame)

    def shallow_copy(self) -> YearEndResult:
        """A copy whose frames share data copy-on-write: changes to one never reach the other."""
        return replace(self, **{f.name: getattr(self, f.name).copy(deep=False) for f in fields(self)
                                if isinstance(getattr(self, f.name), pd.DataFrame)})


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


def year_end_key(tahun: int, ruleset_checksum: str, checksums: dict[str, str]) -> tuple:
    """What a year-end result depends on: the year, the ruleset and the year-end input files' bytes.

    Training builds on exactly that result (it refuses to run when the year-end inputs changed), so a
    cycle run in one process keeps it in the process cache under this key instead of scoring twice.
    """
    return (int(tahun), ruleset_checksum, tuple(stage_checksums(checksums, TAHAP).items()))


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

    indikator = capaian_indikator(frames["skp"], realisasi, ruleset, tahun)
    hk = hasil_kerja_pegawai(indikator)
    pk = perilaku_pegawai(perilaku, pegawai, ruleset.perilaku, tahun)
    ov = override_atasan(rating_atasan)

    semua = pegawai.join(hk, on="nip").join(pk, on="nip").join(ov, on="nip")
    semua["kepala_unit"] = kepala_unit(pegawai).to_numpy()
    tanpa_utama = semua["jumlah_utama"].isna().to_numpy()
    tanpa_perilaku = (semua["nilai_perilaku"].isna() & semua["override_perilaku"].isna()).to_numpy()
    tidak_dinilai = _tidak_dinilai(semua, tanpa_utama, tanpa_perilaku, tahun)

    hasil = semua.loc[~(tanpa_utama | tanpa_perilaku)].copy()
    kepala = rating_kepala_unit(hasil, ruleset.kepala_unit)
    hasil["rating_hasil_kerja_hitung"] = kepala["rating_hasil_kerja_hitung"]
    hasil["catatan_kepala_unit"] = kepala["catatan_kepala_unit"]
    hasil["rating_hasil_kerja"] = hasil["override_hasil_kerja"].fillna(hasil["rating_hasil_kerja_hitung"])
    hasil["rating_perilaku"] = hasil["override_perilaku"].fillna(hasil["rating_perilaku_hitung"])
    ada_override = (hasil["override_hasil_kerja"].notna() | hasil["override_perilaku"].notna()).to_numpy()
    hasil["alasan_override"] = hasil["alasan_override"].where(ada_override)
    hasil["predikat"] = predikat_matriks(hasil["rating_hasil_kerja"], hasil["rating_perilaku"]).to_numpy()

    hasil = peringkat_unit(hasil)
    hasil, kurva, peserta = kalibrasi_kurva(hasil, unit_kerja, ruleset.kurva)
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
        pindah_kurva=peserta[peserta["dipindah"].to_numpy()].reset_index(drop=True),
    )


def to_hasil_penilaian_csv(result: YearEndResult) -> pd.DataFrame:
    """hasil_penilaian.csv exactly as FORMATS.md lists it, numbers half-up to 2 decimals, by nip."""
    return hasil_csv(result.hasil, HASIL_PENILAIAN_COLUMNS)


def hasil_csv(hasil: pd.DataFrame, kolom: tuple[str, ...]) -> pd.DataFrame:
    """Scored employees' rows as an output CSV (hasil_penilaian.csv and what extends it): the columns
    `kolom`, numbers half-up to 2 decimals, empty alasan_kalibrasi as "", by nip."""
    tabel = hasil.sort_values("nip", kind="stable")[list(kolom)].copy()
    for k in HASIL_PENILAIAN_NUMBERS:
        tabel[k] = format_2(tabel[k])
    tabel["alasan_kalibrasi"] = tabel["alasan_kalibrasi"].fillna("")
    return tabel.reset_index(drop=True)


def to_bias_penilai_csv(result: YearEndResult) -> pd.DataFrame:
    """bias_penilai.csv exactly as FORMATS.md lists it, numbers half-up to 2 decimals."""
    tabel = result.bias.sort_values("nip_penilai", kind="stable")[list(BIAS_PENILAI_COLUMNS)].copy()
    for k in BIAS_PENILAI_NUMBERS:
        tabel[k] = format_2(tabel[k])
    return tabel.reset_index(drop=True)
