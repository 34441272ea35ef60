"""The (stage, year) lock: a second holder is refused at once; the lock goes with its holder, even
when the holder is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kinerja.errors import StageRefused
from models.locks import lock_key, stage_lock

HOLD = """
import sys, time
from models.locks import stage_lock
with stage_lock("year-end", 2026, sys.argv[1]):
    print("held", flush=True)
    time.sleep(120)
"""


def test_a_held_lock_refuses_a_second_holder_until_released(db_url: str):
    with stage_lock("year-end", 2026, db_url):
        with pytest.raises(StageRefused, match="sedang dijalankan proses lain") as refused:
            with stage_lock("year-end", 2026, db_url):
                pass
        assert "already running elsewhere" in str(refused.value)
        with stage_lock("year-end", 2025, db_url), stage_lock("training", 2026, db_url):
            pass  # other stages and years are not blocked
    with stage_lock("year-end", 2026, db_url):
        pass


def test_the_lock_dies_with_a_killed_holder(db_url: str):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, db_url], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).resolve().parents[2], env={**os.environ, "PYTHONPATH": "."})
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StageRefused), stage_lock("year-end", 2026, db_url):
            pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(30)
    # PostgreSQL drops the session's locks once it notices the connection is gone: allow it a moment
    deadline = time.monotonic() + 10
    while True:
        try:
            with stage_lock("year-end", 2026, db_url):
                return
        except StageRefused:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_sqlite_lock_file_beside_the_database(tmp_path: Path):
    with stage_lock("mid-year", 2026, f"sqlite:///{tmp_path / 'kinerja.db'}"):
        assert (tmp_path / "kinerja.db.mid-year-2026.lock").exists()


def test_in_memory_sqlite_locks_in_the_temporary_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    with stage_lock("validation", 2026, "sqlite://"):
        assert (tmp_path / "kinerja.validation-2026.lock").exists()
        with pytest.raises(StageRefused), stage_lock("validation", 2026, "sqlite:///:memory:"):
            pass


def test_lock_key_is_a_stable_signed_64_bit_number_per_stage_and_year():
    keys = {lock_key(tahap, tahun) for tahap in ("year-end", "training") for tahun in (2025, 2026)}
    assert len(keys) == 4
    assert lock_key("year-end", 2026) == lock_key("year-end", 2026)
    assert all(-(2**63) <= key < 2**63 for key in keys)
