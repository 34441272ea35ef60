"""A CSV file indexed by where each record begins, read back a slice of rows at a time.

One pass over the file (`SCAN_BYTES` at a time) takes its SHA-256 and its record starts: a record ends at
a line feed with an even number of `"` before it — right for the CSVs Kinerja writes, where every `"` of a
value is in a quoted field, doubled, and a line break inside a value is quoted. A slice is parsed with
Arrow as text columns (every value a string, none null) and checked to hold exactly its rows, from a file
whose size and modification time are still those indexed. The workbook reads its CSVs this way so that no
CSV is held parsed whole (reports/workbook.py).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

# Bytes of a CSV scanned at once for its record starts (a mask of this size is the scan's memory).
SCAN_BYTES = 16 * 2**20
_TEXT = pa.large_string()
_READ = pacsv.ReadOptions(use_threads=True)
_READ_SLICE = pacsv.ReadOptions(use_threads=False)  # a slice is read in one of the caller's threads
_PARSE = pacsv.ParseOptions(newlines_in_values=True)  # a quoted value may hold a line break
_CONVERT = pacsv.ConvertOptions(default_column_type=_TEXT, strings_can_be_null=False,
                                quoted_strings_can_be_null=False)


@dataclass(frozen=True)
class CsvIndex:
    """A CSV's SHA-256 and where each record begins (the header first)."""

    source: Path
    sha256: str
    starts: np.ndarray
    stat: tuple[int, int]  # size and mtime_ns when indexed: the slices must come from the same bytes

    @property
    def rows(self) -> int:
        """Data rows (records after the header)."""
        return len(self.starts) - 1

    def head(self, count: int) -> pa.Table:
        """The header and the first `count` data rows (all, when there are fewer)."""
        end = int(self.starts[count + 1]) if count + 1 < len(self.starts) else -1
        with self.source.open("rb") as f:
            return parse(f.read(end))

    def read_rows(self, first: int, count: int, header: list[str]) -> pa.Table:
        """Data rows first..first+count (0-based) as text columns named `header`."""
        starts, after = self.starts, first + count + 1
        begin, end = int(starts[first + 1]), int(starts[after]) if after < len(starts) else None
        with self.source.open("rb") as f:
            stat = os.fstat(f.fileno())
            if (stat.st_size, stat.st_mtime_ns) != self.stat:
                raise RuntimeError(f"{self.source.name} berubah saat dibaca / changed while the workbook "
                                   "was written")
            head = f.read(int(starts[1]) if len(starts) > 1 else -1)
            f.seek(begin)
            body = f.read(-1 if end is None else end - begin)
        table = parse(head + body, _READ_SLICE)
        if table.num_rows != count or table.column_names != header:
            raise ValueError(f"{self.source.name}: baris {first + 2}-{first + count + 1} tidak terbaca "
                             "utuh / rows not read whole")
        return table


def index_csv(source: Path) -> CsvIndex:
    """The CSV's SHA-256 and record starts, from one pass over its bytes (an empty file is refused)."""
    digest, found, quotes, done = hashlib.sha256(), [np.zeros(1, np.int64)], 0, 0
    with source.open("rb") as f:
        stat = os.fstat(f.fileno())
        while block := f.read(SCAN_BYTES):
            digest.update(block)
            raw = np.frombuffer(block, np.uint8)
            feeds, marks = np.flatnonzero(raw == 0x0A), np.flatnonzero(raw == 0x22)
            found.append(feeds[(quotes + np.searchsorted(marks, feeds)) % 2 == 0] + done + 1)
            quotes, done = quotes + len(marks), done + len(block)
    if not done:
        raise ValueError(f"{source.name}: berkas kosong / empty file")
    starts = np.concatenate(found)
    if starts[-1] == done:  # the file ends with a line feed: no record begins there
        starts = starts[:-1]
    return CsvIndex(source, digest.hexdigest(), starts, (stat.st_size, stat.st_mtime_ns))


def parse(data: bytes, read: pacsv.ReadOptions = _READ) -> pa.Table:
    """CSV bytes as a table of text columns (every value a string, none null)."""
    return pacsv.read_csv(pa.BufferReader(data), read_options=read, parse_options=_PARSE,
                          convert_options=_CONVERT)
