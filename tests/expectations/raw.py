"""Raw input frames as the reader hands them to the gate, for the expectations tests."""

from __future__ import annotations

import pandas as pd

from contract.schema import BERAKHLAK, FILES
from expectations.results import GateCheck

TAHUN = 2026
NIP_A = "198001012005011001"
NIP_B = "198502022010012002"
NIP_C = "199003032015031003"


def raw_frame(sheet: str, rows: list[dict]) -> pd.DataFrame:
    """A raw frame as the reader hands it to the gate: every column text (NA when empty)."""
    spec = FILES[sheet]
    data = pd.DataFrame(rows, columns=list(spec.columns)).astype("str")
    data["_baris"] = pd.Series(range(2, len(data) + 2), index=data.index, dtype="int64")
    return data


def pegawai_rows(n: int) -> list[dict]:
    return [
        {
            "nip": f"1980010120050110{i:02d}" if i < 100 else f"19800101200501{i:04d}",
            "nama": f"Pegawai {i}",
            "kode_unit": "U1",
            "jabatan": "Analis",
            "jenis_jabatan": "pelaksana",
            "nip_atasan": None if i == 0 else "198001012005011000",
        }
        for i in range(n)
    ]


def nilai_berakhlak(v: str) -> dict:
    return dict.fromkeys(BERAKHLAK, v)


def raw_bersih() -> dict[str, pd.DataFrame]:
    """One small, clean raw frame per input file."""
    return {
        "unit_kerja": raw_frame(
            "unit_kerja",
            [
                {
                    "kode_unit": "U1",
                    "nama_unit": "Bagian Umum",
                    "kode_instansi": "I1",
                    "nama_instansi": "Pemkab",
                    "predikat_organisasi": "Baik",
                },
                {
                    "kode_unit": "U2",
                    "nama_unit": "Bagian Hukum",
                    "kode_instansi": "I1",
                    "nama_instansi": "Pemkab",
                    "predikat_organisasi": "Istimewa",
                },
            ],
        ),
        "pegawai": raw_frame(
            "pegawai",
            [
                {
                    "nip": NIP_A,
                    "nama": "Ani",
                    "kode_unit": "U1",
                    "jabatan": "Kepala",
                    "jenis_jabatan": "pimpinan_tinggi",
                    "email": "ani@example.go.id",
                },
                {
                    "nip": NIP_B,
                    "nama": "Budi",
                    "kode_unit": "U1",
                    "jabatan": "Analis",
                    "jenis_jabatan": "fungsional",
                    "nip_atasan": NIP_A,
                },
                {
                    "nip": NIP_C,
                    "nama": "Citra",
                    "kode_unit": "U2",
                    "jabatan": "Staf",
                    "jenis_jabatan": "pelaksana",
                    "nip_atasan": NIP_A,
                },
            ],
        ),
        "skp": raw_frame(
            "skp",
            [
                {
                    "id_indikator": "K1",
                    "nip": NIP_A,
                    "tahun": "2026",
                    "rencana_hasil_kerja": "R",
                    "indikator": "Dokumen",
                    "aspek": "kuantitas",
                    "target": "12",
                    "satuan": "dok",
                    "arah": "naik",
                    "jenis": "utama",
                    "kompetensi": "akuntabel",
                },
                {
                    "id_indikator": "K2",
                    "nip": NIP_B,
                    "tahun": "2026",
                    "rencana_hasil_kerja": "R",
                    "indikator": "Hari",
                    "aspek": "waktu",
                    "target": "12,5",
                    "satuan": "hari",
                    "arah": "turun",
                    "jenis": "utama",
                    "id_indikator_atasan": "K1",
                    "kompetensi": "pelayanan_publik",
                },
                {
                    "id_indikator": "K3",
                    "nip": NIP_C,
                    "tahun": "2026",
                    "rencana_hasil_kerja": "R",
                    "indikator": "Mutu",
                    "aspek": "kualitas",
                    "target": "0.5",
                    "satuan": "%",
                    "arah": "naik",
                    "jenis": "tambahan",
                },
            ],
        ),
        "realisasi": raw_frame(
            "realisasi",
            [
                {"id_indikator": "K1", "periode": "2026-01", "realisasi": "0"},
                {"id_indikator": "K1", "periode": "2026-12", "realisasi": "12,5", "bukti": "x"},
            ],
        ),
        "perilaku": raw_frame(
            "perilaku",
            [
                {"nip": NIP_B, "nip_penilai": NIP_A, "periode": "2026-S1", **nilai_berakhlak("3")},
                {"nip": NIP_C, "nip_penilai": NIP_A, "periode": "2026-S2", **nilai_berakhlak("5")},
            ],
        ),
        "umpan_balik": raw_frame(
            "umpan_balik",
            [{"nip": NIP_B, "dari_nip": NIP_A, "tanggal": "2026-03-31", "jenis": "coaching"}],
        ),
        "survei_masyarakat": raw_frame(
            "survei_masyarakat",
            [
                {
                    "kode_unit": "U1",
                    "periode": "2026-02",
                    "layanan": "KTP",
                    "jumlah_responden": "40",
                    "nilai_ikm": "88,31",
                },
                {
                    "kode_unit": "U1",
                    "periode": "2026-03",
                    "layanan": "KTP",
                    "jumlah_responden": "1",
                    "nilai_ikm": "25",
                },
            ],
        ),
        "riwayat_pelatihan": raw_frame(
            "riwayat_pelatihan",
            [
                {
                    "nip": NIP_B,
                    "nama_pelatihan": "Excel",
                    "kompetensi": "analisis_data",
                    "tanggal": "2026-05-04",
                    "jp": "8",
                }
            ],
        ),
        "katalog_pelatihan": raw_frame(
            "katalog_pelatihan",
            [
                {"kode_pelatihan": "P1", "nama_pelatihan": "Excel", "kompetensi": "analisis_data", "jp": "8"},
                {"kode_pelatihan": "P2", "nama_pelatihan": "Etika", "kompetensi": "akuntabel", "jp": "12.5"},
            ],
        ),
        "rating_atasan": raw_frame(
            "rating_atasan",
            [{"nip": NIP_B, "rating_perilaku": "di_atas", "alasan": "Kinerja luar biasa"}],
        ),
        "keberatan": raw_frame(
            "keberatan",
            [{"nip": NIP_C, "tahun": str(TAHUN), "tanggal_terima": f"{TAHUN + 1}-01-25",
              "tanggal_pengajuan": f"{TAHUN + 1}-02-02", "alasan": "Capaian belum dihitung lengkap",
              "nip_pemutus": NIP_A, "tanggal_keputusan": f"{TAHUN + 1}-02-09", "keputusan": "diterima",
              "rating_hasil_kerja_baru": "di_atas"}],
        ),
        "angka_kredit": raw_frame(
            "angka_kredit",
            [{"nip": NIP_B, "jenjang": "ahli_pertama", "golongan": "III/b", "ak_awal": "62.5",
              "bulan": "12"}],
        ),
    }


def by_kode(checks: list[GateCheck]) -> dict[str, GateCheck]:
    return {c.kode: c for c in checks}
