"""Reading a stage's files: the stage's own files only, bad rows to quarantine with the stage's name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from contract.karantina import KARANTINA_COLUMNS
from stages import registry
from stages.context import StageContext
from tasks.inputs import load_inputs


def _data_rows(path: Path) -> int:
    return len(pd.read_csv(path, dtype=str))


def test_the_stage_reads_its_own_files_and_quarantines_bad_rows(
    in_flow: Callable, demo_input: Path, open_run: Callable[..., StageContext]
) -> None:
    ctx = open_run("plan-collection", demo_input)
    inputs = in_flow(lambda: load_inputs(ctx))

    assert set(inputs.counts()) == set(registry.get("plan-collection").inputs)
    assert inputs.counts() == {name: _data_rows(demo_input / f"{name}.csv") for name in inputs.counts()}
    assert list(inputs.karantina.columns) == list(KARANTINA_COLUMNS)
    assert len(inputs.karantina) and set(inputs.karantina["tahap"]) == {"plan-collection"}
    bad = inputs.karantina.loc[inputs.karantina["berkas"] == "pegawai.csv", "baris"].nunique()
    assert len(inputs.frames["pegawai"]) == inputs.counts()["pegawai"] - bad


def test_optional_files_are_read_when_the_stage_takes_them(
    in_flow: Callable, demo_input: Path, open_run: Callable[..., StageContext]
) -> None:
    ctx = open_run("validation", demo_input)
    inputs = in_flow(lambda: load_inputs(ctx))
    assert {"realisasi", "perilaku", "katalog_pelatihan"} <= set(inputs.counts())
