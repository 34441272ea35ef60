"""Random streams must be independent per part, and per-row draws stay inside their vocabulary."""

from __future__ import annotations

import numpy as np

from kinerja.demo.draws import draw_below, flatten, stream


def test_streams_are_reproducible_and_independent() -> None:
    assert stream(5, 1).random(4).tolist() == stream(5, 1).random(4).tolist()
    assert stream(5, 1).random(4).tolist() != stream(5, 2).random(4).tolist()
    assert stream(5, 1).random(4).tolist() != stream(6, 1).random(4).tolist()


def test_flatten_keeps_offsets_and_lengths() -> None:
    flat, offsets, lengths = flatten([("a", "b"), (), ("c",)])
    assert flat == ["a", "b", "c"]
    assert offsets.tolist() == [0, 2, 2]
    assert lengths.tolist() == [2, 0, 1]


def test_draw_below_stays_in_range() -> None:
    length = np.asarray([1, 2, 3, 10, 0] * 2000)
    out = draw_below(np.random.default_rng(1), length)
    assert (out >= 0).all()
    assert (out < np.maximum(length, 1)).all()
    assert set(out[length == 3].tolist()) == {0, 1, 2}
    assert (out[length <= 1] == 0).all()
