"""Supervisors' rating overrides: every instansi head's rating_perilaku and a few corrections."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from kinerja.demo.draws import draw_below, stream
from kinerja.demo.pegawai import Pegawai
from kinerja.demo.reference import Reference


def build_rating_atasan(seed: int, peg: Pegawai, ref: Reference) -> dict[str, pa.Array]:
    """The columns of rating_atasan.csv, by pegawai: heads alternately di_atas and sesuai, and
    0.3% of the pengawas and staff (at least four) with a correction of catatan.toml."""
    rng = stream(seed, 9)
    koreksi = ref.catatan.koreksi
    n = len(peg.nip)
    kepala = np.nonzero(peg.atasan < 0)[0]
    calon = np.nonzero((peg.atasan >= 0) & (peg.level >= 2))[0]
    k = min(len(calon), max(4, round(0.003 * n)))
    corrected = np.sort(rng.choice(calon, size=k, replace=False)) if k else np.zeros(0, np.int64)
    reason = draw_below(rng, np.full(len(corrected), len(koreksi)))
    emp = np.concatenate([kepala, corrected])
    hasil_kerja = [""] * len(kepala) + [koreksi[i].rating_hasil_kerja for i in reason]
    perilaku = ["di_atas" if i % 2 == 0 else "sesuai" for i in range(len(kepala))]
    perilaku += [koreksi[i].rating_perilaku for i in reason]
    alasan = [ref.catatan.kepala_instansi] * len(kepala) + [koreksi[i].alasan for i in reason]
    order = np.argsort(emp, kind="stable")
    take = pa.array(order)
    return {
        "nip": peg.nip_text.take(pa.array(emp[order])),
        "rating_hasil_kerja": pa.array(hasil_kerja, pa.string()).take(take),
        "rating_perilaku": pa.array(perilaku, pa.string()).take(take),
        "alasan": pa.array(alasan, pa.string()).take(take),
    }
