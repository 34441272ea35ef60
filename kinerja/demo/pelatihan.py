"""The training catalogue and each pegawai's training history."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from kinerja.demo.columns import integer_text, pick
from kinerja.demo.draws import draw_below, stream
from kinerja.demo.pegawai import Pegawai
from kinerja.demo.reference import Reference


def katalog_columns(ref: Reference) -> dict[str, pa.Array]:
    """The columns of katalog_pelatihan.csv: codes PLT-001, PLT-002, … in catalogue order."""
    katalog = ref.katalog
    return {
        "kode_pelatihan": pa.array([f"PLT-{i:03d}" for i in range(1, len(katalog) + 1)]),
        "nama_pelatihan": pa.array([k.nama_pelatihan for k in katalog]),
        "kompetensi": pa.array([k.kompetensi for k in katalog]),
        "jp": pa.array([str(k.jp) for k in katalog]),
    }


def build_riwayat(seed: int, peg: Pegawai, tahun: int, ref: Reference) -> dict[str, pa.Array]:
    """The columns of riwayat_pelatihan.csv: 0-3 trainings per pegawai this year (a few last year),
    spread over the catalogue; 3% outside it."""
    rng = stream(seed, 8)
    katalog, luar = ref.katalog, ref.pelatihan_luar
    n = len(peg.nip)
    c = (rng.random(n)[:, None] > np.cumsum([0.22, 0.40, 0.28, 0.10])[None, :]).sum(axis=1)
    emp = np.repeat(np.arange(n), c)
    m = len(emp)
    start = np.cumsum(c) - c
    j = np.arange(m) - start[emp]
    pool = katalog + luar
    chosen = (rng.integers(0, len(katalog), n)[emp] + 7 * j) % len(katalog)
    outside = rng.random(m) < 0.03
    chosen = np.where(outside, len(katalog) + draw_below(rng, np.full(m, len(luar))), chosen)
    last_year = rng.random(m) < 0.06
    first_day = np.where(last_year, np.datetime64(f"{tahun - 1}-01-01"),
                         np.datetime64(f"{tahun}-01-01"))
    tanggal = first_day + rng.integers(0, 365, m).astype("timedelta64[D]")
    order = np.lexsort((chosen, tanggal, emp))
    emp, chosen, tanggal = emp[order], chosen[order], tanggal[order]
    return {
        "nip": peg.nip_text.take(pa.array(emp)),
        "nama_pelatihan": pick([p.nama_pelatihan for p in pool], chosen),
        "kompetensi": pick([p.kompetensi for p in pool], chosen),
        "tanggal": pa.array(tanggal.astype(str).tolist(), pa.string()),
        "jp": integer_text(np.asarray([p.jp for p in pool])[chosen]),
    }
