"""Demo IKM surveys: twelve months for each layanan of each unit that has services, IKM in range."""

from __future__ import annotations

from collections import Counter

import pytest

from kinerja.demo.reference import Reference, load_reference
from kinerja.demo.survei import build_survei
from kinerja.demo.unit_kerja import UnitKerja, build_unit_kerja, pegawai_per_instansi


@pytest.fixture(scope="module")
def world() -> tuple[Reference, UnitKerja]:
    ref = load_reference()
    return ref, build_unit_kerja(9, pegawai_per_instansi(2500, ref), ref)


def test_survei_rows_per_layanan(world: tuple[Reference, UnitKerja]) -> None:
    ref, units = world
    cols = build_survei(9, units, 2026, ref)
    kinds = [ref.kinds[ref.kind_keys[k]] for k in units.kind]
    expected = Counter()
    for kode, kind in zip(units.kode.to_pylist(), kinds, strict=True):
        for layanan in kind.layanan:
            expected[(kode, layanan)] = 12
    got = Counter(zip(cols["kode_unit"].to_pylist(), cols["layanan"].to_pylist(), strict=True))
    assert got == expected and len(expected) > 0
    assert {p[:5] for p in cols["periode"].to_pylist()} == {"2026-"}
    ikm = [float(x) for x in cols["nilai_ikm"].to_pylist()]
    assert 60 <= min(ikm) and max(ikm) <= 98
    responden = [int(x) for x in cols["jumlah_responden"].to_pylist()]
    assert 20 <= min(responden) and max(responden) <= 400
