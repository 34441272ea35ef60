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

Before openpyxl opens the workbook, `check_workbook` refuses in one line what it should not open: a
file that is no .xlsx, an encrypted one, and one over the limits on its size on disk, its
uncompressed size or its compression ratio (a zip bomb; settings KINERJA_XLSX_MAKS_*). With
defusedxml installed openpyxl refuses XML entity declarations (billion laughs); that too is one line.
"""

from __future__ import annotations

import datetime as dt
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path
from xml.etree.ElementTree import ParseError

import numpy as np
import pandas as pd
from defusedxml import DefusedXmlException

from contract.files import WORKBOOK
from contract.schema import IDENTIFIERS, FileSpec
from kinerja.errors import InputUnreadable
from kinerja.settings import get_settings

MIB = 2**20
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .xlsx, or an Excel 97-2003 .xls
ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")  # the stream an encrypted .xlsx has
SMALL_MEMBER = MIB  # a member this small cannot make a zip bomb, whatever its ratio
ENCRYPTED = (
    f"{WORKBOOK}: terenkripsi (berkata sandi): simpan ulang tanpa kata sandi"
    " / encrypted (password-protected): save it again without a password"
)
DANGEROUS_XML = (
    f"{WORKBOOK}: XML berbahaya (entity) ditolak; simpan ulang dari Excel"
    " / dangerous XML (entities) refused; save it again from Excel"
)


def read_sheet_cells(
    workbook: Path, spec: FileSpec
) -> tuple[list[str] | None, pd.DataFrame | None, np.ndarray | None, pd.Series | None]:
    """One sheet of kinerja.xlsx (cached values of formulas): header names, positional text cells,
    each record's sheet row, and per record the identifier columns whose cell was a number that
    cannot be the identifier (comma-separated; NA where none; None when no record has one);
    (None, None, None, None) when the sheet is missing."""
    import openpyxl

    check_workbook(workbook)
    try:
        book = openpyxl.load_workbook(workbook, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any corrupt workbook is unreadable input
        raise _unreadable(exc) from None
    try:
        names = {n.strip().lower(): n for n in book.sheetnames}
        if spec.sheet not in names:
            return None, None, None, None
        sheet = book[names[spec.sheet]]
        sheet.reset_dimensions()
        rows = list(sheet.iter_rows(values_only=True))  # the sheet's XML is parsed only here
    except (DefusedXmlException, ParseError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise _unreadable(exc) from None
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


def _unreadable(exc: BaseException | None) -> InputUnreadable:
    """The one line for a workbook openpyxl could not read; DANGEROUS_XML when defusedxml refused
    its XML (openpyxl wraps that in a ValueError while it loads the workbook)."""
    cause = exc
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return InputUnreadable(DANGEROUS_XML)
        cause = cause.__cause__ or cause.__context__
    return InputUnreadable(
        f"{WORKBOOK}: tidak bisa dibaca sebagai workbook Excel ({type(exc).__name__})"
        f" / cannot be read as an Excel workbook"
    )


def check_workbook(workbook: Path) -> None:
    """Refuse in one line what openpyxl should not open: no .xlsx at all, an encrypted one, or one
    over a limit (size on disk, uncompressed size, compression ratio of the whole and of a member).
    The sizes are those the zip declares: zipfile never inflates a member past its declared size (a
    member that would is a CRC error), so they bound what reading costs."""
    settings = get_settings()
    with workbook.open("rb") as handle:
        head = handle.read(len(OLE_SIGNATURE))
    if head == OLE_SIGNATURE:
        raise InputUnreadable(_ole_problem(workbook, int(settings.xlsx_maks_mb * MIB)))
    if not head.startswith(b"PK"):
        raise InputUnreadable(f"{WORKBOOK}: bukan workbook Excel (.xlsx) / not an Excel workbook")
    _within(workbook.stat().st_size, settings.xlsx_maks_mb, "KINERJA_XLSX_MAKS_MB",
            "ukuran berkas", "file size")
    try:
        with zipfile.ZipFile(workbook) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise _unreadable(exc) from None
    if "[Content_Types].xml" not in {m.filename for m in members}:
        raise InputUnreadable(
            f"{WORKBOOK}: bukan workbook Excel (.xlsx): arsip zip tanpa [Content_Types].xml"
            f" / not an Excel workbook: a zip archive without [Content_Types].xml"
        )
    if any(m.flag_bits & 0x1 for m in members):
        raise InputUnreadable(ENCRYPTED)
    uncompressed = sum(m.file_size for m in members)
    _within(uncompressed, settings.xlsx_maks_uncompressed_mb, "KINERJA_XLSX_MAKS_UNCOMPRESSED_MB",
            "ukuran terurai", "uncompressed size")
    ratio = uncompressed / max(sum(m.compress_size for m in members), 1)
    _ratio_within(ratio, settings.xlsx_maks_rasio, "", "")
    for m in members:
        if m.file_size >= SMALL_MEMBER:
            _ratio_within(m.file_size / max(m.compress_size, 1), settings.xlsx_maks_rasio,
                          f" bagian {m.filename}", f" of member {m.filename}")


def _ole_problem(workbook: Path, budget: int) -> str:
    """An OLE compound file is an encrypted .xlsx when it holds an EncryptionInfo stream (looked for
    in at most `budget` bytes), else an Excel 97-2003 .xls."""
    tail = b""
    with workbook.open("rb") as handle:
        while budget > 0 and (block := handle.read(min(MIB, budget))):
            if ENCRYPTION_INFO in tail + block:
                return ENCRYPTED
            tail, budget = block[-len(ENCRYPTION_INFO):], budget - len(block)
    return (
        f"{WORKBOOK}: format Excel 97-2003 (.xls), bukan .xlsx: simpan sebagai .xlsx"
        " / Excel 97-2003 format (.xls), not .xlsx: save it as .xlsx"
    )


def _within(size: int, limit_mb: float, setting: str, apa: str, what: str) -> None:
    if size > limit_mb * MIB:
        raise InputUnreadable(
            f"{WORKBOOK}: {apa} {size / MIB:.1f} MB melebihi batas {limit_mb:g} MB"
            f" (naikkan {setting} bila berkasnya memang sebesar itu)"
            f" / {what} {size / MIB:.1f} MB exceeds the limit of {limit_mb:g} MB"
            f" (raise {setting} if the file really is that large)"
        )


def _ratio_within(ratio: float, limit: float, bagian: str, member: str) -> None:
    if ratio > limit:
        raise InputUnreadable(
            f"{WORKBOOK}: rasio kompresi{bagian} {ratio:.0f}:1 melebihi batas {limit:g}:1, mungkin"
            f" bom zip (naikkan KINERJA_XLSX_MAKS_RASIO bila berkasnya wajar)"
            f" / compression ratio{member} {ratio:.0f}:1 exceeds the limit of {limit:g}:1, possibly a"
            f" zip bomb (raise KINERJA_XLSX_MAKS_RASIO if the file is genuine)"
        )


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
