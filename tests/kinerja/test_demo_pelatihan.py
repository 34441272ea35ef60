"""Demo trainings: the catalogue as in pelatihan.toml, histories mostly from it, in the year or the last."""

from __future__ import annotations

import numpy as np
import pytest

from kinerja.demo.pegawai import Pegawai, build_pegawai
from kinerja.demo.pelatihan import build_riwayat, katalog_columns
from kinerja.demo.reference import Reference, load_reference
from kinerja.demo.unit_kerja import build_unit_kerja, pegawai_per_instansi


@pytest.fixture(scope="module")
def world() -> tuple[Reference, Pegawai]:
    ref = load_reference()
    units = build_unit_kerja(4, pegawai_per_instansi(2000, ref), ref)
    return ref, build_pegawai(4, units, 2026, ref)


def test_katalog_columns(world: tuple[Reference, Pegawai]) -> None:
    ref, _ = world
    cols = katalog_columns(ref)
    kode = cols["kode_pelatihan"].to_pylist()
    assert kode[0] == "PLT-001" and len(set(kode)) == len(ref.katalog)
    assert cols["nama_pelatihan"].to_pylist() == [p.nama_pelatihan for p in ref.katalog]
    assert cols["jp"].to_pylist() == [str(p.jp) for p in ref.katalog]


def test_riwayat(world: tuple[Reference, Pegawai]) -> None:
    ref, peg = world
    cols = build_riwayat(4, peg, 2026, ref)
    known = {(p.nama_pelatihan, p.kompetensi, str(p.jp)) for p in ref.katalog}
    outside = {(p.nama_pelatihan, p.kompetensi, str(p.jp)) for p in ref.pelatihan_luar}
    rows = list(zip(cols["nama_pelatihan"].to_pylist(), cols["kompetensi"].to_pylist(),
                    cols["jp"].to_pylist(), strict=True))
    assert set(rows) <= known | outside
    share_outside = sum(r in outside for r in rows) / len(rows)
    assert 0 < share_outside < 0.1
    tanggal = cols["tanggal"].to_pylist()
    assert all(t[:4] in {"2025", "2026"} for t in tanggal)
    assert 0 < sum(t.startswith("2025") for t in tanggal) / len(tanggal) < 0.15
    index = {nip: i for i, nip in enumerate(peg.nip_text.to_pylist())}
    emp = np.asarray([index[x] for x in cols["nip"].to_pylist()])
    assert np.bincount(emp, minlength=len(index)).max() <= 3
    assert list(zip(emp.tolist(), tanggal, strict=True)) == sorted(zip(emp.tolist(), tanggal, strict=True))
