"""Are two code versions' outputs the same? Snapshot a whole cycle, then compare snapshots byte for byte.

    python bench/same_outputs.py snapshot --input DIR --out SNAP [--tahun 2026] [--pegawai N]
    python bench/same_outputs.py compare SNAP_A SNAP_B

`snapshot` runs `kinerja cycle` (all documents) on the input folder — or first generates demo data of
N employees into it when `--pegawai` is given — on a fresh SQLite file, then dumps every database table
to CSV sorted by all its columns, leaving out what differs between any two runs by design: timestamps,
row ids and stage-run ids, Prefect flow-run ids, the code version and the hash chain over them (which
covers the timestamps). Every output file is kept as it was written. `compare` lists each file or
table that differs and exits 1; identical snapshots exit 0. The script talks to the code only through
the `kinerja` command, so the same script snapshots any version of it (refactoring checks: run it
with the old checkout first, e.g. `PYTHONPATH=OLD python bench/same_outputs.py snapshot …`).
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd

# Columns whose values differ between two runs of the same inputs by design.
VOLATILE = {
    "id", "stage_run_id", "started_at", "finished_at", "flow_run_id", "flow_run_name", "code_version",
    "pengguna", "prev_hash", "record_hash", "hasil_digest", "kepala_stage_run_id", "kepala_hash",
}


def _kinerja(*args: str, env: dict[str, str]) -> None:
    code = "import sys; from kinerja.cli import main; sys.argv = ['kinerja', *sys.argv[1:]]; main()"
    subprocess.run([sys.executable, "-c", code, *args], check=True, env=env)


def snapshot(input_dir: Path, out: Path, tahun: int, pegawai: int | None) -> None:
    """Run the cycle into OUT/output with its database OUT/kinerja.db and dump the tables to OUT/tabel."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    env = {**os.environ, "KINERJA_DATA_DIR": str(out / "data"), "KINERJA_PENGGUNA": "pembanding"}
    if pegawai is not None:
        code = ("import sys; from pathlib import Path; from kinerja.demo import generate; "
                "generate(Path(sys.argv[1]), pegawai=int(sys.argv[2]), tahun=int(sys.argv[3]))")
        legacy = ("import sys; from pathlib import Path; from tasks.demo_data import generate; "
                  "generate(Path(sys.argv[1]), pegawai=int(sys.argv[2]), tahun=int(sys.argv[3]))")
        try:
            subprocess.run([sys.executable, "-c", code, str(input_dir), str(pegawai), str(tahun)],
                           check=True, env=env, stderr=subprocess.DEVNULL)
        except subprocess.CalledProcessError:
            subprocess.run([sys.executable, "-c", legacy, str(input_dir), str(pegawai), str(tahun)],
                           check=True, env=env)
    db = out / "kinerja.db"
    _kinerja("cycle", "--tahun", str(tahun), "--input", str(input_dir), "--output", str(out / "output"),
             "--db", f"sqlite:///{db}", env=env)
    tables = out / "tabel"
    tables.mkdir()
    with sqlite3.connect(db) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        for name in names:
            frame = pd.read_sql(f'SELECT * FROM "{name}"', conn)
            frame = frame.drop(columns=[c for c in frame.columns if c in VOLATILE])
            frame = frame.astype(str).sort_values(list(frame.columns), kind="stable")
            frame.to_csv(tables / f"{name}.csv", index=False, lineterminator="\n")
    print(f"snapshot {out}: {sum(1 for _ in (out / 'output').rglob('*') if _.is_file())} files, "
          f"{len(names)} tables")


def compare(a: Path, b: Path) -> int:
    """Every file under output/ and tabel/ of A and B, byte for byte; the differences are listed."""
    different = []
    for part in ("output", "tabel"):
        left = {p.relative_to(a / part) for p in (a / part).rglob("*") if p.is_file()}
        right = {p.relative_to(b / part) for p in (b / part).rglob("*") if p.is_file()}
        different += [f"{part}/{p}: only in {a}" for p in sorted(left - right)]
        different += [f"{part}/{p}: only in {b}" for p in sorted(right - left)]
        different += [f"{part}/{p}: differs" for p in sorted(left & right)
                      if not filecmp.cmp(a / part / p, b / part / p, shallow=False)]
        print(f"{part}: {len(left & right)} files compared")
    for line in different:
        print(line)
    print("IDENTICAL" if not different else f"{len(different)} DIFFERENCES")
    return 1 if different else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    snap = sub.add_parser("snapshot")
    snap.add_argument("--input", type=Path, required=True)
    snap.add_argument("--out", type=Path, required=True)
    snap.add_argument("--tahun", type=int, default=2026)
    snap.add_argument("--pegawai", type=int, default=None, help="generate demo data of N employees first")
    cmp_ = sub.add_parser("compare")
    cmp_.add_argument("a", type=Path)
    cmp_.add_argument("b", type=Path)
    args = parser.parse_args()
    if args.command == "snapshot":
        snapshot(args.input, args.out, args.tahun, args.pegawai)
        return 0
    return compare(args.a, args.b)


if __name__ == "__main__":
    sys.exit(main())
