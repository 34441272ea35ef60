"""Small stand-ins for the domain results, shaped like the frame contracts, for report tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from contract.karantina import empty_karantina
from contract.schema import BERAKHLAK, PREDIKAT
from expectations.results import GateCheck, GateResult
from penilaian.angka_kredit import ANGKA_KREDIT_COLUMNS, ANGKA_KREDIT_EXTRA_COLUMNS, AngkaKreditResult
from penilaian.keberatan import (
    KEPUTUSAN_COLUMNS,
    KEPUTUSAN_EXTRA_COLUMNS,
    KURVA_KEBERATAN_COLUMNS,
    KeberatanResult,
)
from penilaian.monitoring import MidYearResult
from penilaian.training import TrainingResult
from penilaian.year_end import YearEndResult

__all__ = [
    "AngkaKreditResult", "GateCheck", "GateResult", "KeberatanResult", "MidYearResult", "TrainingResult",
    "YearEndResult",
]

XSS = "<script>alert('x')</script>"
ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"  # XSS as every report must show it


def _nips(n: int) -> np.ndarray:
    """n distinct 18-digit NIPs (birth month/day vary, sequence 001-999)."""
    i = np.arange(n)
    day = 1 + (i // 999) % 28
    month = 1 + (i // (999 * 28)) % 12
    seq = 1 + i % 999
    return np.array(
        [f"1980{m:02d}{d:02d}2005011{s:03d}" for m, d, s in zip(month, day, seq, strict=True)],
        dtype=object,
    )


def make_frames(n: int = 6, *, units: int = 2, teks: str = "", tahun: int = 2026) -> dict:
    """Input frames for n staff spread over `units` units, plus one supervisor per unit."""
    kode_unit = [f"U{u:02d}" for u in range(1, units + 1)]
    unit_kerja = pd.DataFrame(
        {
            "kode_unit": kode_unit,
            "nama_unit": [f"Dinas {u}{teks}" for u in kode_unit],
            "kode_instansi": "PEMKAB-01",
            "nama_instansi": f"Pemerintah Kabupaten Contoh{teks}",
            "predikat_organisasi": "Baik",
        }
    )
    semua = _nips(n + units)
    atasan = semua[:units]
    staf = semua[units:]
    unit_staf = np.array(kode_unit, dtype=object)[np.arange(n) % units]
    atasan_staf = atasan[np.arange(n) % units]
    pegawai = pd.DataFrame(
        {
            "nip": np.concatenate([atasan, staf]),
            "nama": [f"Kepala {k}{teks}" for k in kode_unit] + [f"Pegawai {i}{teks}" for i in range(n)],
            "kode_unit": np.concatenate([np.array(kode_unit, dtype=object), unit_staf]),
            "jabatan": [f"Kepala Dinas{teks}"] * units + [f"Analis{teks}"] * n,
            "jenis_jabatan": ["administrator"] * units + ["pelaksana"] * n,
            "nip_atasan": [pd.NA] * units + list(atasan_staf),
            "email": pd.NA,
        }
    )
    # 2 supervisor rows + 6 peers x 2 semesters = 14 rating rows per staff member
    rows_nip = np.repeat(staf, 14)
    rows_penilai = np.empty(n * 14, dtype=object)
    rows_penilai[0::14] = atasan_staf
    rows_penilai[1::14] = atasan_staf
    for j in range(2, 14):
        rows_penilai[j::14] = staf[(np.arange(n) + 1 + (j - 2) // 2) % n]
    perilaku = pd.DataFrame(
        {
            "nip": rows_nip,
            "nip_penilai": rows_penilai,
            "periode": np.tile([f"{tahun}-S1", f"{tahun}-S2"], n * 7),
            **{k: (np.arange(n * 14) + j) % 5 + 1 for j, k in enumerate(BERAKHLAK)},
            "catatan": teks or pd.NA,
        }
    )
    umpan_balik = pd.DataFrame(
        {
            "nip": np.repeat(staf, 3),
            "dari_nip": np.repeat(atasan_staf, 3),
            "tanggal": np.tile([f"{tahun}-03-01", f"{tahun}-06-15", f"{tahun}-10-20"], n),
            "jenis": np.tile(["coaching", "mentoring", "apresiasi"], n),
            "catatan": f"Catatan umpan balik{teks}",
        }
    )
    skp = pd.DataFrame(
        {
            "id_indikator": [f"IND-{i:06d}-{j}" for i in range(n) for j in range(4)],
            "nip": np.repeat(staf, 4),
            "tahun": tahun,
            "indikator": [f"Indikator {j}{teks}" for _ in range(n) for j in range(4)],
        }
    )
    return {
        "unit_kerja": unit_kerja,
        "pegawai": pegawai,
        "perilaku": perilaku,
        "umpan_balik": umpan_balik,
        "skp": skp,
    }


def make_year_end(frames: dict, *, teks: str = "") -> YearEndResult:
    """A year-end result for every staff member (supervisors unscored), shaped like the contract."""
    peg = frames["pegawai"]
    staf = peg[peg["nip_atasan"].notna()].reset_index(drop=True)
    n = len(staf)
    i = np.arange(n)
    predikat = np.array(["Sangat Baik", "Baik", "Butuh Perbaikan", "Baik"], dtype=object)[i % 4]
    final = predikat.copy()
    final[(i % 4) == 0] = np.where(i[(i % 4) == 0] % 8 == 0, "Baik", "Sangat Baik")
    alasan = np.where(final != predikat, f"kurva: Sangat Baik <= 70%{teks}", "")
    hasil = pd.DataFrame(
        {
            "nip": staf["nip"],
            "nama": staf["nama"],
            "kode_unit": staf["kode_unit"],
            "kode_instansi": "PEMKAB-01",
            "nip_atasan": staf["nip_atasan"],
            "kepala_unit": False,
            "capaian_hasil_kerja": 60.0 + (i * 7.125) % 60,
            "rating_hasil_kerja_hitung": np.array(["di_atas", "sesuai", "di_bawah"])[i % 3],
            "rating_hasil_kerja": np.array(["di_atas", "sesuai", "di_bawah"])[i % 3],
            "nilai_perilaku": 3.0 + (i % 9) / 4,
            "rating_perilaku_hitung": "sesuai",
            "rating_perilaku": np.where(i % 5 == 0, "di_atas", "sesuai"),
            "alasan_override": np.where(i % 5 == 0, f"Kontribusi luar biasa{teks}", None),
            "predikat": predikat,
            "predikat_final": final,
            "alasan_kalibrasi": alasan,
            "peringkat": i + 1,
            **{f"rerata_{k}": 3.0 + ((i + j) % 5) / 2 for j, k in enumerate(BERAKHLAK)},
        }
    )
    hasil["alasan_override"] = hasil["alasan_override"].astype("str").where(i % 5 == 0, pd.NA)
    indikator = pd.DataFrame(
        {
            "id_indikator": frames["skp"]["id_indikator"],
            "nip": frames["skp"]["nip"],
            "jenis": np.tile(["utama", "utama", "utama", "tambahan"], n),
            "indikator": frames["skp"]["indikator"],
            "rencana_hasil_kerja": f"Rencana hasil kerja{teks}",
            "aspek": "kuantitas",
            "arah": "naik",
            "target": 1500.0,
            "satuan": f"dokumen{teks}",
            "kompetensi": pd.NA,
            "realisasi": np.where(np.arange(4 * n) % 7 == 0, np.nan, 1234.565),
            "capaian": 82.3045,
            "level": np.tile(["di_atas", "sesuai", "di_bawah", "sesuai"], n),
        }
    )
    units = frames["unit_kerja"]["kode_unit"].tolist()
    units = frames["unit_kerja"]["kode_unit"].tolist()
    kunci = {p: p.lower().replace(" ", "_") for p in PREDIKAT}
    sebelum = pd.crosstab(hasil["kode_unit"], hasil["predikat"]).reindex(
        index=units, columns=list(PREDIKAT), fill_value=0
    )
    sesudah = pd.crosstab(hasil["kode_unit"], hasil["predikat_final"]).reindex(
        index=units, columns=list(PREDIKAT), fill_value=0
    )
    kurva = pd.DataFrame(
        {
            "kode_unit": units,
            "predikat_organisasi": "Baik",
            "n": sebelum.sum(axis=1).to_numpy(),
            "dikalibrasi": True,
            **{f"sebelum_{kunci[p]}": sebelum[p].to_numpy() for p in PREDIKAT},
            **{f"sesudah_{kunci[p]}": sesudah[p].to_numpy() for p in PREDIKAT},
            "catatan": f"Baik <= 70%: terpenuhi{teks}",
        }
    )
    atasan = peg[peg["nip_atasan"].isna()]
    bias = pd.DataFrame(
        {
            "nip_penilai": atasan["nip"].to_numpy(),
            "kode_instansi": "PEMKAB-01",
            "jumlah_dinilai": 5,
            "rata_rata": 4.5,
            "sd_penilai": 0.1,
            "selisih_z": 1.234,
            "pola": ["lunak"] + ["wajar"] * (len(atasan) - 1),
        }
    )
    tidak_dinilai = pd.DataFrame(
        {
            "nip": [atasan["nip"].iloc[0]],
            "nama": [atasan["nama"].iloc[0]],
            "kode_unit": [atasan["kode_unit"].iloc[0]],
            "kode_instansi": ["PEMKAB-01"],
            "kode_aturan": ["skp.utama.ada"],
            "alasan": [f"tidak memiliki indikator utama{teks}"],
            "reason": ["no main indicator"],
        }
    )
    return YearEndResult(indikator, hasil, tidak_dinilai, bias, kurva, f"permenpan-6-2022 v1.0.0{teks}")


def make_training(year_end: YearEndResult, *, teks: str = "") -> TrainingResult:
    """A training result with one plan row per unit and reward/follow-up lists."""
    hasil = year_end.hasil
    units = sorted(hasil["kode_unit"].unique())
    sb = hasil[hasil["predikat_final"] == "Sangat Baik"]
    bp = hasil[hasil["predikat_final"] == "Butuh Perbaikan"]
    rencana = pd.DataFrame(
        {
            "kode_unit": [u for u in units for _ in range(2)],
            "kode_pelatihan": ["PLT-01", "PLT-02"] * len(units),
            "nama_pelatihan": [f"Pelayanan Prima{teks}", f"Analisis Data{teks}"] * len(units),
            "kompetensi": ["berorientasi_pelayanan", "analisis_data"] * len(units),
            "jumlah_pegawai": [3, 1] * len(units),
            "total_jp": [72.0, 12.5] * len(units),
        }
    )
    return TrainingResult(
        rekomendasi=pd.DataFrame(),
        penghargaan=sb[["nip", "nama", "kode_unit", "predikat_final"]].reset_index(drop=True),
        tindak_lanjut=bp[["nip", "nama", "kode_unit", "predikat_final"]].assign(
            rencana=f"Pembinaan dan pelatihan{teks}"
        ),
        rencana_unit=rencana,
        jp_unit=pd.DataFrame(
            {
                "kode_unit": units,
                "jumlah_pegawai": 10,
                "di_bawah_minimum": 4,
                "persen_di_bawah_minimum": 40.0,
            }
        ),
        jp_pegawai=pd.DataFrame(),
        tanpa_pelatihan=pd.DataFrame(),
    )


def make_mid_year(frames: dict, *, teks: str = "", tahun: int = 2026) -> MidYearResult:
    """A mid-year result: statuses per indicator, one at-risk employee without feedback, IKM."""
    peg = frames["pegawai"]
    staf = peg[peg["nip_atasan"].notna()].reset_index(drop=True)
    skp = frames["skp"]
    unit = skp["nip"].map(dict(zip(peg["nip"], peg["kode_unit"], strict=True)))
    pem = pd.DataFrame(
        {
            "nip": skp["nip"],
            "id_indikator": skp["id_indikator"],
            "status": np.array(["sesuai_jalur", "berisiko", "tertinggal", "sesuai_jalur"])[
                np.arange(len(skp)) % 4
            ],
            "kode_unit": unit,
            "indikator": skp["indikator"],
        }
    )
    ber = staf.iloc[:2]
    berisiko = pd.DataFrame(
        {
            "nip_atasan": ber["nip_atasan"].to_numpy(),
            "nip": ber["nip"].to_numpy(),
            "nama": ber["nama"].to_numpy(),
            "kode_unit": ber["kode_unit"].to_numpy(),
            "jumlah_berisiko": [1, 2],
            "jumlah_tertinggal": [1, 0],
            "umpan_balik": [f"coaching {tahun}-03-01{teks}", ""],
            "jumlah_umpan_balik": [1, 0],
            "ada_umpan_balik": [True, False],
        }
    )
    units = frames["unit_kerja"]["kode_unit"].tolist()
    ikm = pd.DataFrame({"kode_unit": units, "jumlah_responden": 120, "ikm": 84.125, "mutu": "B"})
    bulanan = pd.DataFrame(
        {
            "kode_unit": [u for u in units for _ in range(6)],
            "periode": [f"{tahun}-{m:02d}" for _ in units for m in range(1, 7)],
            "jumlah_responden": 20,
            "ikm": [80.0, 82.5, 85.0, 83.0, 86.0, 88.5] * len(units),
        }
    )
    return MidYearResult(
        pemantauan=pem,
        berisiko=berisiko,
        ikm=ikm,
        ikm_bulanan=bulanan,
        tanpa_realisasi=pem.iloc[:1][["id_indikator", "nip"]],
    )


def make_gate(teks: str = "") -> GateResult:
    """A year-end gate with one failing check (two worst rows), one passing check and a unit summary."""
    return GateResult(
        tahap="year-end",
        tahun=2026,
        checks=[
            GateCheck(
                kode="pegawai.nip.format",
                berkas="pegawai.csv",
                deskripsi=f"NIP 18 digit yang sah{teks}",
                sumber="great_expectations",
                lulus=False,
                diperiksa=1200,
                gagal=300,
                ambang=f"maks. 20% baris{teks}",
                contoh=[
                    {"baris": 7, "kolom": "nip", "nilai": f"12AB{teks}", "alasan": f"bukan angka{teks}"},
                    {"baris": 9, "kolom": "nip", "nilai": None, "alasan": "kosong"},
                ],
            ),
            GateCheck(
                kode="relasi.atasan",
                berkas="",
                deskripsi="Atasan ada di instansi yang sama",
                sumber="relasional",
                lulus=True,
                diperiksa=1200,
                gagal=0,
                ambang="0 baris",
            ),
        ],
        ringkasan_unit=pd.DataFrame(
            {
                "kode_unit": ["U01"],
                "nama_unit": [f"Dinas Kesehatan{teks}"],
                "pegawai": [3],
                "persen_lengkap": [200 / 3],
            }
        ),
    )


# (hasil row, keputusan, new rating hasil kerja, new rating perilaku, predikat ditetapkan, decider):
# decider "U01"/"U02" is that unit's head, "" the Pejabat Pembina Kepegawaian.
OBJECTIONS = (
    (2, "diterima", "sesuai", None, "Baik", "U02"),  # U01: Butuh Perbaikan -> Baik
    (1, "ditolak", None, None, "Baik", "U01"),  # U02: Baik stays
    (3, "diterima", None, "di_atas", "Sangat Baik", ""),  # U02: Baik -> Sangat Baik, decided by the PPK
)


def make_keberatan(
    year_end: YearEndResult, frames: dict, *, teks: str = "", melanggar: tuple[str, ...] = ("U02",)
) -> KeberatanResult:
    """Three decided objections (OBJECTIONS); units in `melanggar` no longer meet their curve."""
    hasil = year_end.hasil.reset_index(drop=True)
    peg = frames["pegawai"]
    pimpinan = peg[peg["nip_atasan"].isna()]
    kepala = dict(zip(pimpinan["kode_unit"], pimpinan["nip"], strict=True))
    nama = dict(zip(peg["nip"], peg["nama"], strict=True))
    baris = [hasil.iloc[i] for i, *_ in OBJECTIONS]
    pemutus = [kepala[u] if u else "" for *_, u in OBJECTIONS]
    keputusan = pd.DataFrame(
        {
            "nip": [b["nip"] for b in baris],
            "keputusan": [k for _, k, *_ in OBJECTIONS],
            "rating_hasil_kerja_lama": [b["rating_hasil_kerja"] for b in baris],
            "rating_perilaku_lama": [b["rating_perilaku"] for b in baris],
            "predikat_lama": [b["predikat_final"] for b in baris],
            "rating_hasil_kerja_baru": [o[2] or b["rating_hasil_kerja"] for o, b in zip(OBJECTIONS, baris,
                                                                                       strict=True)],
            "rating_perilaku_baru": [o[3] or b["rating_perilaku"] for o, b in zip(OBJECTIONS, baris,
                                                                                 strict=True)],
            "predikat_ditetapkan": [o[4] for o in OBJECTIONS],
            "nip_pemutus": pemutus,
            "tanggal_keputusan": ["2027-02-03", "2027-02-04", "2027-02-05"],
            "nama": [b["nama"] for b in baris],
            "kode_unit": [b["kode_unit"] for b in baris],
            "tanggal_terima": ["2027-01-05", "2027-01-06", "2027-01-07"],
            "tanggal_pengajuan": ["2027-01-12", "2027-01-13", "2027-01-14"],
            "alasan": [f"Capaian indikator {i} belum dihitung{teks}" for i in range(3)],
            "catatan_keputusan": [f"Bukti realisasi diterima{teks}", pd.NA, f"Dinilai ulang{teks}"],
            "nama_pemutus": [nama.get(n, "") for n in pemutus],
        }
    ).sort_values("nip", kind="stable").reset_index(drop=True)[[*KEPUTUSAN_COLUMNS, *KEPUTUSAN_EXTRA_COLUMNS]]
    akhir = hasil.assign(keberatan="tidak", predikat_ditetapkan=hasil["predikat_final"])
    ada = akhir["nip"].isin(keputusan["nip"])
    akhir.loc[ada, "keberatan"] = "ya"
    akhir.loc[ada, "predikat_ditetapkan"] = akhir.loc[ada, "nip"].map(
        dict(zip(keputusan["nip"], keputusan["predikat_ditetapkan"], strict=True))
    )
    units = sorted(keputusan["kode_unit"].unique())
    kurva = pd.DataFrame(
        {
            "kode_unit": units,
            "predikat_organisasi": "Baik",
            "memenuhi": [u not in melanggar for u in units],
            "pelanggaran": [f"Sangat Baik 2 dari 3 (67%) > maks. 20%{teks}" if u in melanggar else ""
                            for u in units],
        }
    ).astype(KURVA_KEBERATAN_COLUMNS)
    return KeberatanResult(keputusan=keputusan, akhir=akhir, karantina=empty_karantina(), kurva=kurva)


# (hasil row, jenjang, golongan, bulan, ak_awal, langkah_berikutnya, ambang) of the functional officials;
# rows 0, 2, 4 are in U01, rows 1, 5 in U02, row 3 is no functional official.
OFFICIALS = (
    (0, "ahli_pertama", "III/a", 12, 40.0, "pangkat", 50.0),  # Baik: 12.5 -> 52.5, reaches the pangkat
    (1, "ahli_muda", "III/d", 12, 180.0, "jenjang", 200.0),  # Baik: 25 -> 205, reaches the jenjang
    (2, "ahli_pertama", "III/a", 2, 10.0, "pangkat", 50.0),  # 2 months: below the threshold
    (4, "ahli_utama", "IV/e", 12, 300.0, "puncak", np.nan),  # Sangat Baik: 75 -> 375, top
    (5, "terampil", "II/d", 12, 50.0, "jenjang", 60.0),  # Baik: 5 -> 55, short of the jenjang by 5
)
PERSENTASE = {"Sangat Baik": 150.0, "Baik": 100.0, "Butuh Perbaikan": 75.0, "Kurang": 50.0,
              "Sangat Kurang": 25.0}
KOEFISIEN = {"terampil": 5.0, "ahli_pertama": 12.5, "ahli_muda": 25.0, "ahli_utama": 50.0}


def make_angka_kredit(year_end: YearEndResult, keberatan: KeberatanResult | None = None) -> AngkaKreditResult:
    """The conversion of OFFICIALS, unrounded, with the predikat that stands (after keberatan, if given)."""
    hasil = year_end.hasil.reset_index(drop=True)
    if keberatan is not None:
        hasil = hasil.assign(predikat_final=hasil["nip"].map(
            dict(zip(keberatan.akhir["nip"], keberatan.akhir["predikat_ditetapkan"], strict=True))))
    baris = hasil.iloc[[o[0] for o in OFFICIALS]]
    predikat = baris["predikat_final"].to_numpy()
    persentase = np.array([PERSENTASE[p] for p in predikat])
    koefisien = np.array([KOEFISIEN[o[1]] for o in OFFICIALS])
    bulan = np.array([o[3] for o in OFFICIALS])
    ak_tahun = bulan / 12 * persentase / 100 * koefisien
    ak_awal = np.array([o[4] for o in OFFICIALS])
    langkah = np.array([o[5] for o in OFFICIALS], dtype=object)
    ambang = np.array([o[6] for o in OFFICIALS])
    kumulatif = ak_awal + ak_tahun
    hasil_ak = pd.DataFrame(
        {
            "nip": baris["nip"].to_numpy(),
            "jenjang": [o[1] for o in OFFICIALS],
            "golongan": [o[2] for o in OFFICIALS],
            "predikat_ditetapkan": predikat,
            "persentase": persentase,
            "koefisien": koefisien,
            "bulan": bulan,
            "ak_tahun": ak_tahun,
            "ak_awal": ak_awal,
            "ak_kumulatif": kumulatif,
            "langkah_berikutnya": langkah,
            "ambang": ambang,
            "memenuhi": np.where((langkah != "puncak") & (kumulatif >= np.nan_to_num(ambang)), "ya", "tidak"),
            "kekurangan": np.where(langkah == "puncak", np.nan, np.maximum(0.0, ambang - kumulatif)),
            "nama": baris["nama"].to_numpy(),
            "kode_unit": baris["kode_unit"].to_numpy(),
            "uji_kompetensi": langkah == "jenjang",
        }
    ).sort_values("nip", kind="stable").reset_index(drop=True)
    return AngkaKreditResult(hasil=hasil_ak[[*ANGKA_KREDIT_COLUMNS, *ANGKA_KREDIT_EXTRA_COLUMNS]],
                             karantina=empty_karantina())
