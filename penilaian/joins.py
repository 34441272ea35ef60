"""Joins of whole tables whose key uniqueness is checked cheaply."""

from __future__ import annotations

import pandas as pd

_SIDES = {"1:1": (True, True), "1:m": (True, False), "m:1": (False, True), "m:m": (False, False)}


def merge_checked(
    left: pd.DataFrame, right: pd.DataFrame, *, on: str | list[str], how: str = "inner", validate: str,
) -> pd.DataFrame:
    """`left.merge(right, on=on, how=how, validate=validate)`, with the keys' uniqueness checked on the key
    columns themselves: pandas builds a MultiIndex of the keys for `validate` (7.4 s for 3.5M text indicator
    ids, where Series.is_unique takes 1.0 s). Raises pandas' MergeError, as `validate` does; a missing key
    counts as one value, as there."""
    left_unique, right_unique = _SIDES[validate]
    for side, frame, wanted in (("left", left, left_unique), ("right", right, right_unique)):
        if wanted and not _unique(frame, on):
            keys = frame.loc[frame.duplicated(on, keep=False), on].drop_duplicates().head(5)
            raise pd.errors.MergeError(
                f"Merge keys are not unique in {side} dataset; not a {_NAMES[validate]} merge\n\n"
                f"Duplicates in {side} (first 5):\n{keys.to_string(index=False)}")
    return left.merge(right, on=on, how=how)


_NAMES = {"1:1": "one-to-one", "1:m": "one-to-many", "m:1": "many-to-one", "m:m": "many-to-many"}


def _unique(frame: pd.DataFrame, on: str | list[str]) -> bool:
    if isinstance(on, str):
        return frame[on].is_unique
    return not frame.duplicated(on).any()
