"""Vectorised value parsers for the value rules: text columns into numbers, dates, digits and the
canonical spelling of enumerations, in Arrow and numpy (no Python object per value)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from contract.arrow_text import buffer_bytes
from contract.lookup import as_arrow, as_bool, spread, spread_text

_NUMBER = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"
_TAG = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def matches(values: pd.Series, pattern: str) -> np.ndarray:
    """Whole-value regex match; empty cells do not match."""
    return as_bool(pc.match_substring_regex(as_arrow(values), pattern))


def to_float(values: pd.Series) -> np.ndarray:
    """Parse decimal text ('.' as point) into float64; anything that is not a plain number is NaN.

    Arrow's cast accepts exactly the finite numbers `_NUMBER` does, plus spellings of nan and inf;
    so when every cell casts to a finite number (or is empty) the cast alone is the answer, without
    running the regex over millions of cells. Otherwise the regex decides.
    """
    arr = as_arrow(values)
    try:
        number = pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:
        number = None
    if number is not None and (np.isfinite(number) | values.isna().to_numpy()).all():
        return number
    ok = pc.fill_null(pc.match_substring_regex(arr, _NUMBER), False)
    parsed = pc.cast(pc.if_else(ok, arr, "nan"), pa.float64())
    return parsed.to_numpy(zero_copy_only=False)


def is_integral(number: np.ndarray) -> np.ndarray:
    """Finite whole numbers ("4.0" counts as 4)."""
    return np.isfinite(number) & (np.floor(number) == number)


def real_date(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Is (year, month, day) a date on the calendar? Proleptic Gregorian, years 1-9999."""
    days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    month_ok = (month >= 1) & (month <= 12)
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    last = days[np.where(month_ok, month, 0)] + ((month == 2) & leap)
    return (year >= 1) & month_ok & (day >= 1) & (day <= last)


def digit_matrix(values: pd.Series, width: int) -> np.ndarray:
    """Strings of exactly `width` ASCII digits -> (n, width) int matrix.

    Such strings lie back to back in Arrow's data buffer, so the matrix is a view of those bytes
    (no Python string per value).
    """
    raw = np.frombuffer(buffer_bytes(pa.array(values, type=pa.large_string(), from_pandas=True)), np.uint8)
    return (raw.reshape(-1, width) - 48).astype(np.int64)


def number_of(digits: np.ndarray, start: int, stop: int) -> np.ndarray:
    """The number written by digits `start`..`stop` (exclusive) of each row of a digit matrix."""
    weights = 10 ** np.arange(stop - start - 1, -1, -1, dtype=np.int64)
    return digits[:, start:stop] @ weights


def enum_key(values: pd.Series) -> pd.Series:
    """Case- and separator-insensitive key for enumerations: 'Butuh  Perbaikan' -> 'butuh_perbaikan'."""
    lower = pc.utf8_lower(as_arrow(values))
    return pd.Series(pc.replace_substring_regex(lower, r"[\s_\-]+", "_").to_pandas(),
                     index=values.index, dtype="str")


def canonical_enum(
    codes: np.ndarray, uniques: pd.Series, allowed: tuple[str, ...], index: pd.Index
) -> tuple[pd.Series, np.ndarray]:
    """Canonical spelling of an enumerated column (given factorized) and the mask of filled cells
    that are not allowed."""
    canon = {enum_key(pd.Series([a]))[0]: a for a in allowed}
    mapped = enum_key(uniques).map(canon)
    return spread_text(mapped, codes, index), spread(mapped.isna().to_numpy(), codes, False)


def canonical_kompetensi(
    codes: np.ndarray, uniques: pd.Series, index: pd.Index
) -> tuple[pd.Series, np.ndarray]:
    """Lower-cased kompetensi (given factorized) and the mask of filled cells that are neither
    BerAKHLAK nor a tag."""
    normal = enum_key(uniques)
    ok = matches(normal, _TAG.pattern)
    return spread_text(normal, codes, index), spread(~ok, codes, False)
