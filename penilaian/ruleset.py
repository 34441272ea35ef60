"""The ruleset: every *(config)* number of DOMAIN.md as validated, versioned data (TOML per instansi)."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from contract.schema import GOLONGAN, JENJANG, PREDIKAT, PREDIKAT_ORGANISASI
from penilaian.numbers import clean

DEFAULT_RULESET = "permenpan-6-2022"
_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")

Rating = Literal["di_atas", "sesuai", "di_bawah"]


class _Section(BaseModel):
    """Frozen, closed section: an unknown key in a ruleset file is a typo, not an extension."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Capaian(_Section):
    """Indicator capaian cap and level bands (PP 30/2019 Pasal 41)."""

    batas_atas: float = Field(gt=0)
    di_atas_min: float = Field(gt=0)
    sesuai_min: float = Field(gt=0)

    @model_validator(mode="after")
    def _check_order(self) -> Capaian:
        if not self.sesuai_min <= self.di_atas_min <= self.batas_atas:
            raise ValueError("harus sesuai_min <= di_atas_min <= batas_atas")
        return self


class Perilaku(_Section):
    """BerAKHLAK bands on the 1-5 scale and the per-value floor."""

    di_atas_min: float
    sesuai_min: float
    nilai_minimum_per_nilai: float

    @model_validator(mode="after")
    def _check_order(self) -> Perilaku:
        if not 1.0 <= self.nilai_minimum_per_nilai <= self.sesuai_min <= self.di_atas_min <= 5.0:
            raise ValueError("harus 1 <= nilai_minimum_per_nilai <= sesuai_min <= di_atas_min <= 5")
        return self


class KepalaUnit(_Section):
    """Head of unit takes the unit's organisational result, mapped to a rating hasil kerja."""

    aktif: bool
    peta: dict[str, Rating]

    @model_validator(mode="after")
    def _check_complete(self) -> KepalaUnit:
        if sorted(self.peta) != sorted(PREDIKAT_ORGANISASI):
            raise ValueError(f"peta harus tepat berisi {list(PREDIKAT_ORGANISASI)}")
        return self


class BatasanKurva(_Section):
    """One curve constraint: a predikat group, '<=' or '>=', as a percentage of N or a head count."""

    predikat: tuple[str, ...] = Field(min_length=1)
    op: Literal["<=", ">="]
    persen: float | None = Field(default=None, ge=0, le=100)
    jumlah: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _check_values(self) -> BatasanKurva:
        for p in self.predikat:
            if p not in PREDIKAT:
                raise ValueError(f"predikat {p!r} bukan salah satu dari {list(PREDIKAT)}")
        if len(set(self.predikat)) != len(self.predikat):
            raise ValueError("predikat dalam satu batasan tidak boleh berulang")
        if (self.persen is None) == (self.jumlah is None):
            raise ValueError("isi tepat satu dari persen atau jumlah")
        if self.op == "<=" and PREDIKAT[-1] in self.predikat:
            raise ValueError(f"batasan '<=' tidak dapat memuat {PREDIKAT[-1]!r} (tidak bisa turun)")
        return self

    @property
    def kelompok(self) -> tuple[str, ...]:
        """The group's predikat in the regulation's order, best first."""
        return tuple(p for p in PREDIKAT if p in self.predikat)

    def batas(self, n: int | np.ndarray) -> int | np.ndarray:
        """Allowed (<=: floor) or required (>=: ceil) head count for units of n scored employees."""
        jumlah_pegawai = np.asarray(n, dtype="int64")
        if self.jumlah is not None:
            hitung = np.full(jumlah_pegawai.shape, self.jumlah, dtype="int64")
        else:
            nilai = clean(self.persen * jumlah_pegawai.astype("float64") / 100.0)  # float noise away
            hitung = (np.floor(nilai) if self.op == "<=" else np.ceil(nilai)).astype("int64")
        return int(hitung) if hitung.ndim == 0 else hitung

    @property
    def teks(self) -> str:
        """Readable Indonesian form, e.g. 'Baik maks. 70%' or 'Butuh Perbaikan + Kurang min. 1 pegawai'."""
        kata = "maks." if self.op == "<=" else "min."
        ukuran = f"{self.persen:g}%" if self.persen is not None else f"{self.jumlah} pegawai"
        return f"{' + '.join(self.predikat)} {kata} {ukuran}"


class Kurva(_Section):
    """Distribution curve per predikat_organisasi, constraints checked in order."""

    min_pegawai: int = Field(ge=1)
    aturan: dict[str, tuple[BatasanKurva, ...]]

    @model_validator(mode="after")
    def _check_keys(self) -> Kurva:
        for kunci in self.aturan:
            if kunci not in PREDIKAT_ORGANISASI:
                raise ValueError(f"aturan.{kunci}: bukan predikat organisasi {list(PREDIKAT_ORGANISASI)}")
        return self


class Bias(_Section):
    """Rater-bias thresholds (z-scores against the instansi)."""

    min_dinilai: int = Field(ge=2)
    z_lunak: float
    z_keras: float
    rasio_terpusat: float = Field(ge=0)
    # Standard deviation of the instansi and of a rater: "populasi" (ddof=0, the whole set is
    # described, not estimated) or "sampel" (ddof=1).
    simpangan_baku: Literal["populasi", "sampel"] = "populasi"

    @property
    def ddof(self) -> int:
        return 0 if self.simpangan_baku == "populasi" else 1

    @model_validator(mode="after")
    def _check_order(self) -> Bias:
        if not self.z_keras < self.z_lunak:
            raise ValueError("harus z_keras < z_lunak")
        return self


class Pemantauan(_Section):
    """Mid-year cut-off month and status bands on the projected capaian."""

    bulan_batas: int = Field(ge=1, le=12)
    sesuai_jalur_min: float
    berisiko_min: float

    @model_validator(mode="after")
    def _check_order(self) -> Pemantauan:
        if not self.berisiko_min <= self.sesuai_jalur_min:
            raise ValueError("harus berisiko_min <= sesuai_jalur_min")
        return self


class MutuIkm(_Section):
    """One IKM grade band (PermenPAN-RB 14/2017)."""

    mutu: str = Field(min_length=1)
    min: float
    maks: float

    @model_validator(mode="after")
    def _check_order(self) -> MutuIkm:
        if not self.min <= self.maks:
            raise ValueError("harus min <= maks")
        return self


class Ikm(_Section):
    """IKM grades, best first."""

    mutu: tuple[MutuIkm, ...] = Field(min_length=1)


class Pelatihan(_Section):
    """Competency-development rules (PP 11/2017 jo. PP 17/2020 Pasal 203-206)."""

    jp_minimum: float = Field(ge=0)
    nilai_lemah_di_bawah: float
    capaian_lemah_di_bawah: float


class Keberatan(_Section):
    """Objection window (PP 30/2019 Pasal 59): calendar days from receiving the result to filing."""

    batas_hari: int = Field(ge=0)


class JenjangAk(_Section):
    """One jenjang of a functional position: its golongan range (lowest first), its yearly coefficient,
    the credit per next pangkat, and the credit for the next jenjang (None at the top)."""

    golongan: tuple[str, ...] = Field(min_length=1)
    koefisien: float = Field(gt=0)
    pangkat_setiap: float = Field(gt=0)
    jenjang_pada: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _check_range(self) -> JenjangAk:
        for g in self.golongan:
            if g not in GOLONGAN:
                raise ValueError(f"golongan {g!r} bukan salah satu dari {list(GOLONGAN)}")
        awal = GOLONGAN.index(self.golongan[0])
        if self.golongan != GOLONGAN[awal:awal + len(self.golongan)]:
            raise ValueError("golongan harus rentang berurutan dari yang terendah, mis. [\"IV/a\","
                             " \"IV/b\", \"IV/c\"]")
        return self


class AngkaKredit(_Section):
    """Angka kredit of functional officials (PermenPAN-RB 1/2023, PerBKN 3/2023): the percentage per
    predikat and, per jenjang, the golongan range, coefficient and next-step thresholds."""

    persentase: dict[str, float]
    jenjang: dict[str, JenjangAk]

    @model_validator(mode="after")
    def _check_complete(self) -> AngkaKredit:
        if sorted(self.persentase) != sorted(PREDIKAT):
            raise ValueError(f"persentase harus tepat berisi {list(PREDIKAT)}")
        if any(p < 0 for p in self.persentase.values()):
            raise ValueError("persentase harus >= 0")
        if sorted(self.jenjang) != sorted(JENJANG):
            raise ValueError(f"jenjang harus tepat berisi {list(JENJANG)}")
        return self


class Gerbang(_Section):
    """Data-quality gate thresholds, in percent."""

    maks_karantina_persen: float = Field(ge=0, le=100)
    maks_tidak_dinilai_persen: float = Field(ge=0, le=100)
    min_cakupan_realisasi_persen: float = Field(ge=0, le=100)


class Penilaian(_Section):
    """Year-end cut-off month."""

    bulan_batas: int = Field(ge=1, le=12)


class Ruleset(_Section):
    """A complete, validated ruleset; its label and checksum are stamped on every result."""

    nama: str = Field(min_length=1)
    versi: str = Field(min_length=1)
    deskripsi: str = ""
    dasar: str | None = None
    penilaian: Penilaian
    capaian: Capaian
    perilaku: Perilaku
    kepala_unit: KepalaUnit
    kurva: Kurva
    bias: Bias
    pemantauan: Pemantauan
    ikm: Ikm
    pelatihan: Pelatihan
    keberatan: Keberatan
    angka_kredit: AngkaKredit
    gerbang: Gerbang

    @property
    def label(self) -> str:
        """Name and version as shown on results, e.g. 'permenpan-6-2022 v1.0.0'."""
        return f"{self.nama} v{self.versi}"

    @property
    def checksum(self) -> str:
        """sha256 of the canonical JSON dump: two rulesets with the same numbers share it."""
        canonical = json.dumps(
            self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _path_for_name(name: str) -> Path:
    """A ruleset shipped with the package: kinerja/rulesets/<name>.toml."""
    if not _NAME.match(name):
        raise ValueError(f"Nama ruleset tidak sah: {name!r}")
    return Path(str(resources.files("kinerja").joinpath("rulesets", f"{name}.toml")))


def _is_path(value: str | Path) -> bool:
    """A Path, or a string that looks like a file rather than a ruleset name."""
    if isinstance(value, Path):
        return True
    return value.endswith(".toml") or "/" in value or "\\" in value


def _read_toml(path: Path) -> dict[str, Any]:
    """Parse one TOML file, turning every failure into a ValueError that names the file."""
    try:
        with path.open("rb") as berkas:
            return tomllib.load(berkas)
    except FileNotFoundError as exc:
        raise ValueError(f"Ruleset {path}: berkas tidak ditemukan") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"Ruleset {path}: TOML tidak sah: {exc}") from exc


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; any other value (numbers, lists of constraints) replaces the base."""
    hasil = dict(base)
    for kunci, nilai in override.items():
        if isinstance(nilai, dict) and isinstance(hasil.get(kunci), dict):
            hasil[kunci] = _deep_merge(hasil[kunci], nilai)
        else:
            hasil[kunci] = nilai
    return hasil


def _resolve(path: Path, seen: tuple[Path, ...]) -> dict[str, Any]:
    """Read a ruleset file, merging it over its `dasar` chain (base first)."""
    path = path.resolve()
    if path in seen:
        raise ValueError(f"Ruleset {path}: rantai 'dasar' berputar")
    data = _read_toml(path)
    dasar = data.get("dasar")
    if dasar is None:
        return data
    if not isinstance(dasar, str) or not dasar:
        raise ValueError(f"Ruleset {path}: field 'dasar' harus nama atau path ruleset")
    base_path = (path.parent / dasar) if _is_path(dasar) else _path_for_name(dasar)
    base = _resolve(base_path, (*seen, path))
    base.pop("dasar", None)
    return _deep_merge(base, data)


def _describe(exc: ValidationError) -> str:
    """Each bad field as 'section.field: message'."""
    bagian = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"]) or "(ruleset)"
        bagian.append(f"field '{loc}': {err['msg']}")
    return "; ".join(bagian)


def load_ruleset(name_or_path: str | Path | None = None) -> Ruleset:
    """Load a ruleset by name (kinerja/rulesets/<name>.toml) or path, merged over its `dasar`."""
    target = DEFAULT_RULESET if name_or_path is None else name_or_path
    path = Path(target) if _is_path(target) else _path_for_name(str(target))
    data = _resolve(path, ())
    try:
        return Ruleset.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"Ruleset {path} tidak sah: {_describe(exc)}") from exc
