"""Demo umpan balik: from the supervisor, never to an instansi head, dated in the year, notes by jenis."""

from __future__ import annotations

import numpy as np
import pytest

from contract.schema import JENIS_UMPAN_BALIK
from kinerja.demo.pegawai import Pegawai, build_pegawai
from kinerja.demo.reference import Reference, load_reference
from kinerja.demo.umpan_balik import build_umpan_balik
from kinerja.demo.unit_kerja import build_unit_kerja, pegawai_per_instansi


@pytest.fixture(scope="module")
def world() -> tuple[Reference, Pegawai]:
    ref = load_reference()
    units = build_unit_kerja(3, pegawai_per_instansi(3000, ref), ref)
    return ref, build_pegawai(3, units, 2024, ref)


def test_umpan_balik(world: tuple[Reference, Pegawai]) -> None:
    ref, peg = world
    cols = build_umpan_balik(3, peg, 2024, ref)
    nips = peg.nip_text.to_pylist()
    index = {nip: i for i, nip in enumerate(nips)}
    emp = np.asarray([index[x] for x in cols["nip"].to_pylist()])
    assert (peg.atasan[emp] >= 0).all()
    assert cols["dari_nip"].to_pylist() == [nips[a] for a in peg.atasan[emp]]
    assert np.bincount(emp, minlength=len(nips)).max() <= 3
    tanggal = cols["tanggal"].to_pylist()
    assert min(tanggal) >= "2024-01-01" and max(tanggal) <= "2024-12-31"
    assert max(tanggal) > "2024-12-15"  # a leap year's last days are reachable
    for jenis, catatan in zip(cols["jenis"].to_pylist(), cols["catatan"].to_pylist(), strict=True):
        assert catatan in ref.catatan.umpan_balik[jenis]
    assert set(cols["jenis"].to_pylist()) == set(JENIS_UMPAN_BALIK)
    keys = list(zip(emp.tolist(), tanggal, strict=True))
    assert keys == sorted(keys)
