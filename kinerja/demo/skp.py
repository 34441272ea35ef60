"""The SKP plan indicators of each pegawai: utama ones cascaded from the supervisor's, tambahan ones,
targets drawn from the templates of indikator.toml."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kinerja.demo.columns import concat, decimal_text, integer_text, or_null, pick, where
from kinerja.demo.draws import draw_below, flatten, stream
from kinerja.demo.pegawai import Pegawai
from kinerja.demo.reference import IndikatorTemplate, Reference


@dataclass
class Templates:
    """Every indicator template in one list: per kind its own then the general ones, tambahan last."""

    flat: list[IndikatorTemplate]
    offsets: np.ndarray  # per kind, then the tambahan group
    lengths: np.ndarray

    @classmethod
    def of(cls, ref: Reference) -> Templates:
        groups = [ref.kinds[k].indikator + ref.indikator_umum for k in ref.kind_keys]
        return cls(*flatten([*groups, ref.indikator_tambahan]))

    def field(self, name: str, template: np.ndarray) -> np.ndarray:
        """One field of the templates, per indicator."""
        return np.asarray([getattr(t, name) for t in self.flat], dtype=object)[template]

    def field_text(self, name: str, template: np.ndarray) -> pa.Array:
        """One text field of the templates, per indicator, as a string column."""
        return pick([getattr(t, name) for t in self.flat], template)


@dataclass
class Skp:
    """Plan indicators, one array element per indicator, in file order."""

    pegawai: np.ndarray  # index of the indicator's pegawai
    no: np.ndarray
    utama: np.ndarray
    template: np.ndarray
    target: np.ndarray
    id_text: pa.Array
    atasan_idx: np.ndarray  # index of the cascaded-from indicator, -1 if none
    templates: Templates


def build_skp(seed: int, peg: Pegawai, ref: Reference) -> Skp:
    """2-5 indicators per pegawai, the first (at least one) utama, the rest tambahan."""
    rng = stream(seed, 3)
    templates = Templates.of(ref)
    n = len(peg.nip)
    k = rng.integers(2, 6, n)
    u = np.clip(k - rng.integers(0, 3, n), 1, k)
    start = np.cumsum(k) - k
    emp = np.repeat(np.arange(n), k)
    no = np.arange(len(emp)) - start[emp]
    utama = no < u[emp]
    r1 = rng.integers(0, 1000, n)[emp]
    r2 = rng.integers(0, 1000, n)[emp]
    kind = peg.kind[emp]
    t_utama = templates.offsets[kind] + (r1 + no) % templates.lengths[kind]
    tam = len(ref.kind_keys)
    t_tambahan = templates.offsets[tam] + (r2 + no) % templates.lengths[tam]
    template = np.where(utama, t_utama, t_tambahan)
    lo = np.asarray([t.target_min for t in templates.flat])[template]
    hi = np.asarray([t.target_max for t in templates.flat])[template]
    target = lo + np.floor(rng.random(len(emp)) * (hi - lo + 1))
    target = np.minimum(target, hi)

    singkat = pick([x.singkat for x in ref.instansi], peg.instansi[emp])
    id_text = concat(singkat, "-", peg.nip_text.take(pa.array(emp)), "-", integer_text(no + 1, 2))
    sup = peg.atasan[emp]
    has_sup = utama & (sup >= 0)
    sup_safe = np.maximum(sup, 0)
    cascaded = start[sup_safe] + draw_below(rng, u[sup_safe])
    atasan_idx = np.where(has_sup, cascaded, -1)
    return Skp(emp, no, utama, template, target, id_text, atasan_idx, templates)


def skp_columns(skp: Skp, peg: Pegawai, tahun: int) -> dict[str, pa.Array]:
    """The columns of skp.csv."""
    def text(name: str) -> pa.Array:
        return skp.templates.field_text(name, skp.template)

    kompetensi = text("kompetensi")
    return {
        "id_indikator": skp.id_text, "nip": peg.nip_text.take(pa.array(skp.pegawai)),
        "tahun": pa.array(np.full(len(skp.pegawai), str(tahun)).tolist(), pa.string()),
        "rencana_hasil_kerja": text("rencana_hasil_kerja"),
        "indikator": text("indikator"), "aspek": text("aspek"),
        "target": decimal_text(skp.target), "satuan": text("satuan"),
        "arah": text("arah"),
        "jenis": where(skp.utama, "utama", "tambahan"),
        "id_indikator_atasan": or_null(
            skp.atasan_idx >= 0, skp.id_text.take(pa.array(np.maximum(skp.atasan_idx, 0)))),
        "kompetensi": or_null(pc.not_equal(kompetensi, ""), kompetensi),
    }
