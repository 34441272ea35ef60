"""Where an input file is and what its bytes are: lookup by name, SHA-256, the files a stage reads."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from contract.schema import FILES
from stages import registry

WORKBOOK = "kinerja.xlsx"


def find_file(folder: Path, name: str) -> Path | None:
    """The file called `name` in `folder`, matching the name case-insensitively."""
    exact = folder / name
    if exact.is_file():
        return exact
    if not folder.is_dir():
        return None
    matches = sorted(p for p in folder.iterdir() if p.name.lower() == name.lower() and p.is_file())
    return matches[0] if matches else None


def source_of(input_dir: Path, sheet: str) -> Path | None:
    """The file a sheet is read from: its CSV, else the workbook; None when neither exists."""
    return find_file(input_dir, FILES[sheet].name) or find_file(input_dir, WORKBOOK)


def berkas_name(input_dir: Path, sheet: str) -> str:
    """How karantina.csv names where a sheet's rows were read: the CSV's name, or
    `kinerja.xlsx:<sheet>` when the sheet came from the workbook (baris is then the sheet's row)."""
    path = source_of(Path(input_dir), sheet)
    if path is None or path.name.lower() != WORKBOOK:
        return FILES[sheet].name
    return f"{path.name}:{FILES[sheet].sheet}"


def file_checksum(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_of_inputs(input_dir: Path, sheets: Iterable[str]) -> dict[str, str]:
    """SHA-256 of each source file the sheets are read from (the workbook once), for the audit trail."""
    input_dir = Path(input_dir)
    out: dict[str, str] = {}
    for sheet in sheets:
        path = source_of(input_dir, sheet)
        if path is not None and path.name not in out:
            out[path.name] = file_checksum(path)
    return dict(sorted(out.items()))


def recorded_checksum(checksums: Mapping[str, str], sheet: str) -> str | None:
    """The recorded sha256 of the file a sheet was read from: its CSV, else the workbook."""
    by_name = {name.lower(): sha for name, sha in checksums.items()}
    return by_name.get(FILES[sheet].name.lower()) or by_name.get(WORKBOOK)


def stage_checksums(checksums: Mapping[str, str], tahap: str) -> dict[str, str]:
    """Of recorded input checksums (file name -> sha256), those of the files stage `tahap` reads.

    Names are compared case-insensitively (the reader finds files that way); the workbook counts for
    every stage, since any sheet may come from it.
    """
    names = {FILES[sheet].name.lower() for sheet in registry.get(tahap).inputs} | {WORKBOOK.lower()}
    return {name.lower(): sha for name, sha in sorted(checksums.items()) if name.lower() in names}
