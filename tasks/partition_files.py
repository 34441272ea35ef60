"""An instansi's partition on disk for its Dask worker: the flow sends a path and a checksum, not frames.

Pickling every partition into the task graph made the flow process hold each instansi's tables twice
(the partition beside the whole table, then its pickle: "Sending large graph of size 1.26 GiB" at 1M
employees) and stopped the 1M Dask cycle at 21.8 GiB. Now the flow builds one partition at a time,
writes it once to a file of its own under a folder made for this compute (`KINERJA_DASK_PARTISI_DIR`,
default the system temp folder; a remote cluster's workers must see it, e.g. a shared mount), hashes
it while writing, and drops it before building the next. The worker reads the file, checks the sha256
before unpickling (a stale or damaged file fails loudly instead of being scored), and computes. The
folder is removed once the partitions are combined, whatever happened.

Pickle keeps every frame exactly (dtypes, categories, index), which the byte-identical check of Dask
against the single process relies on; the files live only for the stage and only its own flow writes them.
"""

from __future__ import annotations

import hashlib
import pickle
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from contract.files import file_checksum
from kinerja.settings import get_settings

Frames = dict[str, pd.DataFrame]


@dataclass(frozen=True)
class PartitionFile:
    """Where one instansi's frames wait for their worker, and the sha256 they were written with."""

    kode_instansi: str
    path: str
    sha256: str
    baris: int  # rows over all its frames, for the task-run record

    def load(self) -> Frames:
        """The frames, after checking the file is the one written (hashed in blocks first, then
        unpickled from the file: the worker never holds the file's bytes and the frames at once)."""
        path = Path(self.path)
        if (found := file_checksum(path)) != self.sha256:
            raise RuntimeError(f"partisi {self.kode_instansi or 'tanpa-instansi'} di {path} berubah sejak "
                               f"ditulis / changed since written: sha256 {found} ≠ {self.sha256}")
        with path.open("rb") as file:  # the folder is mkdtemp's (0700): only this user could swap it
            return pickle.load(file)  # noqa: S301 - our own file, checked against its hash above


class _HashingWriter:
    """A binary file that hashes what goes through it (the file is written once and never re-read here)."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("wb")
        self.hash = hashlib.sha256()

    def write(self, data: bytes | memoryview) -> int:
        self.hash.update(data)
        return self._file.write(data)

    def close(self) -> None:
        self._file.close()


def write_partition(folder: Path, nomor: int, kode_instansi: str, frames: Frames) -> PartitionFile:
    """Write one partition (named by its position, so any kode is a safe file name)."""
    path = folder / f"partisi-{nomor:05d}.pkl"
    writer = _HashingWriter(path)
    try:
        pickle.dump(frames, writer, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        writer.close()
    return PartitionFile(kode_instansi, str(path), writer.hash.hexdigest(),
                         sum(len(frame) for frame in frames.values()))


@contextmanager
def partition_folder() -> Iterator[Path]:
    """A fresh folder for one compute's partitions, removed afterwards."""
    root = get_settings().dask_partisi_dir
    if root is not None:
        root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="kinerja-partisi-", dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def frames_of(frames: Frames | PartitionFile) -> Frames:
    """A compute task's input: the frames themselves (local run) or its partition's file (Dask)."""
    return frames.load() if isinstance(frames, PartitionFile) else frames
