"""The work units of the demo instansi: real OPDs first, numbered units for large ones, their sizes
and predikat_organisasi."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from kinerja.demo.columns import concat, integer_text, pick
from kinerja.demo.draws import stream
from kinerja.demo.reference import Instansi, Reference

MAX_SIZE = 80  # staff per unit, the most a unit holds once sizes are drawn
PREDIKAT_DRAWN = ("Istimewa", "Baik", "Butuh Perbaikan")
PREDIKAT_SHARES = (0.15, 0.77, 0.08)


@dataclass
class UnitKerja:
    """Work units of all instansi, one array element per unit."""

    kode: pa.Array
    nama: pa.Array
    instansi: np.ndarray
    kind: np.ndarray  # index into Reference.kind_keys
    kepala: list[str]  # head title per unit
    tambahan: np.ndarray  # numbered (UPT/sekolah/puskesmas) unit
    induk: np.ndarray  # unit whose head supervises this unit's head (-1: none / Sekda)
    setda: np.ndarray  # the Sekretariat Daerah unit of the unit's instansi
    size: np.ndarray
    predikat: np.ndarray


def pegawai_per_instansi(pegawai: int, ref: Reference) -> list[int]:
    """Each instansi's share of the pegawai, rounded down; the last one takes the rest."""
    per_instansi = np.floor(np.asarray([x.share for x in ref.instansi]) * pegawai).astype(np.int64)
    per_instansi[-1] += pegawai - per_instansi.sum()
    return per_instansi.tolist()


def jumlah_unit(n: int) -> int:
    """Units per instansi so that units hold roughly 10-80 staff (about 24 on average)."""
    return max(1, min(max(n // 4, 1), max(3, round(n / 24))))


def real_opd(ins: Instansi, ref: Reference) -> list[tuple[str, str, str]]:
    """(kind, nama, head title) of each real OPD of an instansi, in the order they are kept."""
    real = []
    for opd in ref.opd:
        if opd.kecamatan is not None and opd.kecamatan >= len(ins.kecamatan):
            continue
        kecamatan = ins.kecamatan[opd.kecamatan] if opd.kecamatan is not None else ""
        nama = opd.nama.replace("{kecamatan}", kecamatan).replace("{rsud}", ins.rsud)
        real.append((opd.kind, nama, ref.kinds[opd.kind].kepala))
    return real


def unit_sizes(rng: np.random.Generator, n: int, weight: np.ndarray) -> np.ndarray:
    """Staff per unit: at least min(10, n / units) each, the rest by weight, none over MAX_SIZE."""
    nu = len(weight)
    base = min(10, n // nu)
    s = base + rng.multinomial(n - base * nu, weight / weight.sum())
    for _ in range(50):
        over = np.maximum(s - MAX_SIZE, 0)
        if over.sum() == 0 or (s < MAX_SIZE).sum() == 0:
            break
        s = np.minimum(s, MAX_SIZE)
        free = s < MAX_SIZE
        s[free] += rng.multinomial(int(over.sum()), weight[free] / weight[free].sum())
    return s


def predikat_organisasi(rng: np.random.Generator, nu: int, ins: Instansi) -> np.ndarray:
    """Mostly Baik; the first unit Baik, the showcase unit its predikat, Kurang nowhere else."""
    p = rng.choice(len(PREDIKAT_DRAWN), size=nu, p=list(PREDIKAT_SHARES))
    pred = np.asarray(PREDIKAT_DRAWN, dtype=object)[p]
    pred[0] = "Baik"
    if nu > ins.showcase_unit:
        pred[ins.showcase_unit] = ins.showcase_predikat
    pred[(pred == "Kurang") & (np.arange(nu) != ins.showcase_unit)] = "Baik"
    return pred


def build_unit_kerja(seed: int, per_instansi: Sequence[int], ref: Reference) -> UnitKerja:
    """The units of every instansi, sized to hold its share of the pegawai."""
    rng = stream(seed, 1)
    keys = ref.kind_keys
    extra_kinds = ref.unit_tambahan
    size_weight = np.asarray([ref.kinds[k].size_weight for k in keys])
    kode, nama, instansi, kind, kepala, tambahan, induk, setda, size, predikat = (
        [], [], [], [], [], [], [], [], [], []
    )
    first = 0
    for i, (ins, n) in enumerate(zip(ref.instansi, per_instansi, strict=True)):
        nu = jumlah_unit(n)
        real = real_opd(ins, ref)[:nu]
        n_extra = nu - len(real)
        by_kind = {key: first + j for j, (key, _, _) in enumerate(real)}
        t = rng.choice(len(extra_kinds), size=n_extra, p=[x.share for x in extra_kinds])
        number = np.zeros(n_extra, dtype=np.int64)
        for k in range(len(extra_kinds)):
            hit = np.nonzero(t == k)[0]
            number[hit] = np.arange(1, len(hit) + 1)
        width = max(3, len(str(nu)))
        kode.append(concat(f"{ins.singkat}-", integer_text(np.arange(1, nu + 1), width)))
        extra_names = concat(
            pick([x.prefix.replace("{kota}", ins.kota) for x in extra_kinds], t),
            integer_text(number),
            pick([x.suffix.replace("{kota}", ins.kota) for x in extra_kinds], t),
        )
        nama.append(pa.concat_arrays([pa.array([r[1] for r in real], pa.string()), extra_names]))
        instansi.append(np.full(nu, i))
        kind_real = [keys.index(r[0]) for r in real]
        kind_extra = np.asarray([keys.index(x.kind) for x in extra_kinds])[t]
        kind.append(np.concatenate([np.asarray(kind_real, dtype=np.int64), kind_extra]))
        kepala.extend([r[2] for r in real])
        kepala.extend(np.asarray([x.kepala for x in extra_kinds], dtype=object)[t].tolist())
        tambahan.append(np.arange(nu) >= len(real))
        parent_extra = np.asarray([by_kind.get(x.induk, first) for x in extra_kinds])[t]
        induk.append(np.concatenate([np.full(len(real), -1), parent_extra]))
        setda.append(np.full(nu, first))
        weight = size_weight[kind[-1]] * rng.lognormal(0.0, 0.35, nu)
        size.append(unit_sizes(rng, n, weight))
        predikat.append(predikat_organisasi(rng, nu, ins))
        first += nu
    return UnitKerja(
        kode=pa.concat_arrays(kode), nama=pa.concat_arrays(nama), instansi=np.concatenate(instansi),
        kind=np.concatenate(kind), kepala=kepala, tambahan=np.concatenate(tambahan),
        induk=np.concatenate(induk), setda=np.concatenate(setda), size=np.concatenate(size),
        predikat=np.concatenate(predikat),
    )


def unit_kerja_columns(units: UnitKerja, ref: Reference) -> dict[str, pa.Array]:
    """The columns of unit_kerja.csv."""
    return {
        "kode_unit": units.kode, "nama_unit": units.nama,
        "kode_instansi": pick([x.kode for x in ref.instansi], units.instansi),
        "nama_instansi": pick([x.nama for x in ref.instansi], units.instansi),
        "predikat_organisasi": pa.array(units.predikat.tolist(), pa.string()),
    }
