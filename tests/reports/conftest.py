"""The small fake results every report test renders from (built once per module)."""

from __future__ import annotations

import pytest

from tests.reports.fakes import make_frames, make_mid_year, make_training, make_year_end


@pytest.fixture(scope="module")
def data():
    """frames, year-end result, training result, mid-year result."""
    frames = make_frames(6)
    year_end = make_year_end(frames)
    return frames, year_end, make_training(year_end), make_mid_year(frames)
