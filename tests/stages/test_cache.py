"""ProcessCache: the hit rules and memory bounds of the per-process cache, and its one instance."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kinerja.settings import get_settings
from stages.cache import SUITE_RESULTS_MAX, ProcessCache, process_cache, reset_process_cache


def _size(reading: bytes) -> int:
    return len(reading)


# ---------------------------------------------------------------- parsed input files


def test_take_readings_returns_the_asked_keys_by_sheet_and_drops_the_rest() -> None:
    cache = ProcessCache(read_budget_bytes=100)
    cache.readings.update({("pegawai", "h1"): b"p", ("skp", "h1"): b"s", ("skp", "h0"): b"old"})

    got = cache.take_readings({"pegawai": ("pegawai", "h1"), "realisasi": ("realisasi", "h1")})

    assert got == {"pegawai": b"p"}  # realisasi was never cached
    assert cache.readings == {("pegawai", "h1"): b"p"}  # skp (any bytes) is not held any longer


def test_take_readings_of_nothing_empties_the_cache() -> None:
    cache = ProcessCache(read_budget_bytes=100)
    cache.readings["a"] = b"x"
    assert cache.take_readings({}) == {}
    assert cache.readings == {}


def test_keep_readings_keeps_in_order_within_the_budget() -> None:
    cache = ProcessCache(read_budget_bytes=10)
    cache.readings["stale"] = b"old"

    cache.keep_readings({"a": b"1234", "b": b"12345", "c": b"12", "d": b"1"}, _size)

    # a (4) + b (5) = 9 fit; c (2) would exceed 10 and is skipped; d (1) still fits
    assert list(cache.readings) == ["a", "b", "d"]


def test_keep_readings_skips_a_reading_larger_than_the_budget() -> None:
    cache = ProcessCache(read_budget_bytes=5)
    cache.keep_readings({"big": b"123456", "small": b"12345"}, _size)
    assert list(cache.readings) == ["small"]


def test_keep_readings_with_budget_zero_keeps_nothing() -> None:
    cache = ProcessCache(read_budget_bytes=0)
    cache.readings["stale"] = b"old"
    cache.keep_readings({"a": b"1", "b": b"22"}, _size)
    assert cache.readings == {}


# ---------------------------------------------------------------- gate results


def test_suite_result_computes_once_per_key() -> None:
    cache = ProcessCache(read_budget_bytes=0)
    calls: list[str] = []

    def compute(key: str):
        def run() -> str:
            calls.append(key)
            return f"hasil {key}"
        return run

    assert cache.suite_result("a", compute("a")) == "hasil a"
    assert cache.suite_result("a", compute("a")) == "hasil a"
    assert cache.suite_result("b", compute("b")) == "hasil b"
    assert calls == ["a", "b"]


def test_suite_result_evicts_the_oldest_beyond_the_bound() -> None:
    assert SUITE_RESULTS_MAX == 32
    cache = ProcessCache(read_budget_bytes=0)
    calls: list[int] = []

    def compute(i: int):
        return lambda: calls.append(i) or i

    for i in range(SUITE_RESULTS_MAX + 1):
        cache.suite_result(i, compute(i))
    assert len(cache.suite_results) == SUITE_RESULTS_MAX
    assert list(cache.suite_results) == list(range(1, SUITE_RESULTS_MAX + 1))

    calls.clear()
    cache.suite_result(SUITE_RESULTS_MAX, compute(SUITE_RESULTS_MAX))  # still held
    cache.suite_result(0, compute(0))  # was evicted: computed again
    assert calls == [0]


# ---------------------------------------------------------------- year-end result


def test_year_end_keeps_only_the_latest() -> None:
    cache = ProcessCache(read_budget_bytes=0)
    cache.remember_year_end(("2025", "k1"), "hasil 2025")
    cache.remember_year_end(("2026", "k2"), "hasil 2026")
    assert cache.recall_year_end(("2026", "k2")) == "hasil 2026"
    assert cache.recall_year_end(("2025", "k1")) is None
    assert len(cache.year_end) == 1


# ---------------------------------------------------------------- the process's instance


@pytest.fixture
def fresh_process_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No process cache before the test, and none left behind with the test's settings."""
    monkeypatch.setenv("KINERJA_CACHE_BACA_MAKS_MB", "3")
    get_settings.cache_clear()
    reset_process_cache()
    yield
    reset_process_cache()
    get_settings.cache_clear()


@pytest.mark.usefixtures("fresh_process_cache")
def test_process_cache_is_one_instance_until_reset() -> None:
    first = process_cache()
    assert process_cache() is first
    assert first.read_budget_bytes == 3 * 2**20  # from KINERJA_CACHE_BACA_MAKS_MB
    first.migrated.add("sqlite:///x.db")

    reset_process_cache()

    second = process_cache()
    assert second is not first and second.migrated == set()
    assert process_cache() is second
