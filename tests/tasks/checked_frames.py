"""A stage's checked input frames straight from the contract's plain functions (no Prefect, no database)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from contract.reader import read_inputs
from contract.values import check_values
from stages import registry

TAHUN = 2026


def checked_frames(input_dir: Path, tahap: str, tahun: int = TAHUN) -> dict[str, pd.DataFrame]:
    """What the stage `tahap` computes on: its files read and every value rule applied."""
    stage = registry.get(tahap)
    raw, _ = read_inputs(input_dir, stage.required, stage.optional)
    frames, _, _ = check_values(raw, tahun, tahap)
    return frames
