"""Demo work units: real OPDs first, sizes that add up and stay bounded, predikat as promised."""

from __future__ import annotations

import numpy as np
import pytest

from kinerja.demo.reference import Reference, load_reference
from kinerja.demo.unit_kerja import (
    MAX_SIZE,
    build_unit_kerja,
    jumlah_unit,
    pegawai_per_instansi,
    predikat_organisasi,
    real_opd,
    unit_kerja_columns,
    unit_sizes,
)


@pytest.fixture(scope="module")
def ref() -> Reference:
    return load_reference()


@pytest.mark.parametrize("n", [1, 7, 300, 1501, 10_000])
def test_pegawai_per_instansi_adds_up(ref: Reference, n: int) -> None:
    per = pegawai_per_instansi(n, ref)
    assert sum(per) == n and len(per) == len(ref.instansi)
    assert all(abs(p - x.share * n) < len(ref.instansi) for p, x in zip(per, ref.instansi, strict=True))


def test_jumlah_unit_bounds() -> None:
    assert jumlah_unit(1) == 1
    assert jumlah_unit(8) == 2
    for n in (30, 100, 1000, 100_000):
        assert 10 <= n / jumlah_unit(n) <= MAX_SIZE


def test_real_opd_names_and_skips_missing_kecamatan(ref: Reference) -> None:
    ins = min(ref.instansi, key=lambda x: len(x.kecamatan))
    real = real_opd(ins, ref)
    kecamatan = [nama for kind, nama, _ in real if kind == "kecamatan"]
    assert kecamatan == [f"Kecamatan {k}" for k in ins.kecamatan]
    assert ("rsud", ins.rsud, ref.kinds["rsud"].kepala) in real
    assert real[0][0] == "setda"
    assert all("{" not in nama for _, nama, _ in real)


def test_unit_sizes_add_up_and_respect_the_maximum() -> None:
    rng = np.random.default_rng(3)
    weight = np.asarray([50.0, 1, 1, 1, 1, 1, 1, 1, 1, 1])
    s = unit_sizes(rng, 400, weight)
    assert s.sum() == 400 and s.max() <= MAX_SIZE and s.min() >= 10
    tiny = unit_sizes(rng, 5, np.ones(2))
    assert tiny.sum() == 5


def test_predikat_organisasi_first_baik_showcase_set(ref: Reference) -> None:
    rng = np.random.default_rng(4)
    for ins in ref.instansi:
        pred = predikat_organisasi(rng, 40, ins)
        assert pred[0] == "Baik" and pred[ins.showcase_unit] == ins.showcase_predikat
        kurang = np.nonzero(pred == "Kurang")[0].tolist()
        assert kurang in ([], [ins.showcase_unit])
    small = predikat_organisasi(rng, 1, ref.instansi[0])
    assert small.tolist() == ["Baik"]


def test_build_unit_kerja(ref: Reference) -> None:
    per = pegawai_per_instansi(2000, ref)
    units = build_unit_kerja(2026, per, ref)
    assert len(set(units.kode.to_pylist())) == len(units.kode)
    for i, n in enumerate(per):
        mine = units.instansi == i
        assert units.size[mine].sum() == n
        assert np.all(units.setda[mine] == np.nonzero(mine)[0][0])
    extra = np.nonzero(units.tambahan)[0]
    assert len(extra) > 0
    assert (units.induk[extra] >= 0).all() and (units.induk[~units.tambahan] == -1).all()
    assert (units.instansi[units.induk[extra]] == units.instansi[extra]).all()
    names = units.nama.to_pylist()
    assert all("{" not in n for n in names)
    columns = unit_kerja_columns(units, ref)
    assert set(columns["kode_instansi"].to_pylist()) == {x.kode for x in ref.instansi}
