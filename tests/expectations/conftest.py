"""One process cache (GX context, validation definitions) shared by the expectations tests."""

from __future__ import annotations

import pytest

from stages.cache import ProcessCache


@pytest.fixture(scope="session")
def cache() -> ProcessCache:
    """As a process keeps it: tests that want their own results or context make a fresh one."""
    return ProcessCache(read_budget_bytes=0)
