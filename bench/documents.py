"""Measure render_documents throughput.

Usage: `.venv/bin/python bench/documents.py [N] [DIR]` (DIR defaults to a temp dir;
use /dev/shm to take the disk out of the measurement). Prints wall-clock and CPU rates.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from reports.documents import render_documents
from tests.reports.fakes import make_frames, make_year_end


def main(n: int, base: str | None) -> None:
    """Render n synthetic employees (4 indicators, 14 rating rows, 3 feedback notes each)."""
    frames = make_frames(n, units=50)
    year_end = make_year_end(frames)
    with tempfile.TemporaryDirectory(dir=base) as tmp:
        wall, cpu = time.perf_counter(), time.process_time()
        written = render_documents(year_end=year_end, frames=frames, out_dir=Path(tmp))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"{written} dokumen: {wall:.2f} s wall = {written / wall:,.0f} dokumen/detik; "
        f"{cpu:.2f} s CPU = {written / cpu:,.0f} dokumen/detik per core"
    )


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 20_000,
        sys.argv[2] if len(sys.argv) > 2 else None,
    )
