"""BerAKHLAK behaviour ratings for both semesters: by each supervisor (some lenient, severe or
central) and by a few peers in the same unit."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from contract.schema import BERAKHLAK
from kinerja.demo.columns import integer_text, pick
from kinerja.demo.draws import draw_below, stream
from kinerja.demo.pegawai import Pegawai
from kinerja.demo.reference import Reference
from kinerja.demo.unit_kerja import UnitKerja

# A rater's bias (0: none): lenient rates all 5, severe 2 lower, central 4 and 3 only.
RATER_BIASES = {"lenient": 1, "severe": 2, "central": 3}
CENTRAL_VALUES = (4, 3, 4, 3, 4, 3, 4)


def rater_bias(rng: np.random.Generator, peg: Pegawai, ref: Reference) -> np.ndarray:
    """Per pegawai the bias of their ratings: per instansi the first supervisors of five or more
    staff (drawn at random) take the biases of instansi.toml, in order."""
    n = len(peg.nip)
    n_bawahan = np.bincount(peg.atasan[peg.atasan >= 0], minlength=n)
    eligible = (peg.level == 2) & (n_bawahan >= 5)
    if not eligible.any():
        eligible = (peg.level >= 1) & (n_bawahan >= 3)
    bias = np.zeros(n, dtype=np.int64)
    for i, ins in enumerate(ref.instansi):
        cand = rng.permutation(np.nonzero(eligible & (peg.instansi == i))[0])
        for c, name in zip(cand, ins.rater_biases, strict=False):
            bias[c] = RATER_BIASES[name]
    return bias


def build_perilaku(
    seed: int, peg: Pegawai, units: UnitKerja, tahun: int, ref: Reference,
) -> tuple[dict[str, pa.Array], np.ndarray]:
    """The columns of perilaku.csv, and whether each rating is a peer's, in the order the ratings
    were drawn (supervisors' then peers', per semester), not the file's sorted order."""
    rng = stream(seed, 5)
    n = len(peg.nip)
    archetypes = ref.archetypes
    mean = np.asarray([a.perilaku_mean for a in archetypes])[peg.archetype]
    mean = mean + np.where(peg.archetype == ref.archetype_index("sesuai"), rng.normal(0.0, 0.2, n), 0.0)
    weak = rng.integers(0, 7, n)  # the value a misconduct pegawai is rated 1 on
    misconduct = ref.archetype_index("perilaku_bermasalah")
    bias = rater_bias(rng, peg, ref)

    rows_emp, rows_rater, rows_sem, rows_val, rows_cat = [], [], [], [], []
    sup_emp = np.nonzero(peg.atasan >= 0)[0]
    peer_mask = (rng.random(n) < 0.3) & (units.size[peg.unit] >= 3)
    size = units.size[peg.unit]
    start_u = (np.cumsum(units.size) - units.size)[peg.unit]
    catatan_atasan = np.asarray(ref.catatan.atasan, dtype=object)
    catatan_rekan = np.asarray(ref.catatan.rekan, dtype=object)
    for sem in (1, 2):
        e = sup_emp
        v = np.clip(np.rint(mean[e, None] + rng.normal(0.0, 0.55, (len(e), 7))), 1, 5)
        bad = peg.archetype[e] == misconduct
        v[bad, weak[e][bad]] = 1
        rater = peg.atasan[e]
        rb = bias[rater]
        v[rb == RATER_BIASES["lenient"]] = 5
        v[rb == RATER_BIASES["severe"]] = np.clip(v[rb == RATER_BIASES["severe"]] - 2, 1, 5)
        v[rb == RATER_BIASES["central"]] = np.asarray(CENTRAL_VALUES)
        cat_i = draw_below(rng, np.full(len(e), len(catatan_atasan)))
        rows_emp.append(e)
        rows_rater.append(rater)
        rows_sem.append(np.full(len(e), sem))
        rows_val.append(v.astype(np.int64))
        rows_cat.append(catatan_atasan[cat_i])

        pe = np.nonzero(peer_mask)[0]
        off = 1 + draw_below(rng, size[pe] - 1)
        peer = start_u[pe] + (peg.pos[pe] + off) % size[pe]
        ok = (peer != peg.atasan[pe]) & (peer != pe)
        pe, peer = pe[ok], peer[ok]
        pv = np.clip(np.rint(mean[pe, None] + 0.2 + rng.normal(0.0, 0.6, (len(pe), 7))), 1, 5)
        rows_emp.append(pe)
        rows_rater.append(peer)
        rows_sem.append(np.full(len(pe), sem))
        rows_val.append(pv.astype(np.int64))
        rows_cat.append(catatan_rekan[draw_below(rng, np.full(len(pe), len(catatan_rekan)))])
    emp = np.concatenate(rows_emp)
    rater = np.concatenate(rows_rater)
    sem = np.concatenate(rows_sem)
    val = np.concatenate(rows_val)
    cat = np.concatenate(rows_cat)
    is_peer = (rater != peg.atasan[emp]).astype(np.int64)
    order = np.lexsort((rater, is_peer, sem, emp))
    emp, rater, sem, val, cat = emp[order], rater[order], sem[order], val[order], cat[order]
    out: dict[str, pa.Array] = {
        "nip": peg.nip_text.take(pa.array(emp)),
        "nip_penilai": peg.nip_text.take(pa.array(rater)),
        "periode": pick([f"{tahun}-S1", f"{tahun}-S2"], sem - 1),
    }
    for c, key in enumerate(BERAKHLAK):
        out[key] = integer_text(val[:, c])
    out["catatan"] = pa.array(cat.tolist(), pa.string())
    return out, is_peer.astype(bool)
