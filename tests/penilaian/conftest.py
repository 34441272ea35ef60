"""Fixtures shared by the domain-rule tests."""

from __future__ import annotations

import pytest

from penilaian.ruleset import Ruleset, load_ruleset


@pytest.fixture(scope="session")
def ruleset() -> Ruleset:
    """The default ruleset (PermenPAN-RB 6/2022), as shipped."""
    return load_ruleset()
