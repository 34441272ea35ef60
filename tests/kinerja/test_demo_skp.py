"""Demo SKP indicators: templates of the right kind, targets in range, cascades to the supervisor."""

from __future__ import annotations

import numpy as np
import pytest

from kinerja.demo.pegawai import Pegawai, build_pegawai
from kinerja.demo.reference import Reference, load_reference
from kinerja.demo.skp import Skp, build_skp, skp_columns
from kinerja.demo.unit_kerja import build_unit_kerja, pegawai_per_instansi


@pytest.fixture(scope="module")
def world() -> tuple[Reference, Pegawai, Skp]:
    ref = load_reference()
    units = build_unit_kerja(5, pegawai_per_instansi(600, ref), ref)
    peg = build_pegawai(5, units, 2026, ref)
    return ref, peg, build_skp(5, peg, ref)


def test_templates_group_per_kind_then_tambahan(world: tuple[Reference, Pegawai, Skp]) -> None:
    ref, _, skp = world
    t = skp.templates
    assert len(t.offsets) == len(ref.kinds) + 1
    for i, key in enumerate(ref.kind_keys):
        group = t.flat[t.offsets[i]: t.offsets[i] + t.lengths[i]]
        assert group == [*ref.kinds[key].indikator, *ref.indikator_umum]
    assert t.flat[t.offsets[-1]:] == list(ref.indikator_tambahan)
    assert t.field("aspek", np.asarray([0])).tolist() == [t.flat[0].aspek]


def test_each_indicator_from_its_own_group(world: tuple[Reference, Pegawai, Skp]) -> None:
    _, peg, skp = world
    t = skp.templates
    kind = peg.kind[skp.pegawai]
    group = np.where(skp.utama, kind, len(t.offsets) - 1)
    assert ((skp.template >= t.offsets[group]) & (skp.template < t.offsets[group] + t.lengths[group])).all()
    lo = t.field("target_min", skp.template).astype(float)
    hi = t.field("target_max", skp.template).astype(float)
    assert ((skp.target >= lo) & (skp.target <= hi) & (skp.target == np.floor(skp.target))).all()


def test_counts_and_cascade(world: tuple[Reference, Pegawai, Skp]) -> None:
    _, peg, skp = world
    per = np.bincount(skp.pegawai, minlength=len(peg.nip))
    assert per.min() >= 2 and per.max() <= 5
    first = np.concatenate([[True], skp.pegawai[1:] != skp.pegawai[:-1]])
    assert skp.utama[first].all()
    has = skp.atasan_idx >= 0
    assert (skp.utama[skp.atasan_idx[has]]).all()
    assert (skp.pegawai[skp.atasan_idx[has]] == peg.atasan[skp.pegawai[has]]).all()
    assert (has == (skp.utama & (peg.atasan[skp.pegawai] >= 0))).all()


def test_skp_columns(world: tuple[Reference, Pegawai, Skp]) -> None:
    _, peg, skp = world
    cols = skp_columns(skp, peg, 2031)
    ids = cols["id_indikator"].to_pylist()
    assert len(set(ids)) == len(ids)
    assert set(cols["tahun"].to_pylist()) == {"2031"}
    assert set(cols["id_indikator_atasan"].to_pylist()) - {None} <= set(ids)
    assert "" not in cols["kompetensi"].to_pylist()
    assert set(cols["jenis"].to_pylist()) == {"utama", "tambahan"}
