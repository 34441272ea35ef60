"""Text inside reasons: decimal comma numbers and per-group joins, on hand-worked values."""

from __future__ import annotations

import numpy as np
import pandas as pd

from penilaian.text import decimal_comma, decimal_comma_value, join_text


def test_join_text_joins_in_row_order_per_group():
    tabel = pd.DataFrame({"k": ["b", "a", "b", "c", "b", "a"], "t": ["1", "2", "3", "4", "5", "6"]})
    assert join_text(tabel, ["k"], "t").values.tolist() == [["b", "1; 3; 5"], ["a", "2; 6"],
                                                            ["c", "4"]]


def test_join_text_with_two_keys_and_another_separator():
    tabel = pd.DataFrame({"a": ["x", "x", "y", "x"], "b": [1, 2, 1, 1], "t": ["p", "q", "r", "s"]})
    # groups by first appearance: (x,1) rows p and s; (x,2) row q; (y,1) row r.
    assert join_text(tabel, ["a", "b"], "t", " | ").values.tolist() == [
        ["x", 1, "p | s"], ["x", 2, "q"], ["y", 1, "r"]]


def test_join_text_of_an_empty_table():
    tabel = pd.DataFrame({"k": pd.Series(dtype="str"), "t": pd.Series(dtype="str")})
    assert join_text(tabel, ["k"], "t").empty


def test_decimal_comma_half_up_two_decimals():
    # 2.5 -> "2,50"; 2.675 (2.67499.. in binary) -> "2,68" half-up; 0.125 -> "0,13"; NaN -> "".
    got = decimal_comma(pd.Series([2.5, 2.675, 0.125, np.nan, 1234.5])).tolist()
    assert got == ["2,50", "2,68", "0,13", "", "1234,50"]


def test_decimal_comma_trim_zeros():
    # 8.00 -> "8", 8.50 -> "8,5", 20.25 -> "20,25", 10.00 -> "10" (the zero before the point stays).
    got = decimal_comma(pd.Series([8.0, 8.5, 20.25, 10.0]), trim_zeros=True).tolist()
    assert got == ["8", "8,5", "20,25", "10"]


def test_decimal_comma_value():
    assert decimal_comma_value(3.0) == "3,00"
    assert decimal_comma_value(90.0, True) == "90"
    assert decimal_comma_value(0.005) == "0,01"
