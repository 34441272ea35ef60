"""The input file contract of FORMATS.md as data: file names, required and optional columns, types."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

BERAKHLAK: tuple[str, ...] = (
    "berorientasi_pelayanan",
    "akuntabel",
    "kompeten",
    "harmonis",
    "loyal",
    "adaptif",
    "kolaboratif",
)
JENIS_JABATAN = ("pimpinan_tinggi", "administrator", "pengawas", "fungsional", "pelaksana")
PREDIKAT_ORGANISASI = ("Istimewa", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang")
PREDIKAT = ("Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang")
ASPEK = ("kuantitas", "kualitas", "waktu", "biaya")
ARAH = ("naik", "turun")
JENIS_INDIKATOR = ("utama", "tambahan")
JENIS_UMPAN_BALIK = ("coaching", "counseling", "mentoring", "apresiasi")
RATING = ("di_atas", "sesuai", "di_bawah")


@dataclass(frozen=True)
class FileSpec:
    """One input file: its required and optional columns and which of them are numeric."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    integers: tuple[str, ...] = field(default=())
    floats: tuple[str, ...] = field(default=())

    @property
    def sheet(self) -> str:
        return self.name.removesuffix(".csv")

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


FILES: dict[str, FileSpec] = {
    spec.sheet: spec
    for spec in (
        FileSpec(
            "unit_kerja.csv",
            ("kode_unit", "nama_unit", "kode_instansi", "nama_instansi"),
            ("predikat_organisasi",),
        ),
        FileSpec(
            "pegawai.csv",
            ("nip", "nama", "kode_unit", "jabatan", "jenis_jabatan"),
            ("nip_atasan", "email"),
        ),
        FileSpec(
            "skp.csv",
            (
                "id_indikator", "nip", "tahun", "rencana_hasil_kerja", "indikator",
                "aspek", "target", "satuan", "arah", "jenis",
            ),
            ("id_indikator_atasan", "kompetensi"),
            integers=("tahun",),
            floats=("target",),
        ),
        FileSpec(
            "realisasi.csv",
            ("id_indikator", "periode", "realisasi"),
            ("bukti",),
            floats=("realisasi",),
        ),
        FileSpec(
            "perilaku.csv",
            ("nip", "nip_penilai", "periode", *BERAKHLAK),
            ("catatan",),
            integers=BERAKHLAK,
        ),
        FileSpec("umpan_balik.csv", ("nip", "dari_nip", "tanggal", "jenis"), ("catatan",)),
        FileSpec(
            "survei_masyarakat.csv",
            ("kode_unit", "periode", "layanan", "jumlah_responden", "nilai_ikm"),
            integers=("jumlah_responden",),
            floats=("nilai_ikm",),
        ),
        FileSpec(
            "riwayat_pelatihan.csv",
            ("nip", "nama_pelatihan", "kompetensi", "tanggal", "jp"),
            floats=("jp",),
        ),
        FileSpec(
            "katalog_pelatihan.csv",
            ("kode_pelatihan", "nama_pelatihan", "kompetensi", "jp"),
            floats=("jp",),
        ),
        FileSpec(
            "rating_atasan.csv",
            ("nip", "alasan"),
            ("rating_hasil_kerja", "rating_perilaku"),
        ),
    )
}


def input_frame(frames: dict[str, pd.DataFrame], sheet: str) -> pd.DataFrame:
    """The checked frame of `sheet`; an optional file that was not supplied behaves as an empty one."""
    if sheet in frames:
        return frames[sheet]
    spec = FILES[sheet]
    jenis = {k: "int64" if k in spec.integers else "float64" if k in spec.floats else "str"
             for k in spec.columns}
    turunan = {"bulan": "int64"} if sheet in ("realisasi", "survei_masyarakat") else {}
    if sheet == "perilaku":
        turunan = {"semester": "int64"}
    kolom = {**jenis, "_baris": "int64", **turunan}
    return pd.DataFrame({k: pd.Series(dtype=t) for k, t in kolom.items()})
