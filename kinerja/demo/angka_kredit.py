"""angka_kredit.csv: every functional official (jenis_jabatan `fungsional`) with the jenjang their title
names, a golongan inside that jenjang's range and the cumulative credit of their last PAK.

The jenjang is the one the jabatan ends with ("Auditor Ahli Muda" → ahli_muda, "Pustakawan Terampil" →
terampil; a title without one, "Asisten Penguji Kendaraan Bermotor", is pemula). The demo's titles stop at
Ahli Madya and Terampil, so per instansi the first Ahli Madya and the first Terampil official are promoted
to the top of their ladder (Ahli Utama, Penyelia: `top_of_ladder`) and sit at its last golongan, where no
next step exists. Everyone else draws a golongan of the range and, against the threshold of their next
step (DOMAIN.md "Angka kredit", numbers from the default ruleset), an `ak_awal`: about a third well below,
three in ten just below (a Baik year reaches it), one in five further below (only Sangat Baik reaches it)
and the rest already past it (waiting for the competency test or a vacancy). `bulan` is 12, or for one in
twelve a partial year (appointed or moved during the year).

With the deliberate bad rows: a golongan outside the jenjang's range, a negative ak_awal, and a row for
an employee who is not a functional official — each quarantined with its rule.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from kinerja.demo.draws import stream
from kinerja.demo.pegawai import Pegawai

COLUMNS = ("nip", "jenjang", "golongan", "ak_awal", "bulan")
# The title's last words -> jenjang, longest first.
JENJANG_JABATAN = (("Ahli Utama", "ahli_utama"), ("Ahli Madya", "ahli_madya"), ("Ahli Muda", "ahli_muda"),
                   ("Ahli Pertama", "ahli_pertama"), ("Penyelia", "penyelia"), ("Mahir", "mahir"),
                   ("Terampil", "terampil"), ("Pemula", "pemula"))
TANPA_JENJANG = "pemula"  # a functional title that names no jenjang
# Per instansi, the first official with the first title is promoted to the second: the top of the ladder.
KE_PUNCAK = (("Ahli Madya", "Ahli Utama"), ("Terampil", "Penyelia"))


def _fungsional(peg: Pegawai) -> np.ndarray:
    return np.asarray(peg.jenis_jabatan.to_pylist(), dtype=object) == "fungsional"


def top_of_ladder(peg: Pegawai) -> pa.Array:
    """The jabatan column with, per instansi, the first Ahli Madya official made Ahli Utama and the first
    Terampil official made Penyelia (the demo's officials at the top of their ladder)."""
    jabatan = peg.jabatan.to_pylist()
    fungsional = _fungsional(peg)
    for instansi in range(int(peg.instansi.max()) + 1 if len(peg.instansi) else 0):
        for dari, ke in KE_PUNCAK:
            found = [e for e in np.nonzero(fungsional & (peg.instansi == instansi))[0]
                     if jabatan[e].endswith(f" {dari}")]
            if found:
                jabatan[found[0]] = jabatan[found[0]].removesuffix(dari) + ke
    return pa.array(jabatan, pa.string())


def jenjang_of(jabatan: str) -> str:
    """The jenjang a functional title ends with."""
    for words, jenjang in JENJANG_JABATAN:
        if jabatan.endswith(f" {words}"):
            return jenjang
    return TANPA_JENJANG


def build_angka_kredit(seed: int, peg: Pegawai, *, bad_rows: bool) -> dict[str, pa.Array]:
    """The columns of angka_kredit.csv, one row per functional official in pegawai order (plus, with
    `bad_rows`, one for an employee who is not one)."""
    from penilaian.ruleset import load_ruleset

    tangga = load_ruleset().angka_kredit.jenjang
    rng = stream(seed, 12)
    jabatan = peg.jabatan.to_pylist()
    staff = np.nonzero(_fungsional(peg))[0]
    rows: list[dict[str, str]] = []
    for e in staff:
        jenjang = jenjang_of(jabatan[e])
        spec = tangga[jenjang]
        n = len(spec.golongan)
        top = spec.jenjang_pada is None
        k = n - 1 if top else int(rng.integers(0, n))
        lower = k * spec.pangkat_setiap
        threshold = (k + 1) * spec.pangkat_setiap if k < n - 1 or top else spec.jenjang_pada
        u, koef = rng.random(), spec.koefisien
        if top:  # at the last golongan of the top jenjang: no next step
            ak_awal = threshold + rng.uniform(0, 2) * koef
        elif u < 0.35:
            ak_awal = lower + rng.random() * max(threshold - 1.5 * koef - lower, 0.0)
        elif u < 0.65:
            ak_awal = threshold - koef * rng.uniform(0.55, 0.95)
        elif u < 0.85:
            ak_awal = threshold - koef * rng.uniform(1.05, 1.45)
        else:
            ak_awal = threshold + koef * rng.uniform(0.0, 0.5)
        bulan = int(rng.integers(2, 12)) if rng.random() < 1 / 12 else 12
        rows.append({"nip": peg.nip_text[int(e)].as_py(), "jenjang": jenjang, "golongan": spec.golongan[k],
                     "ak_awal": f"{max(ak_awal, lower):.2f}", "bulan": str(bulan)})
    if bad_rows and len(rows) >= 15:  # two value-rule rows stay within the gate's 20 % of the file
        _bad_rows(rng, peg, rows, tangga)
    return {c: pa.array([r[c] for r in rows], pa.string()) for c in COLUMNS}


def _bad_rows(rng: np.random.Generator, peg: Pegawai, rows: list[dict[str, str]], tangga: dict) -> None:
    """A golongan outside the jenjang's range, a negative ak_awal, and a pelaksana's nip."""
    below_top = [i for i, r in enumerate(rows) if tangga[r["jenjang"]].jenjang_pada is not None]
    outside, negative = (int(i) for i in rng.choice(below_top, size=2, replace=False))
    rentang = tangga[rows[outside]["jenjang"]].golongan
    rows[outside]["golongan"] = "IV/e" if "IV/e" not in rentang else "II/a"
    rows[negative]["ak_awal"] = "-" + rows[negative]["ak_awal"]
    bukan = np.nonzero(np.asarray(peg.jenis_jabatan.to_pylist(), dtype=object) == "pelaksana")[0]
    if len(bukan):
        e = int(bukan[len(bukan) // 2])
        rows.append({"nip": peg.nip_text[e].as_py(), "jenjang": "terampil", "golongan": "II/c",
                     "ak_awal": "25.00", "bulan": "12"})
