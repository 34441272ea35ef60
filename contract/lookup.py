"""Whole-column lookups for the value rules, as Arrow hash lookups and numpy gathers (no loop over rows).

Rules work on a column's distinct values (`pd.factorize`: row codes and uniques, code -1 for an empty
cell) and spread the answer back to the rows; references to another file are found by position.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def as_arrow(values: pd.Series) -> pa.Array:
    """A column as an Arrow string array (empty cells null)."""
    return pa.array(values.astype("str"), from_pandas=True)


def is_category(values: object) -> bool:
    """Is this a dictionary-encoded text column (FileSpec.kategori)?"""
    return isinstance(getattr(values, "dtype", None), pd.CategoricalDtype)


def distinct_text(values: object) -> object:
    """A lookup reference without repeats worth expanding: a category column becomes the categories its
    rows use (plus NA if a row is empty) instead of millions of text cells; anything else is returned
    as it is."""
    if not is_category(values):
        return values
    values = pd.Series(values, copy=False)  # a Categorical (from .unique()) too
    codes = np.asarray(values.cat.codes)
    used = np.bincount(codes[codes >= 0], minlength=len(values.cat.categories)) > 0
    found = pd.Series(values.cat.categories[used], dtype="str")
    return pd.concat([found, pd.Series([pd.NA], dtype="str")]) if (codes < 0).any() else found


def per_value(values: pd.Series, compute: Callable[[pd.Series], object], fill: object) -> np.ndarray:
    """`compute` (a text column -> one answer per row) of each row as numpy; on a category column it runs
    once on the distinct texts and is spread back by the codes (`fill` where the cell is empty)."""
    if not is_category(values):
        return np.asarray(compute(values))
    answer = np.asarray(compute(pd.Series(values.cat.categories, dtype="str")))
    return spread(answer, np.asarray(values.cat.codes), fill)


def as_bool(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """An Arrow boolean array as numpy; null is False."""
    return pc.fill_null(values, False).to_numpy(zero_copy_only=False)


def spread(per_unique: np.ndarray, codes: np.ndarray, fill: object) -> np.ndarray:
    """Spread values computed on factorize uniques back to rows; code -1 (empty cell) gets `fill`."""
    return np.append(per_unique, np.array([fill], dtype=per_unique.dtype))[codes]


def spread_text(per_unique: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """Text computed on factorize uniques spread back to the rows (code -1 -> NA), in one Arrow take."""
    taken = pc.take(pa.array(per_unique, type=pa.large_string(), from_pandas=True),
                    pa.array(codes, mask=codes < 0))
    return pd.Series(pd.array(taken, dtype="str"), index=index)


def index_in(values: pd.Series, reference: pd.Series) -> np.ndarray:
    """Row position in `reference` of each value's first occurrence; -1 when absent or empty."""
    if is_category(values):
        return per_value(values, lambda texts: index_in(texts, reference), -1)
    found = pc.index_in(
        as_arrow(values), options=pc.SetLookupOptions(as_arrow(reference), skip_nulls=True)
    )
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def value_at(values: np.ndarray, pos: np.ndarray, fill: object) -> np.ndarray:
    """`values` at positions `pos`, `fill` where pos is -1 (also when `values` is empty)."""
    out = np.full(len(pos), fill, dtype=values.dtype)
    found = pos >= 0
    out[found] = values[pos[found]]
    return out


def text_at(column: pd.Series, pos: np.ndarray) -> pd.Series:
    """`column` at positions `pos` (NA where pos is -1), as text."""
    taken = pc.take(as_arrow(column), pa.array(pos, mask=pos < 0))
    return pd.Series(taken.to_pandas(), dtype="str")


def isin(values: pd.Series, reference: pd.Series) -> np.ndarray:
    """Is each (filled) value somewhere in `reference`? Hash lookup in Arrow, fast on millions."""
    return index_in(values, reference) >= 0


def isin_text(values: pd.Series, reference: object) -> np.ndarray:
    """`values.isin(reference)` for text columns as one Arrow hash lookup (NA matches NA, as in pandas).

    pandas 3 builds the lookup set of a `str` column's isin with a Python loop over `reference`
    (seconds per million values); this is the same answer without it.
    """
    reference = distinct_text(reference)
    if is_category(values):
        has_na = bool(pd.Series(reference, dtype="str").isna().any())
        return per_value(values, lambda texts: isin_text(texts, reference), has_na)
    value_set = pa.array(pd.Series(reference, dtype="str"), from_pandas=True)
    found = pc.is_in(as_arrow(values), value_set=value_set, skip_nulls=False)
    return as_bool(found)
