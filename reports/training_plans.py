"""The training-needs plan of each unit, rencana_pelatihan_<kode_unit>.csv, for its budget."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from contract.output import write_csv_parts
from penilaian.numbers import format_2
from reports.common import check_safe_names, frame_or_empty, safe_name, sort_positions, text_column
from reports.processes import render_shared, report_processes

UNITS_PER_GROUP = 100  # the smallest group of units one process writes (one Arrow join each)


def write_training_plans(training: Any, out_dir: Path) -> list[Path]:
    """Write rencana_pelatihan_<kode_unit>.csv, the unit's training-needs plan for its budget."""
    ren = frame_or_empty(
        training,
        "rencana_unit",
        ("kode_unit", "kode_pelatihan", "nama_pelatihan", "kompetensi", "jumlah_pegawai", "total_jp"),
    )
    if ren.empty:
        return []
    kode = text_column(ren["kode_unit"])
    check_safe_names(kode)
    # Every column as text, so the CSV writer joins the rows with Arrow rather than row by row.
    jumlah = pd.to_numeric(ren["jumlah_pegawai"]).fillna(0).astype(int)
    kolom = {
        "kode_pelatihan": text_column(ren["kode_pelatihan"]),
        "nama_pelatihan": text_column(ren["nama_pelatihan"]),
        "kompetensi": text_column(ren["kompetensi"]),
        "jumlah_pegawai": jumlah.astype("str"),
        "total_jp": format_2(pd.to_numeric(ren["total_jp"]).astype("float64")),
    }
    # Thousands of units: rows sorted by unit once and cut into slices, one file per slice.
    order = sort_positions(kode)
    kode_urut = kode.to_numpy()[order]
    table = pd.DataFrame({k: pd.array(v.to_numpy()[order], dtype="str") for k, v in kolom.items()})
    awal = np.flatnonzero(np.r_[True, kode_urut[1:] != kode_urut[:-1]]).tolist()
    paths = [out_dir / f"rencana_pelatihan_{safe_name(kode_urut[mulai])}.csv" for mulai in awal]
    # Groups of units, each one join and its files, shared by the report processes (every P-th group).
    batas = [*awal, len(table)]
    jumlah_kelompok = max(1, min(len(awal) // UNITS_PER_GROUP, 4 * report_processes()))
    kelompok = np.array_split(np.arange(len(awal)), jumlah_kelompok)

    def write(groups: Sequence[int]) -> None:
        for g in groups:
            units = kelompok[g]
            if not len(units):
                continue
            mulai, akhir = batas[units[0]], batas[units[-1] + 1]
            write_csv_parts(table.iloc[mulai:akhir], [batas[u] - mulai for u in units],
                            [paths[u] for u in units], numbers=("jumlah_pegawai", "total_jp"))

    render_shared(len(kelompok), write, minimum=2)
    return paths
