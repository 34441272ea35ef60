"""Output CSV files the way the contract wants them: UTF-8, ',' separator, LF, no index.

One piece of code turns text columns into CSV lines (`csv_fields` → `csv_lines`): the outputs
(`csv_text`, the bytes pandas' `to_csv` gives) and the demo generator's files both use it.

The output files (`write_csv`, `write_csv_parts`) are formula-safe (FORMATS.md): a text cell that starts
like a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading `'` (`formula_safe`). Text is what a column's
dtype says, minus the columns the caller names as numbers already formatted as text (format_2's
"-0.50" stays as it is); a table without such cells is written byte for byte as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from contract.arrow_text import lines
from contract.schema import FORMULA_START

# A field is quoted where it holds a comma, a double quote, CR or LF (RFC 4180), its quotes doubled.
QUOTE_WHEN = r'[,"\r\n]'


_TEXT = pa.large_string()


def csv_field(values: pa.Array | pa.ChunkedArray,
              quote_when: str = QUOTE_WHEN) -> pa.Array | pa.ChunkedArray:
    """A text column as CSV fields (large_string): a null is an empty field, a value matching
    `quote_when` is put in double quotes with its own quotes doubled (Python's csv QUOTE_MINIMAL),
    every other value is left as it is."""
    if isinstance(values, pa.ChunkedArray):  # pandas' Arrow-backed text after a concat
        return pa.chunked_array([csv_field(c, quote_when) for c in values.chunks], _TEXT)
    values = pc.fill_null(pc.cast(values, _TEXT), pa.scalar("", _TEXT))
    need = pc.match_substring_regex(values, quote_when)
    if not pc.any(need).as_py():
        return values
    quote, empty = pa.scalar('"', _TEXT), pa.scalar("", _TEXT)
    inner = pc.replace_substring(pc.filter(values, need), '"', '""')
    return pc.replace_with_mask(values, need, pc.binary_join_element_wise(quote, inner, quote, empty))


def csv_fields(columns: Sequence[pa.Array], quoted: Sequence[bool] | None = None,
               quote_when: str = QUOTE_WHEN) -> list[pa.Array]:
    """The columns as CSV fields ready to join (large_string, no nulls); only the columns that
    `quoted` marks (all by default) are quoted where needed, the others are written as they are."""
    marks = [True] * len(columns) if quoted is None else quoted
    return [csv_field(c, quote_when) if q else pc.fill_null(pc.cast(c, _TEXT), pa.scalar("", _TEXT))
            for c, q in zip(columns, marks, strict=True)]


def csv_lines(columns: Sequence[pa.Array], quoted: Sequence[bool] | None = None,
              quote_when: str = QUOTE_WHEN) -> memoryview:
    """The rows of text columns as CSV lines (',' between fields, LF after each), all back to back."""
    return lines(csv_fields(columns, quoted, quote_when), ",")


def formula_safe(frame: pd.DataFrame, numbers: Sequence[str] = ()) -> pd.DataFrame:
    """`frame` with a leading `'` before every text cell that starts like a spreadsheet formula
    (FORMULA_START); `frame` itself when no cell does. Text cells are those of text (string or object)
    columns except `numbers`, the columns holding numbers formatted as text (e.g. by format_2)."""
    out = frame
    for position, (name, dtype) in enumerate(frame.dtypes.items()):
        if name in numbers or not pd.api.types.is_string_dtype(dtype):  # str or object
            continue
        values = frame.iloc[:, position]
        try:
            starts = values.str.startswith(FORMULA_START).fillna(False).astype(bool).to_numpy()
        except AttributeError:  # an object column without text (e.g. all empty): nothing to escape
            continue
        if not starts.any():
            continue
        if out is frame:
            out = frame.copy()
        escaped = values.astype(object)
        escaped[starts] = "'" + values[starts].astype("str")
        out.isetitem(position, escaped.astype(dtype))
    return out


# Rows turned into CSV text at a time by write_csv: the text of a slice is held, not of the whole table.
PIECE_ROWS = 200_000


def write_csv(frame: pd.DataFrame, path: Path, numbers: Sequence[str] = ()) -> Path:
    """Write `frame` to `path` through a temporary name (a reader never sees half a file), its text
    cells formula-safe (`numbers`: the columns that hold numbers formatted as text)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    frame = formula_safe(frame, numbers)
    if not _write_text_pieces(frame, tmp):
        frame.to_csv(tmp, index=False, lineterminator="\n", na_rep="")
    tmp.replace(path)
    return path


def _write_text_pieces(frame: pd.DataFrame, tmp: Path) -> bool:
    """`csv_text(frame)` written to `tmp` PIECE_ROWS rows at a time; False where pandas must write it.

    Rows are independent lines, so the pieces give the bytes of the whole: at 1,000,000 employees the
    2.3M recommendations' text, its CSV fields and their join were each held whole (1.1 GiB on top of
    the training stage), now one slice of each."""
    with open(tmp, "wb") as handle:
        for start in range(0, max(len(frame), 1), PIECE_ROWS):
            text = csv_text(frame.iloc[start:start + PIECE_ROWS], header=start == 0)
            if text is None:  # decided by the cells' types: by a later piece too (pandas overwrites tmp)
                return False
            handle.write(text)
    return True


def write_csv_parts(frame: pd.DataFrame, starts: Sequence[int], paths: Sequence[Path],
                    numbers: Sequence[str] = ()) -> list[Path]:
    """Write the consecutive row ranges of `frame` that begin at `starts` to `paths`, each with the
    header: the bytes `write_csv(frame.iloc[a:b], path, numbers)` gives, the text joined once for all
    ranges (thousands of per-unit files cost one join, not one each)."""
    ends = [*starts[1:], len(frame)]
    frame = formula_safe(frame, numbers)
    table = _text_table(frame)
    if table is None:  # non-text columns and the like: each range through write_csv itself
        return [write_csv(frame.iloc[a:b], p, numbers)
                for a, b, p in zip(starts, ends, paths, strict=True)]
    header, fields = table
    body = lines(fields, ",")
    # A quoted field may hold a line break: rows end where their fields' lengths say, not at each LF.
    widths = sum((pc.binary_length(f).to_numpy() for f in fields), np.zeros(len(frame), np.int64))
    line_end = np.r_[0, np.cumsum(widths + len(fields))]
    out = []
    for a, b, path in zip(starts, ends, paths, strict=True):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(b"".join((header, body[line_end[a]:line_end[b]])))
        tmp.replace(path)
        out.append(path)
    return out


def csv_text(frame: pd.DataFrame, header: bool = True) -> bytes | None:
    """The bytes `to_csv(index=False, lineterminator="\\n", na_rep="")` writes, joined by Arrow, for
    the common case: two or more text columns (outputs format their numbers beforehand) under a
    header that needs no quotes. None otherwise, and the caller lets pandas write it (numbers, a
    lone column whose empty field Python's csv module quotes). pandas formats through Python's csv
    module row by row: 1.4 s for the 350,000 mid-year rows, this 0.1 s. `header=False`: the rows alone
    (the pieces of write_csv after the first)."""
    table = _text_table(frame)
    if table is None:
        return None
    names, fields = table
    return b"".join((names if header else b"", lines(fields, ",")))


def _text_table(frame: pd.DataFrame) -> tuple[bytes, list[pa.Array]] | None:
    """The header line and the CSV fields of a table of two or more text columns, quoted as
    pandas quotes them; None where pandas must write it."""
    if len(frame.columns) < 2 or not all(pd.api.types.is_string_dtype(t) for t in frame.dtypes):
        return None
    names = [str(c) for c in frame.columns]
    if any(re.search(QUOTE_WHEN, name) for name in names):
        return None
    try:
        columns = [pa.array(frame[c], type=_TEXT, from_pandas=True) for c in frame.columns]
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # an object column holding something other than text
        return None
    header = (",".join(names) + "\n").encode("utf-8")
    # A lone CR is quoted too, whatever this Python's csv module does (it does not before 3.11.9):
    # unquoted, every CSV reader would split the row there.
    return header, csv_fields(columns, quote_when=QUOTE_WHEN)
