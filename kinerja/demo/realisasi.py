"""Monthly cumulative realisation of the SKP indicators, written in batches."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pyarrow as pa

from kinerja.demo.columns import decimal_text
from kinerja.demo.csv_writer import CsvWriter
from kinerja.demo.draws import stream
from kinerja.demo.pegawai import Pegawai
from kinerja.demo.skp import Skp

CHUNK = 400_000  # indicators per write batch (~4.8M rows): memory stays flat at 1M pegawai


def without_realisasi(seed: int, skp: Skp, dropped: np.ndarray) -> np.ndarray:
    """Indicators with no realisation at all: `dropped` and a few drawn (0.4%, at least two)."""
    rng = stream(seed, 10)
    n_ind = len(skp.pegawai)
    out = dropped.copy()
    out[rng.choice(n_ind, size=min(n_ind, max(2, round(0.004 * n_ind))), replace=False)] = True
    return out


def write_realisasi(
    out_dir: Path, seed: int, peg: Pegawai, skp: Skp, without: np.ndarray, tahun: int,
    extra: Mapping[str, pa.Array] | None,
) -> int:
    """Twelve months per indicator (none for `without`), then the `extra` rows; returns rows."""
    rng = stream(seed, 4)
    n_ind = len(skp.pegawai)
    aspek = skp.templates.field("aspek", skp.template)
    arah = skp.templates.field("arah", skp.template)
    kumulatif = np.isin(aspek, ["kuantitas", "biaya"])
    whole = aspek == "kuantitas"
    turun = arah == "turun"
    periode = pa.array([f"{tahun}-{m:02d}" for m in range(1, 13)], pa.string())
    writer = CsvWriter(out_dir, "realisasi")
    for a in range(0, n_ind, CHUNK):
        idx = np.arange(a, min(a + CHUNK, n_ind))
        m = len(idx)
        p = peg.kinerja[skp.pegawai[idx]] * (1.0 + rng.normal(0.0, 0.03, m))
        target = skp.target[idx]
        december = np.where(turun[idx], target * np.maximum(2.0 - p, 0.05), target * p)
        w = rng.gamma(3.0, 1.0, (m, 12))
        frac = np.cumsum(w, axis=1)
        frac /= frac[:, -1:]
        growing = december[:, None] * frac
        months_left = (12 - np.arange(1, 13)) / 11.0
        level = december[:, None] * (1.0 + rng.normal(0.0, 0.06, (m, 12)) * months_left)
        # a level indicator where more is better climbs towards its December value: the file holds
        # cumulative achievement, so its months never go down (a decrease would be a warning)
        level = np.where(turun[idx, None], level, np.maximum.accumulate(
            december[:, None] * (1.0 - np.abs(rng.normal(0.0, 0.06, (m, 12))) * months_left), axis=1))
        value = np.where(kumulatif[idx, None], growing, np.maximum(level, 0.0))
        value = np.where(whole[idx, None], np.rint(value), np.round(value, 2))
        keep = ~without[idx]
        rows = idx[keep]
        writer.write({
            "id_indikator": skp.id_text.take(pa.array(np.repeat(rows, 12))),
            "periode": periode.take(pa.array(np.tile(np.arange(12), len(rows)))),
            "realisasi": decimal_text(value[keep].ravel()),
        })
    if extra is not None:
        writer.write(extra)
    return writer.close()
