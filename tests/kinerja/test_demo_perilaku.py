"""Demo behaviour ratings: biased raters as instansi.toml says, misconduct rated 1, peers in the unit."""

from __future__ import annotations

import numpy as np
import pytest

from contract.schema import BERAKHLAK
from kinerja.demo.pegawai import Pegawai, build_pegawai
from kinerja.demo.perilaku import CENTRAL_VALUES, RATER_BIASES, build_perilaku, rater_bias
from kinerja.demo.reference import Reference, load_reference
from kinerja.demo.unit_kerja import UnitKerja, build_unit_kerja, pegawai_per_instansi


@pytest.fixture(scope="module")
def world() -> tuple[Reference, UnitKerja, Pegawai]:
    ref = load_reference()
    units = build_unit_kerja(21, pegawai_per_instansi(1200, ref), ref)
    return ref, units, build_pegawai(21, units, 2026, ref)


def test_rater_bias_per_instansi(world: tuple[Reference, UnitKerja, Pegawai]) -> None:
    ref, _, peg = world
    bias = rater_bias(np.random.default_rng(0), peg, ref)
    staff = np.bincount(peg.atasan[peg.atasan >= 0], minlength=len(peg.nip))
    assert ((peg.level[bias > 0] == 2) & (staff[bias > 0] >= 5)).all()
    for i, ins in enumerate(ref.instansi):
        mine = sorted(bias[(peg.instansi == i) & (bias > 0)].tolist())
        assert mine == sorted(RATER_BIASES[b] for b in ins.rater_biases)


def test_ratings_follow_bias_and_archetype(world: tuple[Reference, UnitKerja, Pegawai]) -> None:
    ref, units, peg = world
    cols, peer_as_drawn = build_perilaku(21, peg, units, 2026, ref)
    n = len(cols["nip"])
    assert len(peer_as_drawn) == n and 0 < peer_as_drawn.sum() < n
    values = np.column_stack([np.asarray(cols[k].to_pylist(), dtype=int) for k in BERAKHLAK])
    assert ((values >= 1) & (values <= 5)).all()
    index = {nip: i for i, nip in enumerate(peg.nip_text.to_pylist())}
    emp = np.asarray([index[x] for x in cols["nip"].to_pylist()])
    rater = np.asarray([index[x] for x in cols["nip_penilai"].to_pylist()])
    by_sup = rater == peg.atasan[emp]
    assert (units.size[peg.unit[emp[~by_sup]]] >= 3).all()
    assert (peg.unit[emp[~by_sup]] == peg.unit[rater[~by_sup]]).all()
    all_five = (values == 5).all(axis=1)
    central = (values == np.asarray(CENTRAL_VALUES)).all(axis=1)
    lenient_raters = {r for r in set(rater[by_sup].tolist())
                      if all_five[by_sup & (rater == r)].all()}
    biases = [b for x in ref.instansi for b in x.rater_biases]
    assert len(lenient_raters) >= biases.count("lenient")
    assert central[by_sup].any() == ("central" in biases)
    bad = by_sup & (peg.archetype[emp] == ref.archetype_index("perilaku_bermasalah"))
    assert bad.any()
    assert (values[bad & ~all_five & ~central].min(axis=1) == 1).all()
    periode = cols["periode"].to_pylist()
    assert set(periode) == {"2026-S1", "2026-S2"}
    keys = list(zip(emp.tolist(), periode, (~by_sup).tolist(), rater.tolist(), strict=True))
    assert keys == sorted(keys)
