"""Rounding and number format of the output contract, on hand-worked values (.5 cases and NaN)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from penilaian.numbers import clean, format_2, round_half_up


def test_clean_removes_float_noise_only():
    # 0.09 / 0.1 * 100 = 89.99999999999999 in binary floats; 0.1 + 0.2 = 0.30000000000000004.
    assert clean(0.09 / 0.1 * 100) == 90.0
    assert clean(0.1 + 0.2) == 0.3
    # A real difference in the 8th decimal stays.
    assert clean(89.99999999) == 89.99999999
    got = clean(np.array([1.0000000004, 2.5, np.nan]))
    assert got[:2].tolist() == [1.0, 2.5] and np.isnan(got[2])


def test_round_half_up_scalars():
    # .5 goes away from zero (not to even): 2.5 -> 3, 0.5 -> 1, -0.5 -> -1, 3.5 -> 4.
    assert [round_half_up(v, 0) for v in (2.5, 0.5, -0.5, 3.5)] == [3.0, 1.0, -1.0, 4.0]
    # 2 decimals: 4.445 -> 4.45, -0.125 -> -0.13, 1.234 -> 1.23, 1.236 -> 1.24.
    assert [round_half_up(v) for v in (4.445, -0.125, 1.234, 1.236)] == [4.45, -0.13, 1.23, 1.24]
    # 2.675 and 1.005 are 2.67499.. and 1.00499.. in binary floats; on paper they are .5 cases.
    assert round_half_up(2.675) == 2.68 and round_half_up(1.005) == 1.01
    assert isinstance(round_half_up(1.0), float)


def test_round_half_up_never_gives_negative_zero():
    # -0.001 -> 0.00, written "0.00" and not "-0.00".
    assert math.copysign(1.0, round_half_up(-0.001)) == 1.0


def test_round_half_up_keeps_nan_and_the_series_shape():
    s = pd.Series([0.125, np.nan, -2.345], index=[7, 8, 9], name="x")
    got = round_half_up(s)
    assert isinstance(got, pd.Series) and got.name == "x" and got.index.tolist() == [7, 8, 9]
    assert got[7] == 0.13 and np.isnan(got[8]) and got[9] == -2.35
    arr = round_half_up(np.array([0.005, 0.015]))
    assert isinstance(arr, np.ndarray) and arr.tolist() == [0.01, 0.02]


def test_format_2_text():
    s = pd.Series([2.675, -1.125, np.nan, 0.0, 3.0, -0.001, 100.005], index=list("abcdefg"), name="v")
    got = format_2(s)
    assert got.tolist() == ["2.68", "-1.13", "", "0.00", "3.00", "0.00", "100.01"]
    assert got.index.tolist() == list("abcdefg") and got.name == "v"


def test_format_2_of_an_empty_column():
    assert format_2(pd.Series([], dtype="float64")).empty
