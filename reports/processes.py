"""Pages rendered by more than one process: the per-unit and per-employee HTML is split over forked copies.

The unit summaries, mid-year unit reports, evaluation documents and unit training plans are tens of
thousands of files at national scale (41,667 units and 1,000,000 documents at 1,000,000 employees), rendered
in pure Python holding the GIL, so a thread would not help. A stage prepares everything the pages need
(per-unit sections, lookups) in the flow process, then `render_shared` forks: each copy renders every P-th
item (the flow process its own share) and writes its files; nothing comes back but success or the error.
Fork shares the prepared data without pickling it (a shared memory page is copied only when one side writes
to it).

Only the rendering and writing are split: which files are written and their bytes are the same as with one
process (each page depends only on its own item). A copy that fails sends its exception back and the stage
fails with it, after every copy has ended; a copy whose flow process dies is killed with it
(PR_SET_PDEATHSIG).
Each copy reports the memory it did not share with the flow process when it ends (Private in
/proc/self/smaps_rollup: pages it wrote and pages the flow process has since replaced); the benchmark reads
the largest sum over one call's copies through `peak_private_bytes` and adds it to the flow process's peak.

`KINERJA_PROSES_LAPORAN` sets the number of processes (0, the default: one per CPU core the process may use,
at most 4; 1: the flow process alone). Without fork (not Linux/macOS) or for fewer than `minimum` items the
flow process renders everything itself.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kinerja import forked

if TYPE_CHECKING:
    import pandas as pd

MAX_PROCESSES = 4
MINIMUM_ITEMS = 200  # below this, forking costs more than it saves (a fork of a large process: ~50 ms)


class ReportProcessError(RuntimeError):
    """A report process failed with an error that could not be sent back as itself."""


def report_processes() -> int:
    """How many processes render pages: KINERJA_PROSES_LAPORAN, or one per usable CPU core (at most 4)."""
    from kinerja.settings import get_settings

    asked = get_settings().proses_laporan
    if asked:
        return asked
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(MAX_PROCESSES, cores))


def render_shared(
    count: int, render: Callable[[Sequence[int]], Any], *, processes: int | None = None,
    minimum: int | None = None,
) -> None:
    """Call `render(positions)` for the positions 0..count-1, split over `processes` processes (default
    `report_processes()`): the k-th takes k, k+P, k+2P, … The flow process renders share 0 meanwhile.
    Fewer than `minimum` items (default MINIMUM_ITEMS) are rendered by the flow process alone."""
    processes = min(report_processes() if processes is None else processes, count)
    if processes <= 1 or count < (MINIMUM_ITEMS if minimum is None else minimum) or not hasattr(os, "fork"):
        render(range(count))
        return
    sys.stdout.flush()
    sys.stderr.flush()
    children = [_fork(range(k, count, processes), render) for k in range(1, processes)]
    try:
        render(range(0, count, processes))
    finally:
        ended = [_wait(*child) for child in children]
        forked.PEAK.record(sum(private for _, private in ended if private is not None) if ended else None)
    failures = [failure for failure, _ in ended if failure is not None]
    if failures:
        raise failures[0]


def write_unit_pages(
    units: pd.DataFrame, out_dir: Path, prefix: str, page: Callable[[dict], str]
) -> list[Path]:
    """<prefix><kode_unit>.html for every row of `units` (unit_rows), its text `page(unit row as a dict)`,
    written by the report processes; the paths in the rows' order. The pages an earlier stage wrote are
    replaced without freeing them on the spot (reports.retired)."""
    from reports.common import safe_name, write_text
    from reports.retired import retired_folder, retiring

    records = units.to_dict("records")
    paths = [out_dir / f"{prefix}{safe_name(unit['kode_unit'])}.html" for unit in records]

    def render(positions: Sequence[int]) -> None:
        for i in positions:
            write_text(paths[i], page(records[i]))

    with retiring(retired_folder(out_dir)):
        render_shared(len(records), render)
    return paths


def _fork(positions: range, render: Callable[[Sequence[int]], Any]) -> tuple[int, int]:
    """Start one copy rendering `positions`; (its pid, the read end of its report pipe)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return pid, read_end
    os.close(read_end)

    def work() -> dict[str, Any]:
        render(positions)
        return {}

    forked.child_main(work, write_end, ReportProcessError)


def _wait(pid: int, read_end: int) -> tuple[BaseException | None, int | None]:
    """Wait for a copy to end: (its error or None, the private memory it ended with)."""
    message, code = forked.collect(pid, read_end)
    private = message.get("private")
    if code == 0 and "error" not in message:
        return None, private
    error = message.get("error")
    if error is None:
        error = ReportProcessError(f"proses laporan {pid} berhenti / report process {pid} ended: "
                                   f"status {code}")
    if message.get("traceback"):
        error.add_note(f"di proses laporan / in report process {pid}:\n{message['traceback']}")
    return error, private


def peak_private_bytes() -> int | None:
    """The largest private memory of one call's report processes together (or of the SQLite writer,
    models.sqlite_bulk) since the last call (None: no process ran)."""
    return forked.peak_private_bytes()
