"""The Great Expectations suite of every input file, built for the RAW (all-text) frame.

One builder per input file; the flow, the tests and the gate report use the same suites.
Every expectation carries ``mostly = 1 - maks_karantina_persen / 100`` (a file may lose at most
that share of its rows to quarantine) and a ``meta`` with a stable check code, the file, the
source column, an Indonesian and an English description, and what HR does when it fails
(``perbaikan`` / ``fix``). Regexes must be RE2-compatible: pandas runs them
through pyarrow on its ``str`` dtype (no look-arounds).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from contract.schema import (
    ARAH,
    ASPEK,
    BERAKHLAK,
    FILES,
    GOLONGAN,
    JENIS_INDIKATOR,
    JENIS_JABATAN,
    JENIS_UMPAN_BALIK,
    JENJANG,
    KEPUTUSAN,
    PREDIKAT_ORGANISASI,
    RATING,
)
from stages import registry

if TYPE_CHECKING:
    import great_expectations as gx

NIP = r"^\d{18}$"
TANGGAL = r"^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$"
# A number > 0 with "." or "," as decimal point: a non-zero integer part, or a non-zero fraction.
ANGKA_POSITIF = r"^(?:\d*[1-9]\d*(?:[.,]\d+)?|\d*[.,]\d*[1-9]\d*)$"
ANGKA_NONNEGATIF = r"^(?:\d+(?:[.,]\d+)?|[.,]\d+)$"
BULAT_POSITIF = r"^\d*[1-9]\d*$"
NILAI_BERAKHLAK = r"^[1-5]$"
# A BerAKHLAK key or a technical tag: lower-case words joined by "_".
KOMPETENSI = r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$"
# Suffix of the numeric helper column derived from a text column (see validation_frame).
NUMERIC_SUFFIX = "__angka"
# How every fix ends.
ULANGI = "jalankan ulang tahap"
RERUN = "re-run the stage"
# Descriptions (Indonesian, English) shared by several files.
_KOMPETENSI = ("kompetensi berupa kata huruf kecil digabung '_'",
               "kompetensi is lower-case words joined by '_'")
_TANGGAL = ("tanggal berbentuk YYYY-MM-DD", "tanggal is YYYY-MM-DD")
_JP = ("jp berupa angka lebih dari 0", "jp is a number greater than 0")


class Teks(NamedTuple):
    """What an expectation says: its description in Indonesian and English and, when it fails, what to
    do (empty: "correct the column on the listed rows")."""

    deskripsi: str
    description: str
    perbaikan: str = ""
    fix: str = ""


@dataclass(frozen=True)
class SuiteParameters:
    """What a suite depends on: the year, the quarantine threshold and the stage."""

    tahun: int
    maks_karantina_persen: float
    tahap: str = ""

    @property
    def mostly(self) -> float:
        """Share of rows that must satisfy each expectation."""
        return max(0.0, min(1.0, 1 - self.maks_karantina_persen / 100))


class _SuiteBuilder:
    """Collects the expectations of one file's suite with their codes and descriptions."""

    def __init__(self, sheet: str, p: SuiteParameters) -> None:
        import great_expectations as gx

        self.gx = gx
        self.sheet = sheet
        self.berkas = FILES[sheet].name
        self.p = p
        self.expectations: list = []

    def _add(self, jenis: type, kolom: str, kode: str, teks: Teks, **kwargs) -> None:
        deskripsi, description, perbaikan, fix = teks
        meta = {
            "kode": f"{self.sheet}.{kolom}.{kode}",
            "berkas": self.berkas,
            "kolom": kolom,
            "deskripsi": deskripsi,
            "description": description,
            "perbaikan": perbaikan
            or f"perbaiki {kolom} di {self.berkas} pada baris yang tercantum ({deskripsi}), lalu {ULANGI}",
            "fix": fix
            or f"correct {kolom} in {self.berkas} on the listed rows ({description}), then {RERUN}",
        }
        column = kwargs.pop("column", kolom)
        self.expectations.append(
            jenis(column=column, mostly=self.p.mostly, meta=meta, description=deskripsi, **kwargs)
        )

    @property
    def suite(self) -> gx.ExpectationSuite:
        """The finished suite (built in one go: adding to a bare suite needs a live context)."""
        return self.gx.ExpectationSuite(name=suite_name(self.sheet, self.p), expectations=self.expectations)

    def ada(self, *kolom: str, perbaikan: str = "", fix: str = "") -> _SuiteBuilder:
        """Required columns must be filled."""
        for k in kolom:
            self._add(self.gx.expectations.ExpectColumnValuesToNotBeNull, k, "ada", Teks(
                f"{k} wajib diisi", f"{k} is required",
                perbaikan or f"isi {k} di {self.berkas} pada baris yang kosong (tercantum di laporan gerbang "
                f"dan di karantina.csv), lalu {ULANGI}",
                fix or f"fill in {k} in {self.berkas} on the empty rows (listed in the gate report and in "
                f"karantina.csv), then {RERUN}"))
        return self

    def format(self, kolom: str, regex: str, deskripsi: str, description: str) -> _SuiteBuilder:
        """A filled value must have the given shape (empty values are left to `ada`)."""
        self._add(
            self.gx.expectations.ExpectColumnValuesToMatchRegex,
            kolom,
            "format",
            Teks(deskripsi, description),
            regex=regex,
        )
        return self

    def nilai(self, kolom: str, pilihan: tuple[str, ...], kode: str = "nilai", perbaikan: str = "",
              fix: str = "") -> _SuiteBuilder:
        """A filled value must be one of the allowed values."""
        daftar = ", ".join(pilihan)
        self._add(
            self.gx.expectations.ExpectColumnValuesToBeInSet,
            kolom,
            kode,
            Teks(f"{kolom} salah satu dari: {daftar}", f"{kolom} is one of: {daftar}",
                 perbaikan or f"ganti {kolom} di {self.berkas} pada baris yang tercantum dengan salah satu "
                 f"dari: {daftar} (ejaan persis sama), lalu {ULANGI}",
                 fix or f"replace {kolom} in {self.berkas} on the listed rows with one of: {daftar} "
                 f"(spelled exactly), then {RERUN}"),
            value_set=list(pilihan),
        )
        return self

    def unik(self, kolom: str) -> _SuiteBuilder:
        """A key column must not repeat."""
        self._add(
            self.gx.expectations.ExpectColumnValuesToBeUnique,
            kolom,
            "unik",
            Teks(f"{kolom} tidak boleh ganda", f"{kolom} must not repeat",
                 f"hapus baris ganda di {self.berkas} atau beri setiap baris {kolom} sendiri (baris yang "
                 f"tercantum memakai {kolom} yang sama), lalu {ULANGI}",
                 f"remove the duplicate rows from {self.berkas} or give each row its own {kolom} (the listed "
                 f"rows share a {kolom}), then {RERUN}"),
        )
        return self

    def rentang(self, kolom: str, minimum: float, maksimum: float) -> _SuiteBuilder:
        """A numeric value (its helper column) must lie within [minimum, maksimum]."""
        self._add(
            self.gx.expectations.ExpectColumnValuesToBeBetween,
            kolom,
            "rentang",
            Teks(f"{kolom} antara {minimum:g} dan {maksimum:g}",
                 f"{kolom} between {minimum:g} and {maksimum:g}"),
            column=kolom + NUMERIC_SUFFIX,
            min_value=minimum,
            max_value=maksimum,
        )
        return self

    def nip(self, *kolom: str) -> _SuiteBuilder:
        """NIP columns are 18 digits (date and sequence rules are the reader's quarantine)."""
        for k in kolom:
            self.format(k, NIP, f"{k} berupa 18 digit angka", f"{k} is 18 digits")
        return self

    def periode_bulan(self) -> _SuiteBuilder:
        """periode is YYYY-MM within the appraisal year."""
        return self.format(
            "periode",
            rf"^{self.p.tahun}-(?:0[1-9]|1[0-2])$",
            f"periode berbentuk YYYY-MM dalam tahun {self.p.tahun}",
            f"periode is YYYY-MM within {self.p.tahun}",
        )


def suite_name(sheet: str, p: SuiteParameters) -> str:
    """A suite name unique per file and parameters, so one context can hold them all."""
    return f"kinerja.{sheet}.{p.tahun}.{p.maks_karantina_persen:g}.{p.tahap or '-'}"


def unit_kerja(p: SuiteParameters) -> gx.ExpectationSuite:
    """unit_kerja.csv: identity columns filled, kode_unit unique, a known predikat_organisasi."""
    s = _SuiteBuilder("unit_kerja", p)
    s.ada(*FILES["unit_kerja"].required).unik("kode_unit")
    pilihan = ", ".join(PREDIKAT_ORGANISASI)
    if p.tahap in registry.names() and registry.get(p.tahap).needs_predikat_organisasi:
        s.ada("predikat_organisasi",
              perbaikan=f"isi predikat_organisasi ({pilihan}) untuk unit pada baris yang tercantum di "
              f"unit_kerja.csv, lalu {ULANGI}",
              fix=f"fill in predikat_organisasi ({pilihan}) for the units on the listed rows of "
              f"unit_kerja.csv, then {RERUN}")
    s.nilai("predikat_organisasi", PREDIKAT_ORGANISASI)
    return s.suite


def pegawai(p: SuiteParameters) -> gx.ExpectationSuite:
    """pegawai.csv: NIP shape and uniqueness, supervisor NIP shape, known jenis_jabatan."""
    s = _SuiteBuilder("pegawai", p)
    s.ada(*FILES["pegawai"].required).nip("nip").unik("nip").nip("nip_atasan")
    s.nilai("jenis_jabatan", JENIS_JABATAN)
    return s.suite


def skp(p: SuiteParameters) -> gx.ExpectationSuite:
    """skp.csv: unique indicator ids, the right year, known enums, a positive target."""
    s = _SuiteBuilder("skp", p)
    s.ada(*FILES["skp"].required).unik("id_indikator").nip("nip")
    s.nilai("tahun", (str(p.tahun),), kode="sesuai",
            perbaikan=f"skp.csv harus berisi indikator tahun {p.tahun}: perbaiki kolom tahun pada baris yang "
            f"tercantum lalu {ULANGI}, atau jalankan dengan --tahun yang sesuai dengan berkas",
            fix=f"skp.csv must hold the indicators of {p.tahun}: correct the tahun column on the listed "
            f"rows, then {RERUN}, or run with the --tahun the file is for")
    s.nilai("aspek", ASPEK).nilai("arah", ARAH).nilai("jenis", JENIS_INDIKATOR)
    s.format("target", ANGKA_POSITIF, "target berupa angka lebih dari 0", "target is a number greater than 0")
    s.format("kompetensi", KOMPETENSI, *_KOMPETENSI)
    return s.suite


def realisasi(p: SuiteParameters) -> gx.ExpectationSuite:
    """realisasi.csv: a month of the year and a non-negative cumulative value."""
    s = _SuiteBuilder("realisasi", p)
    s.ada(*FILES["realisasi"].required).periode_bulan()
    s.format("realisasi", ANGKA_NONNEGATIF, "realisasi berupa angka 0 atau lebih",
             "realisasi is a number, 0 or more")
    return s.suite


def perilaku(p: SuiteParameters) -> gx.ExpectationSuite:
    """perilaku.csv: NIPs, a semester of the year and seven BerAKHLAK values 1-5."""
    s = _SuiteBuilder("perilaku", p)
    s.ada(*FILES["perilaku"].required).nip("nip", "nip_penilai")
    s.format("periode", rf"^{p.tahun}-S[12]$", f"periode berbentuk {p.tahun}-S1 atau {p.tahun}-S2",
             f"periode is {p.tahun}-S1 or {p.tahun}-S2")
    for nilai in BERAKHLAK:
        s.format(nilai, NILAI_BERAKHLAK, f"{nilai} berupa bilangan bulat 1 sampai 5",
                 f"{nilai} is a whole number from 1 to 5")
    return s.suite


def umpan_balik(p: SuiteParameters) -> gx.ExpectationSuite:
    """umpan_balik.csv: NIPs, a date and a known type of feedback."""
    s = _SuiteBuilder("umpan_balik", p)
    s.ada(*FILES["umpan_balik"].required).nip("nip", "dari_nip")
    s.format("tanggal", TANGGAL, *_TANGGAL)
    s.nilai("jenis", JENIS_UMPAN_BALIK)
    return s.suite


def survei_masyarakat(p: SuiteParameters) -> gx.ExpectationSuite:
    """survei_masyarakat.csv: a month of the year, respondents >= 1, IKM 25-100."""
    s = _SuiteBuilder("survei_masyarakat", p)
    s.ada(*FILES["survei_masyarakat"].required).periode_bulan()
    s.format("jumlah_responden", BULAT_POSITIF, "jumlah_responden berupa bilangan bulat >= 1",
             "jumlah_responden is a whole number >= 1")
    s.format("nilai_ikm", ANGKA_NONNEGATIF, "nilai_ikm berupa angka", "nilai_ikm is a number")
    s.rentang("nilai_ikm", 25, 100)
    return s.suite


def riwayat_pelatihan(p: SuiteParameters) -> gx.ExpectationSuite:
    """riwayat_pelatihan.csv: NIP, competency tag, date and positive JP."""
    s = _SuiteBuilder("riwayat_pelatihan", p)
    s.ada(*FILES["riwayat_pelatihan"].required).nip("nip")
    s.format("kompetensi", KOMPETENSI, *_KOMPETENSI)
    s.format("tanggal", TANGGAL, *_TANGGAL)
    s.format("jp", ANGKA_POSITIF, *_JP)
    return s.suite


def katalog_pelatihan(p: SuiteParameters) -> gx.ExpectationSuite:
    """katalog_pelatihan.csv: unique training codes, competency tag, positive JP."""
    s = _SuiteBuilder("katalog_pelatihan", p)
    s.ada(*FILES["katalog_pelatihan"].required).unik("kode_pelatihan")
    s.format("kompetensi", KOMPETENSI, *_KOMPETENSI)
    s.format("jp", ANGKA_POSITIF, *_JP)
    return s.suite


def rating_atasan(p: SuiteParameters) -> gx.ExpectationSuite:
    """rating_atasan.csv: one override per NIP, ratings from the three levels."""
    s = _SuiteBuilder("rating_atasan", p)
    s.ada(*FILES["rating_atasan"].required).nip("nip").unik("nip")
    s.nilai("rating_hasil_kerja", RATING).nilai("rating_perilaku", RATING)
    return s.suite


def keberatan(p: SuiteParameters) -> gx.ExpectationSuite:
    """keberatan.csv: NIPs, the year, dates, a known decision and ratings from the three levels."""
    s = _SuiteBuilder("keberatan", p)
    s.ada(*FILES["keberatan"].required).nip("nip", "nip_pemutus")
    s.nilai("tahun", (str(p.tahun),), kode="sesuai",
            perbaikan=f"keberatan.csv harus berisi keberatan atas penilaian tahun {p.tahun}: perbaiki kolom"
            f" tahun pada baris yang tercantum lalu {ULANGI}, atau jalankan dengan --tahun yang sesuai",
            fix=f"keberatan.csv must hold objections to the {p.tahun} appraisal: correct the tahun column on"
            f" the listed rows, then {RERUN}, or run with the --tahun the file is for")
    for kolom in ("tanggal_terima", "tanggal_pengajuan", "tanggal_keputusan"):
        s.format(kolom, TANGGAL, f"{kolom} berbentuk YYYY-MM-DD", f"{kolom} is YYYY-MM-DD")
    s.nilai("keputusan", KEPUTUSAN)
    s.nilai("rating_hasil_kerja_baru", RATING).nilai("rating_perilaku_baru", RATING)
    return s.suite


def angka_kredit(p: SuiteParameters) -> gx.ExpectationSuite:
    """angka_kredit.csv: NIPs, a known jenjang and golongan, ak_awal >= 0, bulan 1-12. A repeated NIP is
    not a file-level failure: its later lines alone are quarantined (AK_GANDA), the first one stands."""
    s = _SuiteBuilder("angka_kredit", p)
    s.ada(*FILES["angka_kredit"].required).nip("nip")
    s.nilai("jenjang", JENJANG).nilai("golongan", GOLONGAN)
    s.format("ak_awal", ANGKA_NONNEGATIF, "ak_awal berupa angka 0 atau lebih",
             "ak_awal is a number, 0 or more")
    s.format("bulan", r"^(?:[1-9]|1[0-2])$", "bulan berupa bilangan bulat 1 sampai 12",
             "bulan is a whole number from 1 to 12")
    return s.suite


SUITES: dict[str, Callable[[SuiteParameters], gx.ExpectationSuite]] = {
    "unit_kerja": unit_kerja,
    "pegawai": pegawai,
    "skp": skp,
    "realisasi": realisasi,
    "perilaku": perilaku,
    "umpan_balik": umpan_balik,
    "survei_masyarakat": survei_masyarakat,
    "riwayat_pelatihan": riwayat_pelatihan,
    "katalog_pelatihan": katalog_pelatihan,
    "rating_atasan": rating_atasan,
    "keberatan": keberatan,
    "angka_kredit": angka_kredit,
}

# Text columns whose numeric value a suite checks through a helper column (see `rentang`).
NUMERIC_COLUMNS: dict[str, tuple[str, ...]] = {"survei_masyarakat": ("nilai_ikm",)}


def validation_frame(sheet: str, raw: pd.DataFrame) -> pd.DataFrame:
    """The frame a suite validates: the file's columns (missing ones as NA), `_baris`,
    numeric helper columns, and a positional index so unexpected indexes are row positions."""
    spec = FILES[sheet]
    raw = raw.reset_index(drop=True)
    data: dict[str, object] = {}
    for kolom in spec.columns:
        data[kolom] = raw[kolom] if kolom in raw.columns else pd.Series(pd.NA, index=raw.index)
    data["_baris"] = raw["_baris"] if "_baris" in raw.columns else np.arange(2, len(raw) + 2)
    frame = pd.DataFrame(data, copy=False)  # the raw columns, not a copy of them (1M: ≈ 3 GB)
    for kolom in spec.columns:
        if kolom not in spec.kategori:  # those stay codes until a check needs their text (runner)
            frame[kolom] = frame[kolom].astype("str")  # pyarrow-backed: fast regexes, NA kept
    for kolom in NUMERIC_COLUMNS.get(sheet, ()):
        teks = frame[kolom].str.replace(",", ".", regex=False)
        frame[kolom + NUMERIC_SUFFIX] = pd.to_numeric(teks, errors="coerce")
    return frame
