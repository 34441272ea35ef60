"""The pegawai of the demo units: hierarchy, jabatan, NIP, names with gelar, e-mail and archetype."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from contract.schema import JENIS_JABATAN
from kinerja.demo.columns import concat, integer_text, or_null, pick, where
from kinerja.demo.draws import draw_below, flatten, stream
from kinerja.demo.reference import Reference
from kinerja.demo.unit_kerja import UnitKerja

# How a unit's predikat_organisasi moves its pegawai's year-end performance.
KINERJA_EFFECT = {"Istimewa": 0.04, "Baik": 0.0, "Butuh Perbaikan": -0.06, "Kurang": -0.10}
# Age range at the start of the year per level (head, administrator, pengawas, staff).
AGE_MIN = (48, 40, 33, 23)
AGE_MAX = (59, 56, 52, 58)
SEX_NAMES = ("pria", "wanita")  # NIP digit 15: 1, 2


@dataclass
class Pegawai:
    """Employees, one array element per employee, in file order (unit, then hierarchy)."""

    nip: np.ndarray  # int64, 18 digits
    nip_text: pa.Array
    nama: pa.Array
    unit: np.ndarray
    instansi: np.ndarray
    pos: np.ndarray
    level: np.ndarray  # 0 head, 1 administrator, 2 pengawas, 3 staff
    atasan: np.ndarray  # index of the supervisor, -1 for an instansi head
    jabatan: pa.Array
    jenis_jabatan: pa.Array
    email: pa.Array
    archetype: np.ndarray
    kinerja: np.ndarray  # year-end performance factor (1.0 = exactly on target)
    kind: np.ndarray  # kind index of the employee's unit


@dataclass
class Hierarchy:
    """Each pegawai's unit, position in it, level and supervisor."""

    unit: np.ndarray
    pos: np.ndarray
    level: np.ndarray
    atasan: np.ndarray
    n_adm: np.ndarray  # administrators of the pegawai's unit
    n_peng: np.ndarray  # pengawas of the pegawai's unit


def hierarchy(units: UnitKerja, ref: Reference) -> Hierarchy:
    """Head first, then administrators, pengawas and staff; each reports one level up, round robin."""
    n = int(units.size.sum())
    start_u = np.cumsum(units.size) - units.size
    unit = np.repeat(np.arange(len(units.size)), units.size)
    pos = np.arange(n) - start_u[unit]
    n_adm_cap = np.asarray([len(ref.kinds[k].administrator) for k in ref.kind_keys])[units.kind]
    n_adm_u = np.where(
        (units.size >= 4) & ~units.tambahan,
        np.minimum(np.clip(np.rint((units.size - 1) / 15), 1, None), n_adm_cap), 0,
    ).astype(np.int64)
    rest = units.size - 1 - n_adm_u
    n_peng_u = np.where(
        rest >= 2, np.minimum(np.clip(np.rint(rest / 7), 1, None), 3 * np.maximum(n_adm_u, 1)), 0
    ).astype(np.int64)
    n_adm, n_peng = n_adm_u[unit], n_peng_u[unit]
    level = np.select([pos == 0, pos <= n_adm, pos <= n_adm + n_peng], [0, 1, 2], 3)

    su = start_u[unit]
    j = pos - 1 - n_adm
    k = pos - 1 - n_adm - n_peng
    head_sup = np.where(
        units.induk[unit] >= 0, start_u[np.maximum(units.induk[unit], 0)], start_u[units.setda[unit]]
    )
    head_sup = np.where(unit == units.setda[unit], -1, head_sup)
    peng_sup = np.where(n_adm > 0, su + 1 + j % np.maximum(n_adm, 1), su)
    staff_sup = np.where(
        n_peng > 0, su + 1 + n_adm + k % np.maximum(n_peng, 1),
        np.where(n_adm > 0, su + 1 + k % np.maximum(n_adm, 1), su),
    )
    atasan = np.select([level == 0, level == 1, level == 2], [head_sup, su, peng_sup], staff_sup)
    return Hierarchy(unit, pos, level, atasan, n_adm, n_peng)


def jabatan(
    rng: np.random.Generator, units: UnitKerja, h: Hierarchy, ref: Reference,
) -> tuple[pa.Array, pa.Array, np.ndarray]:
    """Jabatan and jenis_jabatan per pegawai, and the usual gelar of each one's staff position."""
    kinds = [ref.kinds[k] for k in ref.kind_keys]
    kind = units.kind[h.unit]
    level, pos = h.level, h.pos
    heads = sorted(set(units.kepala))
    adm_flat, adm_off, adm_len = flatten([x.administrator for x in kinds])
    peng_flat, peng_off, peng_len = flatten([x.pengawas for x in kinds])
    staf_flat, staf_off, staf_len = flatten([x.staf for x in kinds])
    vocab = heads + adm_flat + peng_flat + [t.jabatan for t in staf_flat]
    o_adm, o_peng = len(heads), len(heads) + len(adm_flat)
    o_staf = o_peng + len(peng_flat)
    head_code = np.asarray([heads.index(t) for t in units.kepala])[h.unit]
    staf_i = staf_off[kind] + draw_below(rng, staf_len[kind])
    j = pos - 1 - h.n_adm
    code = np.select(
        [level == 0, level == 1, level == 2],
        [head_code, o_adm + adm_off[kind] + (pos - 1) % np.maximum(adm_len[kind], 1),
         o_peng + peng_off[kind] + j % np.maximum(peng_len[kind], 1)],
        o_staf + staf_i,
    )
    head_jenis = np.asarray([JENIS_JABATAN.index(x.jenis_jabatan_kepala) for x in kinds])[kind]
    head_jenis = np.where(units.tambahan[h.unit], 1, head_jenis)
    staf_jenis = np.asarray([JENIS_JABATAN.index(t.jenis_jabatan) for t in staf_flat])[staf_i]
    jenis_code = np.select([level == 0, level == 1, level == 2], [head_jenis, 1, 2], staf_jenis)
    staf_gelar = np.asarray([t.gelar for t in staf_flat], dtype=object)[staf_i]
    return pick(vocab, code), pick(JENIS_JABATAN, jenis_code), staf_gelar


def nip(rng: np.random.Generator, level: np.ndarray, tahun: int) -> tuple[np.ndarray, np.ndarray]:
    """Unique 18-digit NIPs (birth date, TMT year and month, sex, sequence) and each one's sex."""
    n = len(level)
    age_min, age_max = np.asarray(AGE_MIN)[level], np.asarray(AGE_MAX)[level]
    birth_year = tahun - (age_min + draw_below(rng, age_max - age_min + 1))
    birth = (birth_year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    birth = birth + rng.integers(0, 365, n).astype("timedelta64[D]")
    by = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    bm = (birth.astype("datetime64[M]") - birth.astype("datetime64[Y]")).astype(np.int64) + 1
    bd = (birth - birth.astype("datetime64[M]")).astype(np.int64) + 1
    ty = np.clip(by + 21 + draw_below(rng, np.full(n, 10)), by + 18, tahun)
    tm = rng.integers(1, 13, n)
    sex = rng.integers(1, 3, n)
    stem = by * 10**14 + bm * 10**12 + bd * 10**10 + ty * 10**6 + tm * 10**4 + sex * 10**3
    out = stem + rng.integers(1, 1000, n)
    for _ in range(100):
        order = np.argsort(out, kind="stable")
        dup = np.zeros(n, dtype=bool)
        dup[order[1:]] = out[order[1:]] == out[order[:-1]]
        if not dup.any():
            break
        out[dup] = stem[dup] + rng.integers(1, 1000, int(dup.sum()))
    return out, sex


def nama_dasar(
    rng: np.random.Generator, wilayah: np.ndarray, sex: np.ndarray, ref: Reference,
) -> tuple[pa.Array, pa.Array, np.ndarray]:
    """A first name per pegawai, a second name (most of them have one) and whether they have it."""
    groups = [ref.nama[w][s] for w in ref.nama for s in SEX_NAMES]
    g = wilayah * len(SEX_NAMES) + (sex - 1)
    f_flat, f_off, f_len = flatten([x.depan for x in groups])
    l_flat, l_off, l_len = flatten([x.belakang for x in groups])
    depan = pick(f_flat, f_off[g] + draw_below(rng, f_len[g]))
    belakang = pick(l_flat, l_off[g] + draw_below(rng, l_len[g]))
    has_belakang = rng.random(len(g)) < 0.8
    return depan, belakang, has_belakang


def gelar(
    rng: np.random.Generator, level: np.ndarray, staf_gelar: np.ndarray, ref: Reference,
) -> np.ndarray:
    """Most heads, administrators and pengawas hold a degree; staff mostly their position's own."""
    n = len(level)

    def draw(choices: tuple[str, ...]) -> np.ndarray:
        return np.asarray(choices, dtype=object)[draw_below(rng, np.full(n, len(choices)))]

    g_pim, g_pen, g_umum = draw(ref.gelar.pimpinan), draw(ref.gelar.pengawas), draw(ref.gelar.umum)
    u = rng.random(n)
    staf_drawn = np.where(
        staf_gelar != "", np.where(u < 0.85, staf_gelar, ""), np.where(u < 0.3, g_umum, "")
    )
    return np.select([level <= 1, level == 2], [g_pim, np.where(u < 0.9, g_pen, "")], staf_drawn)


def with_gelar(nama: pa.Array, gelar_per_pegawai: np.ndarray) -> pa.Array:
    """The name with its gelar: 'dr.' in front, the others after a comma."""
    gelar_pa = pa.array(gelar_per_pegawai.tolist(), pa.string())
    dokter = pc.starts_with(gelar_pa, "dr.")
    suffix = pc.replace_substring_regex(gelar_pa, r"^dr\.(, )?", "")
    nama = concat(where(dokter.to_numpy(zero_copy_only=False), "dr. ", ""), nama)
    return where(pc.not_equal(suffix, "").to_numpy(zero_copy_only=False),
                 concat(nama, ", ", suffix), nama)


def performance(
    rng: np.random.Generator, atasan: np.ndarray, unit_effect: np.ndarray, ref: Reference,
) -> tuple[np.ndarray, np.ndarray]:
    """Each pegawai's archetype (instansi heads: as expected) and year-end performance factor,
    moved by its unit's predikat_organisasi (`unit_effect`)."""
    archetypes = ref.archetypes
    archetype = rng.choice(len(archetypes), size=len(atasan), p=[a.share for a in archetypes])
    archetype[atasan < 0] = ref.archetype_index("sesuai")
    lo = np.asarray([a.kinerja_min for a in archetypes])[archetype]
    hi = np.asarray([a.kinerja_max for a in archetypes])[archetype]
    return archetype, lo + rng.random(len(atasan)) * (hi - lo) + unit_effect


def build_pegawai(seed: int, units: UnitKerja, tahun: int, ref: Reference) -> Pegawai:
    """Every unit's pegawai, in file order; all draws from one stream, in a fixed order."""
    rng = stream(seed, 2)
    h = hierarchy(units, ref)
    jabatan_text, jenis_text, staf_gelar = jabatan(rng, units, h, ref)
    nip_number, sex = nip(rng, h.level, tahun)
    nip_text = integer_text(nip_number)

    instansi = units.instansi[h.unit]
    wilayah_keys = list(ref.nama)
    wilayah = np.asarray([wilayah_keys.index(x.wilayah) for x in ref.instansi])[instansi]
    depan, belakang, has_belakang = nama_dasar(rng, wilayah, sex, ref)
    nama = with_gelar(where(has_belakang, concat(depan, " ", belakang), depan),
                      gelar(rng, h.level, staf_gelar, ref))

    domain = pick([x.domain for x in ref.instansi], instansi)
    local = pc.utf8_lower(where(has_belakang, concat(depan, ".", belakang), depan))
    email = concat(local, pc.utf8_slice_codeunits(nip_text, 14, 18), "@", domain)
    email = or_null(rng.random(len(nip_number)) < 0.6, email)

    effect = np.asarray([KINERJA_EFFECT.get(p, 0.0) for p in units.predikat])[h.unit]
    archetype, kinerja = performance(rng, h.atasan, effect, ref)
    return Pegawai(nip_number, nip_text, nama, h.unit, instansi, h.pos, h.level, h.atasan,
                   jabatan_text, jenis_text, email, archetype, kinerja, units.kind[h.unit])


def pegawai_columns(peg: Pegawai, units: UnitKerja) -> dict[str, pa.Array]:
    """The columns of pegawai.csv."""
    return {
        "nip": peg.nip_text, "nama": peg.nama, "kode_unit": units.kode.take(pa.array(peg.unit)),
        "jabatan": peg.jabatan, "jenis_jabatan": peg.jenis_jabatan,
        "nip_atasan": or_null(peg.atasan >= 0, peg.nip_text.take(pa.array(np.maximum(peg.atasan, 0)))),
        "email": peg.email,
    }
