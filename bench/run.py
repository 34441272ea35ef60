"""Benchmark of the whole appraisal cycle: per size and stage, wall time, peak RSS, rows/s, overhead share.

`python bench/run.py` (`make bench`). Sizes from BENCH_SIZES (default "10000 100000"); every size runs
in its own child process so one size's memory does not count against the next. Per size: demo data
(generated once into BENCH_DIR, default /tmp/kinerja-bench/<n>/in, with `--tanpa-baris-rusak`), a fresh
SQLite database, and the stage flows of the registry (stages.registry, cycle order) run in-process one
after the other against the Prefect server of PREFECT_API_URL (documents excluded: dokumen "tidak"; the
year view refreshed once, by the last stage, as `kinerja cycle` does: tasks.year_view.one_year_view); after
the cycle the per-employee documents of every scored employee are rendered on their own and timed
(documents/s), and so is the year view (bench/year_view.py): kinerja_<tahun>.xlsx (rows/s, size), index.html
with its search data (time, sizes) and, where chromium is installed, the index page in headless Chromium
(milliseconds until usable and until a 4-character search shows its first hit).

Measured per stage:
- wall time and peak RSS (VmHWM of /proc/self/status, reset through /proc/self/clear_refs before it);
- rows/s: input rows of the stage's files divided by its wall time;
- where the time went, from the Prefect task runs of the stage's flow run (client API, after the run):
  read+check, gates (GX suites, relational and stage checks), compute, DB write, reports, run
  bookkeeping (begin/finish: stage-run record, checksums, audit seal) and Prefect itself (flow wall
  time not covered by any task run);
- the floor: reading the stage's input files into memory with pyarrow.csv and nothing else, and the
  stage's wall time as a multiple of it.
Variants: BENCH_DB (unset or `sqlite`: the SQLite file; a `postgresql+psycopg://user@host:port/db` URL: a
fresh database `kinerja_bench_<n>` per size, dropped and created again through the server's `postgres`
database) and BENCH_EXECUTOR (`lokal`, or `dask`: one local two-worker cluster for the whole cycle,
flows.executor.dask_cluster). With Dask the peak RSS of every worker is reset before each stage and read
after it (`Client.run`), and the largest is reported beside the flow process's own. Each variant keeps its
own work folder (<n>/kerja-<variant>) and result (<n>/hasil-<variant>.json); a variant other than
sqlite-lokal renders no documents (they read neither the database nor the cluster) and is compared with
the sqlite-lokal run of the same size when that run's folder is there: every file of out/<tahun> and every
database table (bench/same_outputs.py: byte for byte, index.html without its run times, tables without
ids, timestamps and hashes), reported as identical or the first differing file. Run sqlite-lokal first,
with the same code.
Results are printed with rich and written between markers in bench/RESULTS.md (the notes around the
markers are kept), together with a description of the machine, after every size: every saved variant of
the sizes run, side by side. A size whose process tree (with its Dask workers) goes over
BENCH_MAX_RSS_GIB (default 18) is stopped, so a shared machine never meets the OOM killer.
`python bench/run.py --laporan` rebuilds the table from every saved result of the BENCH_SIZES sizes (all
sizes under BENCH_DIR when BENCH_SIZES is unset) without running.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if __package__ in (None, ""):  # run as a script (`python bench/run.py`): the project root is not on the path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import measure, report, same_outputs, year_view  # noqa: E402 - after the path above
from bench.variants import DATABASES, EXECUTORS, REFERENCE, Variant, variant_from_env, variant_of  # noqa: E402

if TYPE_CHECKING:
    from stages.registry import Stage

ROOT = Path(__file__).resolve().parent.parent
TAHUN = 2026
GIB = 1024**3
def _database(n: int, work_dir: Path, variant: Variant) -> str:
    """A fresh, empty database for one size: the SQLite file in the work folder, or kinerja_bench_<n> on
    the PostgreSQL server, dropped and created again through its maintenance database."""
    if variant.url is None:
        db = work_dir / "kinerja.db"
        for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            path.unlink(missing_ok=True)
        return f"sqlite:///{db}"
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    name = f"kinerja_bench_{n}"
    admin = create_engine(make_url(variant.url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        admin.dispose()
    return make_url(variant.url).set(database=name).render_as_string(hide_password=False)


@dataclass(frozen=True)
class Cycle:
    """What every stage run of one size shares: where it reads and writes, and where its compute runs."""

    n: int
    input_dir: Path
    out: Path
    db_url: str
    executor: str = "lokal"
    dask_address: str | None = None
    workers: measure.WorkerMemory | None = None


@contextmanager
def _cluster(executor: str) -> Iterator[tuple[str | None, measure.WorkerMemory | None]]:
    """The Dask cluster of the whole cycle (flows.executor.dask_cluster) and a client to ask its workers
    for their memory; nothing for lokal."""
    from flows.executor import dask_cluster

    with dask_cluster(executor, None) as address:
        if address is None:
            yield None, None
            return
        from distributed import Client

        with Client(address, set_as_default=False) as client:
            yield address, measure.WorkerMemory(client)


def _documents(input_dir: Path, work_dir: Path) -> dict:
    """Every scored employee's evaluation document rendered into a scratch folder, timed alone.

    The cycle runs year-end with dokumen "tidak", so the issue's target (>= 1,000 documents/s) is
    measured here: the year-end result is recomputed from the same input with the pure functions
    (not timed), then only render_documents is timed. The scratch folder is deleted afterwards.
    """
    import shutil

    from contract.reader import read_inputs
    from contract.values import check_values
    from penilaian.ruleset import load_ruleset
    from penilaian.year_end import score_year_end
    from reports.documents import render_documents
    from stages import registry

    stage = next(stage for stage in registry.STAGES if stage.documents)
    raw, _ = read_inputs(input_dir, stage.required, stage.optional)
    frames, _, _ = check_values(raw, TAHUN, stage.name)
    del raw
    year_end = score_year_end(frames, load_ruleset(None), TAHUN)
    scratch = work_dir / "dokumen-bench"
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        started = time.perf_counter()
        count = render_documents(year_end=year_end, frames=frames, out_dir=scratch, pilihan="semua",
                                 tahun=TAHUN)
        seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return {"jumlah": count, "detik": seconds}


def run_size(n: int, input_dir: Path, work_dir: Path, variant: Variant = REFERENCE) -> dict:
    """The whole cycle at one size, stage by stage, in this process (as `kinerja cycle` runs it)."""
    from kinerja.prefect_server import foreground_runs
    from stages import registry
    from tasks.year_view import one_year_view

    out = work_dir / "out"
    shutil.rmtree(out, ignore_errors=True)
    db_url = _database(n, work_dir, variant)
    with foreground_runs(), _cluster(variant.executor) as (address, workers), one_year_view() as view:
        cycle = Cycle(n, input_dir, out, db_url, variant.executor, address, workers)
        stages = [_run_stage(cycle, stage) for stage in view.each(registry.STAGES)]  # as flows/cycle.py
    rss_max = measure.status_kib("VmHWM") * 1024  # the cycle's, before the documents below
    result = {"pegawai": n, "db": variant.db, "executor": variant.executor, "stages": stages,
              "rss_max_proses": rss_max, "tanggal": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}
    if variant.reference:
        dokumen = _documents(input_dir, work_dir)
        print(f"  {n:>9,} {'dokumen':<16} {dokumen['detik']:7.1f} s  "
              f"{dokumen['jumlah'] / dokumen['detik']:,.0f} dokumen/s", flush=True)
        result["dokumen"] = dokumen
    tampilan = year_view.measure(db_url, out / str(TAHUN), TAHUN, input_dir)
    for part, hasil in tampilan.items():
        print(f"  {n:>9,} {part:<16} " + (f"{hasil['detik']:7.1f} s" if "detik" in hasil else "")
              + (f"  {hasil['catatan']}" if "catatan" in hasil else ""), flush=True)
    result |= {"beban": " ".join(f"{x:.2f}" for x in os.getloadavg()), "tampilan": tampilan}
    if not variant.reference:
        result["identik"] = identical(work_dir.parent / f"kerja-{REFERENCE.name}", work_dir, db_url)
        print(f"  {n:>9,} {'identik':<16} {report._identical_text(result).replace('**', '')}", flush=True)
    return result


def _run_stage(cycle: Cycle, stage: Stage) -> dict:
    """One stage flow: wall time, peak RSS (and the Dask workers'), where the time went, input rows and
    the floor."""
    from flows.executor import stage_flow

    tahap, sheets, input_dir = stage.name, stage.inputs, cycle.input_dir
    kwargs = dict(tahun=TAHUN, input_dir=str(input_dir), output_dir=str(cycle.out), db_url=cycle.db_url)
    if stage.documents:
        kwargs["dokumen"] = "tidak"
    if stage.partitioned:  # the flow splits its compute per instansi only when told (flows/progress.py)
        kwargs["executor"] = cycle.executor
    from reports.processes import peak_private_bytes
    from stages.cache import release_unused_memory

    flow = stage_flow(tahap, cycle.executor, cycle.dask_address)
    if cycle.workers is not None:
        cycle.workers.reset_peak()
    # The previous stage's floor (pyarrow reading its files) leaves its freed buffers in Arrow's pool: a
    # stage's own begin hands them back, but after the peak was reset, so the stage's peak was at least
    # what the bench had just read (at 300,000 employees mid-year showed 3.42 GiB instead of 2.42).
    release_unused_memory()
    peak_private_bytes()  # forget the report processes of earlier stages
    measure.reset_peak()
    started = time.perf_counter()
    state = flow(**kwargs, return_state=True)
    wall = time.perf_counter() - started
    peak = measure.peak_rss()
    copies = peak_private_bytes()
    workers = cycle.workers.peak_rss() if cycle.workers is not None else {}
    if not state.is_completed():
        raise SystemExit(f"{tahap} at {cycle.n}: {state.type.value}: {state.message}")
    times = measure.task_times(str(state.state_details.flow_run_id), wall)
    worker_peak = max(workers.values(), default=None)
    print(f"  {cycle.n:>9,} {tahap:<16} {wall:7.1f} s  {peak / GIB:5.2f} GiB"
          + (f"  pekerja / workers {worker_peak / GIB:5.2f} GiB" if worker_peak is not None else "")
          + (f"  salinan laporan / report copies +{copies / GIB:4.2f} GiB" if copies else ""),
          flush=True)
    result = {"tahap": tahap, "wall": wall, "peak_rss": peak, "rows": measure.input_rows(input_dir, sheets),
              "floor": measure.floor_seconds(input_dir, sheets), "times": times}
    if workers:
        result |= {"peak_rss_pekerja": worker_peak, "peak_rss_per_pekerja": workers}
    if copies:
        result["privat_salinan_laporan"] = copies
    return result


def identical(reference: Path, work_dir: Path, db_url: str) -> dict:
    """This run's out/<tahun> and tables against the sqlite-lokal run's of the same size
    (bench/same_outputs.py); the tables are dumped into <work>/banding, kept only when they differ."""
    ref_out, ref_db = reference / "out" / str(TAHUN), reference / "kinerja.db"
    if not (ref_out.is_dir() and ref_db.is_file()):
        return {"catatan": f"tidak ada run {REFERENCE.label} / no {REFERENCE.label} run in {reference}"}
    banding = work_dir / "banding"
    shutil.rmtree(banding, ignore_errors=True)
    same_outputs.dump_tables(f"sqlite:///{ref_db}", banding / "acuan")
    same_outputs.dump_tables(db_url, banding / "ini")
    found, files = same_outputs.differing_files(ref_out, work_dir / "out" / str(TAHUN))
    differ = [f"out/{TAHUN}/{path}" for path, _ in found]
    found, tables = same_outputs.differing_files(banding / "acuan", banding / "ini")
    differ += [f"tabel/{path.stem}" for path, _ in found]
    if not differ:
        shutil.rmtree(banding)
    return {"ya": not differ, "beda": differ, "berkas": files, "tabel": tables}


# --------------------------------------------------------------------------- driver (parent process)


def _generate(n: int, base: Path) -> tuple[Path, float | None]:
    """Demo data for n employees (once; a marker file says the folder is complete)."""
    input_dir = base / str(n) / "in"
    marker = input_dir / ".lengkap"
    if marker.exists():
        secs = marker.parent.parent / "gen.secs"
        return input_dir, float(secs.read_text()) if secs.exists() else None
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kinerja.demo.generator", str(input_dir), "--pegawai", str(n),
                    "--tanpa-baris-rusak"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    marker.write_text(str(n))
    seconds = time.perf_counter() - started
    (base / str(n) / "gen.secs").write_text(f"{seconds:.1f}")
    return input_dir, seconds


def _run_guarded(cmd: list[str], env: dict[str, str], stderr: object, max_rss: float) -> int:
    """Run one size; stop it before it can push a shared machine into the OOM killer (its Dask workers
    and browser count: they are its descendants)."""
    child = subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=stderr)
    while child.poll() is None:
        rss = measure.tree_rss(child.pid)
        if rss > max_rss:
            child.kill()
            child.wait()
            print(f"dihentikan: RSS {rss / GIB:.1f} GiB > BENCH_MAX_RSS_GIB / stopped: RSS over the limit",
                  file=sys.stderr)
            return 1
        time.sleep(0.5)
    return child.returncode


def _machine() -> dict[str, str]:
    from importlib.metadata import version

    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem = int(line.split()[1]) * 1024
    versions = ", ".join(f"{p} {version(p)}" for p in
                         ("pandas", "pyarrow", "numpy", "prefect", "great_expectations", "SQLAlchemy"))
    return {
        "tanggal": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "uname": " ".join(platform.uname()),
        "cpu": f"{cpu}, {os.cpu_count()} inti (cores)",
        "ram": f"{mem / GIB:.1f} GiB",
        "python": platform.python_version(),
        "paket": versions,
        "beban saat menulis / load when written": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def saved_results(base: Path, sizes: list[int] | None) -> list[dict]:
    """Every saved result of the sizes (all sizes under BASE when None), by size, then variant; a result
    saved before variants (hasil.json) counts as sqlite-lokal unless that variant has its own."""
    if sizes is None:
        sizes = sorted(int(p.name) for p in base.iterdir() if p.is_dir() and p.name.isdigit())
    results = []
    for n in sizes:
        folder = base / str(n)
        paths = sorted(folder.glob("hasil-*.json"))
        legacy = folder / "hasil.json"
        if legacy.exists() and not (folder / f"hasil-{REFERENCE.name}.json").exists():
            paths.append(legacy)
        results += [json.loads(path.read_text()) for path in paths]
    order = [f"{db}-{executor}" for db in DATABASES for executor in EXECUTORS]
    return sorted(results, key=lambda r: (r["pegawai"], order.index(variant_of(r).name)))


def _generated(base: Path, sizes: list[int]) -> dict[int, float | None]:
    files = {n: base / str(n) / "gen.secs" for n in sizes}
    return {n: float(path.read_text()) if path.exists() else None for n, path in files.items()}


def main() -> int:
    variant = variant_from_env(dict(os.environ))
    if len(sys.argv) == 4 and sys.argv[1] == "--satu":
        n, json_path = int(sys.argv[2]), Path(sys.argv[3])
        base = json_path.parent
        result = run_size(n, base / "in", base / f"kerja-{variant.name}", variant)
        json_path.write_text(json.dumps(result))
        return 0
    base = Path(os.environ.get("BENCH_DIR", "/tmp/kinerja-bench"))
    if sys.argv[1:] == ["--laporan"]:  # rebuild the table from the saved results, run nothing
        given = os.environ.get("BENCH_SIZES")
        results = saved_results(base, [int(s) for s in given.split()] if given else None)
        sizes = sorted({r["pegawai"] for r in results})
        report.write_results(report.markdown(results, _machine(), _generated(base, sizes)))
        report.print_tables(results)
        return 0
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "10000 100000").split()]
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    max_rss = float(os.environ.get("BENCH_MAX_RSS_GIB", "18")) * GIB
    generated = {}
    for n in sizes:
        input_dir, generated[n] = _generate(n, base)
        json_path = input_dir.parent / f"hasil-{variant.name}.json"
        work_dir = input_dir.parent / f"kerja-{variant.name}"
        work_dir.mkdir(parents=True, exist_ok=True)
        print(f"{n:,} pegawai, {variant.label}", flush=True)
        log = work_dir / "prefect.log"
        with log.open("w") as stderr:
            returncode = _run_guarded([sys.executable, __file__, "--satu", str(n), str(json_path)], env,
                                      stderr, max_rss)
        if returncode:
            print(log.read_text()[-4000:], file=sys.stderr)
            raise SystemExit(f"benchmark {n:,} {variant.label} gagal / failed (log: {log})")
        done = sizes[: sizes.index(n) + 1]
        report.write_results(report.markdown(saved_results(base, done), _machine(), generated))
    report.print_tables(saved_results(base, sizes))
    print(f"Ditulis: {report.RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
