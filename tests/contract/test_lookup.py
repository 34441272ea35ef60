"""Whole-column lookups: positions, gathers, spreading per-distinct answers back to rows, membership."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from contract.lookup import index_in, isin, isin_text, spread, spread_text, text_at, value_at


def text(*values: str | None) -> pd.Series:
    return pd.Series(list(values), dtype="str")


def test_index_in_gives_the_first_occurrence_and_minus_one_for_absent_or_empty() -> None:
    reference = text("a", "b", "a", None)
    assert index_in(text("a", "b", "c", None), reference).tolist() == [0, 1, -1, -1]
    assert index_in(text("a"), text()).tolist() == [-1]
    assert isin(text("b", "z", None), reference).tolist() == [True, False, False]


def test_value_at_and_text_at_fill_where_absent() -> None:
    pos = np.array([2, -1, 0])
    assert value_at(np.array([10, 20, 30]), pos, -7).tolist() == [30, -7, 10]
    assert value_at(np.array([], dtype=bool), np.array([-1, -1]), True).tolist() == [True, True]
    taken = text_at(text("x", None, "z"), pos)
    assert taken.iloc[0] == "z" and pd.isna(taken.iloc[1]) and taken.iloc[2] == "x"
    assert taken.dtype == "str"


def test_spread_gives_each_row_its_distinct_value_and_empty_cells_the_fill() -> None:
    column = text("b", None, "a", "b")
    codes, uniques = pd.factorize(column)
    upper = pd.Series(uniques, dtype="str").str.upper()
    assert spread(np.array([True, False]), codes, False).tolist() == [True, False, False, True]
    spread_back = spread_text(upper, codes, pd.Index([5, 6, 7, 8]))
    assert spread_back.index.tolist() == [5, 6, 7, 8]
    assert spread_back.tolist()[0] == "B" and pd.isna(spread_back[6]) and spread_back[7] == "A"


@pytest.mark.parametrize("reference", [["a", None], ["a"], [], ("b", "c"), pd.Series(["a"], dtype="str")])
def test_isin_text_answers_as_pandas_isin(reference: object) -> None:
    values = text("a", "b", None, "c")
    assert isin_text(values, reference).tolist() == values.isin(reference).tolist()
