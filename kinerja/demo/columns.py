"""Text columns built with pyarrow compute from numpy codes and numbers, without Python loops."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def pick(choices: Sequence[str], idx: np.ndarray) -> pa.Array:
    """Take strings from a small vocabulary by integer codes."""
    return pa.array(list(choices), pa.string()).take(pa.array(np.asarray(idx, dtype=np.int64)))


def concat(*parts: pa.Array | str) -> pa.Array:
    """Concatenate string arrays/scalars element-wise."""
    return pc.binary_join_element_wise(*parts, "")


def integer_text(values: np.ndarray, width: int = 0) -> pa.Array:
    """Integers as strings, optionally zero-padded."""
    out = pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())
    return pc.utf8_lpad(out, width, "0") if width else out


def decimal_text(values: np.ndarray) -> pa.Array:
    """Floats rounded to 2 decimals, shortest text form ('3', '12.5', '97.25')."""
    return pc.cast(pa.array(np.round(np.asarray(values, dtype=np.float64), 2) + 0.0), pa.string())


def where(mask: np.ndarray, a: pa.Array | str, b: pa.Array | str) -> pa.Array:
    """Element-wise choice between two string arrays/scalars."""
    return pc.if_else(pa.array(np.asarray(mask, dtype=bool)), a, b)


def or_null(keep: np.ndarray | pa.Array, values: pa.Array) -> pa.Array:
    """The values where `keep` is true, a null (an empty field) elsewhere."""
    return pc.if_else(pa.array(keep) if isinstance(keep, np.ndarray) else keep, values,
                      pa.scalar(None, pa.string()))


def as_text(values: pa.Array | np.ndarray | Sequence) -> pa.Array:
    """Any column (numpy ints/floats, arrow strings) as an arrow string array."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        return values if pa.types.is_string(values.type) else pc.cast(values, pa.string())
    arr = np.asarray(values)
    if arr.dtype.kind in "iu":
        return integer_text(arr)
    if arr.dtype.kind == "f":
        return decimal_text(arr)
    return pa.array(arr.tolist(), pa.string())
