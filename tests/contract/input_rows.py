"""A small, fully valid input set as the reader gives it, for the value-rule tests to break."""

from __future__ import annotations

import numpy as np
import pandas as pd

from contract.schema import BERAKHLAK, FILES
from contract.values import check_values

TAHUN = 2026
A = "198001012005011001"  # head of instansi I1, unit U1
B = "199001012015012002"  # U1, under A
C = "199203152018031003"  # U1, under B
D = "198505052010011004"  # U2, under A: head of unit U2
E = "199512312020122006"  # U1, under B, a functional official: nobody refers to E
X = "197001012000011005"  # head of instansi I2
ASING = "199901012020011009"  # well-formed, not in pegawai.csv
EMPAT = dict.fromkeys(BERAKHLAK, "4")


def raw(sheet: str, rows: list[dict]) -> pd.DataFrame:
    """A raw frame as the reader gives it: every column as text (NA when empty) plus `_baris`."""
    frame = pd.DataFrame(rows, columns=list(FILES[sheet].columns)).astype("str")
    frame["_baris"] = np.arange(2, len(frame) + 2)
    return frame


def dataset() -> dict[str, pd.DataFrame]:
    """A small, fully valid input set; tests break one value at a time."""
    def pegawai(nip: str, unit: str, jenis: str, atasan: str | None) -> dict:
        return {"nip": nip, "nama": "N", "kode_unit": unit, "jabatan": "J",
                "jenis_jabatan": jenis, "nip_atasan": atasan}

    def skp(ident: str, nip: str, induk: str | None, jenis: str = "utama") -> dict:
        return {"id_indikator": ident, "nip": nip, "tahun": "2026", "rencana_hasil_kerja": "R",
                "indikator": "I", "aspek": "kuantitas", "target": "10", "satuan": "dok",
                "arah": "naik", "jenis": jenis, "id_indikator_atasan": induk,
                "kompetensi": "pelayanan_publik"}

    return {
        "unit_kerja": raw("unit_kerja", [
            {"kode_unit": u, "nama_unit": u, "kode_instansi": i, "nama_instansi": i,
             "predikat_organisasi": "Baik"}
            for u, i in (("U1", "I1"), ("U2", "I1"), ("U9", "I2"))
        ]),
        "pegawai": raw("pegawai", [
            pegawai(A, "U1", "pimpinan_tinggi", None),
            pegawai(B, "U1", "pengawas", A),
            pegawai(C, "U1", "pelaksana", B),
            pegawai(D, "U2", "administrator", A),
            pegawai(E, "U1", "fungsional", B),
            pegawai(X, "U9", "pimpinan_tinggi", None),
        ]),
        "skp": raw("skp", [
            skp("IA", A, None), skp("IB", B, "IA"), skp("IC", C, "IB"), skp("ID", D, None),
            skp("IE", E, "IB"), skp("IX", X, None), skp("IE2", E, None, "tambahan"),
        ]),
        "realisasi": raw("realisasi", [
            {"id_indikator": "IA", "periode": "2026-01", "realisasi": "5"},
            {"id_indikator": "IA", "periode": "2026-02", "realisasi": "6.5"},
        ]),
        "perilaku": raw("perilaku", [
            {"nip": C, "nip_penilai": B, "periode": "2026-S1", **EMPAT},
            {"nip": C, "nip_penilai": B, "periode": "2026-S2", **EMPAT, "loyal": "5.0"},
        ]),
        "umpan_balik": raw("umpan_balik", [
            {"nip": C, "dari_nip": B, "tanggal": "2026-03-01", "jenis": "coaching"},
        ]),
        "survei_masyarakat": raw("survei_masyarakat", [
            {"kode_unit": "U1", "periode": "2026-03", "layanan": "KTP", "jumlah_responden": "40",
             "nilai_ikm": "85.5"},
        ]),
        "riwayat_pelatihan": raw("riwayat_pelatihan", [
            {"nip": C, "nama_pelatihan": "P", "kompetensi": "pelayanan_publik",
             "tanggal": "2026-02-01", "jp": "8"},
        ]),
        "katalog_pelatihan": raw("katalog_pelatihan", [
            {"kode_pelatihan": "P1", "nama_pelatihan": "P", "kompetensi": "adaptif", "jp": "10"},
            {"kode_pelatihan": "P2", "nama_pelatihan": "Q", "kompetensi": "k3_konstruksi",
             "jp": "2.5"},
        ]),
        "rating_atasan": raw("rating_atasan", [
            {"nip": C, "rating_hasil_kerja": "di_atas", "rating_perilaku": None, "alasan": "ok"},
        ]),
        "keberatan": raw("keberatan", [
            {"nip": C, "tahun": "2026", "tanggal_terima": "2027-01-25", "tanggal_pengajuan": "2027-02-08",
             "alasan": "capaian belum lengkap", "nip_pemutus": A, "tanggal_keputusan": "2027-02-15",
             "keputusan": "diterima", "rating_hasil_kerja_baru": "di_atas"},
        ]),
        "angka_kredit": raw("angka_kredit", [
            {"nip": E, "jenjang": "ahli_pertama", "golongan": "III/a", "ak_awal": "12.5", "bulan": "12"},
        ]),
    }


def run(
    data: dict[str, pd.DataFrame], tahap: str = "validation"
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, pd.DataFrame]:
    return check_values(data, TAHUN, tahap)


def with_value(sheet: str, row: int, kolom: str, nilai: str | None) -> dict[str, pd.DataFrame]:
    data = dataset()
    data[sheet].loc[row, kolom] = nilai
    return data
