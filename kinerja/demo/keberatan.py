"""keberatan.csv: per instansi a handful of objections to the year-end result, with their decisions.

Per instansi: one accepted objection of a low performer (both ratings set to `sesuai`: out of Kurang /
Sangat Kurang / Butuh Perbaikan, which ends their counselling), one accepted objection of an employee
as expected (both ratings set to `di_atas`: Sangat Baik, a reward candidate) and one rejected. With the
deliberate bad rows, three more that the objection review sets aside: one filed 19 days after the
result was received (late, beyond the 14 days), one decided by the direct supervisor instead of the
supervisor's own supervisor (wrong decider) and a second objection of the employee whose first was
rejected.

Objectors are employees the demo scores for sure: a supervisor with a supervisor of their own in the
data (the decider), no supervisor's override in rating_atasan.csv and no deliberate bad row of their
own. The dates follow the default schedule: results received after year-end scoring (20 January),
decisions before the objection review (10 February).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pyarrow as pa

from kinerja.demo.draws import stream
from kinerja.demo.pegawai import Pegawai
from kinerja.demo.reference import Reference, read_data_file

# Archetypes whose objection is accepted with both ratings `sesuai`, in order of preference.
LOW_PERFORMERS = ("perilaku_bermasalah", "keduanya_di_bawah", "hasil_kerja_di_bawah")
COLUMNS = ("nip", "tahun", "tanggal_terima", "tanggal_pengajuan", "alasan", "nip_pemutus",
           "tanggal_keputusan", "keputusan", "rating_hasil_kerja_baru", "rating_perilaku_baru",
           "catatan_keputusan")


def build_keberatan(
    seed: int, peg: Pegawai, tahun: int, ref: Reference, excluded: np.ndarray, *, bad_rows: bool,
) -> dict[str, pa.Array]:
    """The columns of keberatan.csv; `excluded` marks employees who must not object (touched by a bad
    row or overridden in rating_atasan.csv)."""
    texts = read_data_file("keberatan.toml")
    rng = stream(seed, 11)
    atasan = peg.atasan
    pemutus = np.where(atasan >= 0, atasan[np.maximum(atasan, 0)], -1)
    eligible = (atasan >= 0) & (pemutus >= 0) & ~excluded
    received = date(tahun + 1, 1, 22)
    rows: list[dict[str, str | None]] = []

    def row(e: int, filed: int, keputusan: str, alasan: str,
            ratings: tuple[str | None, str | None] = (None, None), decider: int | None = None,
            received_on: date = received, decided: int = 3) -> None:
        diajukan = received_on + timedelta(days=filed)
        catatan = texts["catatan_diterima" if keputusan == "diterima" else "catatan_ditolak"]
        rows.append({
            "nip": peg.nip_text[e].as_py(), "tahun": str(tahun),
            "tanggal_terima": received_on.isoformat(), "tanggal_pengajuan": diajukan.isoformat(),
            "alasan": alasan, "nip_pemutus": peg.nip_text[pemutus[e] if decider is None else decider].as_py(),
            "tanggal_keputusan": (diajukan + timedelta(days=decided)).isoformat(), "keputusan": keputusan,
            "rating_hasil_kerja_baru": ratings[0], "rating_perilaku_baru": ratings[1],
            "catatan_keputusan": catatan[len(rows) % len(catatan)],
        })

    for instansi in range(int(peg.instansi.max()) + 1 if len(peg.instansi) else 0):
        mine = eligible & (peg.instansi == instansi)
        low = _first_of(rng, mine, peg.archetype, [ref.archetype_index(a) for a in LOW_PERFORMERS])
        taken = mine.copy()
        if low is not None:
            taken[low] = False
        as_expected = _first_of(rng, taken, peg.archetype, [ref.archetype_index("sesuai")])
        if as_expected is not None:
            taken[as_expected] = False
        others = np.nonzero(taken)[0]
        if low is None or as_expected is None or len(others) < 3:
            continue
        rejected, late, wrong = (int(x) for x in rng.choice(others, size=3, replace=False))
        row(low, 4, "diterima", texts["alasan_perilaku"][instansi % 2], ("sesuai", "sesuai"))
        row(as_expected, 6, "diterima", texts["alasan_hasil_kerja"][instansi % 2], ("di_atas", "di_atas"))
        row(rejected, 8, "ditolak", texts["alasan_umum"][instansi % 2])
        if bad_rows:
            row(late, 19, "ditolak", texts["alasan_umum"][(instansi + 1) % 2],
                received_on=date(tahun + 1, 1, 20), decided=1)
            row(wrong, 5, "diterima", texts["alasan_hasil_kerja"][(instansi + 1) % 2], ("sesuai", None),
                decider=int(atasan[wrong]))
            row(rejected, 11, "diterima", texts["alasan_umum"][(instansi + 1) % 2], ("di_atas", None))
    return {k: pa.array([r[k] for r in rows], pa.string()) for k in COLUMNS}


def _first_of(rng: np.random.Generator, candidates: np.ndarray, archetype: np.ndarray,
              preferred: list[int]) -> int | None:
    """A random candidate of the first preferred archetype that has one."""
    for a in preferred:
        found = np.nonzero(candidates & (archetype == a))[0]
        if len(found):
            return int(rng.choice(found))
    return None
