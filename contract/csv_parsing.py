"""One input CSV file's bytes into positional text cells, never crashing on what HR spreadsheets export.

The dialect is detected from the header line: `,` with `.` decimals, or `;` (Indonesian Excel, whose
decimal commas contract/raw_frame.py turns into points). Whatever cannot be read at all (empty,
binary, UTF-16, not UTF-8) raises InputUnreadable with one line naming the file and the problem.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from contract.raw_frame import header_keys
from contract.schema import FileSpec
from kinerja.errors import InputUnreadable

_BOM = b"\xef\xbb\xbf"
_BLOCK = 1 << 24  # bytes the Arrow parser reads per block: one chunk of every column per block


def read_csv_cells(path: Path, spec: FileSpec) -> tuple[list[str], pd.DataFrame, np.ndarray, str]:
    """Bytes -> header names, positional text cells (columns c0, c1, ...), the line each record
    starts on (header = 1), separator."""
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
        table = _parse_arrow(data, sep, width, quoted, _kategori_positions(header, spec))
        table = _join_text_chunks(table, _text_positions(header, spec))
    except (pa.ArrowInvalid, ValueError):
        table = _parse_ragged(data, data.decode("utf-8"), sep, width)
    one_line = not quoted or _one_line_each(data, len(table))
    del data  # the file's bytes are not held while Arrow's columns become pandas ones
    # Each Arrow column is freed as soon as it is converted: the table and the frame never coexist whole.
    cells = table.to_pandas(split_blocks=True, self_destruct=True) if isinstance(table, pa.Table) else table
    del table
    if one_line:
        return header, cells, np.arange(2, len(cells) + 2, dtype=np.int64), sep
    spans = 1 + sum(cells[c].str.count("\n").to_numpy() for c in cells.columns)
    lines = 2 + np.concatenate([[0], np.cumsum(spans)[:-1]]).astype(np.int64)
    return header, cells, lines[: len(cells)], sep


def _one_line_each(data: bytes, records: int) -> bool:
    """Does every record (and the header) take exactly one line? Then no quoted value holds a line
    break and counting them cell by cell can be skipped.

    The header and each record end with one LF, the last record maybe not; any LF more is inside a
    value. Files with a CR not followed by LF (old Mac line ends) are left to the cell count.
    """
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return False
    return data.count(b"\n") == records + data.endswith(b"\n")


def _kategori_positions(header: list[str], spec: FileSpec) -> frozenset[int]:
    """The positions of the header that contract/raw_frame.py will take the spec's category columns
    from (the first header cell of each name)."""
    keys = header_keys(header)
    return frozenset(keys.index(kolom) for kolom in spec.kategori if kolom in keys)


def _text_positions(header: list[str], spec: FileSpec) -> list[int]:
    """The positions of the header whose column stays text in the clean frame (not a number, not a
    category): the columns later taken from row by row in batches (writes, digests, documents)."""
    keys = header_keys(header)
    text = [k for k in spec.columns if k not in spec.integers + spec.floats + spec.kategori]
    return [keys.index(kolom) for kolom in text if kolom in keys]


def _join_text_chunks(table: pa.Table, positions: list[int]) -> pa.Table:
    """Each of these columns as one chunk (the parser gives one per block, `_BLOCK`), a column at a time:
    Arrow joins a column's chunks on every take of scattered rows, so a frame taken from in batches
    would join them once per batch (models.db.one_chunk). Only text columns: numbers become numpy
    columns, and realisasi's 42M values at 1M employees are not copied for nothing."""
    for i in positions:
        column = table.column(i)
        if column.num_chunks > 1:  # as large_string (what pandas' str holds): 64-bit offsets, no 2 GiB limit
            joined = pa.chunked_array([column.cast(pa.large_string()).combine_chunks()])
            table = table.set_column(i, pa.field(table.field(i).name, pa.large_string()), joined)
    return table


def _parse_arrow(
    data: bytes, sep: str, width: int, quoted: bool, kategori: frozenset[int] = frozenset()
) -> pa.Table:
    """Fast path (multi-threaded Arrow parser) into an Arrow table; raises when a row has a different
    field count.

    The `kategori` positions are dictionary-encoded by the parser itself and come out as pandas
    categories (unsorted, unstripped: contract/raw_frame.py tidies them): realisasi's 42M indicator
    ids and months at 1,000,000 employees are never held as 42M strings, in Arrow or in pandas
    (reading the file peaked at 5.6 GiB with them as text)."""
    names = [f"c{i}" for i in range(width)]
    text = pa.string()
    coded = pa.dictionary(pa.int32(), pa.string())
    return pacsv.read_csv(
        io.BytesIO(data),
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=_BLOCK),
        parse_options=pacsv.ParseOptions(
            delimiter=sep, newlines_in_values=quoted, ignore_empty_lines=False
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={n: coded if i in kategori else text for i, n in enumerate(names)},
            strings_can_be_null=False, quoted_strings_can_be_null=False,
        ),
    )


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
