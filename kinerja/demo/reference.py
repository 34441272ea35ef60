"""The demo's reference data (regions, kinds of unit, indicators, names, trainings, notes) as read
from the TOML files of kinerja/demo/data when generating, never at import."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any, NamedTuple, TypeVar


class Instansi(NamedTuple):
    """One city government: codes, names, and how its staff are named and rated (instansi.toml)."""

    kode: str
    singkat: str
    nama: str
    kota: str
    share: float
    wilayah: str
    domain: str
    kecamatan: tuple[str, ...]
    rsud: str
    showcase_unit: int
    showcase_predikat: str
    rater_biases: tuple[str, ...]


class Opd(NamedTuple):
    """A real perangkat daerah every instansi has, while it has units left (unit_kerja.toml)."""

    kind: str
    nama: str
    kecamatan: int | None = None


class UnitTambahan(NamedTuple):
    """A kind of numbered unit added to a large instansi (unit_kerja.toml)."""

    prefix: str
    suffix: str
    kind: str
    induk: str
    kepala: str
    share: float


class Staf(NamedTuple):
    """A staff position of a kind of unit, with the gelar its holders usually have."""

    jabatan: str
    jenis_jabatan: str
    gelar: str


class IndikatorTemplate(NamedTuple):
    """An SKP indicator as a kind of unit writes it; the target is drawn in [target_min, target_max]."""

    rencana_hasil_kerja: str
    indikator: str
    aspek: str
    satuan: str
    arah: str
    target_min: int
    target_max: int
    kompetensi: str


class UnitKind(NamedTuple):
    """A kind of work unit: its head, positions, public services, SKP indicators and size weight."""

    kepala: str
    jenis_jabatan_kepala: str
    size_weight: float
    administrator: tuple[str, ...]
    pengawas: tuple[str, ...]
    layanan: tuple[str, ...]
    staf: tuple[Staf, ...]
    indikator: tuple[IndikatorTemplate, ...]


class Nama(NamedTuple):
    """First names and family or second names of one wilayah and sex."""

    depan: tuple[str, ...]
    belakang: tuple[str, ...]


class Gelar(NamedTuple):
    """Academic titles drawn for heads and administrators, pengawas, and other staff."""

    pimpinan: tuple[str, ...]
    pengawas: tuple[str, ...]
    umum: tuple[str, ...]


class Pelatihan(NamedTuple):
    """A training: its name, the competence it develops and its hours of study."""

    nama_pelatihan: str
    kompetensi: str
    jp: int


class Koreksi(NamedTuple):
    """A supervisor's correction of a rating, with its reason ("" = that rating is not corrected)."""

    rating_hasil_kerja: str
    rating_perilaku: str
    alasan: str


class Catatan(NamedTuple):
    """Free-text notes: on ratings, per jenis of umpan balik, and the reasons of rating_atasan.csv."""

    atasan: tuple[str, ...]
    rekan: tuple[str, ...]
    kepala_instansi: str
    umpan_balik: dict[str, tuple[str, ...]]
    koreksi: tuple[Koreksi, ...]


class Archetype(NamedTuple):
    """A kind of pegawai the generator draws: performance, behaviour and umpan balik it receives."""

    name: str
    share: float
    kinerja_min: float
    kinerja_max: float
    perilaku_mean: float
    umpan_balik_count: tuple[float, ...]
    umpan_balik_jenis: tuple[float, ...]


Record = TypeVar("Record")


@dataclass(frozen=True)
class Reference:
    """All reference data of one generation, in the order of the data files."""

    instansi: tuple[Instansi, ...]
    opd: tuple[Opd, ...]
    unit_tambahan: tuple[UnitTambahan, ...]
    kinds: dict[str, UnitKind]
    indikator_umum: tuple[IndikatorTemplate, ...]
    indikator_tambahan: tuple[IndikatorTemplate, ...]
    nama: dict[str, dict[str, Nama]]
    gelar: Gelar
    katalog: tuple[Pelatihan, ...]
    pelatihan_luar: tuple[Pelatihan, ...]
    catatan: Catatan
    archetypes: tuple[Archetype, ...]

    @property
    def kind_keys(self) -> tuple[str, ...]:
        return tuple(self.kinds)

    def archetype_index(self, name: str) -> int:
        """The position of a named archetype (the code refers to two of them by name)."""
        return [a.name for a in self.archetypes].index(name)


def read_data_file(name: str) -> dict[str, Any]:
    """One TOML file of kinerja/demo/data, parsed."""
    with resources.files("kinerja.demo").joinpath("data", name).open("rb") as handle:
        return tomllib.load(handle)


def _record(cls: type[Record], entry: dict[str, Any]) -> Record:
    """A record from a TOML table; lists become tuples, an unknown or missing key raises TypeError."""
    return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in entry.items()})


def load_reference() -> Reference:
    """Read and assemble every data file of the demo generator."""
    instansi = read_data_file("instansi.toml")
    unit_kerja = read_data_file("unit_kerja.toml")
    indikator = read_data_file("indikator.toml")
    nama = read_data_file("nama.toml")
    pelatihan = read_data_file("pelatihan.toml")
    catatan = read_data_file("catatan.toml")
    archetypes = read_data_file("archetypes.toml")

    def templates(key: str) -> tuple[IndikatorTemplate, ...]:
        return tuple(_record(IndikatorTemplate, t) for t in indikator[key])

    kinds = {
        key: _record(UnitKind, {
            **kind,
            "staf": tuple(_record(Staf, s) for s in kind["staf"]),
            "indikator": templates(key),
        })
        for key, kind in unit_kerja["kind"].items()
    }
    gelar = nama.pop("gelar")
    return Reference(
        instansi=tuple(_record(Instansi, x) for x in instansi["instansi"]),
        opd=tuple(_record(Opd, x) for x in unit_kerja["opd"]),
        unit_tambahan=tuple(_record(UnitTambahan, x) for x in unit_kerja["unit_tambahan"]),
        kinds=kinds,
        indikator_umum=templates("umum"),
        indikator_tambahan=templates("tambahan"),
        nama={w: {sex: _record(Nama, n) for sex, n in by_sex.items()} for w, by_sex in nama.items()},
        gelar=_record(Gelar, gelar),
        katalog=tuple(_record(Pelatihan, x) for x in pelatihan["katalog"]),
        pelatihan_luar=tuple(_record(Pelatihan, x) for x in pelatihan["luar"]),
        catatan=_record(Catatan, {
            **catatan,
            "umpan_balik": {k: tuple(v) for k, v in catatan["umpan_balik"].items()},
            "koreksi": tuple(_record(Koreksi, x) for x in catatan["koreksi"]),
        }),
        archetypes=tuple(_record(Archetype, x) for x in archetypes["archetype"]),
    )
