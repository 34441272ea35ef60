"""OUTPUT/<tahun>/kinerja_<tahun>.xlsx: every output CSV of the year as a sheet (FORMATS.md).

A sheet has its CSV's name (without `.csv`) and columns; the columns of `NUMBER_COLUMNS` are numbers,
every other cell is an inline text cell (never a formula; strings_to_formulas/numbers/urls are off).
The CSVs' formula guard is undone for the workbook: a text cell that `contract.output.formula_safe`
prefixed with `'` (text starting with `=`, `+`, `-`, `@`, tab or CR) holds the original text with
Excel's quote prefix, as if the user had typed the `'`. The prefix is ambiguous for text that itself
began with `'` and a formula character: input `'=x` is written to the CSV unchanged, reads as the
escaped `=x` and arrives as `=x` (plain text under the quote prefix, one `'` shorter).

Excel's limits: a CSV with more rows than fit under a header (`MAX_ROWS`) goes on in sheets `<name>_2`,
`<name>_3` … with the same header; text longer than 32,767 characters is cut to that with a note
naming the CSV that has the full text.

XlsxWriter (constant_memory) writes the workbook with every sheet as a placeholder: header, widths,
frozen pane, autofilter and dimension of the real sheet, no data rows, so that its other parts
(workbook.xml with the filters' defined names, styles, properties) are those of the full workbook. The
zip is written by reports/workbook_zip.py: a sheet is its placeholder's XML with the data rows put in
before `</sheetData>`, rendered column by column with Arrow (`_render_rows`): text cells as XlsxWriter's
write_string gives them (inline strings, control characters as _xHHHH_, xml:space on edge white space),
numbers as the CSV has them (`12.50`, a valid xsd:double; XlsxWriter would write 12.5), except that
text looking like rich-string XML is escaped like any other (XlsxWriter's constant_memory mode writes
`<r>…</r>` text unescaped into the sheet, so a planted name could add a formula cell). Chunks of
`CHUNK_ROWS` rows are rendered and deflated in threads, each chunk a deflate segment of its own. No CSV is
held parsed whole: one pass indexes where its records begin (reports/csv_index.py), and the rows are read back
from the file `RENDER_ROWS` at a time as they are rendered.

A refresh costs what changed: custom property `kinerja:<sheet>` = `<SHA-256 of its CSV>+<writer_version()>`
(FORMAT, a digest of this code and NUMBER_COLUMNS, library versions, deflate level, chunk and sheet
sizes). A sheet recorded so in the previous workbook is copied from it as stored (deflated bytes, CRC,
sizes), its CSV only indexed, not read again, if the stored member begins and ends with the deflated
placeholder parts of the new sheet (header, widths, dimension, autofilter, and `tabSelected`: the first
sheet's, the one part that depends on the place). A previous workbook that is missing, unreadable,
another program's or another writer's is not used. The bytes are those of a full write (`reuse=False`).
100,000-employee benchmark (7.1 million cells, 383 MB of sheet XML, 2 cores): full write 9–13 s before
(per-cell XlsxWriter: 120 s), now 3.0–3.6 s (6–7 s CPU); refresh after a karantina.csv change 0.4–0.6 s.
Written to a temporary file next to the target, then renamed; the creation date comes from `tahun`, so
the same CSVs give the same bytes.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from functools import cache, partial
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet
from xlsxwriter.xmlwriter import XMLwriter

from contract.arrow_text import buffer_bytes
from contract.schema import FORMULA_START
from penilaian.angka_kredit import ANGKA_KREDIT_NUMBERS
from penilaian.monitoring import PEMANTAUAN_NUMBERS
from penilaian.training import REKOMENDASI_NUMBERS
from penilaian.year_end import BIAS_PENILAI_NUMBERS, HASIL_PENILAIAN_NUMBERS
from reports import csv_index, workbook_zip
from reports.csv_index import CsvIndex, index_csv
from reports.workbook_zip import Rendered, Segment, Stored, StoredBook, assemble, segment, segment_of_pieces

# The output CSVs of a year in FORMATS.md order, each with the columns that hold numbers: the columns
# its writer declares as numbers formatted as text (*_NUMBERS) and its integer columns. Every other
# column is text, also where its values look like numbers: NIPs (18 digits, beyond a double's 15),
# codes (kode_unit, kode_pelatihan, id_indikator), dates and karantina's `nilai` (the input cell as read).
NUMBER_COLUMNS: dict[str, tuple[str, ...]] = {
    "karantina.csv": ("baris",),
    "pemantauan_tengah_tahun.csv": PEMANTAUAN_NUMBERS,
    "hasil_penilaian.csv": HASIL_PENILAIAN_NUMBERS,
    "bias_penilai.csv": ("jumlah_dinilai", *BIAS_PENILAI_NUMBERS),
    "rekomendasi_pelatihan.csv": REKOMENDASI_NUMBERS,
    "keberatan_hasil.csv": (),
    "hasil_penilaian_akhir.csv": HASIL_PENILAIAN_NUMBERS,
    "angka_kredit_hasil.csv": ("bulan", *ANGKA_KREDIT_NUMBERS),
}
MAX_ROWS = 1_048_576  # rows of an Excel sheet, the header included
MAX_SHEET_NAME = 31
MAX_CELL = 32_767  # characters (UTF-16 units) of an Excel cell
CHUNK_ROWS = 100_000  # rows deflated as one segment (a job of the writer's threads)
# Rows rendered at once within a chunk: their XML and Arrow's intermediates (several times the XML) are
# what a thread holds. Rendering whole chunks, writing rekomendasi_pelatihan.csv and angka_kredit_hasil.csv
# of 100,000 employees took +336 MiB; the bytes do not depend on it (one deflate stream per chunk).
RENDER_ROWS = 5_000
# Deflate level of the workbook's parts. Deflating the 100,000-employee outputs' 383 MB of sheet XML (one
# thread): level 1 2.3 s / 49.7 MB, 2 2.1 s / 47.9 MB, 3 3.1 s / 45.5 MB, 6 (zlib's default) 7.4 s / 39.8 MB.
ZIP_LEVEL = 2
FORMAT = "kinerja-xlsx/2"  # a new value whenever the same CSV would give other sheet bytes
_PROPERTY = "kinerja:"  # custom property per sheet: <sha256 of its CSV>+<writer>
_FORMULA = "[" + "".join(f"\\x{ord(c):02x}" for c in FORMULA_START) + "]"
_FORMULA_CHARS = pa.array(FORMULA_START, pa.large_string())
_ESCAPED = "^'" + _FORMULA  # how formula_safe writes a text that starts like a formula
_NUMBER = r"^-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"  # xsd:double, no sign "+", no inf/nan
_NEEDS_PYTHON = r"[\x00-\x08\x0b-\x1f]|_x[0-9a-fA-F]{4}_|\x{FFFE}|\x{FFFF}"  # XlsxWriter's _xHHHH_ escapes
# Python's \s, as XlsxWriter's test for xml:space="preserve" (leading or trailing white space) has it.
_SPACES = pa.array([c for c in map(chr, range(0x3001)) if c.isspace()], pa.large_string())
_OPTIONS = {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
            "strings_to_urls": False}
_WIDTH_MAX = 60
_TEXT = pa.large_string()
_SHEET_DATA_END = b"</sheetData>"


def workbook_path(out_dir: Path, tahun: int) -> Path:
    return out_dir / f"kinerja_{tahun}.xlsx"


def write_workbook(out_dir: Path, tahun: int, reuse: bool = True) -> Path | None:
    """Write kinerja_<tahun>.xlsx from the output CSVs present in `out_dir`; None when there is none.
    With `reuse`, the sheets of unchanged CSVs are copied from the workbook already there (same bytes)."""
    sources = [out_dir / name for name in NUMBER_COLUMNS if (out_dir / name).is_file()]
    if not sources:
        return None
    target = workbook_path(out_dir, tahun)
    # A name of this process and thread (two writers never share one)
    tmp = out_dir / f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp"
    # XlsxWriter's own temporary files (the placeholder workbook) in a folder that goes, after an error too
    with tempfile.TemporaryDirectory(prefix="kinerja-xlsx-") as scratch:
        try:
            with StoredBook.open(target if reuse else None, _PROPERTY) as previous:
                _write_book(tmp, tahun, sources, Path(scratch), previous)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    return target


def sheet_names(base: str, count: int) -> list[str]:
    """`base`, `base_2`, `base_3` … (`count` names), each cut to Excel's 31 characters."""
    suffixes = [""] + [f"_{i}" for i in range(2, count + 1)]
    return [base[: MAX_SHEET_NAME - len(s)] + s for s in suffixes]


def writer_version() -> str:
    """What besides its CSV decides a sheet's bytes (recorded with the CSV's SHA-256): this code (its
    source and NUMBER_COLUMNS), the libraries writing the bytes, the deflate level, chunk and sheet sizes."""
    code = hashlib.sha256(_source() + repr(NUMBER_COLUMNS).encode()).hexdigest()[:12]
    return (f"{FORMAT} code/{code} xlsxwriter/{xlsxwriter.__version__} pyarrow/{pa.__version__} "
            f"zlib/{zlib.ZLIB_RUNTIME_VERSION} z{ZIP_LEVEL} c{CHUNK_ROWS} r{MAX_ROWS}")


@cache
def _source() -> bytes:
    try:
        return b"".join(Path(f).read_bytes() for f in (__file__, workbook_zip.__file__, csv_index.__file__))
    except OSError:  # no source files (a frozen build): FORMAT alone tells versions apart
        return b""


@dataclass
class _Table:
    """A CSV as its sheets need it: key (SHA-256 + writer), header, column widths, number of data rows, and
    its record index (rows are read from the file a slice at a time while rendered, never all at once)."""

    source: Path
    key: str
    header: list[str]
    widths: list[float]
    rows: int
    index: CsvIndex

    def read_rows(self, first: int, count: int) -> pa.Table:
        return self.index.read_rows(first, count, self.header)


def _read_table(source: Path) -> _Table:
    """The CSV's key, header and widths (from its first 1,000 rows: `_width`), from one pass over it."""
    index = index_csv(source)
    table = index.head(1000)
    key = f"{index.sha256}+{writer_version()}"
    return _Table(source, key, table.column_names, _widths(table), index.rows, index)


def _widths(table: pa.Table) -> list[float]:
    return [_width(name, values) for name, values in zip(table.column_names, table.columns, strict=True)]


@dataclass
class _Part:
    """One sheet: rows offset..offset+count of its CSV's columns, and (after the placeholder workbook)
    the placeholder's XML before and after the data rows, each deflated as one segment."""

    name: str
    table: _Table
    numbers: tuple[str, ...]
    offset: int
    count: int
    quote_xf: int
    head: Segment = (b"", 0, 0)
    tail: Segment = (b"", 0, 0)

    def frame(self, placeholder: bytes) -> None:
        if placeholder.count(_SHEET_DATA_END) != 1:
            raise ValueError(f"{self.name}: placeholder sheet without one </sheetData>")
        cut = placeholder.index(_SHEET_DATA_END)
        self.head = segment(placeholder[:cut], ZIP_LEVEL)
        self.tail = segment(placeholder[cut:], ZIP_LEVEL, last=True)

    def rendered(self) -> Rendered:
        """The sheet as deflated segments: head, each chunk of data rows (rendered in a thread), tail."""
        return Rendered(self.head, [partial(_deflate_rows, self, start, min(CHUNK_ROWS, self.count - start))
                                    for start in range(0, self.count, CHUNK_ROWS)], self.tail)


def _write_book(path: Path, tahun: int, sources: list[Path], scratch: Path,
                previous: StoredBook | None) -> None:
    tables = [_read_table(source) for source in sources]
    sheets, copies = _placeholders(scratch, tahun, tables, previous)
    assemble(path, scratch / "placeholders.xlsx", ZIP_LEVEL,
             {member: part.rendered() for member, part in sheets.items() if member not in copies},
             {member: (previous.zip, stored) for member, stored in copies.items() if previous is not None})


def _placeholders(scratch: Path, tahun: int, tables: list[_Table],
                  previous: StoredBook | None) -> tuple[dict[str, _Part], dict[str, Stored]]:
    """The workbook with placeholder sheets (scratch/placeholders.xlsx), its sheets by part name, and
    where the sheets that can be copied lie in the previous workbook."""
    book = xlsxwriter.Workbook(str(scratch / "placeholders.xlsx"), _OPTIONS | {"tmpdir": str(scratch)})
    book.set_properties({"created": datetime(tahun, 1, 1), "title": f"Kinerja {tahun}"})
    header = book.add_format({"bold": True})
    header._get_xf_index()  # style numbers in the order XlsxWriter's own cell writes would give
    quote = book.add_format({"quote_prefix": True})
    parts: list[_Part] = []
    for table in tables:
        parts += _write_csv(book, table, NUMBER_COLUMNS[table.source.name], header, quote._get_xf_index())
    for part in parts:
        book.set_custom_property(_PROPERTY + part.name, part.table.key)
    book.close()
    # XlsxWriter names the n-th worksheet's part xl/worksheets/sheet<n>.xml
    sheets = {f"xl/worksheets/sheet{n}.xml": part for n, part in enumerate(parts, start=1)}
    copies: dict[str, Stored] = {}
    with zipfile.ZipFile(scratch / "placeholders.xlsx") as small:
        for member, part in sheets.items():
            part.frame(small.read(member))
            stored = previous and previous.copyable(part.name, part.table.key, part.head[0], part.tail[0])
            if stored:
                copies[member] = stored
    return sheets, copies


class _Placeholder(Worksheet):
    """A constant_memory worksheet whose data rows are left out: the dimension covers them all the same."""

    def reserve_rows(self, last_row: int, last_col: int) -> None:
        """Rows 1..last_row (0-based) are data rows, put into the sheet's XML later."""
        self._write_single_row(last_row)  # flush the row still open (the header) and move on
        if self._check_dimensions(last_row, last_col):
            raise ValueError(f"row {last_row + 1} or column {last_col + 1} is beyond an Excel sheet")


def _write_csv(book: xlsxwriter.Workbook, table: _Table, numbers: tuple[str, ...], header_format: Format,
               quote_xf: int) -> list[_Part]:
    """One CSV as one placeholder sheet, or several when it has more rows than a sheet holds."""
    header, per_sheet, parts = table.header, MAX_ROWS - 1, []
    for part, name in enumerate(sheet_names(table.source.stem, max(1, -(-table.rows // per_sheet)))):
        sheet = book.add_worksheet(name, worksheet_class=_Placeholder)
        count = min(per_sheet, table.rows - part * per_sheet)
        for col, width in enumerate(table.widths):
            sheet.set_column(col, col, width)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, count, max(len(header) - 1, 0))
        sheet.write_row(0, 0, header, header_format)
        if count:
            sheet.reserve_rows(count, len(header) - 1)
        parts.append(_Part(name, table, numbers, part * per_sheet, count, quote_xf))
    return parts


def _deflate_rows(part: _Part, start: int, length: int) -> Segment:
    """Data rows start..start+length of a sheet (0-based, after the header) deflated as one segment,
    rendered RENDER_ROWS at a time."""
    end = start + length
    return segment_of_pieces((_render_rows(part, first, min(RENDER_ROWS, end - first))
                              for first in range(start, end, RENDER_ROWS)), ZIP_LEVEL)


def _render_rows(part: _Part, start: int, length: int) -> memoryview:
    """Data rows start..start+length of a sheet as its <row> elements (UTF-8)."""
    table = part.table
    rows = table.read_rows(part.offset + start, length)
    excel_rows = _row_numbers(start + 2, length)
    cells = [_cells(values.combine_chunks(), col, excel_rows, kolom in part.numbers, part.quote_xf,
                    table.source.name)
             for col, (kolom, values) in enumerate(zip(table.header, rows.columns, strict=True))]
    return _rows_xml(cells, excel_rows)


def _row_numbers(first: int, length: int) -> pa.Array:
    """Excel's 1-based row numbers as text."""
    return pc.cast(pa.array(np.arange(first, first + length, dtype=np.int64)), _TEXT)


def _rows_xml(cells: list[tuple[list, np.ndarray]], numbers: pa.Array) -> memoryview:
    """<row r="n"> with the row's cells, joined once; a row without a cell is left out, as XlsxWriter does."""
    row = _joined(['<row r="', numbers, '">', *(piece for parts, _ in cells for piece in parts), "</row>"])
    if cells:
        empty = np.logical_and.reduce([empty for _, empty in cells])
        if empty.any():
            row = pc.if_else(pa.array(empty), _s(""), row)
    return buffer_bytes(row)


def _joined(pieces: list) -> pa.Array:
    """Per row, the pieces (constant text or a value per row) one after the other: one Arrow join, with
    neighbouring constants put together first."""
    merged: list = []
    for piece in pieces:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        elif not (isinstance(piece, str) and piece == ""):
            merged.append(piece)
    return pc.binary_join_element_wise(*(_s(p) if isinstance(p, str) else p for p in merged), _s(""))


def _cells(values: pa.Array, col: int, rows: pa.Array, number: bool, quote_xf: int,
           berkas: str) -> tuple[list, np.ndarray]:
    """The <c> elements of one column (row numbers `rows`) as pieces to join (constant text or a value
    per row) and where the column is empty: a number where the column holds numbers and the value is one,
    else an inline string (quote prefix where it starts like a formula); an empty value has no element."""
    ref = f'<c r="{xl_col_to_name(col)}'
    empty = pc.equal(values, _s(""))
    if number:
        is_number = pc.match_substring_regex(values, _NUMBER)
        parts = [ref, rows, '"><v>', values, "</v></c>"]
        if not pc.all(pc.or_(is_number, empty)).as_py():  # a value that is no number stays text
            text = _string_cells(ref, rows, values, quote_xf, berkas)
            parts = [pc.if_else(is_number, _joined(parts), _joined(text))]
    else:
        text = values
        if pc.any(pc.starts_with(values, "'")).as_py():
            # formula_safe escapes text columns only: in a number column a leading ' is the value's own
            escaped = pc.match_substring_regex(values, _ESCAPED)
            text = pc.if_else(escaped, pc.utf8_slice_codeunits(values, 1), values)
        parts = _string_cells(ref, rows, text, quote_xf, berkas)
    mask = empty.to_numpy(zero_copy_only=False)
    if mask.any():
        parts = [pc.if_else(empty, _s(""), _joined(parts))]
    return parts, mask


def _string_cells(ref: str, rows: pa.Array, text: pa.Array, quote_xf: int, berkas: str) -> list:
    """Inline string cells as XlsxWriter writes them in constant_memory mode, escaped for XML (as pieces)."""
    first = pc.utf8_slice_codeunits(text, 0, 1)
    quote = pc.is_in(first, value_set=_FORMULA_CHARS)
    long = MAX_CELL // 2  # shorter text is within the limit in any encoding
    if _anywhere(text, _NEEDS_PYTHON) or pc.max(pc.binary_length(text)).as_py() > long:
        rare = pc.or_(pc.match_substring_regex(text, _NEEDS_PYTHON), pc.greater(pc.utf8_length(text), long))
        escape = XMLwriter._escape_control_characters
        fixed = [escape(_fit(t, berkas)) for t in pc.filter(text, rare).to_pylist()]
        text = pc.replace_with_mask(text, rare, pa.array(fixed, _TEXT))
        first = pc.utf8_slice_codeunits(text, 0, 1)
    if _anywhere(text, "[&<>]"):
        for raw, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
            text = pc.replace_substring(text, raw, escaped)
    last = pc.utf8_slice_codeunits(text, -1)
    edge = pc.or_(pc.is_in(first, value_set=_SPACES), pc.is_in(last, value_set=_SPACES))
    style = pc.if_else(quote, _s(f' s="{quote_xf}"'), _s("")) if pc.any(quote).as_py() else ""
    space = pc.if_else(edge, _s(' xml:space="preserve"'), _s("")) if pc.any(edge).as_py() else ""
    return [ref, rows, '"', style, ' t="inlineStr"><is><t', space, ">", text, "</t></is></c>"]


def _anywhere(values: pa.Array, pattern: str) -> bool:
    """Whether an unanchored `pattern` may match a value: one search over all values back to back (a
    match across two values can only add a needless per-value pass, never miss one)."""
    data = buffer_bytes(values)
    whole = pa.LargeStringArray.from_buffers(1, pa.py_buffer(np.array([0, len(data)], np.int64)),
                                             pa.py_buffer(data))
    return bool(pc.match_substring_regex(whole, pattern)[0].as_py())


def _fit(text: str, berkas: str) -> str:
    """`text` within an Excel cell's 32,767 UTF-16 units: cut, with a note, where it is longer."""
    units = text.encode("utf-16-le")
    if len(units) <= 2 * MAX_CELL:
        return text
    note = f" … [dipotong / truncated: teks lengkap di {berkas}]"
    keep = units[: 2 * (MAX_CELL - len(note.encode("utf-16-le")) // 2)]
    return keep.decode("utf-16-le", errors="ignore") + note


def _width(name: str, values: pa.Array | pd.Series) -> float:
    """A readable column width: the longest of the header and the first 1,000 values, at most 60."""
    first = values[:1000]
    if not isinstance(first, pa.Array | pa.ChunkedArray):
        first = pa.array(first, _TEXT, from_pandas=True)
    longest = pc.max(pc.utf8_length(first)).as_py() or 0
    return float(min(max(len(name), longest) + 2, _WIDTH_MAX))


def _s(value: str) -> pa.Scalar:
    return pa.scalar(value, _TEXT)
