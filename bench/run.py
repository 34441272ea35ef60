"""Benchmark of the whole appraisal cycle: per size and stage, wall time, peak RSS, rows/s, overhead share.

`python bench/run.py` (`make bench`). Sizes from BENCH_SIZES (default "10000 100000"); every size runs
in its own child process so one size's memory does not count against the next. Per size: demo data
(generated once into BENCH_DIR, default /tmp/kinerja-bench/<n>/in, with `--tanpa-baris-rusak`), a fresh
SQLite database, and the stage flows of the registry (stages.registry, cycle order) run in-process one
after the other against the Prefect server of PREFECT_API_URL (documents excluded: dokumen "tidak"); after
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
  time minus the sum of task run times);
- the floor: reading the stage's input files into memory with pyarrow.csv and nothing else, and the
  stage's wall time as a multiple of it.
Results are printed with rich and written between markers in bench/RESULTS.md (the notes around the
markers are kept), together with a description of the machine, after every size. A size whose process
goes over BENCH_MAX_RSS_GIB (default 18) is stopped, so a shared machine never meets the OOM killer.
`python bench/run.py --laporan` rebuilds the table from the sizes' saved results without running.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if __package__ in (None, ""):  # run as a script (`python bench/run.py`): the project root is not on the path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import measure, year_view  # noqa: E402 - after the path above

if TYPE_CHECKING:
    from stages.registry import Stage

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
TAHUN = 2026
GIB = 1024**3

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


def run_size(n: int, input_dir: Path, work_dir: Path) -> dict:
    """The whole cycle at one size, stage by stage, in this process (as `kinerja cycle` runs it)."""
    import shutil

    from kinerja.prefect_server import foreground_runs
    from stages import registry

    db = work_dir / "kinerja.db"
    out = work_dir / "out"
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        path.unlink(missing_ok=True)
    shutil.rmtree(out, ignore_errors=True)
    with foreground_runs():
        stages = [_run_stage(n, stage, input_dir, out, db) for stage in registry.STAGES]
    rss_max = measure.status_kib("VmHWM") * 1024  # the cycle's, before the documents below
    dokumen = _documents(input_dir, work_dir)
    print(f"  {n:>9,} {'dokumen':<16} {dokumen['detik']:7.1f} s  "
          f"{dokumen['jumlah'] / dokumen['detik']:,.0f} dokumen/s", flush=True)
    tampilan = year_view.measure(f"sqlite:///{db}", out / str(TAHUN), TAHUN, input_dir)
    for part, hasil in tampilan.items():
        print(f"  {n:>9,} {part:<16} " + (f"{hasil['detik']:7.1f} s" if "detik" in hasil else "")
              + (f"  {hasil['catatan']}" if "catatan" in hasil else ""), flush=True)
    return {"pegawai": n, "stages": stages, "rss_max_proses": rss_max,
            "beban": " ".join(f"{x:.2f}" for x in os.getloadavg()), "dokumen": dokumen, "tampilan": tampilan}


def _run_stage(n: int, stage: Stage, input_dir: Path, out: Path, db: Path) -> dict:
    """One stage flow: wall time, peak RSS, where the time went, input rows and the floor."""
    from flows.executor import stage_flow

    tahap, sheets = stage.name, stage.inputs
    kwargs = dict(tahun=TAHUN, input_dir=str(input_dir), output_dir=str(out), db_url=f"sqlite:///{db}")
    if stage.documents:
        kwargs["dokumen"] = "tidak"
    measure.reset_peak()
    started = time.perf_counter()
    state = stage_flow(tahap)(**kwargs, return_state=True)
    wall = time.perf_counter() - started
    peak = measure.peak_rss()
    if not state.is_completed():
        raise SystemExit(f"{tahap} at {n}: {state.type.value}: {state.message}")
    times = measure.task_times(str(state.state_details.flow_run_id))
    tasks_total = sum(v for k, v in times.items() if k != "prefect")
    times["prefect"] = max(wall - tasks_total, 0.0)
    print(f"  {n:>9,} {tahap:<16} {wall:7.1f} s  {peak / GIB:5.2f} GiB", flush=True)
    return {"tahap": tahap, "wall": wall, "peak_rss": peak, "rows": measure.input_rows(input_dir, sheets),
            "floor": measure.floor_seconds(input_dir, sheets), "times": times}


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
    """Run one size; stop it before it can push a shared machine into the OOM killer."""
    child = subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=stderr)
    status = Path(f"/proc/{child.pid}/status")
    while child.poll() is None:
        try:
            rss = next(int(line.split()[1]) * 1024 for line in status.read_text().splitlines()
                       if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            rss = 0
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


def _share(stage: dict) -> float:
    t = stage["times"]
    return (t["gerbang"] + t["prefect"] + t["catatan"]) / stage["wall"] if stage["wall"] else 0.0


def _rows_table(results: list[dict]) -> tuple[list[str], list[list[str]]]:
    head = ["pegawai", "tahap", "wall s", "peak RSS GiB", "baris input", "baris/s", "floor s",
            "x floor", *[f"{k} s" for k in measure.COLUMNS], "orkestrasi+gerbang"]
    body = []
    for res in results:
        for s in res["stages"]:
            body.append([
                f"{res['pegawai']:,}", s["tahap"], f"{s['wall']:.1f}", f"{s['peak_rss'] / GIB:.2f}",
                f"{s['rows']:,}", f"{s['rows'] / s['wall']:,.0f}", f"{s['floor']:.2f}",
                f"{s['wall'] / s['floor']:.0f}" if s["floor"] else "-",
                *[f"{s['times'][k]:.1f}" for k in measure.COLUMNS], f"{100 * _share(s):.0f}%",
            ])
        total = sum(s["wall"] for s in res["stages"])
        floor = sum(s["floor"] for s in res["stages"])
        over = sum(_share(s) * s["wall"] for s in res["stages"])
        peak = max(s["peak_rss"] for s in res["stages"])
        rows = sum(s["rows"] for s in res["stages"])
        body.append([
            f"{res['pegawai']:,}", "**siklus / cycle**", f"{total:.1f}", f"{peak / GIB:.2f}", f"{rows:,}",
            f"{rows / total:,.0f}", f"{floor:.2f}", f"{total / floor:.0f}" if floor else "-",
            *[f"{sum(s['times'][k] for s in res['stages']):.1f}" for k in measure.COLUMNS],
            f"{100 * over / total:.0f}%",
        ])
    return head, body


def _targets(results: list[dict]) -> list[str]:
    """The issue's targets, met or not."""
    lines = []
    limits = {100_000: (60, 3, 0.20), 1_000_000: (600, 12, None)}
    for res in results:
        n = res["pegawai"]
        if n not in limits:
            continue
        wall_max, gib_max, share_max = limits[n]
        total = sum(s["wall"] for s in res["stages"])
        peak = max(s["peak_rss"] for s in res["stages"]) / GIB
        share = sum(_share(s) * s["wall"] for s in res["stages"]) / total
        mark = {True: "terpenuhi / met", False: "**tidak / missed**"}
        lines.append(f"- {n:,}: wall {total:.0f} s (target <= {wall_max} s): {mark[total <= wall_max]}; "
                     f"peak RSS {peak:.2f} GiB (target <= {gib_max} GiB): {mark[peak <= gib_max]}")
        if share_max is not None:
            lines.append(f"  orkestrasi+gerbang {100 * share:.0f}% (target <= {100 * share_max:.0f}%): "
                         f"{mark[share <= share_max]}")
    return lines


DOCUMENTS_PER_SECOND = 1_000  # the target for render_documents


def _documents_table(results: list[dict]) -> tuple[list[str], list[list[str]]]:
    """Per size: documents rendered, seconds, documents/s and the target (sizes measured before
    the documents were part of the benchmark have none)."""
    head = ["pegawai", "dokumen", "detik", "dokumen/s", f"target >= {DOCUMENTS_PER_SECOND:,}/s"]
    body = []
    for res in results:
        if "dokumen" not in res:
            continue
        d = res["dokumen"]
        rate = d["jumlah"] / d["detik"] if d["detik"] else 0.0
        body.append([f"{res['pegawai']:,}", f"{d['jumlah']:,}", f"{d['detik']:.1f}", f"{rate:,.0f}",
                     "terpenuhi / met" if rate >= DOCUMENTS_PER_SECOND else "**tidak / missed**"])
    return head, body


def _documents_markdown(results: list[dict]) -> list[str]:
    head, body = _documents_table(results)
    if not body:
        return []
    return [
        "",
        "Dokumen evaluasi per pegawai / per-employee documents (after the cycle: `render_documents` for"
        " every scored employee, year-end result recomputed from the same input and not timed; files"
        " written to a scratch folder, deleted afterwards):",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "|".join("---" for _ in head) + "|",
        *["| " + " | ".join(row) + " |" for row in body],
    ]


def _markdown(results: list[dict], machine: dict[str, str], generated: dict[int, float | None]) -> str:
    head, body = _rows_table(results)
    lines = [
        BEGIN,
        f"## Hasil terakhir / latest run ({machine['tanggal']})",
        "",
        *[f"- {k}: {v}" for k, v in machine.items() if k != "tanggal"],
        *[f"- data demo {n:,} pegawai dibuat dalam {t:.0f} s" for n, t in sorted(generated.items()) if t],
        *[f"- beban saat {r['pegawai']:,} selesai / load when {r['pegawai']:,} finished: {r['beban']}"
          for r in results if "beban" in r],
        "",
        "| " + " | ".join(head) + " |",
        "|" + "|".join("---" for _ in head) + "|",
        *["| " + " | ".join(row) + " |" for row in body],
        "",
        "Kolom: baca = read + value rules; gerbang = GX suites, relational and stage checks, gate report;"
        " hitung = compute; tulis = DB write; laporan = CSV/HTML outputs; catatan = begin/finish (stage-run"
        " record, input checksums, audit seal); prefect = flow wall time minus all task run times."
        " orkestrasi+gerbang = (gerbang + catatan + prefect) / wall. x floor = wall / (pyarrow read of"
        " the same files).",
        "",
        "Target:",
        *_targets(results),
        *_documents_markdown(results),
        *year_view.markdown(results),
        END,
    ]
    return "\n".join(lines)


def _write_results(markdown: str) -> None:
    """Replace the block between the markers in RESULTS.md; keep the notes around it."""
    if RESULTS.exists():
        text = RESULTS.read_text()
        if BEGIN in text and END in text:
            before, rest = text.split(BEGIN, 1)
            after = rest.split(END, 1)[1]
            RESULTS.write_text(before + markdown + after)
            return
        RESULTS.write_text(text.rstrip() + "\n\n" + markdown + "\n")
        return
    RESULTS.write_text("# Benchmark\n\n" + markdown + "\n")


def _print(results: list[dict]) -> None:
    from rich.console import Console

    console = Console(width=250)
    head, body = _rows_table(results)
    console.print(_rich_table("Kinerja benchmark (SQLite, dokumen tidak)", head, body))
    for line in _targets(results):
        console.print(line.replace("**", ""))
    head, body = _documents_table(results)
    if body:
        console.print(_rich_table("Dokumen evaluasi per pegawai / per-employee documents", head, body))
    head, body, notes = year_view.table(results)
    if body:
        console.print(_rich_table("Tampilan tahun / year view (xlsx, index.html, halaman di Chromium)", head,
                                  body))
        for note in notes:
            console.print(note)


def _rich_table(title: str, head: list[str], body: list[list[str]]) -> object:
    from rich.table import Table

    table = Table(title=title)
    for name in head:
        table.add_column(name, justify="left" if name == "tahap" else "right")
    for row in body:
        table.add_row(*[c.replace("**", "") for c in row])
    return table


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--satu":
        n, json_path = int(sys.argv[2]), Path(sys.argv[3])
        base = json_path.parent
        result = run_size(n, base / "in", base / "kerja")
        json_path.write_text(json.dumps(result))
        return 0
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "10000 100000").split()]
    base = Path(os.environ.get("BENCH_DIR", "/tmp/kinerja-bench"))
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    max_rss = float(os.environ.get("BENCH_MAX_RSS_GIB", "18")) * GIB
    results, generated = [], {}
    if sys.argv[1:] == ["--laporan"]:  # rebuild the table from the sizes' saved results, run nothing
        for n in sizes:
            results.append(json.loads((base / str(n) / "hasil.json").read_text()))
            secs = base / str(n) / "gen.secs"
            generated[n] = float(secs.read_text()) if secs.exists() else None
        _write_results(_markdown(results, _machine(), generated))
        _print(results)
        return 0
    for n in sizes:
        input_dir, generated[n] = _generate(n, base)
        json_path = input_dir.parent / "hasil.json"
        (input_dir.parent / "kerja").mkdir(parents=True, exist_ok=True)
        print(f"{n:,} pegawai", flush=True)
        log = input_dir.parent / "kerja" / "prefect.log"
        with log.open("w") as stderr:
            returncode = _run_guarded([sys.executable, __file__, "--satu", str(n), str(json_path)], env,
                                      stderr, max_rss)
        if returncode:
            print(log.read_text()[-4000:], file=sys.stderr)
            raise SystemExit(f"benchmark {n:,} gagal / failed (log: {log})")
        results.append(json.loads(json_path.read_text()))
        _write_results(_markdown(results, _machine(), generated))
    _print(results)
    print(f"Ditulis: {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
