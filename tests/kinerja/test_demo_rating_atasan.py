"""Demo rating overrides: every instansi head, a few corrections of catatan.toml, in pegawai order."""

from __future__ import annotations

import numpy as np
import pytest

from kinerja.demo.pegawai import Pegawai, build_pegawai
from kinerja.demo.rating_atasan import build_rating_atasan
from kinerja.demo.reference import Reference, load_reference
from kinerja.demo.unit_kerja import build_unit_kerja, pegawai_per_instansi


@pytest.fixture(scope="module")
def world() -> tuple[Reference, Pegawai]:
    ref = load_reference()
    units = build_unit_kerja(6, pegawai_per_instansi(3000, ref), ref)
    return ref, build_pegawai(6, units, 2026, ref)


def test_rating_atasan(world: tuple[Reference, Pegawai]) -> None:
    ref, peg = world
    cols = build_rating_atasan(6, peg, ref)
    index = {nip: i for i, nip in enumerate(peg.nip_text.to_pylist())}
    emp = np.asarray([index[x] for x in cols["nip"].to_pylist()])
    assert (np.diff(emp) > 0).all()
    rows = list(zip(cols["rating_hasil_kerja"].to_pylist(), cols["rating_perilaku"].to_pylist(),
                    cols["alasan"].to_pylist(), strict=True))
    heads = peg.atasan[emp] < 0
    assert heads.sum() == len(ref.instansi)
    head_rows = [r for r, h in zip(rows, heads, strict=True) if h]
    assert [r[1] for r in head_rows] == ["di_atas", "sesuai", "di_atas"][: len(head_rows)]
    assert {r[0] for r in head_rows} == {""} and {r[2] for r in head_rows} == {ref.catatan.kepala_instansi}
    corrections = [r for r, h in zip(rows, heads, strict=True) if not h]
    assert len(corrections) == max(4, round(0.003 * len(index)))
    assert set(corrections) <= set(ref.catatan.koreksi)
    assert (peg.level[emp[~heads]] >= 2).all()
