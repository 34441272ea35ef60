"""Deterministic demo input (twelve FORMATS.md files) for three city governments, at any size."""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from contract.schema import FILES
from kinerja.demo.angka_kredit import build_angka_kredit, top_of_ladder
from kinerja.demo.bad_rows import (
    bad_pegawai,
    bad_perilaku,
    bad_realisasi,
    bad_riwayat,
    bad_skp,
    bad_survei,
    bad_umpan_balik,
)
from kinerja.demo.columns import as_text
from kinerja.demo.csv_writer import Columns, write_sheet
from kinerja.demo.draws import stream
from kinerja.demo.keberatan import build_keberatan
from kinerja.demo.pegawai import Pegawai, build_pegawai, pegawai_columns
from kinerja.demo.pelatihan import build_riwayat, katalog_columns
from kinerja.demo.perilaku import build_perilaku
from kinerja.demo.rating_atasan import build_rating_atasan
from kinerja.demo.realisasi import without_realisasi, write_realisasi
from kinerja.demo.reference import load_reference
from kinerja.demo.skp import build_skp, skp_columns
from kinerja.demo.survei import build_survei
from kinerja.demo.umpan_balik import build_umpan_balik
from kinerja.demo.unit_kerja import build_unit_kerja, pegawai_per_instansi, unit_kerja_columns

BAD_ROWS_PART = 99  # the random stream of the deliberate bad rows


def generate(
    out_dir: Path, *, pegawai: int = 1500, tahun: int = 2026, seed: int = 2026,
    bad_rows: bool = True,
) -> dict[str, int]:
    """Write the FORMATS.md input files of three demo regions; returns rows per file."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ref = load_reference()
    units = build_unit_kerja(seed, pegawai_per_instansi(pegawai, ref), ref)
    peg = build_pegawai(seed, units, tahun, ref)
    skp = build_skp(seed, peg, ref)
    peg.jabatan = top_of_ladder(peg)
    counts: dict[str, int] = {}

    def write(sheet: str, columns: Columns) -> None:
        counts[FILES[sheet].name] = write_sheet(out_dir, sheet, columns)

    write("unit_kerja", unit_kerja_columns(units, ref))
    pegawai_file, skp_defects = pegawai_columns(peg, units), []
    if bad_rows:
        pegawai_file, skp_defects = bad_pegawai(stream(seed, BAD_ROWS_PART), pegawai_file, peg,
                                                skp, ref)
    write("pegawai", pegawai_file)
    write("skp", bad_skp(skp_columns(skp, peg, tahun), skp_defects))

    dropped = np.zeros(len(skp.pegawai), dtype=bool)
    dropped[[d.row for d in skp_defects]] = True
    without = without_realisasi(seed, skp, dropped)
    extra = bad_realisasi(skp, without, tahun) if bad_rows else None
    counts[FILES["realisasi"].name] = write_realisasi(out_dir, seed, peg, skp, without, tahun, extra)

    perilaku, peer_as_drawn = build_perilaku(seed, peg, units, tahun, ref)
    umpan_balik = build_umpan_balik(seed, peg, tahun, ref)
    survei = build_survei(seed, units, tahun, ref)
    riwayat = build_riwayat(seed, peg, tahun, ref)
    if bad_rows:
        perilaku = bad_perilaku(perilaku, peer_as_drawn)
        umpan_balik = bad_umpan_balik(umpan_balik, tahun)
        survei = bad_survei(survei)
        riwayat = bad_riwayat(riwayat)
    write("perilaku", perilaku)
    write("umpan_balik", umpan_balik)
    write("survei_masyarakat", survei)
    write("katalog_pelatihan", katalog_columns(ref))
    write("riwayat_pelatihan", riwayat)
    rating_atasan = build_rating_atasan(seed, peg, ref)
    write("rating_atasan", rating_atasan)
    excluded = _touched(peg, pegawai_file, skp.pegawai[[d.row for d in skp_defects]],
                        rating_atasan["nip"])
    write("keberatan", build_keberatan(seed, peg, tahun, ref, excluded, bad_rows=bad_rows))
    write("angka_kredit", build_angka_kredit(seed, peg, bad_rows=bad_rows))
    return counts


def _touched(peg: Pegawai, pegawai_file: Columns, skp_defect_pegawai: np.ndarray,
             overridden: pa.Array) -> np.ndarray:
    """Employees who must not object in the demo (the review would not see them as plainly scored):
    those with a deliberate bad row of their own (a changed or repeated pegawai.csv row, a defective
    indicator) and those whose supervisor overrode a rating."""
    nip = np.asarray(peg.nip_text.to_pylist(), dtype=object)
    written = pd.DataFrame({"nip": as_text(pegawai_file["nip"]).to_pylist(),
                            "nama": as_text(pegawai_file["nama"]).to_pylist()})
    repeated = written.loc[written["nip"].duplicated(), "nip"]
    renamed = written.drop_duplicates("nip").set_index("nip")["nama"].reindex(nip).to_numpy()
    touched = pd.Series(nip).isin(set(repeated) | set(overridden.to_pylist())).to_numpy().copy()
    touched |= renamed != np.asarray(peg.nama.to_pylist(), dtype=object)
    touched[np.asarray(skp_defect_pegawai, dtype=np.int64)] = True
    return touched


def main(argv: Sequence[str] | None = None) -> int:
    """Manual use: python -m kinerja.demo.generator OUT --pegawai N."""
    parser = argparse.ArgumentParser(prog="python -m kinerja.demo.generator", description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--pegawai", type=int, default=1500)
    parser.add_argument("--tahun", type=int, default=2026)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--tanpa-baris-rusak", action="store_true",
                        help="do not add the deliberate bad rows")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    counts = generate(args.out, pegawai=args.pegawai, tahun=args.tahun, seed=args.seed,
                      bad_rows=not args.tanpa_baris_rusak)
    for name in sorted(counts):
        print(f"{name:24s} {counts[name]:>12,d}")
    print(f"{time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
