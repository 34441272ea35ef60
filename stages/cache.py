"""What one process keeps between the stages it runs: one explicit object, handed through the stage context.

A `kinerja cycle` runs six stages in one process; they read the same files, validate them with
mostly the same suites and training builds on the year-end result. Each of those is computed once
per process and kept here — never in module globals: each file's checked rows (clean frame, quarantine
and warnings) as the latest stage's value rules left them, under what they depend on
(contract.checked_inputs; `KINERJA_CACHE_PERIKSA`, only the latest stage's files stay); the reader's
parsed files within `KINERJA_CACHE_BACA_MAKS_MB` when that cache is off (only the files of the latest
read stay); GX suite results for the latest 32 (file bytes, suite) pairs, the GX context with its
validation definitions, the latest year-end result, and the database URLs whose schema was migrated
by this process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

SUITE_RESULTS_MAX = 32


@dataclass
class ProcessCache:
    """The per-process cache. Each section is owned by one module, which alone decides what a hit is."""

    read_budget_bytes: int
    keep_checked: bool = False  # keep each file's checked rows for the next stage (contract.checked_inputs)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    readings: dict[Hashable, Any] = field(default_factory=dict, repr=False)  # contract.reader
    checked: dict[Hashable, Any] = field(default_factory=dict, repr=False)  # contract.checked_inputs
    suite_results: dict[Hashable, Any] = field(default_factory=dict, repr=False)  # expectations
    suite_fingerprints: dict[str, str] = field(default_factory=dict, repr=False)  # expectations
    gx: dict[str, Any] = field(default_factory=dict, repr=False)  # expectations: context, definitions
    year_end: dict[Hashable, Any] = field(default_factory=dict, repr=False)  # the latest year-end result
    migrated: set[str] = field(default_factory=set, repr=False)  # database URLs migrated here

    # ---------------------------------------------------------------- parsed input files

    def take_readings(self, keys: Mapping[str, Hashable]) -> dict[str, Any]:
        """The cached readings of these keys by sheet; every other entry (other files, older bytes) is
        dropped first, so it is not held while the caller reads."""
        with self.lock:
            wanted = set(keys.values())
            for key in [k for k in self.readings if k not in wanted]:
                del self.readings[key]
            return {sheet: self.readings[key] for sheet, key in keys.items() if key in self.readings}

    def keep_readings(self, readings: Mapping[Hashable, Any], size: Callable[[Any], int]) -> None:
        """Make these readings the cache, in the caller's file order, as far as they fit the budget
        (0 turns the cache off; a file that does not fit is not kept)."""
        budget = self.read_budget_bytes
        keep = {}
        for key, reading in readings.items():
            if size(reading) <= budget:
                keep[key] = reading
                budget -= size(reading)
        with self.lock:
            self.readings.clear()
            self.readings.update(keep)

    # ---------------------------------------------------------------- checked input files

    def checked_files(self) -> dict[Hashable, Any]:
        """The checked files kept by the latest stage, by key (a copy of the mapping)."""
        with self.lock:
            return dict(self.checked)

    def keep_checked_files(self, entries: Mapping[Hashable, Any]) -> None:
        """Make these checked files the cache: every other entry is dropped (call it with the hits
        before reading the rest, so what the stage does not use is not held while it reads)."""
        with self.lock:
            self.checked.clear()
            self.checked.update(entries)

    # ---------------------------------------------------------------- gate results

    def suite_result(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The result of an identical earlier validation, else `compute()` kept for next time (the
        oldest of SUITE_RESULTS_MAX is dropped)."""
        found = self.suite_results.get(key)
        if found is None:
            found = compute()
            while len(self.suite_results) >= SUITE_RESULTS_MAX:
                self.suite_results.pop(next(iter(self.suite_results)))
            self.suite_results[key] = found
        return found

    # ---------------------------------------------------------------- year-end result

    def remember_year_end(self, key: Hashable, result: Any) -> None:
        """Keep only the latest year-end result, under what it was scored from."""
        self.year_end.clear()
        self.year_end[key] = result

    def recall_year_end(self, key: Hashable) -> Any | None:
        return self.year_end.get(key)


_PROCESS: ProcessCache | None = None
_CREATE = threading.Lock()


def process_cache() -> ProcessCache:
    """The cache of this process, created on first use with the budget from the settings."""
    global _PROCESS
    with _CREATE:
        if _PROCESS is None:
            from kinerja.settings import get_settings

            settings = get_settings()
            _PROCESS = ProcessCache(read_budget_bytes=int(settings.cache_baca_maks_mb * 2**20),
                                    keep_checked=settings.cache_periksa)
        return _PROCESS


def reset_process_cache() -> None:
    """Forget everything (tests, and a settings change within one process)."""
    global _PROCESS
    with _CREATE:
        _PROCESS = None


def release_unused_memory() -> None:
    """Hand the memory that freed frames left in the allocators back to the operating system.

    Arrow keeps what it freed in its mimalloc pool and glibc keeps freed heap pages, and neither can
    reuse the other's: measured at 1,000,000 employees, the process held 5.9 GiB after validation, of
    which 3.2 GiB were freed pages (2.7 GiB after releasing them) — and the next stage's numpy
    allocations stacked on top. Called where a large amount was just dropped (the raw text frames
    after the gate, the previous stage's frames when a stage begins, a write's row batches); about 1 ms. No
    gc.collect(): frames are freed by reference counting as they are dropped, and a full collection
    over Prefect's and GX's objects costs 0.15–0.5 s each time (it doubled the test suite's cycles).
    """
    import ctypes

    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim
        pass
