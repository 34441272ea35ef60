"""Read the input folder (CSV in either dialect, or one workbook) into raw text frames, never crashing.

Per file the CSV wins; when there is no CSV, the sheet of the same name in `kinerja.xlsx` is read
(contract/csv_parsing.py, contract/workbook_parsing.py); the cells become the file's raw frame
(contract/raw_frame.py). Values are not checked here (contract/values.py does that); what the reader
itself finds wrong with a row — more fields than the header — it returns as quarantine rows (code
JUMLAH_KOLOM) next to the frame, so `read_table` gives `(frame, quarantine)`. Whatever cannot be read
at all raises InputUnreadable with one line naming the file and the problem.

`kinerja cycle` runs the five stages in one process on the same files; given the files' sha256 and
the process cache, `read_inputs` keeps what reading each file produced and hands it out again while
the bytes are the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from contract.csv_parsing import read_csv_cells
from contract.files import WORKBOOK, find_file, source_of
from contract.karantina import empty_karantina, sort_karantina
from contract.raw_frame import empty_raw, raw_frame
from contract.schema import FILES
from contract.workbook_parsing import read_sheet_cells
from kinerja.errors import InputUnreadable
from stages.cache import ProcessCache


def read_table(
    input_dir: Path, sheet: str, *, required: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One input file as a raw text frame plus the quarantine rows the reader itself produced."""
    spec = FILES[sheet]
    input_dir = Path(input_dir)
    path = find_file(input_dir, spec.name)
    if path is not None:
        header, cells, lines, sep = read_csv_cells(path, spec)
        numbers = None
    else:
        workbook = find_file(input_dir, WORKBOOK)
        header, cells, lines, numbers = (
            read_sheet_cells(workbook, spec) if workbook else (None, None, None, None)
        )
        sep = ","
        if header is None:
            if required:
                where = f" (juga tidak ada lembar '{spec.sheet}' di {WORKBOOK})" if workbook else ""
                where_en = f" (no sheet '{spec.sheet}' in {WORKBOOK} either)" if workbook else ""
                raise InputUnreadable(
                    f"{spec.name}: berkas wajib tidak ada di {input_dir}{where} / "
                    f"required file missing in {input_dir}{where_en}"
                )
            return empty_raw(sheet), empty_karantina()
    return raw_frame(spec, header, cells, lines, sep, numbers)


def read_inputs(
    input_dir: Path, required: Iterable[str], optional: Iterable[str] = (),
    checksums: Mapping[str, str] | None = None, cache: ProcessCache | None = None,
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The stage's files: required ones must exist, a missing optional one is an empty frame.

    With a `cache` and `checksums` (file name -> sha256, as `sha256_of_inputs` gives them) a file
    read by the previous call with the same bytes is not parsed again: its reading comes from the
    cache. With a cache but no checksums nothing is kept (and what was kept is dropped); without a
    cache nothing is cached.
    """
    input_dir = Path(input_dir)
    sheets = [(s, True) for s in required] + [(s, False) for s in optional]
    keys: dict[str, ReadingKey] = {}
    if cache is not None and checksums is not None:
        keys = {s: k for s, _ in sheets if (k := reading_key(input_dir, s, checksums)) is not None}
    found: dict[str, Reading] = cache.take_readings(keys) if cache is not None else {}
    frames: dict[str, pd.DataFrame] = {}
    parts = []
    for sheet, is_required in sheets:
        if sheet in found:
            reading = found[sheet]
        else:
            reading = Reading.of(*read_table(input_dir, sheet, required=is_required))
            if sheet in keys:
                found[sheet] = reading
        frames[sheet] = reading.frame.copy(deep=False)  # callers never hold the cached object
        parts.append(reading.karantina)
    if cache is not None:
        cache.keep_readings({keys[s]: found[s] for s, _ in sheets if s in found},
                            size=lambda reading: reading.nbytes)
    karantina = pd.concat(parts, ignore_index=True) if parts else empty_karantina()
    return frames, sort_karantina(karantina)


# --------------------------------------------------------------------------- readings kept
#
# What reading a file produced (raw frame and the reader's own quarantine rows), per sheet and
# resolved file path, valid for one sha256 of the file. The process cache keeps only the files of the
# latest `read_inputs` call, within its read budget (KINERJA_CACHE_BACA_MAKS_MB, by the frames'
# memory): a file that does not fit (at a million employees, realisasi alone is ~2.5 GB) is read each
# time rather than held twice. Frames are handed out as shallow copies: with copy-on-write no
# caller's change reaches the cache.

ReadingKey = tuple[str, str, str]  # sheet, resolved source path, sha256 of the file


@dataclass(frozen=True)
class Reading:
    """One file's reading: the raw frame, the quarantine rows the reader produced, their size."""

    frame: pd.DataFrame
    karantina: pd.DataFrame
    nbytes: int

    @classmethod
    def of(cls, frame: pd.DataFrame, karantina: pd.DataFrame) -> Reading:
        size = frame.memory_usage(deep=True).sum() + karantina.memory_usage(deep=True).sum()
        return cls(frame, karantina, int(size))


def reading_key(input_dir: Path, sheet: str, checksums: Mapping[str, str]) -> ReadingKey | None:
    """The key of the file `sheet` is read from (its CSV, else the workbook); None when `checksums`
    has no sha256 under that file's name or there is no file."""
    path = source_of(input_dir, sheet)
    by_name = {name.lower(): sha for name, sha in checksums.items()}
    if path is None or path.name.lower() not in by_name:
        return None
    return sheet, str(path.resolve()), by_name[path.name.lower()]
