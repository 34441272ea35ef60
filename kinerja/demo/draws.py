"""Random streams and uniform draws from per-row vocabularies."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def stream(seed: int, part: int) -> np.random.Generator:
    """One independent stream per part, so toggling one part never shifts another."""
    return np.random.default_rng([seed, part])


def flatten(lists: Sequence[Sequence]) -> tuple[list, np.ndarray, np.ndarray]:
    """Concatenate per-kind lists into one vocabulary with offsets and lengths."""
    flat: list = []
    offsets, lengths = [], []
    for items in lists:
        offsets.append(len(flat))
        lengths.append(len(items))
        flat.extend(items)
    return flat, np.asarray(offsets, dtype=np.int64), np.asarray(lengths, dtype=np.int64)


def draw_below(rng: np.random.Generator, length: np.ndarray) -> np.ndarray:
    """A uniform integer in [0, length) per element (length may vary per element)."""
    return np.minimum((rng.random(len(length)) * length).astype(np.int64), np.maximum(length - 1, 0))
