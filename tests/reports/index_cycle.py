"""Demo years for the index page tests, run through the real stage flows once per test process.

`full_year`: every stage of a small demo year (documents included), with hostile text planted in the
input: an employee named like a script, another like a spreadsheet formula, a unit named like markup.
`early_year`: plan-collection only, then mid-year stopped by its gate; the page is kept after each.
Both are cached per process and base temporary folder (a test module's fixtures are not seen by
another module).
"""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from kinerja.demo.generator import generate
from penilaian.ruleset import load_ruleset
from reports.index_page import render_index

TAHUN = 2026
NAMA_SKRIP = "<script>alert(1)</script>"
NAMA_RUMUS = '=HYPERLINK("https://contoh.invalid/x","klik")'
UNIT_MARKUP = '<img src=x onerror="alert(2)"> & Co'


@dataclass(frozen=True)
class Year:
    input_dir: Path
    out_dir: Path  # OUTPUT/<tahun>/
    db_url: str
    nip_skrip: str = ""
    nip_rumus: str = ""
    unit_markup: str = ""


@dataclass(frozen=True)
class EarlyYear:
    year: Year
    after_plan: dict[str, bytes]  # index.html and pencarian_pegawai.js after plan-collection
    after_failed_gate: dict[str, bytes]  # ... after mid-year stopped at its gate


def _rewrite(path: Path, change: dict[int, dict[str, str]]) -> list[dict[str, str]]:
    """Change some fields of some data rows (0-based) of a CSV; returns the changed rows."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    for i, values in change.items():
        rows[i].update(values)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return [rows[i] for i in change]


def render(year: Year) -> dict[str, bytes]:
    """Render the page of the year now and return its two files' bytes."""
    paths = render_index(year.db_url, TAHUN, year.out_dir, load_ruleset(None))
    return {p.name: p.read_bytes() for p in paths}


@cache
def full_year(root: Path) -> Year:
    """120 demo employees (with the demo's bad rows) through the whole cycle, documents for everyone
    (under `root`, the session's base temporary folder)."""
    from flows.cycle import cycle

    base = root / "indeks"
    base.mkdir()
    folder = base / "input"
    generate(folder, pegawai=120, tahun=TAHUN, seed=13, bad_rows=True)
    skrip, rumus = _rewrite(folder / "pegawai.csv", {5: {"nama": NAMA_SKRIP}, 6: {"nama": NAMA_RUMUS}})
    (unit,) = _rewrite(folder / "unit_kerja.csv", {1: {"nama_unit": UNIT_MARKUP}})
    db = f"sqlite:///{base / 'kinerja.db'}"
    cycle(tahun=TAHUN, input_dir=str(folder), output_dir=str(base / "output"), db_url=db, dokumen="semua")
    year = Year(folder, base / "output" / str(TAHUN), db, skrip["nip"], rumus["nip"], unit["kode_unit"])
    render(year)
    return year


@cache
def early_year(root: Path) -> EarlyYear:
    """plan-collection alone, then mid-year on a realisasi.csv without rows (its gate stops it)."""
    from kinerja.errors import GateFailed
    from tests.flows.stage_calls import header_only, run

    base = root / "indeks-awal"
    base.mkdir()
    folder = base / "input"
    generate(folder, pegawai=40, tahun=TAHUN, seed=7, bad_rows=True)
    year = Year(folder, base / "output" / str(TAHUN), f"sqlite:///{base / 'kinerja.db'}")
    run("plan-collection", folder, base / "output", year.db_url)
    after_plan = render(year)
    broken = base / "input-rusak"
    shutil.copytree(folder, broken)
    header_only(broken, "realisasi.csv")
    with pytest.raises(GateFailed):
        run("mid-year", broken, base / "output", year.db_url)
    return EarlyYear(year, after_plan, render(year))
