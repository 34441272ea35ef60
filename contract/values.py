"""Every value rule of FORMATS.md on whole tables: clean typed frames go on, bad rows to quarantine.

Design (whole-table numpy/pandas, no loop over rows; sized for 1M employees, 4M indicators, 30M
realisation rows):
- each rule has a code and an Indonesian and English reason template (contract/aturan.py); a row
  that breaks several rules gets one quarantine row per broken rule and is dropped once;
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
- `predikat_organisasi` may be empty, except at the stages the registry marks as needing it
  (year-end scoring and what builds on it);
- integer columns accept integral numbers written as decimals ("4.0" is 4);
- `tanggal` must be YYYY-MM-DD and a real date; "31/03/2026" is quarantined with a reason naming
  the expected format;
- a decreasing cumulative realisation (arah naik) is a warning (REALISASI_TURUN), not a quarantine:
  `check_values` returns the warnings as a third frame with the quarantine columns; so is a free-text
  cell (schema.TEXTS) of a clean row that starts like a spreadsheet formula (TEKS_RUMUS; the outputs
  write it with a leading ', contract/output.py).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from contract.checked_file import CheckedFile
from contract.file_rules import (
    check_angka_kredit,
    check_katalog,
    check_keberatan,
    check_pegawai,
    check_perilaku,
    check_rating,
    check_realisasi,
    check_riwayat,
    check_skp,
    check_survei,
    check_umpan_balik,
    check_unit_kerja,
)
from contract.karantina import empty_karantina, karantina_rows, sort_karantina
from contract.lookup import isin, spread
from contract.schema import FILES, FORMULA_START, TEXTS
from stages import registry

# Which files each file's rules look at (its parents, as check_files hands them over), in the order
# the rules run: parents first. A file's checked rows depend on its own bytes, the year, and these
# parents' state (their values and which of their rows broke a rule) — nothing else, except that
# unit_kerja's rules depend on whether the stage needs predikat_organisasi.
PARENTS: dict[str, tuple[str, ...]] = {
    "unit_kerja": (),
    "pegawai": ("unit_kerja",),
    "skp": ("pegawai",),
    "realisasi": ("skp",),
    "perilaku": ("pegawai",),
    "umpan_balik": ("pegawai",),
    "survei_masyarakat": ("unit_kerja",),
    "riwayat_pelatihan": ("pegawai",),
    "katalog_pelatihan": (),
    "rating_atasan": ("pegawai",),
    "keberatan": ("pegawai",),
    "angka_kredit": ("pegawai",),
}
_RULES = {
    "pegawai": check_pegawai,
    "skp": check_skp,
    "realisasi": check_realisasi,
    "perilaku": check_perilaku,
    "umpan_balik": check_umpan_balik,
    "survei_masyarakat": check_survei,
    "riwayat_pelatihan": check_riwayat,
    "katalog_pelatihan": check_katalog,
    "rating_atasan": check_rating,
    "keberatan": check_keberatan,
    "angka_kredit": check_angka_kredit,
}


@dataclass(frozen=True)
class FileCheck:
    """What the value rules made of one file: its clean rows, its quarantine rows (in the order the
    rules found them), its warnings (TEKS_RUMUS; REALISASI_TURUN for realisasi), and the checked file
    itself (its values and broken rows, what its children's rules look at; None once let go)."""

    clean: pd.DataFrame
    karantina: pd.DataFrame
    rumus: pd.DataFrame
    turun: pd.DataFrame | None  # realisasi only
    file: CheckedFile | None


def check_values(
    raw: dict[str, pd.DataFrame], tahun: int, tahap: str
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, pd.DataFrame]:
    """Apply every value rule to the files in `raw`: (clean typed frames, quarantine, warnings).

    Clean frames come back for every sheet in `raw`; cross-file rules run only when both files are
    present. The warnings frame has the quarantine columns (rows stay in the clean frames).
    """
    return combine_checks(check_values_by_file(raw, tahun, tahap))


def check_values_by_file(
    raw: dict[str, pd.DataFrame], tahun: int, tahap: str, parents: Mapping[str, CheckedFile] | None = None,
) -> dict[str, FileCheck]:
    """Every value rule on the files in `raw`, each file's outcome apart (in `raw`'s order).

    `parents`: files checked before with the same bytes, year and parents (FileCheck.file), handed to
    their children's rules as they are; their own rules do not run again and they get no outcome here.
    """
    tahap = tahap.replace("_", "-")
    files = {sheet: CheckedFile(sheet, frame, tahun, tahap) for sheet, frame in raw.items()}
    around = {**{s: f for s, f in (parents or {}).items() if s not in files}, **files}
    check_files(around, registry.get(tahap).needs_predikat_organisasi, only=files.keys())
    clean = {sheet: f.clean() for sheet, f in files.items()}
    karantina = {sheet: f.karantina() for sheet, f in files.items()}
    turun = (
        _decreasing_realisasi(files["realisasi"], around.get("skp"), tahap) if "realisasi" in files
        else None
    )
    return {sheet: FileCheck(clean=clean[sheet], karantina=karantina[sheet], rumus=_formula_texts(f),
                             turun=turun if sheet == "realisasi" else None, file=f)
            for sheet, f in files.items()}


def combine_checks(
    checks: dict[str, FileCheck],
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, pd.DataFrame]:
    """The files' outcomes as check_values gives them: clean frames, quarantine, warnings (sorted)."""
    clean = {sheet: c.clean for sheet, c in checks.items()}
    parts = [c.karantina for c in checks.values()]
    karantina = sort_karantina(pd.concat(parts, ignore_index=True)) if parts else empty_karantina()
    realisasi = checks.get("realisasi")
    turun = realisasi.turun if realisasi is not None and realisasi.turun is not None else empty_karantina()
    peringatan = sort_karantina(pd.concat([turun, *(c.rumus for c in checks.values())], ignore_index=True))
    return clean, karantina, peringatan


def _formula_texts(checked: CheckedFile) -> pd.DataFrame:
    """The warnings TEKS_RUMUS: free-text cells (schema.TEXTS) of the file's clean rows that start like
    a spreadsheet formula (`=`, `+`, `-`, `@`, tab, CR). The row goes on; its outputs escape the cell."""
    parts = []
    for kolom in (c for c in checked.spec.columns if c in TEXTS and c in checked.raw.columns):
        values = checked.raw[kolom]
        flagged = values.str.startswith(FORMULA_START).fillna(False).to_numpy(dtype=bool) & ~checked.broken
        if flagged.any():
            rows = checked.raw.loc[flagged, ["_baris"]]
            awal = values[flagged].str.slice(0, 1).replace({"\t": "\\t", "\r": "\\r"})
            parts.append(karantina_rows(checked.spec.name, rows, "TEKS_RUMUS", kolom, values[flagged],
                                        checked.tahap, awal=awal))
    return pd.concat(parts, ignore_index=True) if parts else empty_karantina()


def check_files(
    files: dict[str, CheckedFile], needs_predikat: bool, only: Collection[str] | None = None,
) -> None:
    """Run each file's rules of contract/file_rules.py, parents first (PARENTS), with the parents at hand
    (`only`: the rules of just these files; the others are there as parents, checked already).

    The one place that says which rules a file gets: check_values runs it, and contract/docs.py runs it
    on empty files to list which rule applies to which column.
    """
    run = set(files if only is None else only)
    if "unit_kerja" in files and "unit_kerja" in run:
        check_unit_kerja(files["unit_kerja"], needs_predikat)
    for sheet, check in _RULES.items():
        if sheet in files and sheet in run:
            check(files[sheet], *(files.get(parent) for parent in PARENTS[sheet]))


def _decreasing_realisasi(realisasi: CheckedFile, skp: CheckedFile | None, tahap: str) -> pd.DataFrame:
    """The warnings: suspicious but acceptable values in clean rows, a cumulative realisation that
    decreases.

    Works on the checked file's codes and numbers, not on the clean frame; only the flagged rows become
    a frame. Rows of indicators with arah 'turun' (in the clean skp rows) are left out. A file that
    lists each indicator's months together and in order (the usual case) is walked a block at a time,
    each row against the usable row above it; any other order is sorted by (indicator, month) first.
    """
    codes, ids = realisasi.factorize("id_indikator")
    usable = ~realisasi.broken
    if skp is not None:
        turun = (skp.col("arah") == "turun").fillna(False).to_numpy() & ~skp.broken
        usable &= ~spread(isin(ids, skp.col("id_indikator")[turun]), codes, False)
    if not usable.any():
        return empty_karantina()
    bulan = realisasi.parsed["bulan"].to_numpy()  # 1-12 in clean rows
    value = realisasi.parsed["realisasi"].to_numpy()
    found = _drops_in_file_order(codes, bulan, value, usable, len(ids))
    if found is None:
        found = _drops_sorted(codes, bulan, value, usable)
    pos, sebelumnya, nilai = found
    if not len(pos):
        return empty_karantina()
    rows = pd.DataFrame({
        "_baris": realisasi.raw["_baris"].to_numpy()[pos],
        "sebelumnya": pd.Series(sebelumnya).astype("str").to_numpy(),
    })
    shown = pd.Series(nilai).astype("str")
    out = karantina_rows(FILES["realisasi"].name, rows, "REALISASI_TURUN", "realisasi", shown,
                         tahap)
    return sort_karantina(out)


Drops = tuple[np.ndarray, np.ndarray, np.ndarray]  # row positions, value before, value


def _drops_in_file_order(
    codes: np.ndarray, bulan: np.ndarray, value: np.ndarray, usable: np.ndarray, n_codes: int,
    block: int = 1 << 20,
) -> Drops | None:
    """The decreases when the usable rows hold each indicator's months together and increasing (then a
    row's predecessor in (indicator, month) order is the usable row above it); None otherwise.

    Block by block with the last usable row carried over, so no array of the file's length is made
    (at 1M employees realisasi has 42M rows: every full-length gather is 170-340 MB).
    """
    seen = np.zeros(n_codes, dtype=bool)
    runs = 0
    last = (-1, 0.0, 0.0)  # code, month, value of the latest usable row
    parts: list[Drops] = []
    for start in range(0, len(codes), block):
        keep = usable[start : start + block]
        c = codes[start : start + block][keep]
        if not len(c):
            continue
        b, v = bulan[start : start + block][keep], value[start : start + block][keep]
        before_c = np.concatenate(([last[0]], c[:-1]))
        before_b = np.concatenate(([last[1]], b[:-1]))
        before_v = np.concatenate(([last[2]], v[:-1]))
        same = c == before_c
        if (same & ~(b > before_b)).any():
            return None
        runs += len(c) - int(np.count_nonzero(same))
        seen[c] = True
        drop = same & (v < before_v)
        if drop.any():
            parts.append((np.flatnonzero(keep)[drop] + start, before_v[drop], v[drop]))
        last = (c[-1], b[-1], v[-1])
    if runs != int(np.count_nonzero(seen)):  # an indicator's rows come in more than one run
        return None
    if not parts:
        return np.empty(0, dtype=np.int64), np.empty(0), np.empty(0)
    return tuple(np.concatenate(x) for x in zip(*parts, strict=True))  # type: ignore[return-value]


def _drops_sorted(codes: np.ndarray, bulan: np.ndarray, value: np.ndarray, usable: np.ndarray) -> Drops:
    """The decreases of usable rows in any order: sorted by (indicator, month), stable."""
    used = np.flatnonzero(usable)
    indicator, value = codes[used], value[used]
    order = np.argsort(indicator.astype(np.int64) * 13 + bulan[used], kind="stable")
    indicator, value, used = indicator[order], value[order], used[order]
    drop = np.zeros(len(indicator), dtype=bool)
    drop[1:] = (indicator[1:] == indicator[:-1]) & (value[1:] < value[:-1])
    at = np.flatnonzero(drop)
    return used[at], value[at - 1], value[at]
