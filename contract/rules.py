"""Every value rule of FORMATS.md on whole tables: clean typed frames go on, bad rows to quarantine.

Design (whole-table numpy/pandas, no loop over rows; sized for 1M employees, 4M indicators, 30M
realisation rows):
- each rule has a code and an Indonesian and English reason template (`ATURAN`); a row that breaks
  several rules gets one quarantine row per broken rule and is dropped once;
- files are checked parents first (unit_kerja -> pegawai -> skp -> realisasi, pegawai -> the other
  files); a row that points at a parent row which exists but was quarantined is quarantined with
  INDUK_DIKARANTINA, so nothing disappears silently. Cross-file rules run only when both files are
  in `raw`;
- references to a supervisor (nip_atasan), to a rater (nip_penilai, dari_nip) or to a supervisor's
  indicator (id_indikator_atasan) are checked against every row of the parent file, quarantined or
  not, so one bad supervisor row does not take its whole subtree with it;
- duplicates (NIP_GANDA, ID_GANDA, REALISASI_GANDA, ...) quarantine every row of the duplicated key:
  the file does not say which one is right;
- enumerations are matched case-insensitively with spaces, `-` and `_` treated alike, and the clean
  frame holds the canonical spelling; `kompetensi` is lower-cased the same way;
- a NIP column is first checked for its own format; only a well-formed NIP is then looked up in
  pegawai.csv, so each bad reference is reported once;
- an empty `nip_atasan` is allowed for `pimpinan_tinggi` (rated by the PPK, who is not in the file)
  and for the only employee of an instansi without a supervisor; anyone else -> ATASAN_KOSONG;
- the head of a unit (no supervisor, or a supervisor in another kode_unit) needs no cascading;
- `predikat_organisasi` may be empty, except at year-end and training, where it is required;
- integer columns accept integral numbers written as decimals ("4.0" is 4);
- `tanggal` must be YYYY-MM-DD and a real date; "31/03/2026" is quarantined with a reason naming
  the expected format;
- a decreasing cumulative realisation (arah naik) is a warning (REALISASI_TURUN), not a quarantine:
  `check_values` returns the warnings as a third frame with the quarantine columns.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from contract.arrow_text import buffer_bytes
from contract.schema import (
    ARAH,
    ASPEK,
    BERAKHLAK,
    FILES,
    JENIS_INDIKATOR,
    JENIS_JABATAN,
    JENIS_UMPAN_BALIK,
    PREDIKAT_ORGANISASI,
    RATING,
)

KARANTINA_COLUMNS = ["berkas", "baris", "kolom", "nilai", "kode_aturan", "alasan", "reason", "tahap"]
# Stages at which every unit must carry its predikat_organisasi (year-end scoring needs it).
TAHAP_BUTUH_PREDIKAT = ("year-end", "training")
_NUMBER = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"
_PERIODE_BULAN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"  # realisasi, survei: YYYY-MM
_PERIODE_SEMESTER = r"^[0-9]{4}-S[12]$"  # perilaku: YYYY-S1 / YYYY-S2
_TAG = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
_KOSONG = "(kosong)"
# Codes that may end up in file names (ringkasan_<kode_unit>.html) or paths: no separators, no dot-dirs.
_KODE_AMAN = r"^[A-Za-z0-9._-]+$"


@dataclass(frozen=True)
class Aturan:
    """One value rule: its code and reason templates ({nilai}, {kolom}, {tahun} or a row column)."""

    kode: str
    alasan: str
    reason: str


ATURAN: dict[str, Aturan] = {
    a.kode: a
    for a in (
        Aturan("WAJIB_KOSONG", "kolom wajib {kolom} kosong", "required column {kolom} is empty"),
        Aturan(
            "JUMLAH_KOLOM",
            "baris berisi lebih banyak kolom daripada judul; kelebihan: '{nilai}'",
            "row has more fields than the header; surplus: '{nilai}'",
        ),
        Aturan(
            "KODE_TIDAK_AMAN",
            "{kolom} '{nilai}' tidak aman: hanya huruf, angka, '.', '_' dan '-' (bukan '.' atau '..')",
            "{kolom} '{nilai}' is unsafe: only letters, digits, '.', '_' and '-' (not '.' or '..')",
        ),
        Aturan(
            "NIP_FORMAT",
            "{kolom} '{nilai}' bukan NIP 18 angka",
            "{kolom} '{nilai}' is not an 18-digit NIP",
        ),
        Aturan(
            "NIP_TANGGAL_LAHIR",
            "{kolom} '{nilai}': tanggal lahir (angka 1-8, YYYYMMDD) bukan tanggal yang ada",
            "{kolom} '{nilai}': birth date (digits 1-8, YYYYMMDD) is not a real date",
        ),
        Aturan(
            "NIP_TMT",
            "{kolom} '{nilai}': TMT (angka 9-14, YYYYMM) bukan bulan yang sah, sebelum usia 18 tahun,"
            " atau sesudah tahun {tahun}",
            "{kolom} '{nilai}': start of service (digits 9-14, YYYYMM) is not a real month, before"
            " the 18th birthday year, or after {tahun}",
        ),
        Aturan(
            "NIP_JENIS_KELAMIN",
            "{kolom} '{nilai}': angka ke-15 (jenis kelamin) harus 1 atau 2",
            "{kolom} '{nilai}': digit 15 (sex) must be 1 or 2",
        ),
        Aturan(
            "NIP_URUT",
            "{kolom} '{nilai}': nomor urut (angka 16-18) harus 001-999",
            "{kolom} '{nilai}': sequence number (digits 16-18) must be 001-999",
        ),
        Aturan(
            "NIP_GANDA",
            "nip '{nilai}' muncul lebih dari sekali di pegawai.csv (semua barisnya dikarantina)",
            "nip '{nilai}' occurs more than once in pegawai.csv (all its rows are quarantined)",
        ),
        Aturan(
            "JENIS_JABATAN",
            "jenis_jabatan '{nilai}' tidak dikenal (" + ", ".join(JENIS_JABATAN) + ")",
            "unknown jenis_jabatan '{nilai}' (" + ", ".join(JENIS_JABATAN) + ")",
        ),
        Aturan(
            "UNIT_TIDAK_ADA",
            "kode_unit '{nilai}' tidak ada di unit_kerja.csv",
            "kode_unit '{nilai}' is not in unit_kerja.csv",
        ),
        Aturan(
            "UNIT_GANDA",
            "kode_unit '{nilai}' muncul lebih dari sekali di unit_kerja.csv",
            "kode_unit '{nilai}' occurs more than once in unit_kerja.csv",
        ),
        Aturan(
            "PREDIKAT_ORGANISASI",
            "predikat_organisasi '{nilai}' tidak sah (" + ", ".join(PREDIKAT_ORGANISASI)
            + "); wajib diisi sebelum penilaian akhir tahun",
            "invalid predikat_organisasi '{nilai}' (" + ", ".join(PREDIKAT_ORGANISASI)
            + "); required before year-end scoring",
        ),
        Aturan(
            "ATASAN_TIDAK_ADA",
            "nip_atasan '{nilai}' tidak ada di pegawai.csv",
            "nip_atasan '{nilai}' is not in pegawai.csv",
        ),
        Aturan(
            "ATASAN_INSTANSI_LAIN",
            "atasan '{nilai}' berada di instansi lain",
            "supervisor '{nilai}' belongs to another instansi",
        ),
        Aturan(
            "ATASAN_SIKLUS",
            "rantai atasan melingkar: lewat nip_atasan '{nilai}' pegawai ini kembali ke dirinya sendiri",
            "supervisor chain is a cycle: through nip_atasan '{nilai}' it leads back to this employee",
        ),
        Aturan(
            "ATASAN_KOSONG",
            "nip_atasan kosong, padahal pegawai bukan pimpinan instansi (bukan pimpinan_tinggi dan"
            " bukan satu-satunya pegawai tanpa atasan di instansinya)",
            "nip_atasan is empty but the employee is not the head of the instansi (not"
            " pimpinan_tinggi and not the only employee without a supervisor in the instansi)",
        ),
        Aturan(
            "ASPEK",
            "aspek '{nilai}' tidak dikenal (" + ", ".join(ASPEK) + ")",
            "unknown aspek '{nilai}' (" + ", ".join(ASPEK) + ")",
        ),
        Aturan(
            "ARAH",
            "arah '{nilai}' harus naik atau turun",
            "arah '{nilai}' must be naik or turun",
        ),
        Aturan(
            "JENIS",
            "jenis '{nilai}' harus utama atau tambahan",
            "jenis '{nilai}' must be utama or tambahan",
        ),
        Aturan("TARGET", "target '{nilai}' harus angka > 0", "target '{nilai}' must be a number > 0"),
        Aturan(
            "TAHUN",
            "tahun '{nilai}' harus sama dengan tahun penilaian {tahun}",
            "tahun '{nilai}' must equal the appraisal year {tahun}",
        ),
        Aturan(
            "ID_GANDA",
            "id_indikator '{nilai}' muncul lebih dari sekali di skp.csv (semua barisnya dikarantina)",
            "id_indikator '{nilai}' occurs more than once in skp.csv (all its rows are quarantined)",
        ),
        Aturan(
            "INDIKATOR_TIDAK_ADA",
            "{kolom} '{nilai}' tidak ada di skp.csv",
            "{kolom} '{nilai}' is not in skp.csv",
        ),
        Aturan(
            "KASKADE",
            "id_indikator_atasan '{nilai}' bukan indikator atasan langsung pegawai",
            "id_indikator_atasan '{nilai}' is not an indicator of the employee's own supervisor",
        ),
        Aturan(
            "KASKADE_WAJIB",
            "indikator utama '{id_indikator}' tidak menginduk ke indikator atasan"
            " (id_indikator_atasan kosong), padahal pegawai bukan kepala unit",
            "main indicator '{id_indikator}' does not cascade from a supervisor's indicator"
            " (id_indikator_atasan empty) but the employee is not a unit head",
        ),
        Aturan("PERIODE", "periode '{nilai}' harus YYYY-MM", "periode '{nilai}' must be YYYY-MM"),
        Aturan(
            "PERIODE_TAHUN",
            "periode '{nilai}' di luar tahun {tahun}",
            "periode '{nilai}' is outside {tahun}",
        ),
        Aturan(
            "REALISASI",
            "realisasi '{nilai}' harus angka >= 0",
            "realisasi '{nilai}' must be a number >= 0",
        ),
        Aturan(
            "REALISASI_GANDA",
            "lebih dari satu realisasi untuk indikator dan bulan '{nilai}' (semua barisnya dikarantina)",
            "more than one realisation for indicator and month '{nilai}' (all its rows are"
            " quarantined)",
        ),
        Aturan(
            "NILAI_PERILAKU",
            "{kolom} '{nilai}' harus bilangan bulat 1-5",
            "{kolom} '{nilai}' must be a whole number 1-5",
        ),
        Aturan(
            "SEMESTER",
            "periode '{nilai}' harus YYYY-S1 atau YYYY-S2",
            "periode '{nilai}' must be YYYY-S1 or YYYY-S2",
        ),
        Aturan(
            "PERILAKU_GANDA",
            "penilaian ganda untuk nip, nip_penilai dan periode '{nilai}' (semua barisnya dikarantina)",
            "duplicate rating for nip, nip_penilai and periode '{nilai}' (all its rows are"
            " quarantined)",
        ),
        Aturan(
            "JENIS_UMPAN_BALIK",
            "jenis '{nilai}' tidak dikenal (" + ", ".join(JENIS_UMPAN_BALIK) + ")",
            "unknown jenis '{nilai}' (" + ", ".join(JENIS_UMPAN_BALIK) + ")",
        ),
        Aturan(
            "TANGGAL",
            "{kolom} '{nilai}' tidak sah: harus tanggal nyata berformat YYYY-MM-DD (mis. 2026-03-31)",
            "{kolom} '{nilai}' is invalid: must be a real date written YYYY-MM-DD (e.g. 2026-03-31)",
        ),
        Aturan(
            "IKM", "nilai_ikm '{nilai}' harus angka 25-100", "nilai_ikm '{nilai}' must be a number 25-100"
        ),
        Aturan(
            "RESPONDEN",
            "jumlah_responden '{nilai}' harus bilangan bulat >= 1",
            "jumlah_responden '{nilai}' must be a whole number >= 1",
        ),
        Aturan(
            "SURVEI_GANDA",
            "survei ganda untuk kode_unit, periode dan layanan '{nilai}' (semua barisnya dikarantina)",
            "duplicate survey for kode_unit, periode and layanan '{nilai}' (all its rows are"
            " quarantined)",
        ),
        Aturan("JP", "jp '{nilai}' harus angka > 0", "jp '{nilai}' must be a number > 0"),
        Aturan(
            "KOMPETENSI",
            "kompetensi '{nilai}' harus nilai BerAKHLAK atau tag teknis huruf kecil dengan _"
            " (mis. pelayanan_publik)",
            "kompetensi '{nilai}' must be a BerAKHLAK value or a lower-case technical tag joined"
            " by _ (e.g. pelayanan_publik)",
        ),
        Aturan(
            "PELATIHAN_GANDA",
            "kode_pelatihan '{nilai}' muncul lebih dari sekali di katalog_pelatihan.csv",
            "kode_pelatihan '{nilai}' occurs more than once in katalog_pelatihan.csv",
        ),
        Aturan(
            "RATING",
            "{kolom} '{nilai}' harus di_atas, sesuai atau di_bawah",
            "{kolom} '{nilai}' must be di_atas, sesuai or di_bawah",
        ),
        Aturan(
            "RATING_GANDA",
            "lebih dari satu rating atasan untuk nip '{nilai}' (semua barisnya dikarantina)",
            "more than one supervisor override for nip '{nilai}' (all its rows are quarantined)",
        ),
        Aturan(
            "PEGAWAI_TIDAK_ADA",
            "{kolom} '{nilai}' tidak ada di pegawai.csv",
            "{kolom} '{nilai}' is not in pegawai.csv",
        ),
        Aturan(
            "INDUK_DIKARANTINA",
            "{kolom} '{nilai}' merujuk baris {induk} yang dikarantina",
            "{kolom} '{nilai}' refers to a quarantined row of {induk}",
        ),
        Aturan(
            "REALISASI_TURUN",
            "peringatan: realisasi kumulatif turun dari {sebelumnya} ke {nilai}",
            "warning: cumulative realisation decreases from {sebelumnya} to {nilai}",
        ),
    )
}
_URUTAN_ATURAN = {kode: i for i, kode in enumerate(ATURAN)}
_URUTAN_BERKAS = {spec.name: i for i, spec in enumerate(FILES.values())}


def empty_karantina() -> pd.DataFrame:
    """A quarantine frame with no rows and the contract's columns and types."""
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in KARANTINA_COLUMNS})
    frame["baris"] = frame["baris"].astype("int64")
    return frame


def render(template: str, rows: pd.DataFrame, nilai: pd.Series, **tetap: object) -> pd.Series:
    """Fill a reason template for many rows at once: {nilai}, constants, or columns of `rows`."""
    out = pd.Series("", index=rows.index, dtype="str")
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        out = out + literal
        if name is None:
            continue
        if name in tetap:
            out = out + str(tetap[name])
        elif name == "nilai":
            out = out + _teks(nilai)
        else:
            out = out + _teks(rows[name])
    return out


def _teks(values: pd.Series) -> pd.Series:
    """Values as text for a message; an empty cell reads as (kosong)."""
    return values.astype("str").fillna(_KOSONG).where(values.notna(), _KOSONG)


def karantina_rows(
    berkas: str, rows: pd.DataFrame, kode: str, kolom: str, nilai: pd.Series,
    tahap: str = "", **tetap: object,
) -> pd.DataFrame:
    """Quarantine rows for `rows` of one file that break rule `kode` in column `kolom`."""
    aturan = ATURAN[kode]
    tetap = {"kolom": kolom, **tetap}
    return pd.DataFrame(
        {
            "berkas": berkas,
            "baris": rows["_baris"].to_numpy(dtype="int64"),
            "kolom": kolom,
            "nilai": nilai.astype("str").to_numpy(),
            "kode_aturan": kode,
            "alasan": render(aturan.alasan, rows, nilai, **tetap).to_numpy(),
            "reason": render(aturan.reason, rows, nilai, **tetap).to_numpy(),
            "tahap": tahap,
        },
        columns=KARANTINA_COLUMNS,
    )


def sort_karantina(frame: pd.DataFrame) -> pd.DataFrame:
    """Deterministic order: file (FORMATS.md order), line, rule (registry order), column."""
    if frame.empty:
        return frame.reset_index(drop=True)
    kunci = pd.DataFrame(
        {
            "f": frame["berkas"].map(_URUTAN_BERKAS).fillna(len(_URUTAN_BERKAS)).to_numpy(),
            "b": frame["baris"].to_numpy(),
            "a": frame["kode_aturan"].map(_URUTAN_ATURAN).fillna(len(_URUTAN_ATURAN)).to_numpy(),
            "k": frame["kolom"].fillna("").to_numpy(),
        }
    )
    order = kunci.sort_values(["f", "b", "a", "k"], kind="stable").index.to_numpy()
    return frame.iloc[order].reset_index(drop=True)


# --------------------------------------------------------------------------- value parsers


def _arrow(values: pd.Series) -> pa.Array:
    return pa.array(values.astype("str"), from_pandas=True)


def _bool(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return pc.fill_null(values, False).to_numpy(zero_copy_only=False)


def _matches(values: pd.Series, pattern: str) -> np.ndarray:
    """Whole-value regex match; empty cells do not match."""
    return _bool(pc.match_substring_regex(_arrow(values), pattern))


def _to_float(values: pd.Series) -> np.ndarray:
    """Parse decimal text ('.' as point) into float64; anything that is not a plain number is NaN.

    Arrow's cast accepts exactly the finite numbers `_NUMBER` does, plus spellings of nan and inf;
    so when every cell casts to a finite number (or is empty) the cast alone is the answer, without
    running the regex over millions of cells. Otherwise the regex decides.
    """
    arr = _arrow(values)
    try:
        number = pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:
        number = None
    if number is not None and (np.isfinite(number) | values.isna().to_numpy()).all():
        return number
    ok = pc.fill_null(pc.match_substring_regex(arr, _NUMBER), False)
    parsed = pc.cast(pc.if_else(ok, arr, "nan"), pa.float64())
    return parsed.to_numpy(zero_copy_only=False)


def _integral(number: np.ndarray) -> np.ndarray:
    return np.isfinite(number) & (np.floor(number) == number)


def _real_date(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Is (year, month, day) a date on the calendar? Proleptic Gregorian, years 1-9999."""
    days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    month_ok = (month >= 1) & (month <= 12)
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    last = days[np.where(month_ok, month, 0)] + ((month == 2) & leap)
    return (year >= 1) & month_ok & (day >= 1) & (day <= last)


def _digits(values: pd.Series, width: int) -> np.ndarray:
    """Strings of exactly `width` ASCII digits -> (n, width) int matrix.

    Such strings lie back to back in Arrow's data buffer, so the matrix is a view of those bytes
    (no Python string per value).
    """
    raw = np.frombuffer(buffer_bytes(pa.array(values, type=pa.large_string(), from_pandas=True)), np.uint8)
    return (raw.reshape(-1, width) - 48).astype(np.int64)


def _number_of(digits: np.ndarray, start: int, stop: int) -> np.ndarray:
    weights = 10 ** np.arange(stop - start - 1, -1, -1, dtype=np.int64)
    return digits[:, start:stop] @ weights


def _per_row(per_unique: np.ndarray, codes: np.ndarray, fill: object) -> np.ndarray:
    """Spread values computed on factorize uniques back to rows; code -1 (empty cell) gets `fill`."""
    return np.append(per_unique, np.array([fill], dtype=per_unique.dtype))[codes]


def _key(values: pd.Series) -> pd.Series:
    """Case- and separator-insensitive key for enumerations: 'Butuh  Perbaikan' -> 'butuh_perbaikan'."""
    lower = pc.utf8_lower(_arrow(values))
    return pd.Series(pc.replace_substring_regex(lower, r"[\s_\-]+", "_").to_pandas(),
                     index=values.index, dtype="str")


def _index_in(values: pd.Series, reference: pd.Series) -> np.ndarray:
    """Row position in `reference` of each value's first occurrence; -1 when absent or empty."""
    found = pc.index_in(
        _arrow(values), options=pc.SetLookupOptions(_arrow(reference), skip_nulls=True)
    )
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def _at(values: np.ndarray, pos: np.ndarray, fill: object) -> np.ndarray:
    """`values` at positions `pos`, `fill` where pos is -1 (also when `values` is empty)."""
    out = np.full(len(pos), fill, dtype=values.dtype)
    found = pos >= 0
    out[found] = values[pos[found]]
    return out


def _isin(values: pd.Series, reference: pd.Series) -> np.ndarray:
    """Is each (filled) value somewhere in `reference`? Hash lookup in Arrow, fast on millions."""
    return _index_in(values, reference) >= 0


def isin_text(values: pd.Series, reference: object) -> np.ndarray:
    """`values.isin(reference)` for text columns as one Arrow hash lookup (NA matches NA, as in pandas).

    pandas 3 builds the lookup set of a `str` column's isin with a Python loop over `reference`
    (seconds per million values); this is the same answer without it.
    """
    value_set = pa.array(pd.Series(reference, dtype="str"), from_pandas=True)
    found = pc.is_in(_arrow(values), value_set=value_set, skip_nulls=False)
    return _bool(found)


def _take(column: pd.Series, pos: np.ndarray) -> pd.Series:
    """`column` at positions `pos` (NA where pos is -1), as text."""
    taken = pc.take(_arrow(column), pa.array(pos, mask=pos < 0))
    return pd.Series(taken.to_pandas(), dtype="str")


def _lookup(keys: pd.Series, table: pd.DataFrame, key: str, kolom: str) -> pd.Series:
    """For each key, `kolom` of the first row of `table` whose `key` equals it (NA when absent)."""
    return _take(table[kolom], _index_in(keys, table[key])).set_axis(keys.index)


def _per_row_text(per_unique: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """Text computed on factorize uniques spread back to the rows (code -1 -> NA), in one Arrow take."""
    taken = pc.take(pa.array(per_unique, type=pa.large_string(), from_pandas=True),
                    pa.array(codes, mask=codes < 0))
    return pd.Series(pd.array(taken, dtype="str"), index=index)


def _enum(
    codes: np.ndarray, uniques: pd.Series, allowed: tuple[str, ...], index: pd.Index
) -> tuple[pd.Series, np.ndarray]:
    """Canonical spelling of an enumerated column (given factorized) and the mask of filled cells
    that are not allowed."""
    canon = {_key(pd.Series([a]))[0]: a for a in allowed}
    mapped = _key(uniques).map(canon)
    return _per_row_text(mapped, codes, index), _per_row(mapped.isna().to_numpy(), codes, False)


def _kompetensi(
    codes: np.ndarray, uniques: pd.Series, index: pd.Index
) -> tuple[pd.Series, np.ndarray]:
    """Lower-cased kompetensi (given factorized) and the mask of filled cells that are neither
    BerAKHLAK nor a tag."""
    normal = _key(uniques)
    ok = _matches(normal, _TAG.pattern)
    return _per_row_text(normal, codes, index), _per_row(~ok, codes, False)


# --------------------------------------------------------------------------- checking one file


class _Berkas:
    """One file under check: its raw rows, the rows broken so far, and its quarantine rows."""

    def __init__(self, sheet: str, raw: pd.DataFrame, tahun: int, tahap: str) -> None:
        self.sheet = sheet
        self.spec = FILES[sheet]
        self.raw = raw.reset_index(drop=True)
        if "_baris" not in self.raw.columns:
            self.raw["_baris"] = np.arange(2, len(self.raw) + 2, dtype=np.int64)
        self.tahun = tahun
        self.tahap = tahap
        self.rusak = np.zeros(len(self.raw), dtype=bool)
        self.temuan: list[pd.DataFrame] = []
        self.nilai: dict[str, pd.Series] = {}
        self.pos_atasan = np.empty(0, dtype=np.int64)  # pegawai only, set by _pegawai
        self._faktor: dict[str, tuple[pd.Series | None, np.ndarray, pd.Series]] = {}

    def col(self, kolom: str) -> pd.Series:
        if kolom in self.nilai:
            return self.nilai[kolom]
        if kolom in self.raw.columns:
            return self.raw[kolom]
        return pd.Series(pd.NA, index=self.raw.index, dtype="str")

    def filled(self, kolom: str) -> np.ndarray:
        return self.col(kolom).notna().to_numpy()

    def faktor(self, kolom: str) -> tuple[np.ndarray, pd.Series]:
        """Row codes and distinct values of a column, computed once per file.

        Several rules look at the same column (format, duplicates, references, warnings); hashing
        millions of cells once and then working on the distinct values is most of the speed.
        Code -1 is an empty cell. A column replaced in `nilai` (canonical spelling) is factorized anew.
        """
        sumber = self.nilai.get(kolom)
        hit = self._faktor.get(kolom)
        if hit is None or hit[0] is not sumber:
            codes, uniques = pd.factorize(self.col(kolom))
            hit = self._faktor[kolom] = (sumber, codes, pd.Series(uniques, dtype="str"))
        return hit[1], hit[2]

    def flag(
        self, mask: np.ndarray, kode: str, kolom: str, nilai: pd.Series | None = None,
        drop: bool = True, **tetap: object,
    ) -> None:
        """Record rule `kode` broken on the rows in `mask`; those rows leave the clean frame.

        `nilai` (default: the raw column) is looked up by row label, so it may hold just the
        flagged rows.
        """
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        rows = self.raw.loc[mask]
        if nilai is None:
            nilai = self.raw[kolom] if kolom in self.raw.columns else self.col(kolom)
        shown = nilai.loc[rows.index]
        self.temuan.append(
            karantina_rows(self.spec.name, rows, kode, kolom, shown, self.tahap,
                           tahun=self.tahun, **tetap)
        )
        if drop:
            self.rusak |= mask

    # ---- generic rules

    def wajib(self) -> None:
        for kolom in self.spec.required:
            self.flag(~self.filled(kolom), "WAJIB_KOSONG", kolom)

    def nip(self, kolom: str) -> np.ndarray:
        """Check a NIP column; returns the mask of well-formed NIPs (filled and every NIP rule met)."""
        codes, uniq = self.faktor(kolom)
        shape = _matches(uniq, r"^[0-9]{18}$")
        n = len(uniq)
        broken = {k: np.zeros(n, dtype=bool) for k in ("lahir", "tmt", "kelamin", "urut")}
        if shape.any():
            digits = _digits(uniq[shape], 18)
            lahir_y = _number_of(digits, 0, 4)
            lahir = _real_date(lahir_y, _number_of(digits, 4, 6), _number_of(digits, 6, 8))
            tmt_y, tmt_m = _number_of(digits, 8, 12), _number_of(digits, 12, 14)
            tmt = (tmt_m >= 1) & (tmt_m <= 12) & (tmt_y >= lahir_y + 18) & (tmt_y <= self.tahun)
            broken["lahir"][shape] = ~lahir
            broken["tmt"][shape] = ~tmt
            broken["kelamin"][shape] = ~np.isin(digits[:, 14], (1, 2))
            broken["urut"][shape] = _number_of(digits, 15, 18) == 0

        def per_row(per_unique: np.ndarray) -> np.ndarray:
            return _per_row(per_unique, codes, False)

        self.flag(per_row(~shape), "NIP_FORMAT", kolom)
        self.flag(per_row(broken["lahir"]), "NIP_TANGGAL_LAHIR", kolom)
        self.flag(per_row(broken["tmt"]), "NIP_TMT", kolom)
        self.flag(per_row(broken["kelamin"]), "NIP_JENIS_KELAMIN", kolom)
        self.flag(per_row(broken["urut"]), "NIP_URUT", kolom)
        good = shape & ~broken["lahir"] & ~broken["tmt"] & ~broken["kelamin"] & ~broken["urut"]
        return per_row(good)

    def kode_aman(self, kolom: str) -> None:
        """A code that may become part of a file name must not be able to leave its folder."""
        values = self.col(kolom)
        unsafe = ~_matches(values, _KODE_AMAN) | values.isin([".", ".."]).fillna(False).to_numpy()
        self.flag(self.filled(kolom) & unsafe, "KODE_TIDAK_AMAN", kolom)

    def enum(self, kolom: str, allowed: tuple[str, ...], kode: str) -> None:
        normal, bad = _enum(*self.faktor(kolom), allowed, self.raw.index)
        self.flag(bad, kode, kolom)
        self.nilai[kolom] = normal

    def kompetensi(self, kolom: str = "kompetensi") -> None:
        normal, bad = _kompetensi(*self.faktor(kolom), self.raw.index)
        self.flag(bad, "KOMPETENSI", kolom)
        self.nilai[kolom] = normal

    def angka(self, kolom: str, kode: str, ok: object, integer: bool = False) -> None:
        """Parse a numeric column; filled cells that do not parse or fail `ok(number)` break `kode`."""
        number = _to_float(self.col(kolom))
        good = np.isfinite(number)
        good[good] = ok(number[good])
        if integer:
            good &= _integral(number)
        self.flag(self.filled(kolom) & ~good, kode, kolom)
        self.nilai[kolom] = pd.Series(number, index=self.raw.index, copy=False)

    def tanggal(self, kolom: str = "tanggal") -> None:
        """A real date written YYYY-MM-DD (checked once per distinct date)."""
        codes, values = self.faktor(kolom)
        shape = _matches(values, r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
        good = np.zeros(len(values), dtype=bool)
        if shape.any():
            digits = _digits(values[shape].str.replace("-", ""), 8)
            good[shape] = _real_date(
                _number_of(digits, 0, 4), _number_of(digits, 4, 6), _number_of(digits, 6, 8)
            )
        self.flag(self.filled(kolom) & ~_per_row(good, codes, False), "TANGGAL", kolom)

    def periode(self, pola: str, kode: str, nomor: slice, turunan: str) -> None:
        """A periode of `tahun` shaped like `pola` (checked once per distinct value); the number at
        `nomor` becomes the helper column `turunan` (the month of realisasi, the semester of perilaku)."""
        codes, periode = self.faktor("periode")
        shape_u = _matches(periode, pola)
        year_u = pd.to_numeric(periode.str.slice(0, 4).where(shape_u), errors="coerce")
        nomor_u = pd.to_numeric(periode.str.slice(nomor.start, nomor.stop).where(shape_u), errors="coerce")
        self.flag(self.filled("periode") & ~_per_row(shape_u, codes, False), kode, "periode")
        lain_u = shape_u & (year_u.to_numpy(dtype="float64") != self.tahun)
        self.flag(_per_row(lain_u, codes, False), "PERIODE_TAHUN", "periode")
        nilai = _per_row(nomor_u.to_numpy(dtype="float64"), codes, np.nan)
        self.nilai[turunan] = pd.Series(nilai, index=self.raw.index, copy=False)

    def ganda(self, kolom: list[str], kode: str) -> None:
        """Every row of a key that occurs more than once (rows with an empty key part are skipped).

        The key is the columns' codes combined into one integer and counted with a bincount; once
        the combination could outgrow the row count it is renumbered, so the counts stay small and
        the integer cannot overflow.
        """
        key = np.zeros(len(self.raw), dtype=np.int64)
        size = 1
        for k in kolom:
            codes, uniques = self.faktor(k)
            key *= len(uniques) + 1  # in place: no temporary copies of millions of rows
            key += codes + 1
            size *= len(uniques) + 1
            if size > 2 * len(key) + 1:
                key, distinct = pd.factorize(key)
                size = len(distinct)
        dup = np.bincount(key, minlength=size)[key] > 1
        if not dup.any():
            return
        dup &= np.logical_and.reduce([self.filled(k) for k in kolom])
        if not dup.any():
            return
        rows = np.flatnonzero(dup)
        shown = self.col(kolom[0]).iloc[rows]
        for k in kolom[1:]:
            shown = shown + ", " + self.col(k).iloc[rows]
        self.flag(dup, kode, ",".join(kolom), shown)

    def rujukan(
        self, kolom: str, ok: np.ndarray, induk: _Berkas, induk_kolom: str,
        tidak_ada: str, ikut_induk: bool = True,
    ) -> np.ndarray:
        """Reference to a parent file: missing -> `tidak_ada`; parent row quarantined -> INDUK_DIKARANTINA.

        Returns each row's position in the parent (first occurrence; -1 when absent). A duplicated
        parent key has all its rows quarantined, so the first occurrence tells whether any is clean.
        """
        codes, values = self.faktor(kolom)  # looked up once per distinct value
        pos = _index_in(values, induk.col(induk_kolom))
        self.flag(ok & ~_per_row(pos >= 0, codes, False), tidak_ada, kolom)
        if ikut_induk:
            dikarantina = (pos >= 0) & _at(induk.rusak, pos, True)
            self.flag(ok & _per_row(dikarantina, codes, False), "INDUK_DIKARANTINA", kolom,
                      induk=induk.spec.name)
        return _per_row(pos, codes, -1)

    def clean(self) -> pd.DataFrame:
        """The rows that broke no rule, with contract types and helper columns.

        The columns are put side by side without copying (copy-on-write keeps the raw frame safe),
        filtered once, then typed: integers only after the broken rows (NaN) are gone.
        """
        out = {kolom: self.col(kolom) for kolom in self.spec.columns}
        out["_baris"] = self.raw["_baris"]
        out.update({extra: self.nilai[extra] for extra in ("bulan", "semester") if extra in self.nilai})
        frame = pd.DataFrame(out, copy=False)
        if self.rusak.any():
            frame = frame[~self.rusak]
        jenis = {
            kolom: "str" if kolom in self.spec.columns else "int64"  # _baris, bulan, semester
            for kolom in frame.columns
        }
        jenis.update({kolom: "int64" for kolom in self.spec.integers})
        jenis.update({kolom: "float64" for kolom in self.spec.floats})
        return frame.astype(jenis).reset_index(drop=True)

    def karantina(self) -> pd.DataFrame:
        if not self.temuan:
            return empty_karantina()
        return pd.concat(self.temuan, ignore_index=True)


# --------------------------------------------------------------------------- per-file rules


def _on_cycle(nip: pd.Series, sup: np.ndarray) -> np.ndarray:
    """Rows whose employee lies on a cycle of the supervisor chain, by pointer doubling (no recursion).

    `sup` is each row's supervisor row (first occurrence of nip_atasan among the nips; -1 if none).
    """
    node = _index_in(nip, nip)
    m = len(nip)
    first = node == np.arange(m)
    step = np.full(m + 1, m, dtype=np.int64)
    step[node[first]] = np.where(sup[first] >= 0, sup[first], m)
    jump = step
    for _ in range(int(np.ceil(np.log2(m + 1))) + 1):
        jump = jump[jump]
    cycle = np.zeros(m + 1, dtype=bool)
    cycle[jump] = True
    cycle[m] = False
    return first & cycle[np.where(node >= 0, node, m)]


def _unit_kerja(b: _Berkas) -> None:
    b.wajib()
    b.kode_aman("kode_unit")
    b.ganda(["kode_unit"], "UNIT_GANDA")
    normal, bad = _enum(*b.faktor("predikat_organisasi"), PREDIKAT_ORGANISASI, b.raw.index)
    if b.tahap in TAHAP_BUTUH_PREDIKAT:
        bad = bad | normal.isna().to_numpy()
    b.flag(bad, "PREDIKAT_ORGANISASI", "predikat_organisasi")
    b.nilai["predikat_organisasi"] = normal


def _pegawai(b: _Berkas, unit: _Berkas | None) -> None:
    b.wajib()
    b.nip("nip")
    atasan_ok = b.nip("nip_atasan")
    b.ganda(["nip"], "NIP_GANDA")
    b.enum("jenis_jabatan", JENIS_JABATAN, "JENIS_JABATAN")
    nip, atasan = b.col("nip"), b.col("nip_atasan")
    sup = _index_in(atasan, nip)
    b.pos_atasan = sup
    b.flag(atasan_ok & (sup < 0), "ATASAN_TIDAK_ADA", "nip_atasan")
    b.flag(_on_cycle(nip, sup), "ATASAN_SIKLUS", "nip_atasan")
    if unit is not None:
        pos_unit = b.rujukan("kode_unit", b.filled("kode_unit"), unit, "kode_unit", "UNIT_TIDAK_ADA")
        instansi = _take(unit.col("kode_instansi"), pos_unit).set_axis(b.raw.index)
        instansi_atasan = _take(instansi, sup).set_axis(b.raw.index)
        lain = (instansi.notna() & instansi_atasan.notna() & (instansi != instansi_atasan)).to_numpy()
        b.flag(lain, "ATASAN_INSTANSI_LAIN", "nip_atasan")
    else:
        instansi = pd.Series("", index=b.raw.index, dtype="str")
    kosong = atasan.isna().to_numpy()
    group = instansi.fillna("\x00?").where(kosong)
    sendiri = (group.map(group.value_counts()) == 1).to_numpy()
    pimpinan = (b.col("jenis_jabatan") == "pimpinan_tinggi").fillna(False).to_numpy()
    b.flag(kosong & ~pimpinan & ~sendiri, "ATASAN_KOSONG", "nip_atasan")


def _skp(b: _Berkas, pegawai: _Berkas | None) -> None:
    b.wajib()
    nip_ok = b.nip("nip")
    b.kode_aman("id_indikator")
    b.ganda(["id_indikator"], "ID_GANDA")
    b.angka("tahun", "TAHUN", lambda x: x == b.tahun, integer=True)
    b.enum("aspek", ASPEK, "ASPEK")
    b.enum("arah", ARAH, "ARAH")
    b.enum("jenis", JENIS_INDIKATOR, "JENIS")
    b.angka("target", "TARGET", lambda x: x > 0)
    b.kompetensi()
    induk_id = b.col("id_indikator_atasan")
    pos_induk = _index_in(induk_id, b.col("id_indikator"))
    b.flag(induk_id.notna().to_numpy() & (pos_induk < 0), "INDIKATOR_TIDAK_ADA",
           "id_indikator_atasan")
    if pegawai is None:
        return
    pos = b.rujukan("nip", nip_ok, pegawai, "nip", "PEGAWAI_TIDAK_ADA")
    pos_atasan = _at(pegawai.pos_atasan, pos, -1)
    atasan = _take(pegawai.col("nip_atasan"), pos)
    pemilik = _take(b.col("nip"), pos_induk)
    salah = pemilik.notna().to_numpy() & (pos >= 0) & (pemilik != atasan).fillna(True).to_numpy()
    b.flag(salah, "KASKADE", "id_indikator_atasan")
    unit = _take(pegawai.col("kode_unit"), pos)
    unit_atasan = _take(pegawai.col("kode_unit"), pos_atasan)
    bawahan = (unit_atasan.notna() & (unit == unit_atasan)).fillna(False).to_numpy()
    utama = (b.col("jenis") == "utama").fillna(False).to_numpy()
    b.flag(bawahan & utama & induk_id.isna().to_numpy(), "KASKADE_WAJIB", "id_indikator_atasan")


def _realisasi(b: _Berkas, skp: _Berkas | None) -> None:
    b.wajib()
    b.periode(_PERIODE_BULAN, "PERIODE", slice(5, 7), "bulan")
    b.angka("realisasi", "REALISASI", lambda x: x >= 0)
    b.ganda(["id_indikator", "periode"], "REALISASI_GANDA")
    if skp is not None:
        b.rujukan("id_indikator", b.filled("id_indikator"), skp, "id_indikator",
                  "INDIKATOR_TIDAK_ADA")


def _pegawai_refs(b: _Berkas, pegawai: _Berkas | None, nip_ok: np.ndarray, kolom_lain: str,
                  lain_ok: np.ndarray) -> None:
    """The rated/trained employee must be clean; the other person (rater) must merely exist."""
    if pegawai is None:
        return
    b.rujukan("nip", nip_ok, pegawai, "nip", "PEGAWAI_TIDAK_ADA")
    if kolom_lain:
        b.rujukan(kolom_lain, lain_ok, pegawai, "nip", "PEGAWAI_TIDAK_ADA", ikut_induk=False)


def _perilaku(b: _Berkas, pegawai: _Berkas | None) -> None:
    b.wajib()
    nip_ok = b.nip("nip")
    penilai_ok = b.nip("nip_penilai")
    b.periode(_PERIODE_SEMESTER, "SEMESTER", slice(6, 7), "semester")
    for kolom in BERAKHLAK:
        b.angka(kolom, "NILAI_PERILAKU", lambda x: (x >= 1) & (x <= 5), integer=True)
    b.ganda(["nip", "nip_penilai", "periode"], "PERILAKU_GANDA")
    _pegawai_refs(b, pegawai, nip_ok, "nip_penilai", penilai_ok)


def _umpan_balik(b: _Berkas, pegawai: _Berkas | None) -> None:
    b.wajib()
    nip_ok = b.nip("nip")
    dari_ok = b.nip("dari_nip")
    b.tanggal()
    b.enum("jenis", JENIS_UMPAN_BALIK, "JENIS_UMPAN_BALIK")
    _pegawai_refs(b, pegawai, nip_ok, "dari_nip", dari_ok)


def _survei(b: _Berkas, unit: _Berkas | None) -> None:
    b.wajib()
    b.periode(_PERIODE_BULAN, "PERIODE", slice(5, 7), "bulan")
    b.angka("jumlah_responden", "RESPONDEN", lambda x: x >= 1, integer=True)
    b.angka("nilai_ikm", "IKM", lambda x: (x >= 25) & (x <= 100))
    b.ganda(["kode_unit", "periode", "layanan"], "SURVEI_GANDA")
    if unit is not None:
        b.rujukan("kode_unit", b.filled("kode_unit"), unit, "kode_unit", "UNIT_TIDAK_ADA")


def _riwayat(b: _Berkas, pegawai: _Berkas | None) -> None:
    b.wajib()
    nip_ok = b.nip("nip")
    b.kompetensi()
    b.tanggal()
    b.angka("jp", "JP", lambda x: x > 0)
    _pegawai_refs(b, pegawai, nip_ok, "", nip_ok)


def _katalog(b: _Berkas) -> None:
    b.wajib()
    b.kode_aman("kode_pelatihan")
    b.ganda(["kode_pelatihan"], "PELATIHAN_GANDA")
    b.kompetensi()
    b.angka("jp", "JP", lambda x: x > 0)


def _rating(b: _Berkas, pegawai: _Berkas | None) -> None:
    b.wajib()
    nip_ok = b.nip("nip")
    b.enum("rating_hasil_kerja", RATING, "RATING")
    b.enum("rating_perilaku", RATING, "RATING")
    b.ganda(["nip"], "RATING_GANDA")
    _pegawai_refs(b, pegawai, nip_ok, "", nip_ok)


# --------------------------------------------------------------------------- entry points


def check_values(
    raw: dict[str, pd.DataFrame], tahun: int, tahap: str
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, pd.DataFrame]:
    """Apply every value rule to the files in `raw`: (clean typed frames, quarantine, warnings).

    Clean frames come back for every sheet in `raw`; cross-file rules run only when both files are
    present. The warnings frame has the quarantine columns (rows stay in the clean frames).
    """
    tahap = tahap.replace("_", "-")
    berkas = {sheet: _Berkas(sheet, frame, tahun, tahap) for sheet, frame in raw.items()}
    unit, pegawai, skp = berkas.get("unit_kerja"), berkas.get("pegawai"), berkas.get("skp")
    if unit is not None:
        _unit_kerja(unit)
    if pegawai is not None:
        _pegawai(pegawai, unit)
    if skp is not None:
        _skp(skp, pegawai)
    checks = {
        "realisasi": lambda b: _realisasi(b, skp),
        "perilaku": lambda b: _perilaku(b, pegawai),
        "umpan_balik": lambda b: _umpan_balik(b, pegawai),
        "survei_masyarakat": lambda b: _survei(b, unit),
        "riwayat_pelatihan": lambda b: _riwayat(b, pegawai),
        "katalog_pelatihan": _katalog,
        "rating_atasan": lambda b: _rating(b, pegawai),
    }
    for sheet, check in checks.items():
        if sheet in berkas:
            check(berkas[sheet])
    clean = {sheet: b.clean() for sheet, b in berkas.items()}
    parts = [b.karantina() for b in berkas.values()]
    karantina = sort_karantina(pd.concat(parts, ignore_index=True)) if parts else empty_karantina()
    peringatan = (
        _check_warnings(berkas["realisasi"], skp, tahap) if "realisasi" in berkas
        else empty_karantina()
    )
    return clean, karantina, peringatan


def _check_warnings(realisasi: _Berkas, skp: _Berkas | None, tahap: str) -> pd.DataFrame:
    """Suspicious but acceptable values in clean rows: a cumulative realisation that decreases.

    Works on the checked file's codes and numbers, not on the clean frame: sorting millions of rows
    of integers is cheap, copying their text columns is not; only the flagged rows become a frame.
    Rows of indicators with arah 'turun' (in the clean skp rows) are left out.
    """
    codes, ids = realisasi.faktor("id_indikator")
    pakai = ~realisasi.rusak
    if skp is not None:
        turun = (skp.col("arah") == "turun").fillna(False).to_numpy() & ~skp.rusak
        pakai &= ~_per_row(_isin(ids, skp.col("id_indikator")[turun]), codes, False)
    if not pakai.any():
        return empty_karantina()
    dipakai = None if pakai.all() else np.flatnonzero(pakai)  # usually every row: no gathers

    def ambil(values: np.ndarray) -> np.ndarray:
        return values if dipakai is None else values[dipakai]

    kode = ambil(codes)
    bulan = ambil(realisasi.nilai["bulan"].to_numpy())  # 1-12 in clean rows: code * 13 + month
    order = np.argsort(kode * 13 + bulan, kind="stable")  # by indicator, then month
    kode = kode[order]
    nilai = ambil(realisasi.nilai["realisasi"].to_numpy())[order]
    same = np.zeros(len(order), dtype=bool)
    same[1:] = kode[1:] == kode[:-1]
    previous = np.empty(len(order))
    previous[1:] = nilai[:-1]
    drop = same & (nilai < previous)
    if not drop.any():
        return empty_karantina()
    pos = order[drop] if dipakai is None else dipakai[order[drop]]
    rows = pd.DataFrame({
        "_baris": realisasi.raw["_baris"].to_numpy()[pos],
        "sebelumnya": pd.Series(previous[drop]).astype("str").to_numpy(),
    })
    shown = pd.Series(nilai[drop]).astype("str")
    out = karantina_rows(FILES["realisasi"].name, rows, "REALISASI_TURUN", "realisasi", shown,
                         tahap)
    return sort_karantina(out)
