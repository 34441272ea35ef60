"""Demo pegawai: one head per unit, a supervisor chain to the Sekda, valid unique NIPs, titled names."""

from __future__ import annotations

import calendar

import numpy as np
import pyarrow as pa
import pytest

from kinerja.demo.pegawai import (
    Pegawai,
    build_pegawai,
    hierarchy,
    nip,
    pegawai_columns,
    performance,
    with_gelar,
)
from kinerja.demo.reference import Reference, load_reference
from kinerja.demo.unit_kerja import UnitKerja, build_unit_kerja, pegawai_per_instansi

TAHUN = 2026


@pytest.fixture(scope="module")
def world() -> tuple[Reference, UnitKerja, Pegawai]:
    ref = load_reference()
    units = build_unit_kerja(11, pegawai_per_instansi(900, ref), ref)
    return ref, units, build_pegawai(11, units, TAHUN, ref)


def test_hierarchy_heads_and_supervisors(world: tuple[Reference, UnitKerja, Pegawai]) -> None:
    ref, units, _ = world
    h = hierarchy(units, ref)
    assert (h.level[h.pos == 0] == 0).all() and (h.level[h.pos > 0] > 0).all()
    inside = h.atasan >= 0
    assert (h.unit[h.atasan[inside & (h.level > 0)]] == h.unit[inside & (h.level > 0)]).all()
    assert (h.level[h.atasan[h.level > 0]] < h.level[h.level > 0]).all()
    heads_without = np.nonzero(h.atasan < 0)[0]
    assert sorted(units.instansi[h.unit[heads_without]].tolist()) == list(range(len(ref.instansi)))
    for i in range(len(h.unit)):  # every chain ends at a Sekda
        seen = 0
        cur = i
        while h.atasan[cur] >= 0:
            cur = h.atasan[cur]
            seen += 1
            assert seen < 10
        assert h.unit[cur] == units.setda[h.unit[cur]]


def test_nip_valid_and_unique() -> None:
    rng = np.random.default_rng(0)
    level = np.tile(np.asarray([0, 1, 2, 3]), 5000)
    numbers, sex = nip(rng, level, TAHUN)
    text = [str(x) for x in numbers]
    assert len(set(text)) == len(text)
    for t, s in zip(text, sex, strict=True):
        y, m, d, ty = int(t[:4]), int(t[4:6]), int(t[6:8]), int(t[8:12])
        assert 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]
        assert y + 18 <= ty <= TAHUN and 1 <= int(t[12:14]) <= 12
        assert int(t[14]) == s and 1 <= int(t[15:]) <= 999
        assert TAHUN - 60 <= y <= TAHUN - 23


def test_with_gelar_puts_dr_in_front() -> None:
    nama = pa.array(["Rina", "Budi", "Sari", "Agus"])
    gelar = np.asarray(["dr.", "dr., Sp.PD.", "S.E.", ""], dtype=object)
    assert with_gelar(nama, gelar).to_pylist() == ["dr. Rina", "dr. Budi, Sp.PD.", "Sari, S.E.", "Agus"]


def test_performance_heads_are_as_expected() -> None:
    ref = load_reference()
    atasan = np.asarray([-1, 0, 0, 1] * 500)
    archetype, kinerja = performance(np.random.default_rng(2), atasan, np.full(len(atasan), 0.5), ref)
    assert (archetype[atasan < 0] == ref.archetype_index("sesuai")).all()
    lo = np.asarray([a.kinerja_min for a in ref.archetypes])[archetype] + 0.5
    hi = np.asarray([a.kinerja_max for a in ref.archetypes])[archetype] + 0.5
    assert ((kinerja >= lo) & (kinerja <= hi)).all()
    assert len(set(archetype.tolist())) == len(ref.archetypes)


def test_pegawai_columns(world: tuple[Reference, UnitKerja, Pegawai]) -> None:
    ref, units, peg = world
    cols = pegawai_columns(peg, units)
    nips = cols["nip"].to_pylist()
    atasan = cols["nip_atasan"].to_pylist()
    assert atasan.count(None) == len(ref.instansi)
    assert set(atasan) - {None} <= set(nips)
    domains = {x.domain for x in ref.instansi}
    emails = [e for e in cols["email"].to_pylist() if e is not None]
    assert 0.4 < len(emails) / len(nips) < 0.8
    assert all(e.split("@")[1] in domains and e == e.lower() for e in emails)
    jabatan_units = {j for k in ref.kinds.values() for j in (*k.administrator, *k.pengawas)}
    jabatan_units |= {s.jabatan for k in ref.kinds.values() for s in k.staf}
    jabatan_units |= set(units.kepala)
    assert set(cols["jabatan"].to_pylist()) <= jabatan_units
