"""merge_checked gives pandas' merge and refuses what pandas' `validate` refuses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from penilaian.joins import merge_checked


def _frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    left = pd.DataFrame({"id": pd.Series(["b", "a", "c", "a", None], dtype="str"), "x": range(5)})
    right = pd.DataFrame({"id": pd.Series(["a", "b", "d", None], dtype="str"), "y": [1.0, 2.0, 3.0, 4.0]})
    return left, right


@pytest.mark.parametrize("how", ["left", "inner"])
def test_the_same_rows_as_pandas_merge(how: str) -> None:
    left, right = _frames()
    got = merge_checked(left, right, on="id", how=how, validate="m:1")
    pd.testing.assert_frame_equal(got, left.merge(right, on="id", how=how, validate="m:1"))


@pytest.mark.parametrize(("validate", "left_keys", "right_keys"), [
    ("m:1", ["a", "b"], ["a", "a"]),
    ("1:1", ["a", "a"], ["a", "b"]),
    ("1:1", ["a", "b"], ["b", "b"]),
    ("1:m", ["a", "a"], ["a", "b"]),
    ("m:1", ["a", "b"], [None, None]),  # two missing keys are one repeated value, as in pandas
])
def test_repeated_keys_refused_where_pandas_refuses_them(
    validate: str, left_keys: list, right_keys: list
) -> None:
    left = pd.DataFrame({"id": pd.Series(left_keys, dtype="str"), "x": [1, 2]})
    right = pd.DataFrame({"id": pd.Series(right_keys, dtype="str"), "y": [1, 2]})
    with pytest.raises(pd.errors.MergeError) as pandas_says:
        left.merge(right, on="id", how="left", validate=validate)
    with pytest.raises(pd.errors.MergeError, match="not unique") as ours:
        merge_checked(left, right, on="id", how="left", validate=validate)
    assert str(ours.value).splitlines()[0] == str(pandas_says.value).splitlines()[0]
    assert f"Duplicates in {'left' if validate.startswith('1') and len(set(left_keys)) < 2 else 'right'}" \
        in str(ours.value)


def test_several_key_columns() -> None:
    left = pd.DataFrame({"a": [1, 1, 2], "b": ["x", "y", "x"], "v": np.arange(3)})
    right = pd.DataFrame({"a": [1, 1], "b": ["x", "y"], "w": [10, 20]})
    got = merge_checked(left, right, on=["a", "b"], how="left", validate="1:1")
    pd.testing.assert_frame_equal(got, left.merge(right, on=["a", "b"], how="left"))
    twice = pd.concat([right, right.iloc[:1]])
    with pytest.raises(pd.errors.MergeError):
        merge_checked(left, twice, on=["a", "b"], how="left", validate="m:1")
