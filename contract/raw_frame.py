"""Positional text cells of one input file (from a CSV or a workbook sheet) into its raw frame.

A raw frame has every FORMATS.md column of its file as text (trimmed, empty -> NA), unknown columns
dropped (the columns of `FileSpec.kategori` as category: sorted text categories, NA kept), and
`_baris`: the 1-based physical line in the file (header = 1) where the record starts,
or the sheet row number in the workbook. Header names are matched case-insensitively after trimming.
A row with more fields than the header is not data: it becomes a quarantine row (JUMLAH_KOLOM); a
row with too few fields gets NA for the missing ones. Lines whose every field is empty carry no data
and are skipped (line numbers of the other rows stay right). In the `;` dialect the numeric columns
are turned into `.` decimals ("1.234,5" -> "1234.5", and a grouped integer "1.234" -> "1234").
A workbook sheet whose identifier cells hold numbers that cannot be the identifier (contract/
workbook_parsing.py) adds the column `_sel_angka`: per row, those columns' names joined by ','.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from contract.karantina import empty_karantina, karantina_rows
from contract.lookup import is_category
from contract.schema import FILES, FileSpec
from kinerja.errors import InputUnreadable

SEL_ANGKA = "_sel_angka"  # identifier columns of the row whose workbook cell was a number (see above)


def raw_frame(
    spec: FileSpec, header: list[str], cells: pd.DataFrame, lines: np.ndarray, sep: str,
    numbers: pd.Series | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Positional cells -> the file's named columns; surplus fields -> quarantine; blank lines out.
    `numbers` (workbook only), aligned with `cells`, becomes the `_sel_angka` column."""
    keys = header_keys(header)
    missing = [c for c in spec.required if c not in keys]
    if missing:
        raise InputUnreadable(
            f"{spec.name}: kolom wajib tidak ada: {', '.join(missing)}"
            f" / required column missing: {', '.join(missing)}"
        )
    cells = cells.reset_index(drop=True)
    stripped = {c: _tidy_category(v) if is_category(v) else v.str.strip() if _edge_space(v) else v
                for c, v in cells.items()}
    filled = {c: v.notna().to_numpy() if is_category(v) else (v != "").fillna(False).to_numpy()
              for c, v in stripped.items()}
    data_row = np.logical_or.reduce(list(filled.values())) if filled else np.zeros(0, dtype=bool)
    surplus_cols = [c for i, c in enumerate(cells.columns) if i >= len(keys)]
    surplus = (
        np.logical_or.reduce([filled[c] for c in surplus_cols])
        if surplus_cols else np.zeros(len(cells), dtype=bool)
    )
    frame = pd.DataFrame(index=cells.index)
    for kolom in spec.columns:
        if kolom in keys:
            c = cells.columns[keys.index(kolom)]
            values = stripped[c]
            if not filled[c].all() and not is_category(values):  # where() copies every cell: only
                values = values.where(filled[c])  # when some cell is empty (categories: NA already)
        else:
            values = pd.Series(np.nan, index=cells.index, dtype="str")
        frame[kolom] = values if is_category(values) and kolom in spec.kategori else values.astype("str")
    if sep == ";":
        for kolom in spec.integers + spec.floats:
            frame[kolom] = _decimal_comma(frame[kolom])
    frame["_baris"] = lines
    if numbers is not None:
        frame[SEL_ANGKA] = pd.Series(numbers.to_numpy(), index=frame.index, dtype="str")
    karantina = empty_karantina()
    if surplus.any():
        rows = frame.loc[surplus].astype({kolom: "str" for kolom in spec.kategori if kolom in frame})
        extra = stripped[surplus_cols[0]][surplus]
        for c in surplus_cols[1:]:
            extra = extra + sep + stripped[c][surplus]
        karantina = karantina_rows(spec.name, rows, "JUMLAH_KOLOM", "*", extra.str.strip(sep))
    keep = data_row & ~surplus
    if not keep.all():
        frame = frame.loc[keep]
    if spec.kategori:  # (parsed as categories they hold only kept rows' values: a dropped row is blank)
        frame = frame.astype({kolom: "category" for kolom in spec.kategori})
    return frame.reset_index(drop=True), karantina


def header_keys(header: list[str]) -> list[str]:
    """The header's names as the columns are matched: BOM and edge spaces removed, lower case."""
    return [h.replace("\ufeff", "").strip().lower() for h in header]


def _tidy_category(values: pd.Series) -> pd.Series:
    """A category column as parsed into what `.str.strip()`, empty -> NA and `astype("category")` give
    its text: categories stripped, merged where they became equal, without the empty one, sorted —
    worked out on the distinct values (Arrow sorts them, by code point as Python does), never on
    every row; the rows' codes are only renumbered."""
    categories = values.cat.categories.astype("str")
    stripped = _edge_space(pd.Series(categories))
    if stripped:
        categories = categories.str.strip()
    categories = categories.where(categories != "")
    if categories.hasnans or (stripped and categories.has_duplicates):  # merge the equal ones
        renumber, distinct = pd.factorize(categories, sort=True)  # NA -> -1
    else:
        order = pc.array_sort_indices(pa.array(categories, pa.large_string())).to_numpy()
        renumber = np.empty(len(order), dtype=np.int64)
        renumber[order] = np.arange(len(order))
        distinct = categories[order]
    codes = values.cat.codes.to_numpy()  # no NA: the parser gives every cell, empty ones as ""
    if len(renumber):
        codes = renumber.astype(codes.dtype)[codes]
    else:  # every cell empty
        codes = np.full(len(codes), -1, dtype=codes.dtype)
    dtype = pd.CategoricalDtype(pd.Index(distinct, dtype="str"))
    return pd.Series(pd.Categorical.from_codes(codes, dtype=dtype), index=values.index)


def empty_raw(sheet: str) -> pd.DataFrame:
    """A raw frame with no rows: every column of the file as text, plus `_baris`."""
    spec = FILES[sheet]
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in spec.columns})
    frame = frame.astype({c: "category" for c in spec.kategori})
    frame["_baris"] = pd.Series(dtype="int64")
    return frame


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
        present = end > start
        byte = np.frombuffer(data, dtype=np.uint8)
        edge = np.concatenate([byte[start[present]], byte[end[present] - 1]])
        if ((edge <= 0x20) | (edge >= 0x80)).any():
            return True
    return False


def _decimal_comma(values: pd.Series) -> pd.Series:
    """Indonesian-locale numbers -> '.' decimals: '1.234,5' -> '1234.5', '1.234' -> '1234'."""
    comma = values.str.contains(",", regex=False).fillna(False)
    grouped = values.str.fullmatch(r"[+-]?[1-9][0-9]{0,2}(\.[0-9]{3})+").fillna(False)
    out = values.where(~(comma | grouped), values.str.replace(".", "", regex=False))
    return out.str.replace(",", ".", regex=False)
