"""Fixtures of the task tests: a small demo input and a stage run opened on a fresh SQLite file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from prefect import flow

from contract.files import sha256_of_inputs
from kinerja.demo.generator import generate
from penilaian.ruleset import load_ruleset
from stages import registry
from stages.context import StageContext, ensure_schema
from stages.records import open_stage_run

TAHUN = 2026


@pytest.fixture(scope="module")
def demo_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tasks") / "input"
    generate(folder, pegawai=60, tahun=TAHUN, seed=3, bad_rows=True)
    return folder


@pytest.fixture
def open_run(tmp_path: Path) -> Callable[..., StageContext]:
    """Open a stage-run record for `tahap` on this test's database, as `begin` does (without Prefect)."""

    def open_(tahap: str, input_dir: Path) -> StageContext:
        rules = load_ruleset(None)
        ctx = StageContext(tahap=tahap, tahun=TAHUN, input_dir=input_dir, output_root=tmp_path / "out",
                           db_url=f"sqlite:///{tmp_path / 'k.db'}", ruleset_name=rules.nama)
        ctx.checksums = sha256_of_inputs(input_dir, registry.get(tahap).inputs)
        ensure_schema(ctx.db_url, ctx.cache)
        return open_stage_run(ctx, rules.label, rules.checksum)

    return open_


@pytest.fixture
def in_flow(prefect_harness: None) -> Callable[[Callable[[], Any]], Any]:
    """Call tasks inside a real flow run, as the stage flows do (their logs and artifacts belong to it)."""

    def run(call: Callable[[], Any]) -> Any:
        @flow(name="uji-tugas")
        def test_flow() -> Any:
            return call()

        return test_flow()

    return run
