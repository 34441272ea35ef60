"""Are two code versions' outputs the same? Snapshot a whole cycle, then compare snapshots byte for byte.

    python bench/same_outputs.py snapshot --input DIR --out SNAP [--tahun 2026] [--pegawai N]
    python bench/same_outputs.py compare SNAP_A SNAP_B

`snapshot` runs `kinerja cycle` (all documents) on the input folder — or first generates demo data of
N employees into it when `--pegawai` is given — on a fresh SQLite file, then dumps every database table
to CSV (`dump_tables`: one line per row, lines sorted), leaving out what differs between any two runs by
design: timestamps, row ids and stage-run ids, Prefect flow-run ids, the code version and the hash chain
over them (which covers the timestamps). Every output file is kept as it was written. `compare` lists
each file or table that differs and exits 1; identical snapshots exit 0; index.html, which shows when
each stage ran and for how long, is compared with those times blanked. The script talks to the code only
through the `kinerja` command and reads the database through SQLAlchemy's reflection, so the same script
snapshots any version of it (refactoring checks: run it with the old checkout first, e.g.
`PYTHONPATH=OLD python bench/same_outputs.py snapshot …`). The benchmark (bench/run.py) uses
`dump_tables` and `differing_files` to check that its PostgreSQL and Dask runs equal the SQLite one.
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

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
    names = dump_tables(f"sqlite:///{db}", out / "tabel")
    print(f"snapshot {out}: {sum(1 for _ in (out / 'output').rglob('*') if _.is_file())} files, "
          f"{len(names)} tables")


def dump_tables(db_url: str, folder: Path) -> list[str]:
    """Every table to FOLDER/<table>.csv without the VOLATILE columns, its rows' lines sorted.

    The columns' types come from reflection, so SQLite and PostgreSQL give the same text for the same
    values (a boolean is True/False on both, not 1 on one of them; -0.0 is 0.0); NULL is written \\N. Rows are
    streamed and kept as one line each, sorted as text: no database collation decides the order, and a
    table of millions of rows costs its lines, not a DataFrame of objects.
    """
    from sqlalchemy import MetaData, Table, create_engine, inspect, select

    folder.mkdir(parents=True, exist_ok=True)
    engine = create_engine(db_url)
    try:
        names = sorted(set(inspect(engine).get_table_names()) - _partitions(engine))
        with engine.connect() as conn:
            for name in names:
                table = Table(name, MetaData(), autoload_with=conn)
                columns = [c for c in table.columns if c.name not in VOLATILE]
                rows = conn.execution_options(yield_per=50_000).execute(select(*columns))
                lines = sorted(_csv_line([_text(v) for v in row]) for row in rows)
                with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
                    fh.write(_csv_line([c.name for c in columns]))
                    fh.writelines(lines)
    finally:
        engine.dispose()
    return names


def _partitions(engine) -> set[str]:
    """PostgreSQL's year partitions (migration 0006): their rows are dumped with their table."""
    if engine.dialect.name != "postgresql":
        return set()
    with engine.connect() as conn:
        return set(conn.exec_driver_sql("SELECT relname FROM pg_class WHERE relispartition").scalars())


def _text(value: object) -> str:
    """A value as text; -0.0 as 0.0 (SQLite stores an integral REAL as an integer and loses the sign)."""
    if value is None:
        return "\\N"
    if isinstance(value, float) and value == 0.0:
        return "0.0"
    return str(value)


def _csv_line(values: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


def compare(a: Path, b: Path) -> int:
    """Every file under output/ and tabel/ of A and B, byte for byte; the differences are listed."""
    different = []
    for part in ("output", "tabel"):
        found, compared = differing_files(a / part, b / part)
        different += [f"{part}/{path}: {_WHERE[side].format(a=a, b=b)}" for path, side in found]
        print(f"{part}: {compared} files compared")
    for line in different:
        print(line)
    print("IDENTICAL" if not different else f"{len(different)} DIFFERENCES")
    return 1 if different else 0


_WHERE = {"beda": "differs", "kiri": "only in {a}", "kanan": "only in {b}"}


def differing_files(left: Path, right: Path) -> tuple[list[tuple[Path, str]], int]:
    """The files of two folders that differ, in path order, each with "beda" (differs), "kiri" (only in
    LEFT) or "kanan" (only in RIGHT), and how many files both have; byte for byte, except index.html,
    which is compared without its run times."""
    a = {p.relative_to(left) for p in left.rglob("*") if p.is_file()}
    b = {p.relative_to(right) for p in right.rglob("*") if p.is_file()}
    found = dict.fromkeys(a - b, "kiri") | dict.fromkeys(b - a, "kanan")
    found |= {p: "beda" for p in a & b if not _same_file(left / p, right / p)}
    return sorted(found.items()), len(a & b)


def _same_file(a: Path, b: Path) -> bool:
    if a.name == "index.html":  # it shows when each stage ran and how long: two runs always differ there
        return without_run_times(a.read_text(encoding="utf-8")) == without_run_times(
            b.read_text(encoding="utf-8"))
    return filecmp.cmp(a, b, shallow=False)


def without_run_times(html: str) -> str:
    """index.html with the stage runs' times (start, end in WIB) and durations blanked."""
    html = re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} WIB", "<waktu>", html)
    return re.sub(r"(\d+ (jam|mnt|dtk) ?)+", "<durasi>", html)


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
