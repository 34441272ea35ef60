"""Row builders for the year-end tests: tiny hand-made frames, as the reader hands them over."""

from __future__ import annotations

import pandas as pd

from contract.schema import BERAKHLAK
from penilaian.year_end import YearEndResult
from tests.penilaian.input_frames import frame

TAHUN = 2026


def nip(i: int) -> str:
    """An 18-digit NIP: born 1990-01-01, CPNS 2015-01, male, sequence i."""
    return f"199001012015011{i:03d}"


def unit(kode, org="Baik", instansi="I1"):
    return {
        "kode_unit": kode,
        "nama_unit": f"Unit {kode}",
        "kode_instansi": instansi,
        "nama_instansi": f"Instansi {instansi}",
        "predikat_organisasi": org,
    }


def peg(i, kode_unit, atasan=None):
    return {
        "nip": nip(i),
        "nama": f"Pegawai {i}",
        "kode_unit": kode_unit,
        "jabatan": "Analis",
        "jenis_jabatan": "fungsional",
        "nip_atasan": None if atasan is None else nip(atasan),
    }


def ind(id_, i, target=100.0, arah="naik", jenis="utama"):
    return {
        "id_indikator": id_,
        "nip": nip(i),
        "tahun": TAHUN,
        "rencana_hasil_kerja": "RHK",
        "indikator": f"Indikator {id_}",
        "aspek": "kuantitas",
        "target": target,
        "satuan": "dokumen",
        "arah": arah,
        "jenis": jenis,
    }


def real(id_, bulan, nilai, tahun=TAHUN):
    return {"id_indikator": id_, "periode": f"{tahun}-{bulan:02d}", "realisasi": nilai}


def rate(i, penilai, semester, nilai, tahun=TAHUN):
    """A perilaku row; `nilai` is one int for all seven values or a 7-tuple."""
    values = (nilai,) * 7 if isinstance(nilai, int) else nilai
    return {
        "nip": nip(i),
        "nip_penilai": nip(penilai),
        "periode": f"{tahun}-S{semester}",
        **dict(zip(BERAKHLAK, values, strict=True)),
    }


def frames(units, pegawai, skp, realisasi=(), perilaku=(), rating_atasan=()):
    return {
        "unit_kerja": frame("unit_kerja", list(units)),
        "pegawai": frame("pegawai", list(pegawai)),
        "skp": frame("skp", list(skp)),
        "realisasi": frame("realisasi", list(realisasi)),
        "perilaku": frame("perilaku", list(perilaku)),
        "rating_atasan": frame("rating_atasan", list(rating_atasan)),
    }


def by_nip(df: pd.DataFrame, i: int) -> pd.Series:
    rows = df.loc[df["nip"] == nip(i)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def year_end_result(hasil=None, bias=None):
    """A YearEndResult holding only the given frames (the CSV converters read one frame each)."""
    empty = pd.DataFrame()
    return YearEndResult(
        indikator=empty,
        hasil=hasil if hasil is not None else empty,
        tidak_dinilai=empty,
        bias=bias if bias is not None else empty,
        kurva=empty,
    )


# A Baik unit of 16 for explaining curve moves: nip 1 Sangat Baik, 2-15 Baik, 16 Butuh Perbaikan, as
# (i, capaian_hasil_kerja, nilai_perilaku, predikat). Baik allowed floor(70% x 16) = floor(11.2) = 11 of
# 14 holders. The holders ranked by hand (capaian desc, then nilai desc with none last, then nip asc):
# 3 and 2 tie at 100 (nilai 4.5 > 4.0); 15, 11, 12, 14 tie at 90: 15 (nilai 4.0) first, 11 before 12
# (same 3.0: nip), 14 (no nilai) last; 13 has the best nilai but capaian 80. So 12, 14, 13 (ranks
# 12-14) move to Butuh Perbaikan and nip 14 is ranked 13th of 14.
UNIT_KURVA_16 = [
    (1, 120.0, 4.0, "Sangat Baik"),
    (2, 100.0, 4.0, "Baik"),
    (3, 100.0, 4.5, "Baik"),
    (4, 99.0, 3.5, "Baik"),
    (5, 98.0, 3.5, "Baik"),
    (6, 97.0, 3.5, "Baik"),
    (7, 96.0, 3.5, "Baik"),
    (8, 95.0, 3.5, "Baik"),
    (9, 94.0, 3.5, "Baik"),
    (10, 93.0, 3.5, "Baik"),
    (11, 90.0, 3.0, "Baik"),
    (12, 90.0, 3.0, "Baik"),
    (13, 80.0, 5.0, "Baik"),
    (14, 90.0, None, "Baik"),
    (15, 90.0, 4.0, "Baik"),
    (16, 60.0, 2.5, "Butuh Perbaikan"),
]
URUTAN_PEMEGANG_16 = [3, 2, 4, 5, 6, 7, 8, 9, 10, 15, 11, 12, 14, 13]
DIPINDAH_16 = [12, 14, 13]
