"""Tindak lanjut: competency development (PP 11/2017 jo. PP 17/2020 Pasal 203-206), rewards, counselling.

Rules 1-2 (gaps and their trainings) live in ``kesenjangan``; this module adds rule 3 (the 20 JP
minimum) and assembles the stage's tables. Interpretations of DOMAIN.md made explicit here:

- Rule 3 (20 JP, Pasal 203) applies to every employee in pegawai, scored or not.
- JP attended = riwayat_pelatihan rows dated in ``tahun``.
- Rule 3 fills ``jp_minimum - attended - JP of rules 1-2`` greedily from the catalogue trainings not
  yet attended or recommended, ordered gap kompetensi first, then jp, then kode_pelatihan; a row is
  taken while the total before it is still short. (Rules 1-2 already take every catalogue training
  of a gap kompetensi, so the gap-first key only matters if those rules are narrowed.)
- Rekomendasi holds real catalogue trainings only. Gaps with no new training and a catalogue too
  small to reach the minimum are noted in ``jp_pegawai.catatan``. ``mencapai_minimum`` and
  ``jp_unit`` count JP attended, not planned.
- Numbers inside reasons use the Indonesian decimal comma (JP without trailing zeros).
- After the objection review (DOMAIN.md "Keberatan") the result that stands is used: reward
  candidates and counselling go by ``predikat_ditetapkan``, and the priority of rules 1-2 by the
  ratings that stand (an accepted objection's new rating replaces the one year-end gave). Without an
  objection review ``predikat_ditetapkan`` is ``predikat_final``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from contract.schema import input_frame
from penilaian.kesenjangan import (
    PRIORITAS,
    kesenjangan_hasil_kerja,
    kesenjangan_perilaku,
    peringkat_prioritas,
    rekomendasi_kesenjangan,
    sudah_diikuti,
    tanpa_pelatihan,
)
from penilaian.numbers import clean, format_2
from penilaian.ruleset import Ruleset
from penilaian.text import decimal_comma, decimal_comma_value, join_text
from penilaian.year_end import YearEndResult

if TYPE_CHECKING:
    from penilaian.keberatan import KeberatanResult

REKOMENDASI_COLUMNS = (
    "nip", "kode_pelatihan", "nama_pelatihan", "kompetensi", "alasan", "jp", "prioritas",
)
REKOMENDASI_NUMBERS = ("jp",)  # written as text, not formula-escaped (contract/output.py)
PREDIKAT_TINDAK_LANJUT = ("Kurang", "Sangat Kurang")
# Rows of the rule-3 candidate cross product (employee x catalogue) handled at once: bounds memory.
_ROWS_PER_BLOCK = 2_000_000


@dataclass
class TrainingResult:
    """Everything the training stage reports: per employee, per unit, and the follow-up lists."""

    rekomendasi: pd.DataFrame
    penghargaan: pd.DataFrame
    tindak_lanjut: pd.DataFrame
    rencana_unit: pd.DataFrame
    jp_unit: pd.DataFrame
    jp_pegawai: pd.DataFrame
    tanpa_pelatihan: pd.DataFrame
    ruleset_label: str = ""
    ruleset_checksum: str = ""


def jp_diikuti(riwayat: pd.DataFrame, tahun: int) -> pd.DataFrame:
    """JP attended per employee in the year (riwayat_pelatihan rows dated in tahun)."""
    tahun_ini = riwayat.loc[riwayat["tanggal"].str.slice(0, 4) == str(tahun), ["nip", "jp"]]
    jumlah = tahun_ini.astype({"jp": "float64"}).groupby("nip", sort=True, as_index=False)["jp"].sum()
    return jumlah.rename(columns={"jp": "jp_diikuti"})


def pemenuhan_jp(
    kebutuhan: pd.DataFrame, katalog: pd.DataFrame, dikecualikan: pd.DataFrame,
    kesenjangan: pd.DataFrame,
) -> pd.DataFrame:
    """Rule 3, greedy: per employee take catalogue trainings (gap first, shortest, kode) until JP met.

    kebutuhan: nip, kurang (JP still missing); dikecualikan: (nip, kode_pelatihan) never to offer.
    Returns (nip, kode_pelatihan) of the trainings taken, in the order taken.
    """
    urut = katalog.sort_values(["jp", "kode_pelatihan"], kind="stable").reset_index(drop=True)
    n_katalog, n_pegawai = len(urut), len(kebutuhan)
    kosong = pd.DataFrame({"nip": pd.Series(dtype="str"), "kode_pelatihan": pd.Series(dtype="str")})
    if n_katalog == 0 or n_pegawai == 0:
        return kosong
    pegawai = pd.Index(kebutuhan["nip"])
    kurang = clean(kebutuhan["kurang"].to_numpy("float64"))
    jp = urut["jp"].to_numpy("float64")
    kode_komp, daftar_komp = pd.factorize(urut["kompetensi"])
    n_komp = len(daftar_komp)
    kunci_kecuali = _pair_keys(
        pegawai.get_indexer(dikecualikan["nip"]),
        pd.Index(urut["kode_pelatihan"]).get_indexer(dikecualikan["kode_pelatihan"]), n_katalog,
    )
    kunci_celah = _pair_keys(
        pegawai.get_indexer(kesenjangan["nip"]),
        pd.Index(daftar_komp).get_indexer(kesenjangan["kompetensi"]), n_komp,
    )
    diambil = []
    per_blok = max(1, _ROWS_PER_BLOCK // n_katalog)
    for awal in range(0, n_pegawai, per_blok):
        baris_pegawai = np.arange(awal, min(n_pegawai, awal + per_blok), dtype="int64")
        e = np.repeat(baris_pegawai, n_katalog)
        k = np.tile(np.arange(n_katalog, dtype="int64"), len(baris_pegawai))
        boleh = ~np.isin(e * n_katalog + k, kunci_kecuali)
        e, k = e[boleh], k[boleh]
        cocok = np.isin(e * n_komp + kode_komp[k], kunci_celah)
        urutan = np.lexsort((k, ~cocok, e))
        e, k = e[urutan], k[urutan]
        jp_baris = jp[k]
        kumulatif = np.cumsum(jp_baris)
        mulai = np.r_[True, e[1:] != e[:-1]] if len(e) else np.zeros(0, dtype=bool)
        dasar = (kumulatif - jp_baris)[mulai][np.cumsum(mulai) - 1]
        sebelum = clean(kumulatif - jp_baris - dasar)
        ambil = sebelum < kurang[e]
        diambil.append(pd.DataFrame({"nip": pegawai[e[ambil]], "kode_pelatihan":
                                     urut["kode_pelatihan"].to_numpy()[k[ambil]]}))
    return pd.concat([kosong, *diambil], ignore_index=True)


def _pair_keys(left: np.ndarray, right: np.ndarray, width: int) -> np.ndarray:
    """Encode (row, column) position pairs as one int64 key, dropping pairs with an unknown side."""
    known = (left >= 0) & (right >= 0)
    return np.unique(left[known].astype("int64") * width + right[known].astype("int64"))


def _every_employee(hasil: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every employee (Pasal 203 applies to all, scored or not): nip, kode_unit."""
    pegawai = input_frame(frames, "pegawai")[["nip", "kode_unit"]]
    semua = pd.concat([hasil[["nip", "kode_unit"]], pegawai], ignore_index=True)
    return semua.drop_duplicates("nip").sort_values("nip", kind="stable").reset_index(drop=True)


def _catatan(tanpa: pd.DataFrame, kurang_katalog: pd.Series, jp_minimum: float) -> pd.DataFrame:
    """Per employee, why the plan is incomplete: gaps without training, catalogue too small."""
    teks_jp = f"katalog tidak cukup untuk mencapai {decimal_comma_value(jp_minimum, True)} JP"
    catatan = pd.concat(
        [
            tanpa[["nip", "keterangan"]].assign(urutan=0),
            pd.DataFrame({"nip": kurang_katalog, "keterangan": teks_jp, "urutan": 1}),
        ],
        ignore_index=True,
    ).sort_values(["nip", "urutan"], kind="stable")
    return join_text(catatan, ["nip"], "keterangan").rename(columns={"keterangan": "catatan"})


def hasil_berlaku(hasil: pd.DataFrame, keberatan: KeberatanResult | None = None) -> pd.DataFrame:
    """The year-end rows as they stand after the objection review: `predikat_ditetapkan` added and, for
    an employee whose objection was decided, the ratings that stand (the new ones where accepted)."""
    if keberatan is None:
        return hasil.assign(predikat_ditetapkan=hasil["predikat_final"])
    ditetapkan = keberatan.akhir.drop_duplicates("nip").set_index("nip")["predikat_ditetapkan"]
    keputusan = keberatan.keputusan.drop_duplicates("nip").set_index("nip")
    berlaku = hasil.assign(
        predikat_ditetapkan=hasil["nip"].map(ditetapkan).fillna(hasil["predikat_final"]).astype("str"))
    for kolom in ("rating_hasil_kerja", "rating_perilaku"):
        baru = berlaku["nip"].map(keputusan[f"{kolom}_baru"])
        berlaku[kolom] = baru.where(baru.notna(), berlaku[kolom]).astype(berlaku[kolom].dtype)
    return berlaku


def recommend_trainings(
    year_end: YearEndResult, frames: dict[str, pd.DataFrame], ruleset: Ruleset, tahun: int,
    keberatan: KeberatanResult | None = None,
) -> TrainingResult:
    """Turn the result that stands (year-end, after the objection review `keberatan`) into the tindak
    lanjut: trainings, rewards, counselling, unit plans."""
    aturan = ruleset.pelatihan
    hasil, indikator = hasil_berlaku(year_end.hasil, keberatan), year_end.indikator
    katalog = input_frame(frames, "katalog_pelatihan")[
        ["kode_pelatihan", "nama_pelatihan", "kompetensi", "jp"]
    ].drop_duplicates("kode_pelatihan").astype({"jp": "float64"})
    riwayat = input_frame(frames, "riwayat_pelatihan")
    populasi = _every_employee(hasil, frames)
    diikuti = sudah_diikuti(riwayat, katalog, tahun)

    kesenjangan = pd.concat(
        [kesenjangan_perilaku(hasil, ruleset), kesenjangan_hasil_kerja(hasil, indikator, ruleset)],
        ignore_index=True,
    )
    utama = rekomendasi_kesenjangan(kesenjangan, katalog, diikuti)
    tanpa = tanpa_pelatihan(kesenjangan, katalog, utama, tahun)

    jp = populasi.merge(jp_diikuti(riwayat, tahun), on="nip", how="left")
    jp["jp_diikuti"] = jp["jp_diikuti"].fillna(0.0)
    jp_utama = utama.groupby("nip", as_index=False)["jp"].sum().rename(columns={"jp": "jp_utama"})
    jp = jp.merge(jp_utama, on="nip", how="left")
    jp["kurang"] = aturan.jp_minimum - jp["jp_diikuti"] - jp["jp_utama"].fillna(0.0)
    perlu = jp.loc[(clean(jp["jp_diikuti"]) < aturan.jp_minimum) & (clean(jp["kurang"]) > 0)]
    perlu = perlu.assign(
        alasan=f"JP tahun {tahun} baru " + decimal_comma(perlu["jp_diikuti"], True)
        + f" dari minimal {decimal_comma_value(aturan.jp_minimum, True)}",
        prioritas=PRIORITAS[2],
    )
    tambahan = pemenuhan_jp(
        perlu[["nip", "kurang"]],
        katalog,
        pd.concat([diikuti, utama[["nip", "kode_pelatihan"]]], ignore_index=True),
        kesenjangan[["nip", "kompetensi"]],
    ).merge(katalog, on="kode_pelatihan", how="left").merge(
        perlu[["nip", "alasan", "prioritas"]], on="nip", how="left"
    )
    rekomendasi = _sort_recommendations(pd.concat([utama, tambahan[list(utama.columns)]], ignore_index=True),
                           populasi, katalog)

    jp_pegawai = _jp_pegawai(jp, rekomendasi, tanpa, aturan.jp_minimum)
    return TrainingResult(
        rekomendasi=rekomendasi[[*REKOMENDASI_COLUMNS, "kode_unit"]],
        penghargaan=_with_predikat(hasil, ("Sangat Baik",)),
        tindak_lanjut=_tindak_lanjut(hasil, tahun),
        rencana_unit=_rencana_unit(rekomendasi),
        jp_unit=_jp_unit(jp_pegawai),
        jp_pegawai=jp_pegawai,
        tanpa_pelatihan=tanpa.merge(populasi, on="nip", how="left")[
            ["nip", "kode_unit", "kompetensi", "alasan", "keterangan"]
        ],
        ruleset_label=ruleset.label,
        ruleset_checksum=ruleset.checksum,
    )


def _sort_recommendations(
    rekomendasi: pd.DataFrame, populasi: pd.DataFrame, katalog: pd.DataFrame
) -> pd.DataFrame:
    """Sort by nip, priority (tinggi, sedang, rendah), kode_pelatihan on integer codes; add kode_unit."""
    nomor_pegawai = pd.Index(populasi["nip"]).get_indexer(rekomendasi["nip"])
    nomor_kode = pd.Index(katalog["kode_pelatihan"].sort_values()).get_indexer(
        rekomendasi["kode_pelatihan"]
    )
    urutan = np.lexsort(
        (nomor_kode, peringkat_prioritas(rekomendasi["prioritas"]), nomor_pegawai)
    )
    tabel = rekomendasi.iloc[urutan].reset_index(drop=True)
    tabel["kode_unit"] = populasi["kode_unit"].to_numpy()[nomor_pegawai[urutan]]
    return tabel


def _jp_pegawai(
    jp: pd.DataFrame, rekomendasi: pd.DataFrame, tanpa: pd.DataFrame, jp_minimum: float
) -> pd.DataFrame:
    """Per employee: JP attended, JP recommended, whether the 20 JP minimum is met, and notes."""
    direkomendasikan = rekomendasi.groupby("nip", as_index=False)["jp"].sum()
    tabel = jp[["nip", "kode_unit", "jp_diikuti"]].merge(
        direkomendasikan.rename(columns={"jp": "jp_direkomendasikan"}), on="nip", how="left"
    )
    tabel["jp_direkomendasikan"] = tabel["jp_direkomendasikan"].fillna(0.0)
    tabel["mencapai_minimum"] = clean(tabel["jp_diikuti"]) >= jp_minimum
    total = clean(tabel["jp_diikuti"] + tabel["jp_direkomendasikan"])
    kurang_katalog = tabel.loc[total < jp_minimum, "nip"]
    tabel = tabel.merge(_catatan(tanpa, kurang_katalog, jp_minimum), on="nip", how="left")
    tabel["catatan"] = tabel["catatan"].fillna("").astype("str")
    return tabel.sort_values("nip", kind="stable").reset_index(drop=True)


def _jp_unit(jp_pegawai: pd.DataFrame) -> pd.DataFrame:
    """Per unit: staff count, how many attended fewer than the minimum JP this year, and the share."""
    tabel = jp_pegawai.assign(di_bawah=~jp_pegawai["mencapai_minimum"]).groupby(
        "kode_unit", sort=True, as_index=False
    ).agg(jumlah_pegawai=("nip", "size"), di_bawah_minimum=("di_bawah", "sum"))
    tabel["di_bawah_minimum"] = tabel["di_bawah_minimum"].astype("int64")
    tabel["persen_di_bawah_minimum"] = tabel["di_bawah_minimum"] / tabel["jumlah_pegawai"] * 100.0
    return tabel


def _rencana_unit(rekomendasi: pd.DataFrame) -> pd.DataFrame:
    """Unit training-needs plan: per training, how many employees need it and the JP total."""
    kunci = ["kode_unit", "kode_pelatihan", "nama_pelatihan", "kompetensi"]
    return rekomendasi.groupby(kunci, sort=True, as_index=False, dropna=False).agg(
        jumlah_pegawai=("nip", "size"), total_jp=("jp", "sum")
    )


def _with_predikat(hasil: pd.DataFrame, predikat: tuple[str, ...]) -> pd.DataFrame:
    """Employees whose predikat_ditetapkan (the one that stands) is one of the given ones, by nip."""
    pilih = hasil.loc[hasil["predikat_ditetapkan"].isin(predikat),
                      ["nip", "nama", "kode_unit", "predikat_final", "predikat_ditetapkan"]]
    return pilih.sort_values("nip", kind="stable").reset_index(drop=True)


def _tindak_lanjut(hasil: pd.DataFrame, tahun: int) -> pd.DataFrame:
    """Kurang / Sangat Kurang get a counselling and performance-improvement plan."""
    tabel = _with_predikat(hasil, PREDIKAT_TINDAK_LANJUT)
    tabel["rencana"] = (
        f"Konseling kinerja oleh atasan langsung paling lambat Maret {tahun + 1}; "
        "rencana perbaikan kinerja 6 bulan"
    )
    return tabel.astype({"rencana": "str"})


TINDAK_LANJUT_PENGHARGAAN = "Kandidat penghargaan (predikat Sangat Baik)"


def tabel_tindak_lanjut(result: TrainingResult) -> pd.DataFrame:
    """The tindak_lanjut table as stored: reward candidates (penghargaan), then counselling (konseling)."""
    reward = result.penghargaan.assign(jenis="penghargaan", rencana=TINDAK_LANJUT_PENGHARGAAN)
    follow = result.tindak_lanjut.assign(jenis="konseling")
    return pd.concat([reward, follow], ignore_index=True)


def to_rekomendasi_csv(result: TrainingResult) -> pd.DataFrame:
    """rekomendasi_pelatihan.csv exactly as FORMATS.md lists it, JP half-up to 2 decimals."""
    # No .copy(): pandas' copy-on-write keeps the other columns shared until written; only jp is new (a deep
    # copy of 2.3M rows at 1,000,000 employees was the 100k PostgreSQL training peak, beside the write).
    tabel = result.rekomendasi[list(REKOMENDASI_COLUMNS)]
    tabel = tabel.assign(jp=format_2(tabel["jp"]))
    return tabel.reset_index(drop=True)
