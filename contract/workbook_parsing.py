"""One sheet of the input workbook kinerja.xlsx into positional text cells, as a CSV would hold them.

A number in an identifier column (contract/schema.py IDENTIFIERS) is read as its digits, but Excel
keeps only 15 significant digits: the 18-digit NIP 197104031999031234 typed into a General column is
saved as 1.97104031999031E+17, and its last three digits are gone. Such cells are marked per row
(`read_sheet_cells`' fourth value, the raw frame's `_sel_angka` column) and their rows quarantined
as SEL_ANGKA (contract/checked_file.py), not judged by the NIP rules on digits that are not the
employee's. A number is kept as the identifier only where it can be that identifier's text: a whole
number of at most 15 digits, or a longer one whose digits after the 15th are not all zero (stored
exactly, so not cut by Excel) — an id_indikator 12 is "12". A fraction never is (a code
"1.10" would read as 1.1).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from contract.files import WORKBOOK
from contract.schema import IDENTIFIERS, FileSpec
from kinerja.errors import InputUnreadable


def read_sheet_cells(
    workbook: Path, spec: FileSpec
) -> tuple[list[str] | None, pd.DataFrame | None, np.ndarray | None, pd.Series | None]:
    """One sheet of kinerja.xlsx (cached values of formulas): header names, positional text cells,
    each record's sheet row, and per record the identifier columns whose cell was a number that
    cannot be the identifier (comma-separated; NA where none; None when no record has one);
    (None, None, None, None) when the sheet is missing."""
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
            return None, None, None, None
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
    header = [cell_text(v, "") for v in rows[0]]
    keys = [h.strip().lower() for h in header]
    widest = max(len(r) for r in rows)
    body = [
        [cell_text(v, keys[i] if i < len(keys) else "") for i, v in enumerate(r)]
        + [""] * (widest - len(r))
        for r in rows[1:]
    ]
    cells = pd.DataFrame(body, columns=[f"c{i}" for i in range(widest)], dtype="str")
    return header, cells, np.arange(2, len(body) + 2, dtype=np.int64), _lost_cells(keys, rows[1:])


def _lost_cells(keys: list[str], rows: list[tuple]) -> pd.Series | None:
    """Per record, the identifier columns (first of a repeated name) holding a number that cannot be
    the identifier, joined by ','; None when there is none."""
    columns = [(i, k) for i, k in enumerate(keys) if k in IDENTIFIERS and keys.index(k) == i]
    marks = [
        ",".join(k for i, k in columns if i < len(r) and lost_digits(r[i])) or None for r in rows
    ]
    if not any(marks):
        return None
    return pd.Series(marks, dtype="str")


def lost_digits(value: object) -> bool:
    """Is `value` a number that cannot be an identifier's text? A fraction, a whole number too large
    to be exact (float from 2**53), or one of more than 15 digits whose digits after the 15th are all
    zero (what Excel leaves of a longer number)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, float):
        if not value.is_integer() or abs(value) >= 2**53:
            return True
        value = int(value)
    digits = str(abs(value))
    return len(digits) > 15 and not digits[15:].strip("0")


def cell_text(value: object, kolom: str) -> str:
    """An Excel cell of column `kolom` as the text a CSV would hold: 18-digit NIPs whole, dates as
    YYYY-MM-DD (a periode as YYYY-MM)."""
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
