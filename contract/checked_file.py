"""One input file under check: its raw rows, the rows broken so far, its quarantine rows, and the
generic rules (required cells, NIPs, codes, enumerations, numbers, dates, periodes, duplicates,
references to a parent file) that the per-file rules of contract/file_rules.py combine."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from contract.karantina import empty_karantina, karantina_rows
from contract.lookup import index_in, is_category, spread, value_at
from contract.parsers import (
    canonical_enum,
    canonical_kompetensi,
    digit_matrix,
    is_integral,
    matches,
    number_of,
    real_date,
    to_float,
)
from contract.raw_frame import SEL_ANGKA
from contract.schema import FILES, IDENTIFIERS, FileSpec

# Codes that may end up in file names (ringkasan_<kode_unit>.html) or paths: no separators, no dot-dirs.
_SAFE_CODE = r"^[A-Za-z0-9._-]+$"


# The helper columns of a clean frame, as narrow as their values allow: they are held for every stage of
# a cycle (realisasi at 1,000,000 employees: 42M rows, 319 MiB per int64 column). A month, a semester,
# and the line number (int32 while the file has fewer than 2^31 lines).
_HELPER_DTYPES = {"_baris": "int32", "bulan": "int8", "semester": "int8"}


def helper_dtypes(frame: pd.DataFrame, spec: FileSpec) -> dict[str, str]:
    """The dtypes of the helper columns `frame` has (_baris, and bulan or semester where they are not
    the file's own columns), as a clean frame holds them — also for frames rebuilt from the database
    (audit.recompute)."""
    dtypes = {column: dtype for column, dtype in _HELPER_DTYPES.items()
              if column in frame and column not in spec.columns}
    if "_baris" in frame and len(frame) and int(frame["_baris"].max()) >= 2**31:
        dtypes["_baris"] = "int64"
    return dtypes


class CheckedFile:
    """One file under check: its raw rows, the rows broken so far, and its quarantine rows."""

    def __init__(self, sheet: str, raw: pd.DataFrame, tahun: int, tahap: str) -> None:
        self.sheet = sheet
        self.spec = FILES[sheet]
        self.raw = raw.reset_index(drop=True)
        if "_baris" not in self.raw.columns:
            self.raw["_baris"] = np.arange(2, len(self.raw) + 2, dtype=np.int64)
        self.tahun = tahun
        self.tahap = tahap
        self.broken = np.zeros(len(self.raw), dtype=bool)
        self.findings: list[pd.DataFrame] = []
        self.parsed: dict[str, pd.Series] = {}  # columns replaced by their parsed or canonical values
        self.atasan_pos = np.empty(0, dtype=np.int64)  # pegawai only: each row's supervisor row
        self._factorized: dict[str, tuple[pd.Series | None, np.ndarray, pd.Series]] = {}
        self.angka = _lost_cells(self.raw)  # column -> its cells that lost digits (SEL_ANGKA)

    def col(self, column: str) -> pd.Series:
        if column in self.parsed:
            return self.parsed[column]
        if column in self.raw.columns:
            return self.raw[column]
        return pd.Series(pd.NA, index=self.raw.index, dtype="str")

    def lost(self, column: str) -> np.ndarray:
        """The rows whose cell in `column` was a workbook number that lost digits (SEL_ANGKA)."""
        return self.angka.get(column, np.zeros(len(self.raw), dtype=bool))

    def known(self, column: str) -> pd.Series:
        """The column with its SEL_ANGKA cells as NA: what a rule may compare with other rows."""
        values = self.col(column)
        return values.mask(self.angka[column]) if column in self.angka else values

    def filled(self, column: str) -> np.ndarray:
        return self.col(column).notna().to_numpy()

    def factorize(self, column: str) -> tuple[np.ndarray, pd.Series]:
        """Row codes and distinct values of a column, computed once per file.

        Several rules look at the same column (format, duplicates, references, warnings); hashing
        millions of cells once and then working on the distinct values is most of the speed.
        Code -1 is an empty cell. A column replaced in `parsed` (canonical spelling) is factorized anew.
        A category column (FileSpec.kategori) is factorized already: its codes (int8/int32) and its
        categories, sorted, some perhaps used by no row.
        """
        source = self.parsed.get(column)
        hit = self._factorized.get(column)
        if hit is None or hit[0] is not source:
            values = self.col(column)
            if is_category(values):  # FileSpec.kategori: the codes are there
                codes, uniques = values.cat.codes.to_numpy(), values.cat.categories
            else:
                codes, uniques = pd.factorize(values)
            hit = self._factorized[column] = (source, codes, pd.Series(uniques, dtype="str"))
        return hit[1], hit[2]

    def flag(
        self, mask: np.ndarray, kode: str, kolom: str, nilai: pd.Series | None = None,
        drop: bool = True, **fields: object,
    ) -> None:
        """Record rule `kode` broken in column `kolom` on the rows in `mask`; those rows leave the
        clean frame.

        `nilai` (default: the raw column) is looked up by row label, so it may hold just the
        flagged rows.
        """
        mask = np.asarray(mask, dtype=bool)
        if kolom in self.angka and kode != "SEL_ANGKA":  # that cell's one problem is SEL_ANGKA
            mask = mask & ~self.angka[kolom]
        if not mask.any():
            return
        rows = self.raw.loc[mask]
        if nilai is None:
            nilai = self.raw[kolom] if kolom in self.raw.columns else self.col(kolom)
        shown = nilai.loc[rows.index]
        self.findings.append(
            karantina_rows(self.spec.name, rows, kode, kolom, shown, self.tahap,
                           tahun=self.tahun, **fields)
        )
        if drop:
            self.broken |= mask

    # ---- generic rules

    def required(self) -> None:
        """Required cells filled; identifier cells that were workbook numbers -> SEL_ANGKA.

        A cell marked SEL_ANGKA breaks no other rule in its column (flag skips it) and is looked up
        nowhere (`reference` gives its row no parent): the digits left are not the identifier."""
        for column in self.spec.required:
            self.flag(~self.filled(column), "WAJIB_KOSONG", column)
        for column in self.spec.columns:
            if column in IDENTIFIERS:
                self.flag(self.lost(column), "SEL_ANGKA", column)

    def nip(self, column: str) -> np.ndarray:
        """Check a NIP column; returns the mask of well-formed NIPs (filled and every NIP rule met)."""
        codes, uniq = self.factorize(column)
        shape = matches(uniq, r"^[0-9]{18}$")
        n = len(uniq)
        bad = {k: np.zeros(n, dtype=bool) for k in ("lahir", "tmt", "kelamin", "urut")}
        if shape.any():
            digits = digit_matrix(uniq[shape], 18)
            lahir_y = number_of(digits, 0, 4)
            lahir = real_date(lahir_y, number_of(digits, 4, 6), number_of(digits, 6, 8))
            tmt_y, tmt_m = number_of(digits, 8, 12), number_of(digits, 12, 14)
            tmt = (tmt_m >= 1) & (tmt_m <= 12) & (tmt_y >= lahir_y + 18) & (tmt_y <= self.tahun)
            bad["lahir"][shape] = ~lahir
            bad["tmt"][shape] = ~tmt
            bad["kelamin"][shape] = ~np.isin(digits[:, 14], (1, 2))
            bad["urut"][shape] = number_of(digits, 15, 18) == 0

        def per_row(per_unique: np.ndarray) -> np.ndarray:
            return spread(per_unique, codes, False)

        self.flag(per_row(~shape), "NIP_FORMAT", column)
        self.flag(per_row(bad["lahir"]), "NIP_TANGGAL_LAHIR", column)
        self.flag(per_row(bad["tmt"]), "NIP_TMT", column)
        self.flag(per_row(bad["kelamin"]), "NIP_JENIS_KELAMIN", column)
        self.flag(per_row(bad["urut"]), "NIP_URUT", column)
        good = shape & ~bad["lahir"] & ~bad["tmt"] & ~bad["kelamin"] & ~bad["urut"]
        return per_row(good) & ~self.lost(column)

    def safe_code(self, column: str) -> None:
        """A code that may become part of a file name must not be able to leave its folder."""
        values = self.col(column)
        unsafe = ~matches(values, _SAFE_CODE) | values.isin([".", ".."]).fillna(False).to_numpy()
        self.flag(self.filled(column) & unsafe, "KODE_TIDAK_AMAN", column)

    def enum(self, column: str, allowed: tuple[str, ...], kode: str) -> None:
        normal, bad = canonical_enum(*self.factorize(column), allowed, self.raw.index)
        self.flag(bad, kode, column)
        self.parsed[column] = normal

    def kompetensi(self, column: str = "kompetensi") -> None:
        normal, bad = canonical_kompetensi(*self.factorize(column), self.raw.index)
        self.flag(bad, "KOMPETENSI", column)
        self.parsed[column] = normal

    def number(
        self, column: str, kode: str, ok: Callable[[np.ndarray], np.ndarray], integer: bool = False
    ) -> None:
        """Parse a numeric column; filled cells that do not parse or fail `ok(number)` break `kode`."""
        number = to_float(self.col(column))
        good = np.isfinite(number)
        good[good] = ok(number[good])
        if integer:
            good &= is_integral(number)
        self.flag(self.filled(column) & ~good, kode, column)
        self.parsed[column] = pd.Series(number, index=self.raw.index, copy=False)

    def date(self, column: str = "tanggal") -> np.ndarray:
        """A real date written YYYY-MM-DD (checked once per distinct date); returns the mask of rows
        holding one."""
        codes, values = self.factorize(column)
        shape = matches(values, r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
        good = np.zeros(len(values), dtype=bool)
        if shape.any():
            digits = digit_matrix(values[shape].str.replace("-", ""), 8)
            good[shape] = real_date(
                number_of(digits, 0, 4), number_of(digits, 4, 6), number_of(digits, 6, 8)
            )
        good_rows = spread(good, codes, False)
        self.flag(self.filled(column) & ~good_rows, "TANGGAL", column)
        return good_rows

    def dates_in_order(self, earlier: str, later: str, earlier_ok: np.ndarray, later_ok: np.ndarray,
                       kode: str) -> None:
        """Two real dates of a row (`*_ok` from `date`) where `later` must not be before `earlier`;
        YYYY-MM-DD text sorts as the dates do."""
        sebelum = (self.col(later) < self.col(earlier)).fillna(False).to_numpy(dtype=bool)
        self.flag(earlier_ok & later_ok & sebelum, kode, later)

    def periode(self, pattern: str, kode: str, number_at: slice, derived: str) -> None:
        """A periode of `tahun` shaped like `pattern` (checked once per distinct value); the number at
        `number_at` becomes the helper column `derived` (the month of realisasi, the semester of
        perilaku)."""
        codes, periode = self.factorize("periode")
        shape_u = matches(periode, pattern)
        year_u = pd.to_numeric(periode.str.slice(0, 4).where(shape_u), errors="coerce")
        number_u = pd.to_numeric(
            periode.str.slice(number_at.start, number_at.stop).where(shape_u), errors="coerce"
        )
        self.flag(self.filled("periode") & ~spread(shape_u, codes, False), kode, "periode")
        other_year_u = shape_u & (year_u.to_numpy(dtype="float64") != self.tahun)
        self.flag(spread(other_year_u, codes, False), "PERIODE_TAHUN", "periode")
        number = spread(number_u.to_numpy(dtype="float64"), codes, np.nan)
        self.parsed[derived] = pd.Series(number, index=self.raw.index, copy=False)

    def duplicates(self, columns: list[str], kode: str) -> None:
        """Every row of a key that occurs more than once (rows with an empty key part are skipped).

        The key is the columns' codes combined into one integer and counted with a bincount; once
        the combination could outgrow the row count it is renumbered, so the counts stay small and
        the integer cannot overflow.
        """
        key = np.zeros(len(self.raw), dtype=np.int64)
        size = 1
        for column in columns:
            codes, uniques = self.factorize(column)
            key *= len(uniques) + 1  # in place: no temporary copies of millions of rows
            key += codes + 1
            size *= len(uniques) + 1
            if size > 2 * len(key) + 1:
                key, distinct = pd.factorize(key)
                size = len(distinct)
        dup = np.bincount(key, minlength=size)[key] > 1
        if not dup.any():
            return
        dup &= np.logical_and.reduce([self.filled(column) for column in columns])
        if not dup.any():
            return
        rows = np.flatnonzero(dup)
        shown = self.col(columns[0]).iloc[rows].astype("str")
        for column in columns[1:]:
            shown = shown + ", " + self.col(column).iloc[rows].astype("str")
        self.flag(dup, kode, ",".join(columns), shown)

    def later_duplicates(self, column: str, kode: str) -> None:
        """Every row whose value of `column` already stood on an earlier line: the first line stands,
        whatever became of it (empty cells and SEL_ANGKA cells are skipped); `{baris_pertama}` in the
        reason names the first line."""
        first = index_in(self.known(column), self.known(column))
        later = (first >= 0) & (first != np.arange(len(first)))
        baris_pertama = pd.Series(value_at(self.raw["_baris"].to_numpy(), first, 0), index=self.raw.index)
        self.flag(later, kode, column, baris_pertama=baris_pertama.astype("str"))

    def reference(
        self, column: str, ok: np.ndarray, parent: CheckedFile, parent_column: str,
        missing_kode: str, follow_parent: bool = True,
    ) -> np.ndarray:
        """Reference to a parent file: missing -> `missing_kode`; parent row quarantined ->
        INDUK_DIKARANTINA (unless not `follow_parent`).

        Returns each row's position in the parent (first occurrence; -1 when absent, or when the
        row's cell is a number that lost digits: SEL_ANGKA). A duplicated parent key has all its
        rows quarantined, so the first occurrence tells whether any is clean.
        """
        codes, values = self.factorize(column)  # looked up once per distinct value
        pos = index_in(values, parent.col(parent_column))
        self.flag(ok & ~spread(pos >= 0, codes, False), missing_kode, column)
        if follow_parent:
            parent_broken = (pos >= 0) & value_at(parent.broken, pos, True)
            self.flag(ok & spread(parent_broken, codes, False), "INDUK_DIKARANTINA", column,
                      induk=parent.spec.name)
        return np.where(self.lost(column), -1, spread(pos, codes, -1))

    def clean(self) -> pd.DataFrame:
        """The rows that broke no rule, with contract types and helper columns.

        The columns are put side by side without copying (copy-on-write keeps the raw frame safe),
        filtered once, then typed: integers only after the broken rows (NaN) are gone.
        """
        out = {column: self.col(column) for column in self.spec.columns}
        out["_baris"] = self.raw["_baris"]
        out.update({extra: self.parsed[extra] for extra in ("bulan", "semester") if extra in self.parsed})
        frame = pd.DataFrame(out, copy=False)
        if self.broken.any():
            frame = frame[~self.broken]
        dtypes = {column: "str" for column in self.spec.columns} | helper_dtypes(frame, self.spec)
        dtypes.update({column: "category" for column in self.spec.kategori})
        dtypes.update({column: "int64" for column in self.spec.integers})
        dtypes.update({column: "float64" for column in self.spec.floats})
        return frame.astype(dtypes).reset_index(drop=True)

    def karantina(self) -> pd.DataFrame:
        """This file's quarantine rows, in the order the rules found them."""
        if not self.findings:
            return empty_karantina()
        return pd.concat(self.findings, ignore_index=True)


def _lost_cells(raw: pd.DataFrame) -> dict[str, np.ndarray]:
    """From a raw frame's `_sel_angka` column: per identifier column named there, the mask of its rows."""
    if SEL_ANGKA not in raw.columns or not raw[SEL_ANGKA].notna().any():
        return {}
    marks = "," + raw[SEL_ANGKA].fillna("") + ","
    found = {c: marks.str.contains(f",{c},", regex=False).to_numpy(dtype=bool) for c in IDENTIFIERS}
    return {column: mask for column, mask in found.items() if mask.any()}
