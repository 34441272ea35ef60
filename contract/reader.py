"""Read the input folder (CSV in either dialect, or one workbook) into raw text frames, never crashing.

A raw frame has every FORMATS.md column of its file as text (trimmed, empty -> NA), unknown columns
dropped, and `_baris`: the 1-based physical line in the file (header = 1) where the record starts,
or the sheet row number in the workbook. Values are not checked here (contract/rules.py does that);
what the reader itself finds wrong with a row — more fields than the header — it returns as
quarantine rows (code JUMLAH_KOLOM) next to the frame, so `read_table` gives `(frame, quarantine)`.
A row with too few fields gets NA for the missing ones. Lines whose every field is empty carry no
data and are skipped (line numbers of the other rows stay right).

Dialects, detected from the header line: `,` with `.` decimals, or `;` with decimal commas
(Indonesian Excel), where the numeric columns of the contract are turned into `.` decimals
("1.234,5" -> "1234.5", and a grouped integer "1.234" -> "1234").

Per file the CSV wins; when there is no CSV, the sheet of the same name in `kinerja.xlsx` is read.
Whatever cannot be read at all raises InputUnreadable with one line naming the file and the problem.

`kinerja cycle` runs the five stages in one process on the same files; given the files' sha256,
`read_inputs` keeps what reading each file produced and hands it out again while the bytes are the
same (see `_CACHE`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from contract.rules import empty_karantina, karantina_rows, sort_karantina
from contract.schema import FILES, FileSpec
from kinerja.errors import InputUnreadable

WORKBOOK = "kinerja.xlsx"
_BOM = b"\xef\xbb\xbf"


def read_table(
    input_dir: Path, sheet: str, *, required: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One input file as a raw text frame plus the quarantine rows the reader itself produced."""
    spec = FILES[sheet]
    input_dir = Path(input_dir)
    path = _find(input_dir, spec.name)
    if path is not None:
        header, cells, baris, sep = _read_csv(path, spec)
        berkas = spec.name
    else:
        workbook = _find(input_dir, WORKBOOK)
        header, cells, baris = _read_sheet(workbook, spec) if workbook else (None, None, None)
        sep, berkas = ",", spec.name
        if header is None:
            if required:
                where = f" (juga tidak ada lembar '{spec.sheet}' di {WORKBOOK})" if workbook else ""
                where_en = f" (no sheet '{spec.sheet}' in {WORKBOOK} either)" if workbook else ""
                raise InputUnreadable(
                    f"{spec.name}: berkas wajib tidak ada{where} / required file missing{where_en}"
                )
            return empty_raw(sheet), empty_karantina()
    return _assemble(spec, berkas, header, cells, baris, sep)


def read_inputs(
    input_dir: Path, required: Iterable[str], optional: Iterable[str] = (),
    checksums: Mapping[str, str] | None = None,
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The stage's files: required ones must exist, a missing optional one is an empty frame.

    With `checksums` (file name -> sha256, as `sha256_of_inputs` gives them) a file read by the
    previous call with the same bytes is not parsed again: its frame comes from the read cache.
    Without them nothing is cached (and what was cached is dropped).
    """
    input_dir = Path(input_dir)
    sheets = [(s, True) for s in required] + [(s, False) for s in optional]
    keys = {}
    if checksums is not None:
        keys = {s: k for s, _ in sheets if (k := _cache_key(input_dir, s, checksums)) is not None}
    found = _cache_take(keys)
    frames: dict[str, pd.DataFrame] = {}
    parts = []
    for sheet, wajib in sheets:
        if sheet in found:
            bacaan = found[sheet]
        else:
            bacaan = _bacaan(*read_table(input_dir, sheet, required=wajib))
            if sheet in keys:
                found[sheet] = bacaan
        frames[sheet] = bacaan.frame.copy(deep=False)  # callers never hold the cached object
        parts.append(bacaan.karantina)
    _cache_keep({keys[s]: found[s] for s, _ in sheets if s in found})
    karantina = pd.concat(parts, ignore_index=True) if parts else empty_karantina()
    return frames, sort_karantina(karantina)


def sha256_of_inputs(input_dir: Path, sheets: Iterable[str]) -> dict[str, str]:
    """SHA-256 of each source file the sheets are read from (the workbook once), for the audit trail."""
    input_dir = Path(input_dir)
    out: dict[str, str] = {}
    for sheet in sheets:
        path = _find(input_dir, FILES[sheet].name) or _find(input_dir, WORKBOOK)
        if path is not None and path.name not in out:
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            out[path.name] = digest.hexdigest()
    return dict(sorted(out.items()))


def empty_raw(sheet: str) -> pd.DataFrame:
    """A raw frame with no rows: every column of the file as text, plus `_baris`."""
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in FILES[sheet].columns})
    frame["_baris"] = pd.Series(dtype="int64")
    return frame


# --------------------------------------------------------------------------- read cache
#
# What reading a file produced (raw frame and the reader's own quarantine rows), per sheet and
# resolved file path, valid for one sha256 of the file. Only the files of the latest `read_inputs`
# call stay, within KINERJA_CACHE_BACA_MAKS_MB (by the frames' memory): a file that does not fit
# (at a million employees, realisasi alone is ~2.5 GB) is read each time rather than held twice.
# Frames are handed out as shallow copies: with copy-on-write no caller's change reaches the cache.


@dataclass(frozen=True)
class _Bacaan:
    """One file's reading: the raw frame, the quarantine rows the reader produced, their size."""

    frame: pd.DataFrame
    karantina: pd.DataFrame
    nbytes: int


def _bacaan(frame: pd.DataFrame, karantina: pd.DataFrame) -> _Bacaan:
    size = frame.memory_usage(deep=True).sum() + karantina.memory_usage(deep=True).sum()
    return _Bacaan(frame, karantina, int(size))


_CacheKey = tuple[str, str, str]  # sheet, resolved source path, sha256 of the file
_CACHE: dict[_CacheKey, _Bacaan] = {}
_CACHE_LOCK = threading.Lock()


def _cache_key(input_dir: Path, sheet: str, checksums: Mapping[str, str]) -> _CacheKey | None:
    """The key of the file `sheet` is read from (its CSV, else the workbook); None when `checksums`
    has no sha256 for it or there is no file."""
    path = _find(input_dir, FILES[sheet].name) or _find(input_dir, WORKBOOK)
    by_name = {name.lower(): sha for name, sha in checksums.items()}
    if path is None or path.name.lower() not in by_name:
        return None
    return sheet, str(path.resolve()), by_name[path.name.lower()]


def _cache_take(keys: Mapping[str, _CacheKey]) -> dict[str, _Bacaan]:
    """The cached readings of these keys by sheet; every other entry (other files, older bytes)
    is dropped first, so it is not held while this call reads."""
    with _CACHE_LOCK:
        wanted = set(keys.values())
        for key in [k for k in _CACHE if k not in wanted]:
            del _CACHE[key]
        return {sheet: _CACHE[key] for sheet, key in keys.items() if key in _CACHE}


def _cache_keep(readings: Mapping[_CacheKey, _Bacaan]) -> None:
    """Make these readings the cache, in the call's file order, as far as they fit."""
    from kinerja.settings import get_settings

    # KINERJA_CACHE_BACA_MAKS_MB, 0 turns it off; a file that does not fit is not kept
    budget = int(get_settings().cache_baca_maks_mb * 2**20)
    keep: dict[_CacheKey, _Bacaan] = {}
    for key, bacaan in readings.items():
        if bacaan.nbytes <= budget:
            keep[key] = bacaan
            budget -= bacaan.nbytes
    with _CACHE_LOCK:
        _CACHE.clear()
        _CACHE.update(keep)


# --------------------------------------------------------------------------- CSV


def _find(folder: Path, name: str) -> Path | None:
    """The file called `name` in `folder`, matching the name case-insensitively."""
    exact = folder / name
    if exact.is_file():
        return exact
    if not folder.is_dir():
        return None
    matches = sorted(p for p in folder.iterdir() if p.name.lower() == name.lower() and p.is_file())
    return matches[0] if matches else None


def _read_csv(path: Path, spec: FileSpec) -> tuple[list[str], pd.DataFrame, np.ndarray, str]:
    """Bytes -> header names, positional text cells, record start lines, separator."""
    name = spec.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputUnreadable(f"{name}: tidak bisa dibuka ({exc.strerror}) / cannot be opened") from exc
    if not data or data.isspace():  # not data.strip(): no copy of a large file
        raise InputUnreadable(f"{name}: berkas kosong (tanpa baris judul) / file is empty (no header row)")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputUnreadable(
            f"{name}: berkas UTF-16, simpan sebagai CSV UTF-8 / file is UTF-16, save it as CSV UTF-8"
        )
    if data[:4] == b"PK\x03\x04" or b"\x00" in data[:8192]:
        raise InputUnreadable(
            f"{name}: berkas biner (mis. Excel), bukan CSV / binary file (e.g. Excel), not a CSV"
        )
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    try:
        if not data.isascii():  # ASCII is UTF-8; otherwise validate, without keeping a text copy
            data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputUnreadable(
            f"{name}: bukan UTF-8 (byte 0x{data[exc.start]:02x} di baris {line}, posisi {exc.start})"
            f" / not UTF-8 (byte 0x{data[exc.start]:02x} at line {line}, offset {exc.start});"
            " simpan sebagai CSV UTF-8 / save as CSV UTF-8"
        ) from None
    end = data.find(b"\n")
    first = (data if end < 0 else data[:end]).decode("utf-8").rstrip("\r")
    sep = ";" if first.count(";") > first.count(",") else ","
    header = next(csv.reader([first], delimiter=sep), [])
    width = len(header)
    quoted = b'"' in data
    try:
        cells = _parse_arrow(data, sep, width, quoted)
    except (pa.ArrowInvalid, ValueError):
        cells = _parse_ragged(data, data.decode("utf-8"), sep, width)
    if not quoted or _one_line_each(data, len(cells)):
        return header, cells, np.arange(2, len(cells) + 2, dtype=np.int64), sep
    spans = 1 + sum(cells[c].str.count("\n").to_numpy() for c in cells.columns)
    baris = 2 + np.concatenate([[0], np.cumsum(spans)[:-1]]).astype(np.int64)
    return header, cells, baris[: len(cells)], sep


def _one_line_each(data: bytes, records: int) -> bool:
    """Does every record (and the header) take exactly one line? Then no quoted value holds a line
    break and counting them cell by cell can be skipped.

    The header and each record end with one LF, the last record maybe not; any LF more is inside a
    value. Files with a CR not followed by LF (old Mac line ends) are left to the cell count.
    """
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return False
    return data.count(b"\n") == records + data.endswith(b"\n")


def _parse_arrow(data: bytes, sep: str, width: int, quoted: bool) -> pd.DataFrame:
    """Fast path (multi-threaded Arrow parser); raises when a row has a different field count."""
    names = [f"c{i}" for i in range(width)]
    table = pacsv.read_csv(
        io.BytesIO(data),
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(
            delimiter=sep, newlines_in_values=quoted, ignore_empty_lines=False
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=False, quoted_strings_can_be_null=False,
        ),
    )
    return table.to_pandas()


def _parse_ragged(data: bytes, text: str, sep: str, width: int) -> pd.DataFrame:
    """Rows with too few or too many fields: pandas' C parser wide enough for the longest line."""
    raw = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(raw == ord("\n"))
    per_line = np.bincount(np.searchsorted(newlines, np.flatnonzero(raw == ord(sep))))
    widest = max(width, int(per_line.max(initial=0)) + 1)
    try:
        frame = pd.read_csv(
            io.BytesIO(data), sep=sep, header=None, skiprows=1, names=list(range(widest)),
            dtype=str, na_filter=False, keep_default_na=False, skip_blank_lines=False,
            engine="c", encoding="utf-8",
        )
    except (pd.errors.ParserError, ValueError):
        return _parse_python(text, sep)
    frame.columns = [f"c{i}" for i in range(widest)]
    return frame.astype("str")


def _parse_python(text: str, sep: str) -> pd.DataFrame:
    """Last resort for records that span lines and are ragged too: the csv module, row by row."""
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))[1:]
    widest = max((len(r) for r in rows), default=0)
    padded = [r + [""] * (widest - len(r)) for r in rows]
    return pd.DataFrame(padded, columns=[f"c{i}" for i in range(widest)], dtype="str")


# --------------------------------------------------------------------------- workbook


def _read_sheet(
    workbook: Path, spec: FileSpec
) -> tuple[list[str] | None, pd.DataFrame | None, np.ndarray | None]:
    """One sheet of kinerja.xlsx (cached values of formulas); (None, None, None) when it is missing."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(workbook, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any corrupt workbook is unreadable input
        raise InputUnreadable(
            f"{WORKBOOK}: tidak bisa dibaca sebagai workbook Excel ({type(exc).__name__})"
            f" / cannot be read as an Excel workbook"
        ) from None
    try:
        names = {n.strip().lower(): n for n in book.sheetnames}
        if spec.sheet not in names:
            return None, None, None
        sheet = book[names[spec.sheet]]
        sheet.reset_dimensions()
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        book.close()
    if not rows or not any(v is not None for v in rows[0]):
        raise InputUnreadable(
            f"{WORKBOOK}: lembar '{spec.sheet}' kosong (tanpa baris judul)"
            f" / sheet '{spec.sheet}' is empty (no header row)"
        )
    header = [_cell_text(v, "") for v in rows[0]]
    keys = [h.strip().lower() for h in header]
    widest = max(len(r) for r in rows)
    body = [
        [_cell_text(v, keys[i] if i < len(keys) else "") for i, v in enumerate(r)]
        + [""] * (widest - len(r))
        for r in rows[1:]
    ]
    cells = pd.DataFrame(body, columns=[f"c{i}" for i in range(widest)], dtype="str")
    return header, cells, np.arange(2, len(body) + 2, dtype=np.int64)


def _cell_text(value: object, kolom: str) -> str:
    """An Excel cell as the text a CSV would hold: 18-digit NIPs whole, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        if value.is_integer():  # Excel keeps 15 significant digits: show them, not binary noise
            return str(int(Decimal(f"{value:.15g}")))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            if kolom == "periode" and value.day == 1:
                return value.strftime("%Y-%m")
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


# --------------------------------------------------------------------------- common


def _assemble(
    spec: FileSpec, berkas: str, header: list[str], cells: pd.DataFrame, baris: np.ndarray,
    sep: str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Positional cells -> the file's named columns; surplus fields -> quarantine; blank lines out."""
    keys = [h.replace("\ufeff", "").strip().lower() for h in header]
    missing = [c for c in spec.required if c not in keys]
    if missing:
        raise InputUnreadable(
            f"{berkas}: kolom wajib tidak ada: {', '.join(missing)}"
            f" / required column missing: {', '.join(missing)}"
        )
    cells = cells.reset_index(drop=True)
    stripped = {c: cells[c].str.strip() if _edge_space(cells[c]) else cells[c] for c in cells.columns}
    isi = {c: (v != "").fillna(False).to_numpy() for c, v in stripped.items()}
    data_row = np.logical_or.reduce(list(isi.values())) if isi else np.zeros(0, dtype=bool)
    surplus_cols = [c for i, c in enumerate(cells.columns) if i >= len(keys)]
    surplus = (
        np.logical_or.reduce([isi[c] for c in surplus_cols])
        if surplus_cols else np.zeros(len(cells), dtype=bool)
    )
    frame = pd.DataFrame(index=cells.index)
    for kolom in spec.columns:
        if kolom in keys:
            c = cells.columns[keys.index(kolom)]
            values = stripped[c]
            if not isi[c].all():  # where() copies every cell: only when some cell is empty
                values = values.where(isi[c])
        else:
            values = pd.Series(np.nan, index=cells.index, dtype="str")
        frame[kolom] = values.astype("str")
    if sep == ";":
        for kolom in spec.integers + spec.floats:
            frame[kolom] = _decimal_comma(frame[kolom])
    frame["_baris"] = baris
    karantina = empty_karantina()
    if surplus.any():
        rows = frame.loc[surplus]
        extra = stripped[surplus_cols[0]][surplus]
        for c in surplus_cols[1:]:
            extra = extra + sep + stripped[c][surplus]
        karantina = karantina_rows(berkas, rows, "JUMLAH_KOLOM", "*", extra.str.strip(sep))
    keep = data_row & ~surplus
    if not keep.all():
        frame = frame.loc[keep]
    return frame.reset_index(drop=True), karantina


def _edge_space(values: pd.Series) -> bool:
    """May some cell start or end with whitespace? Stripping copies every cell, so a column that
    cannot change skips it.

    Looks only at each cell's first and last byte in Arrow's buffers and answers yes for any space,
    control or non-ASCII byte there (a superset of what `str.strip` removes, Unicode spaces included).
    """
    for chunk in pa.chunked_array(values).chunks:
        if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
            return True
        _, offsets, data = chunk.buffers()
        if len(chunk) == 0 or data is None:
            continue
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        offset = np.frombuffer(offsets, dtype=width)[chunk.offset : chunk.offset + len(chunk) + 1]
        start, end = offset[:-1], offset[1:]
        filled = end > start
        byte = np.frombuffer(data, dtype=np.uint8)
        edge = np.concatenate([byte[start[filled]], byte[end[filled] - 1]])
        if ((edge <= 0x20) | (edge >= 0x80)).any():
            return True
    return False


def _decimal_comma(values: pd.Series) -> pd.Series:
    """Indonesian-locale numbers -> '.' decimals: '1.234,5' -> '1234.5', '1.234' -> '1234'."""
    comma = values.str.contains(",", regex=False).fillna(False)
    grouped = values.str.fullmatch(r"[+-]?[1-9][0-9]{0,2}(\.[0-9]{3})+").fillna(False)
    out = values.where(~(comma | grouped), values.str.replace(".", "", regex=False))
    return out.str.replace(",", ".", regex=False)
