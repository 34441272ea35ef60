"""The compute tasks are thin: each gives what the plain penilaian functions it wraps give, on the same
frames, and leaves those frames as they were (the flow goes on to write and report from them)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import pandas as pd
import pytest

from penilaian.keberatan import review_objections
from penilaian.monitoring import monitor_mid_year
from penilaian.ruleset import Ruleset, load_ruleset
from penilaian.training import recommend_trainings
from penilaian.year_end import score_year_end
from tasks.compute import monitor, recommend, score, score_and_recommend
from tests.tasks.checked_frames import TAHUN, checked_frames


@pytest.fixture(scope="module")
def rules() -> Ruleset:
    return load_ruleset(None)


@pytest.fixture(scope="module")
def training_frames(demo_input: Path) -> dict[str, pd.DataFrame]:
    return checked_frames(demo_input, "training")


def assert_same_result(actual: object, expected: object) -> None:
    """Two stage results (dataclasses of frames and labels) hold the same values, field by field."""
    assert type(actual) is type(expected)
    for field in fields(expected):
        mine, theirs = getattr(actual, field.name), getattr(expected, field.name)
        if isinstance(theirs, pd.DataFrame):
            pd.testing.assert_frame_equal(mine, theirs, obj=field.name)
        else:
            assert mine == theirs, field.name


def assert_unchanged(frames: dict[str, pd.DataFrame], before: dict[str, pd.DataFrame]) -> None:
    assert frames.keys() == before.keys()
    for name, frame in before.items():
        pd.testing.assert_frame_equal(frames[name], frame, obj=name)


def test_monitor_gives_the_mid_year_monitoring_of_the_frames(
    in_flow: Callable, demo_input: Path, rules: Ruleset
) -> None:
    frames = checked_frames(demo_input, "mid-year")
    before = copy.deepcopy(frames)

    result = in_flow(lambda: monitor(frames, rules, TAHUN))

    assert len(result.pemantauan) > 0 and len(result.ikm) > 0
    assert_same_result(result, monitor_mid_year(before, rules, TAHUN))
    assert_unchanged(frames, before)


def test_score_gives_the_year_end_scoring_of_the_frames(
    in_flow: Callable, demo_input: Path, rules: Ruleset
) -> None:
    frames = checked_frames(demo_input, "year-end")
    before = copy.deepcopy(frames)

    result = in_flow(lambda: score(frames, rules, TAHUN))

    assert len(result.hasil) > 0 and result.ruleset_label == rules.label
    assert_same_result(result, score_year_end(before, rules, TAHUN))
    assert_unchanged(frames, before)


def test_score_and_recommend_gives_the_year_end_result_and_the_trainings_built_on_it(
    in_flow: Callable, training_frames: dict[str, pd.DataFrame], rules: Ruleset
) -> None:
    before = copy.deepcopy(training_frames)

    year_end, training = in_flow(lambda: score_and_recommend(training_frames, rules, TAHUN))

    expected_year_end = score_year_end(before, rules, TAHUN)
    assert_same_result(year_end, expected_year_end)
    assert len(training.rekomendasi) > 0
    standing = review_objections(before, expected_year_end, rules, TAHUN)
    assert_same_result(training, recommend_trainings(expected_year_end, before, rules, TAHUN, standing))
    # the demo's accepted objections change who is a reward candidate: the review is not a no-op here
    assert set(training.penghargaan["nip"]) != set(
        recommend_trainings(expected_year_end, before, rules, TAHUN).penghargaan["nip"])
    assert_unchanged(training_frames, before)


def test_recommend_from_a_year_end_result_equals_score_and_recommend(
    in_flow: Callable, training_frames: dict[str, pd.DataFrame], rules: Ruleset
) -> None:
    year_end = score_year_end(training_frames, rules, TAHUN)
    before = copy.deepcopy(year_end)

    def both() -> tuple:
        standing = review_objections(training_frames, year_end, rules, TAHUN)
        return (recommend(training_frames, rules, TAHUN, year_end, standing),
                score_and_recommend(training_frames, rules, TAHUN))

    reused, (_, recomputed) = in_flow(both)

    assert_same_result(reused, recomputed)
    assert_same_result(year_end, before)  # the result it was given is left as it was


def test_recommend_builds_on_the_year_end_result_it_is_given(
    in_flow: Callable, training_frames: dict[str, pd.DataFrame], rules: Ruleset
) -> None:
    scored = score_year_end(training_frames, rules, TAHUN)
    everyone_best = scored.shallow_copy()
    everyone_best.hasil = everyone_best.hasil.assign(predikat_final="Sangat Baik")

    result = in_flow(lambda: recommend(training_frames, rules, TAHUN, everyone_best, None))

    assert set(result.penghargaan["nip"]) == set(scored.hasil["nip"])
    assert result.tindak_lanjut.empty
    assert set(scored.hasil["predikat_final"]) != {"Sangat Baik"}, "the real result differs"


def test_recommend_goes_by_the_predikat_that_stands_after_the_objections(
    in_flow: Callable, training_frames: dict[str, pd.DataFrame], rules: Ruleset
) -> None:
    everyone_best = score_year_end(training_frames, rules, TAHUN)
    everyone_best.hasil = everyone_best.hasil.assign(predikat_final="Sangat Baik")
    standing = review_objections(training_frames, everyone_best, rules, TAHUN)
    lowered = standing.akhir.loc[standing.akhir["predikat_ditetapkan"] != "Sangat Baik", "nip"]
    assert len(lowered) > 0, "the demo accepts objections that set other ratings"

    result = in_flow(lambda: recommend(training_frames, rules, TAHUN, everyone_best, standing))

    assert set(result.penghargaan["nip"]) == set(everyone_best.hasil["nip"]) - set(lowered)
    assert (result.penghargaan["predikat_ditetapkan"] == "Sangat Baik").all()
