"""One sheet of the input workbook kinerja.xlsx into positional text cells, as a CSV would hold them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from contract.files import WORKBOOK
from contract.schema import FileSpec
from kinerja.errors import InputUnreadable


def read_sheet_cells(
    workbook: Path, spec: FileSpec
) -> tuple[list[str] | None, pd.DataFrame | None, np.ndarray | None]:
    """One sheet of kinerja.xlsx (cached values of formulas): header names, positional text cells,
    each record's sheet row; (None, None, None) when the sheet is missing."""
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
    header = [cell_text(v, "") for v in rows[0]]
    keys = [h.strip().lower() for h in header]
    widest = max(len(r) for r in rows)
    body = [
        [cell_text(v, keys[i] if i < len(keys) else "") for i, v in enumerate(r)]
        + [""] * (widest - len(r))
        for r in rows[1:]
    ]
    cells = pd.DataFrame(body, columns=[f"c{i}" for i in range(widest)], dtype="str")
    return header, cells, np.arange(2, len(body) + 2, dtype=np.int64)


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
