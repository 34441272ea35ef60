"""Mid-year monitoring (pemantauan tengah tahun): June capaian, year-end projection, at-risk staff, IKM.

Interpretations of DOMAIN.md made explicit here:

- realisasi is the cumulative value of the latest month <= ``pemantauan.bulan_batas`` (not a sum;
  ``capaian.realisasi_akhir``); capaian is ``capaian.capaian`` (cap, floor at 0, none -> 0).
- Projection: 2 x realisasi for ``aspek = kuantitas`` with ``arah = naik``, the June value otherwise.
  No June value: the projection stays empty and its capaian is 0 (``tertinggal``), so a ``turun``
  indicator with nothing reported never reads as "0 days" = 120%.
- Status bands are compared on ``numbers.clean``-ed projected capaian.
- At risk: any ``utama`` indicator berisiko or tertinggal (``tambahan`` ones do not count); the
  supervisor is ``pegawai.nip_atasan``; feedback counted is every umpan_balik row for the employee
  (from any giver) dated January to the end of the cut-off month of ``tahun``.
- IKM: survey months of ``tahun`` up to the cut-off, weighted by respondents over all services;
  the grade is read on the value rounded half-up to 2 decimals (88.305 -> 88.31 -> A); the stored
  ikm stays unrounded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from contract.schema import input_frame
from penilaian.capaian import capaian, realisasi_akhir
from penilaian.joins import merge_checked
from penilaian.numbers import clean, format_2, round_half_up
from penilaian.ruleset import Pemantauan, Ruleset
from penilaian.text import join_text

STATUS = ("sesuai_jalur", "berisiko", "tertinggal")
PEMANTAUAN_COLUMNS = (
    "nip", "id_indikator", "target", "realisasi", "capaian_persen", "proyeksi_akhir_tahun", "status",
)
# The columns of pemantauan_tengah_tahun.csv that hold numbers (written as text, not formula-escaped).
PEMANTAUAN_NUMBERS = ("target", "realisasi", "capaian_persen", "proyeksi_akhir_tahun")


@dataclass
class MidYearResult:
    """Everything the mid-year stage reports: per indicator, per supervisor, per unit."""

    pemantauan: pd.DataFrame
    berisiko: pd.DataFrame
    ikm: pd.DataFrame
    ikm_bulanan: pd.DataFrame
    tanpa_realisasi: pd.DataFrame
    ruleset_label: str = ""
    ruleset_checksum: str = ""


def proyeksi_akhir_tahun(realisasi: pd.Series, aspek: pd.Series, arah: pd.Series) -> pd.Series:
    """Linear year-end projection: cumulative kuantitas-naik doubles by December, others stay as in June."""
    linear = (aspek == "kuantitas").fillna(False) & (arah == "naik").fillna(False)
    return realisasi.where(~linear, realisasi * 2.0).astype("float64")


def status_pemantauan(capaian_proyeksi: pd.Series, pemantauan: Pemantauan) -> pd.Series:
    """Band the projected capaian: sesuai_jalur >= 90, berisiko 70..<90, tertinggal < 70 (config)."""
    nilai = clean(capaian_proyeksi.astype("float64").fillna(0.0))
    status = np.select(
        [nilai >= pemantauan.sesuai_jalur_min, nilai >= pemantauan.berisiko_min],
        [STATUS[0], STATUS[1]],
        default=STATUS[2],
    )
    return pd.Series(status, index=capaian_proyeksi.index, dtype="str")


def pemantauan_indikator(
    skp: pd.DataFrame, realisasi: pd.DataFrame, ruleset: Ruleset, tahun: int
) -> pd.DataFrame:
    """Per indicator: June realisasi, capaian, projection, projected capaian and status."""
    bulan_batas = ruleset.pemantauan.bulan_batas
    kolom = ["id_indikator", "nip", "jenis", "indikator", "aspek", "arah", "target"]
    indikator = merge_checked(
        skp.loc[skp["tahun"] == tahun, kolom], realisasi_akhir(realisasi, bulan_batas, tahun),
        on="id_indikator", how="left", validate="1:1",
    )
    indikator["target"] = indikator["target"].astype("float64")
    batas_atas = ruleset.capaian.batas_atas
    indikator["capaian_persen"] = capaian(
        indikator["realisasi"], indikator["target"], indikator["arah"], batas_atas
    ).to_numpy()
    # No June value: nothing to project (left empty); its projected capaian is 0 like any missing realisasi.
    indikator["proyeksi_akhir_tahun"] = proyeksi_akhir_tahun(
        indikator["realisasi"], indikator["aspek"], indikator["arah"]
    )
    indikator["capaian_proyeksi"] = capaian(
        indikator["proyeksi_akhir_tahun"], indikator["target"], indikator["arah"], batas_atas
    ).to_numpy()
    indikator["status"] = status_pemantauan(indikator["capaian_proyeksi"], ruleset.pemantauan)
    return indikator.sort_values(["nip", "id_indikator"], kind="stable").reset_index(drop=True)


def teks_umpan_balik(umpan_balik: pd.DataFrame, tahun: int, bulan_batas: int) -> pd.DataFrame:
    """Feedback given in the year up to the end of the cut-off month, as one readable line per nip."""
    bulan = umpan_balik["tanggal"].str.slice(0, 7)
    dalam_periode = (bulan >= f"{tahun}-01") & (bulan <= f"{tahun}-{bulan_batas:02d}")
    catatan = umpan_balik.loc[dalam_periode.fillna(False), ["nip", "tanggal", "jenis"]]
    catatan = catatan.sort_values(["nip", "tanggal", "jenis"], kind="stable")
    catatan = catatan.assign(umpan_balik=catatan["jenis"] + " " + catatan["tanggal"])
    jumlah = catatan.groupby("nip", sort=True).size().rename("jumlah_umpan_balik").reset_index()
    return merge_checked(jumlah, join_text(catatan, ["nip"], "umpan_balik"), on="nip", validate="1:1")


def pegawai_berisiko(
    indikator: pd.DataFrame, pegawai: pd.DataFrame, umpan_balik: pd.DataFrame, tahun: int,
    bulan_batas: int,
) -> pd.DataFrame:
    """Staff with any utama indicator berisiko or tertinggal, per supervisor, with feedback so far."""
    utama = indikator.loc[indikator["jenis"] == "utama", ["nip", "status"]]
    hitung = pd.DataFrame(
        {
            "nip": utama["nip"],
            "jumlah_berisiko": (utama["status"] == "berisiko").astype("int64"),
            "jumlah_tertinggal": (utama["status"] == "tertinggal").astype("int64"),
        }
    ).groupby("nip", sort=True, as_index=False).sum()
    hitung = hitung.loc[(hitung["jumlah_berisiko"] + hitung["jumlah_tertinggal"]) > 0]
    berisiko = merge_checked(
        hitung, pegawai[["nip", "nama", "kode_unit", "nip_atasan"]], on="nip", how="left", validate="1:1")
    berisiko = merge_checked(berisiko, teks_umpan_balik(umpan_balik, tahun, bulan_batas),
                             on="nip", how="left", validate="1:1")
    berisiko["jumlah_umpan_balik"] = berisiko["jumlah_umpan_balik"].fillna(0).astype("int64")
    berisiko["umpan_balik"] = berisiko["umpan_balik"].fillna("").astype("str")
    berisiko["ada_umpan_balik"] = berisiko["jumlah_umpan_balik"] > 0
    kolom = [
        "nip_atasan", "nip", "nama", "kode_unit", "jumlah_berisiko", "jumlah_tertinggal",
        "umpan_balik", "jumlah_umpan_balik", "ada_umpan_balik",
    ]
    return berisiko[kolom].sort_values(["nip_atasan", "nip"], kind="stable").reset_index(drop=True)


def mutu_ikm(ikm: pd.Series, ruleset: Ruleset) -> pd.Series:
    """PermenPAN-RB 14/2017 grade of the IKM, read on the value rounded half-up to 2 decimals."""
    nilai = round_half_up(ikm.astype("float64"), 2)
    batas = sorted(ruleset.ikm.mutu, key=lambda b: b.min, reverse=True)
    kondisi = [(nilai >= b.min) & (nilai <= b.maks) for b in batas]
    mutu = np.select(kondisi, [b.mutu for b in batas], default="")
    return pd.Series(mutu, index=ikm.index, dtype="str").replace("", pd.NA)


def indeks_kepuasan(
    survei: pd.DataFrame, tahun: int, ruleset: Ruleset
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Respondent-weighted IKM per unit over the months up to the cut-off, plus its monthly trend."""
    bulan_batas = ruleset.pemantauan.bulan_batas
    dalam_periode = (survei["periode"].str.slice(0, 4) == str(tahun)).fillna(False)
    data = survei.loc[dalam_periode & (survei["bulan"] <= bulan_batas),
                      ["kode_unit", "periode", "jumlah_responden"]]
    data = data.assign(
        jumlah_responden=data["jumlah_responden"].astype("int64"),
        bobot=survei["nilai_ikm"].astype("float64") * survei["jumlah_responden"].astype("float64"),
    )
    bulanan = data.groupby(["kode_unit", "periode"], sort=True, as_index=False)[
        ["jumlah_responden", "bobot"]
    ].sum()
    bulanan["ikm"] = bulanan["bobot"] / bulanan["jumlah_responden"]
    ikm = bulanan.groupby("kode_unit", sort=True, as_index=False)[["jumlah_responden", "bobot"]].sum()
    ikm["ikm"] = ikm["bobot"] / ikm["jumlah_responden"]
    ikm["mutu"] = mutu_ikm(ikm["ikm"], ruleset)
    return (
        ikm[["kode_unit", "jumlah_responden", "ikm", "mutu"]].reset_index(drop=True),
        bulanan[["kode_unit", "periode", "jumlah_responden", "ikm"]].reset_index(drop=True),
    )


def monitor_mid_year(frames: dict[str, pd.DataFrame], ruleset: Ruleset, tahun: int) -> MidYearResult:
    """Mid-year check-in (PermenPAN-RB 6/2022 pemantauan): who is on track, who needs coaching."""
    bulan_batas = ruleset.pemantauan.bulan_batas
    indikator = pemantauan_indikator(frames["skp"], frames["realisasi"], ruleset, tahun)
    pegawai = frames["pegawai"][["nip", "nama", "kode_unit", "nip_atasan"]]
    pemantauan = indikator.merge(pegawai[["nip", "nama", "kode_unit"]], on="nip", how="left")
    kolom = [*PEMANTAUAN_COLUMNS, "kode_unit", "nama", "indikator", "jenis", "capaian_proyeksi"]
    berisiko = pegawai_berisiko(indikator, pegawai, input_frame(frames, "umpan_balik"), tahun, bulan_batas)
    ikm, ikm_bulanan = indeks_kepuasan(input_frame(frames, "survei_masyarakat"), tahun, ruleset)
    tanpa = indikator.loc[indikator["realisasi"].isna(), ["id_indikator", "nip"]]
    return MidYearResult(
        pemantauan=pemantauan[kolom].reset_index(drop=True),
        berisiko=berisiko,
        ikm=ikm,
        ikm_bulanan=ikm_bulanan,
        tanpa_realisasi=tanpa.reset_index(drop=True),
        ruleset_label=ruleset.label,
        ruleset_checksum=ruleset.checksum,
    )


def to_pemantauan_csv(result: MidYearResult) -> pd.DataFrame:
    """pemantauan_tengah_tahun.csv exactly as FORMATS.md lists it, numbers half-up to 2 decimals."""
    tabel = result.pemantauan[list(PEMANTAUAN_COLUMNS)].copy()
    for kolom in PEMANTAUAN_NUMBERS:
        tabel[kolom] = format_2(tabel[kolom])
    return tabel.reset_index(drop=True)

