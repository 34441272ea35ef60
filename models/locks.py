"""One run per stage and year at a time: the second trigger is refused with a clear message.

The lock dies with its holder (even on SIGKILL), so a crashed run never blocks the next one:
on SQLite an exclusive `flock` on a file beside the database, on PostgreSQL a session-level
advisory lock on a connection held for the stage's duration.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from kinerja.errors import StageRefused
from models.db import get_engine


def _busy(tahap: str, tahun: int) -> StageRefused:
    return StageRefused(
        f"tahap {tahap} {tahun} sedang dijalankan proses lain; tunggu sampai selesai lalu ulangi / "
        f"stage {tahap} {tahun} is already running elsewhere; wait for it to finish and retry"
    )


def lock_key(tahap: str, tahun: int) -> int:
    """A stable signed 64-bit key for PostgreSQL advisory locks."""
    digest = hashlib.sha256(f"kinerja:{tahap}:{tahun}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def stage_lock(tahap: str, tahun: int, db_url: str) -> Iterator[None]:
    """Hold the (stage, year) lock for the duration of the block, or refuse at once."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        database = url.database if url.database and url.database != ":memory:" else None
        folder = Path(database).parent if database else Path(os.environ.get("TMPDIR", "/tmp"))
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{Path(database).name if database else 'kinerja'}.{tahap}-{tahun}.lock"
        with (folder / name).open("a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise _busy(tahap, tahun) from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    engine = get_engine(db_url)
    key = lock_key(tahap, tahun)
    with engine.connect() as conn:
        if not conn.exec_driver_sql(f"select pg_try_advisory_lock({key})").scalar():
            raise _busy(tahap, tahun)
        conn.commit()
        try:
            yield
        finally:
            conn.exec_driver_sql(f"select pg_advisory_unlock({key})")
            conn.commit()
