"""The demo's text columns must render codes, numbers and choices exactly as the files need them."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from kinerja.demo.columns import (
    as_text,
    concat,
    decimal_text,
    integer_text,
    or_null,
    pick,
    where,
)


def test_pick_takes_by_code() -> None:
    assert pick(("a", "b", "c"), np.asarray([2, 0, 2])).to_pylist() == ["c", "a", "c"]


def test_concat_joins_arrays_and_scalars() -> None:
    out = concat("X-", pa.array(["1", "22"]), pa.array(["a", "b"]))
    assert out.to_pylist() == ["X-1a", "X-22b"]


def test_integer_text_pads_only_when_asked() -> None:
    assert integer_text(np.asarray([7, 123])).to_pylist() == ["7", "123"]
    assert integer_text(np.asarray([7, 123]), 3).to_pylist() == ["007", "123"]
    assert integer_text(np.asarray([199005172015032001])).to_pylist() == ["199005172015032001"]


def test_decimal_text_is_shortest_two_decimal_form() -> None:
    out = decimal_text(np.asarray([3.0, 12.5, 97.254, -0.001, 0.1 + 0.2]))
    assert out.to_pylist() == ["3", "12.5", "97.25", "0", "0.3"]


def test_where_and_or_null() -> None:
    mask = np.asarray([True, False])
    assert where(mask, "utama", "tambahan").to_pylist() == ["utama", "tambahan"]
    assert or_null(mask, pa.array(["x", "y"])).to_pylist() == ["x", None]
    assert or_null(pa.array([False, True]), pa.array(["x", "y"])).to_pylist() == [None, "y"]


def test_as_text_of_every_column_kind() -> None:
    assert as_text(np.asarray([1, 20])).to_pylist() == ["1", "20"]
    assert as_text(np.asarray([1.5, 2.0])).to_pylist() == ["1.5", "2"]
    assert as_text(np.asarray(["a", "b"], dtype=object)).to_pylist() == ["a", "b"]
    assert as_text(pa.chunked_array([["a"], ["b"]])).to_pylist() == ["a", "b"]
    assert as_text(pa.array([True])).to_pylist() == ["true"]
    strings = pa.array(["kept"])
    assert as_text(strings) is strings
