"""Fixtures of the flow tests: the demo input every stage flow test runs on (generated once per worker)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kinerja.demo.generator import generate
from tests.flows.stage_calls import TAHUN


@pytest.fixture(scope="session")
def demo_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """160 employees with deliberate bad rows; tests copy it before changing a file."""
    folder = tmp_path_factory.mktemp("demo") / "input"
    generate(folder, pegawai=160, tahun=TAHUN, seed=11, bad_rows=True)
    return folder
