"""A stage's database write and its reports: one after the other, or on PostgreSQL at the same time.

On PostgreSQL the write is mostly the server's work (COPY into a bare partition, then attaching it, in
another process) and the client's share is Arrow writing CSV text, which releases the GIL; the reports are
Python (Jinja, CSV text). So on PostgreSQL with the local executor the write task is submitted to the
flow's thread pool and the reports are rendered meanwhile — at 1,000,000 employees the write of year-end
alone is over a minute of mostly idle client (bench/RESULTS.md, eleventh session).

The outputs still follow the database, never lead it: the reports go to a staging folder beside the year's
folder (`.tahap-<tahap>-<tahun>-<stage run>/`) and are moved into place, file by file (a rename on the same
file system), only once the write has committed. A write that fails leaves the year's folder as it was;
reports that fail leave it as it was too (the committed rows stay, as when the reports came after the
write). A staging folder a killed run left behind is removed by the next run of the same stage and year
(it holds the stage-year lock, so no live run owns it).

Publishing replaces the files an earlier stage wrote (every unit summary); each file it replaces is kept in
a retired folder deleted in the background (reports.retired: ext4 frees a replaced file's blocks in the
rename, ≈ 7 s of the objection stage at 1,000,000 employees, on the flow's critical path).

On SQLite they stay one after the other: Python's sqlite3 releases the GIL around every row it steps, so
a writer beside a CPU-bound renderer would wait for the GIL on every row.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from prefect import Task

from reports import retired
from stages.context import StageContext

STAGING_PREFIX = ".tahap-"


def overlaps(ctx: StageContext, executor: str) -> bool:
    """Whether this stage writes and reports at the same time (PostgreSQL, local executor)."""
    return executor == "lokal" and ctx.engine.dialect.name == "postgresql"


def write_and_report(
    ctx: StageContext, executor: str,
    write: Task[..., dict[str, int]], write_args: tuple,
    report: Task[..., list[Path]], report_args: tuple,
) -> tuple[dict[str, int], list[Path]]:
    """(`write(ctx, *write_args)`, `report(ctx, *report_args)`): in that order, or — where `overlaps` —
    the write submitted first and the reports staged meanwhile, published once the write has committed."""
    if not overlaps(ctx, executor):
        return write(ctx, *write_args), report(ctx, *report_args)
    remove_left_staging(ctx)
    future = write.submit(ctx, *write_args)
    try:
        with staged(ctx) as (staged_ctx, publish):
            paths = report(staged_ctx, *report_args)
            written = future.result()  # the write's own error, if it failed: nothing is published
            return written, publish(paths)
    finally:
        future.wait()  # never leave the stage (and its lock) with the write still running


def staging_dir(ctx: StageContext) -> Path:
    """Where this run's reports wait for its write to commit (beside the output root's year folders)."""
    return ctx.output_root / f"{STAGING_PREFIX}{ctx.tahap}-{ctx.tahun}-{ctx.stage_run_id}"


def remove_left_staging(ctx: StageContext) -> list[Path]:
    """Remove the staging folders of earlier runs of this stage and year (killed before they could)."""
    pattern = f"{STAGING_PREFIX}{ctx.tahap}-{ctx.tahun}-*"
    left = sorted(p for p in ctx.output_root.glob(pattern) if p.is_dir()) if ctx.output_root.is_dir() else []
    for folder in left:
        shutil.rmtree(folder, ignore_errors=True)
    return left


@contextmanager
def staged(ctx: StageContext) -> Iterator[tuple[StageContext, Callable[[list[Path]], list[Path]]]]:
    """A context whose output folder is the staging folder (`remove_left_staging` has cleared the way), and
    `publish(paths)`, which moves everything staged into the year's folder and gives `paths` as they are
    there. The staging folder goes on leaving, whatever happened."""
    root = staging_dir(ctx)
    staged_ctx = replace(ctx, output_root=root)
    staged_ctx.output_dir.mkdir(parents=True, exist_ok=True)

    def publish(paths: list[Path]) -> list[Path]:
        with retired.retiring(retired.retired_folder(ctx.output_dir)):
            move_tree(staged_ctx.output_dir, ctx.output_dir)
        return [_moved(Path(p), staged_ctx.output_dir, ctx.output_dir) for p in paths]

    try:
        yield staged_ctx, publish
    finally:
        shutil.rmtree(root, ignore_errors=True)


def move_tree(source: Path, target: Path) -> int:
    """Move every file under `source` to the same place under `target` (folders made as needed, files there
    replaced, through reports.retired.replace); each move is a rename, so a reader sees the old file or the
    new one, never half of one."""
    moved = 0
    for folder, _dirs, files in os.walk(source):
        there = target / Path(folder).relative_to(source)
        there.mkdir(parents=True, exist_ok=True)
        for name in sorted(files):
            retired.replace(Path(folder) / name, there / name)
            moved += 1
    return moved


def _moved(path: Path, source: Path, target: Path) -> Path:
    text, prefix = str(path), f"{source}{os.sep}"
    if text.startswith(prefix):  # as text: pathlib's relative_to took 1.4 s for 83,334 paths
        return target / text[len(prefix):]
    try:
        return target / path.relative_to(source)
    except ValueError:  # not a staged output (written elsewhere on purpose): as it is
        return path
