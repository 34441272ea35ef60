"""Coaching, counseling, mentoring and appreciation notes from each pegawai's supervisor."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from contract.schema import JENIS_UMPAN_BALIK
from kinerja.demo.columns import pick
from kinerja.demo.draws import draw_below, flatten, stream
from kinerja.demo.pegawai import Pegawai
from kinerja.demo.reference import Reference


def build_umpan_balik(seed: int, peg: Pegawai, tahun: int, ref: Reference) -> dict[str, pa.Array]:
    """The columns of umpan_balik.csv: 0-3 notes per pegawai (none for instansi heads), their number
    and jenis drawn by archetype, on days of the year."""
    rng = stream(seed, 6)
    n = len(peg.nip)
    count_p = np.asarray([a.umpan_balik_count for a in ref.archetypes])
    cdf = np.cumsum(count_p, axis=1)[peg.archetype]
    c = (rng.random(n)[:, None] > cdf).sum(axis=1)
    c[peg.atasan < 0] = 0
    emp = np.repeat(np.arange(n), c)
    m = len(emp)
    jenis_p = np.asarray([a.umpan_balik_jenis for a in ref.archetypes])
    jcdf = np.cumsum(jenis_p, axis=1)[peg.archetype[emp]]
    jenis = np.minimum((rng.random(m)[:, None] > jcdf).sum(axis=1), len(JENIS_UMPAN_BALIK) - 1)
    days = (np.datetime64(f"{tahun + 1}-01-01") - np.datetime64(f"{tahun}-01-01")).astype(int)
    tanggal = np.datetime64(f"{tahun}-01-01") + rng.integers(0, days, m).astype("timedelta64[D]")
    order = np.lexsort((jenis, tanggal, emp))
    emp, jenis, tanggal = emp[order], jenis[order], tanggal[order]
    cat_flat, cat_off, cat_len = flatten([ref.catatan.umpan_balik[k] for k in JENIS_UMPAN_BALIK])
    return {
        "nip": peg.nip_text.take(pa.array(emp)),
        "dari_nip": peg.nip_text.take(pa.array(peg.atasan[emp])),
        "tanggal": pa.array(tanggal.astype(str).tolist(), pa.string()),
        "jenis": pick(JENIS_UMPAN_BALIK, jenis),
        "catatan": pick(cat_flat, cat_off[jenis] + draw_below(rng, cat_len[jenis])),
    }
