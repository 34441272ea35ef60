"""What the benchmark measures of one stage run: peak memory, where its time went, its input and floor.

Memory from /proc/self/status (the high-water mark VmHWM, reset through /proc/self/clear_refs), in the
flow process and, with the Dask executor, in each worker process (`WorkerMemory`); time per bucket from
the Prefect task runs of the stage's flow run; the floor is reading the stage's input files into memory
with pyarrow.csv and nothing else.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

# Prefect task names -> the bucket their time counts in.
BUCKETS = {
    "baca-dan-periksa-input": "baca",
    "gerbang-mutu-data": "gerbang",
    "gerbang-hasil": "gerbang",
    "periksa-relasi": "gerbang",
    "periksa-cakupan-pemantauan": "gerbang",
    "periksa-kelayakan-penilaian": "gerbang",
    "pegawai-unit-dikarantina": "gerbang",
    "kelengkapan-per-unit": "gerbang",
    "periksa-hasil-akhir-tahun": "gerbang",
    "mulai-tahap": "catatan",
    "selesai": "catatan",
    "ringkasan-tahun": "laporan",  # index.html and the workbook, refreshed by every stage
}
PREFIX_BUCKETS = (("hitung-", "hitung"), ("simpan-", "tulis"), ("laporan-", "laporan"))
COLUMNS = ("baca", "gerbang", "hitung", "tulis", "laporan", "catatan", "lain", "prefect")


def bucket(task_name: str) -> str:
    if task_name in BUCKETS:
        return BUCKETS[task_name]
    for prefix, bucket in PREFIX_BUCKETS:
        if task_name.startswith(prefix):
            return bucket
    return "lain"


# --------------------------------------------------------------------------- memory


def reset_peak() -> None:
    """Reset the process's RSS high-water mark (Linux: 5 > /proc/self/clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def peak_rss() -> int:
    """Peak RSS in bytes since the last reset."""
    return status_kib("VmHWM") * 1024


class WorkerMemory:
    """The peak RSS of every worker of a Dask cluster, reset and read through `Client.run` (the same
    /proc/self calls as for the flow process, run in each worker)."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def reset_peak(self) -> None:
        self.client.run(reset_peak)

    def peak_rss(self) -> dict[str, int]:
        """Peak RSS in bytes per worker address since the last reset."""
        return self.client.run(peak_rss)


def tree_rss(pid: int) -> int:
    """Memory of a process and all its descendants (Dask workers, a browser, forked report processes):
    what the machine has to hold for it. Each process's PSS (/proc/<pid>/smaps_rollup): a page shared by
    several processes of the tree counts once in all, not once per process — a forked copy of a 7 GiB flow
    process shows an RSS of 7 GiB while holding little of its own (reports.processes)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            total += _pss(current)
        except (OSError, IndexError, ValueError):
            continue  # ended meanwhile
        todo += children.get(current, [])
    return total


def _pss(pid: int) -> int:
    """Proportional set size in bytes (RSS where the kernel has no smaps_rollup)."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except FileNotFoundError:
        if not Path(f"/proc/{pid}").exists():
            raise
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    for line in rollup.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    raise ValueError(f"no Pss for {pid}")


def input_rows(input_dir: Path, sheets: tuple[str, ...]) -> int:
    from contract.schema import FILES

    total = 0
    for sheet in sheets:
        path = input_dir / FILES[sheet].name
        if path.exists():
            with path.open("rb") as fh:
                total += sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 24), b"")) - 1
    return total


def floor_seconds(input_dir: Path, sheets: tuple[str, ...]) -> float:
    """Seconds to read the stage's input files into memory with pyarrow and nothing else (best of 3)."""
    import pyarrow.csv as pacsv

    from contract.schema import FILES

    paths = [input_dir / FILES[s].name for s in sheets if (input_dir / FILES[s].name).exists()]
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        tables = [pacsv.read_csv(p) for p in paths]
        best = min(best, time.perf_counter() - t)
        del tables
    return best


def task_times(flow_run_id: str, wall: float) -> dict[str, float]:
    """Seconds per bucket from the flow run's task runs (waits until the server has them all); prefect =
    the wall time no task run covered. With Dask the instansi's compute tasks overlap: their bucket is
    the sum of their times, prefect counts the time they ran side by side once."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.client.schemas.sorting import TaskRunSort

    flt = FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
    with get_client(sync_client=True) as client:
        runs = []
        for _ in range(40):
            runs = client.read_task_runs(flow_run_filter=flt, sort=TaskRunSort.EXPECTED_START_TIME_ASC,
                                          limit=200)
            if runs and all(r.end_time is not None and r.state and r.state.is_final() for r in runs):
                break
            time.sleep(0.25)
    out = dict.fromkeys(COLUMNS, 0.0)
    spans = []
    for r in runs:
        if r.start_time is not None and r.end_time is not None:
            out[bucket(r.name.rsplit("-", 1)[0])] += (r.end_time - r.start_time).total_seconds()
            spans.append((r.start_time.timestamp(), r.end_time.timestamp()))
    out["prefect"] = max(wall - covered_seconds(spans), 0.0)
    return out


def covered_seconds(spans: list[tuple[float, float]]) -> float:
    """Seconds covered by at least one of the (start, end) spans: overlapping spans count once."""
    total, reach = 0.0, float("-inf")
    for start, end in sorted(spans):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total
