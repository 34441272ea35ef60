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
