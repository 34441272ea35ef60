"""Monthly citizen-satisfaction (IKM) survey results per public service of each service unit."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from kinerja.demo.columns import decimal_text, integer_text, pick
from kinerja.demo.draws import flatten, stream
from kinerja.demo.reference import Reference
from kinerja.demo.unit_kerja import UnitKerja

# How a unit's predikat_organisasi moves the mean IKM of its services.
IKM_EFFECT = {"Istimewa": 4.0, "Butuh Perbaikan": -5.0, "Kurang": -9.0}


def build_survei(seed: int, units: UnitKerja, tahun: int, ref: Reference) -> dict[str, pa.Array]:
    """The columns of survei_masyarakat.csv: twelve months per layanan of every unit."""
    rng = stream(seed, 7)
    lay_flat, lay_off, lay_len = flatten([ref.kinds[k].layanan for k in ref.kind_keys])
    n_lay = lay_len[units.kind]
    unit = np.repeat(np.arange(len(n_lay)), n_lay)
    start = np.cumsum(n_lay) - n_lay
    lay = lay_off[units.kind[unit]] + np.arange(len(unit)) - start[unit]
    effect = np.asarray([IKM_EFFECT.get(p, 0.0) for p in units.predikat])[unit]
    base = np.clip(rng.normal(84.0, 5.0, len(unit)) + effect, 62.0, 96.0)
    pair = np.repeat(np.arange(len(unit)), 12)
    bulan = np.tile(np.arange(12), len(unit))
    ikm = np.clip(base[pair] + rng.normal(0.0, 1.8, len(pair)), 60.0, 98.0)
    return {
        "kode_unit": units.kode.take(pa.array(unit[pair])),
        "periode": pick([f"{tahun}-{m:02d}" for m in range(1, 13)], bulan),
        "layanan": pick(lay_flat, lay[pair]),
        "jumlah_responden": integer_text(rng.integers(20, 401, len(pair))),
        "nilai_ikm": decimal_text(ikm),
    }
