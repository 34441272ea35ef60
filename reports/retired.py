"""Files replaced without freeing the old ones on the spot: they are deleted later, in the background.

A stage rewrites the pages an earlier stage wrote (every unit summary: 41,667 files at 1,000,000 employees,
in objection and again in training). Replacing a file makes the file system free the old file's blocks in
the rename itself: ≈ 0.18 ms a file on ext4, one after the other whichever process does it (two threads
took longer than one), ≈ 7 s a stage at 1,000,000 employees. Inside `retiring(folder)`, `replace` first
hard-links the file about to be replaced into `folder` (a link and a rename: ≈ 0.035 ms), so the rename
frees nothing; when the block ends the folder goes to `remove_later`, which deletes it in a background
thread of this process while the flow goes on (the next stage mostly runs on one core). A reader of the
output still sees the old file or the new one, never neither.

Retired folders are hidden folders of the output root (`.lama-*`, same file system, so links work there).
The process waits for what it queued before it exits (concurrent.futures joins its threads at exit); a
folder a killed process left behind is queued by the next stage that starts on that output root
(`remove_left_behind`). Deleting a retired folder early is harmless: it only holds links to old versions.
Where the file system has no hard links, files are replaced as they are.
"""

from __future__ import annotations

import itertools
import os
import shutil
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

PREFIX = ".lama-"

_folder: Path | None = None  # where `replace` links the files it replaces (inherited by forked copies)
_names = itertools.count()
_remover: ThreadPoolExecutor | None = None
_pending: set[Future[None]] = set()
_lock = threading.Lock()


@contextmanager
def retiring(folder: Path) -> Iterator[Path]:
    """While inside, `replace` keeps each file it replaces in `folder` (made here); afterwards the folder is
    deleted in the background (`remove_later`), whatever happened."""
    global _folder
    folder.mkdir(parents=True, exist_ok=True)
    previous, _folder = _folder, folder
    try:
        yield folder
    finally:
        _folder = previous
        remove_later(folder)


def retired_folder(out_dir: Path) -> Path:
    """A fresh retired folder for files replaced under `out_dir` (a year folder): in its parent, the output
    root."""
    return out_dir.parent / f"{PREFIX}{os.getpid()}-{next(_names)}"


def replace(source: Path | str, target: Path | str) -> None:
    """`os.replace(source, target)`; inside `retiring`, the file it replaces is hard-linked into the retired
    folder first, so the rename does not free it (forked copies name their links by their pid)."""
    global _folder
    if _folder is not None:
        try:
            os.link(target, _folder / f"{os.getpid()}-{next(_names)}")
        except FileNotFoundError:
            pass  # a new file: nothing to retire
        except OSError:
            _folder = None  # no hard links here (or no folder any more): replace as it is
    os.replace(source, target)


def remove_later(folder: Path) -> Future[None]:
    """Delete `folder` in a background thread of this process (one at a time, in order)."""
    global _remover
    with _lock:
        if _remover is None:
            _remover = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kinerja-hapus")
        future = _remover.submit(shutil.rmtree, folder, ignore_errors=True)
        _pending.add(future)
    future.add_done_callback(_forget)
    return future


def _forget(future: Future[None]) -> None:
    with _lock:
        _pending.discard(future)


def wait_for_removals() -> None:
    """Return once every folder queued so far is deleted (for a listing of the output that must not see
    them: the tests)."""
    with _lock:
        pending = list(_pending)
    for future in pending:
        future.result()


def remove_left_behind(output_root: Path) -> list[Path]:
    """Queue the retired folders under `output_root` (a process killed before deleting its own, or one still
    deleting: harmless twice) for deletion in the background."""
    if not output_root.is_dir():
        return []
    left = sorted(p for p in output_root.glob(f"{PREFIX}*") if p.is_dir())
    for folder in left:
        remove_later(folder)
    return left
