"""Text held by Arrow, handed on as bytes without a Python string per value.

The values of a string array lie back to back in its data buffer; between the first and the last
offset they are exactly the text of all rows concatenated (a null is an empty value). The audit
digest hashes those bytes, the CSV writers write them, the NIP and date rules read digits from them.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def buffer_bytes(values: pa.Array | pa.ChunkedArray) -> memoryview:
    """The values of a string array back to back, without copying (chunked arrays are joined first)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    _, offsets, data = values.buffers()
    if data is None or len(values) == 0:
        return memoryview(b"")
    width = np.int64 if pa.types.is_large_string(values.type) else np.int32
    edges = np.frombuffer(offsets, dtype=width)[values.offset: values.offset + len(values) + 1]
    return memoryview(data)[int(edges[0]): int(edges[-1])]


def lines(columns: list[pa.Array], sep: str) -> memoryview:
    """Each row's values joined by `sep` and ended by a newline, all rows back to back.

    A null in any column makes its row null (empty): fill nulls first where a row must survive.
    """
    joined = pc.binary_join_element_wise(*columns, _text(sep))
    return buffer_bytes(pc.binary_join_element_wise(joined, _text(""), _text("\n")))


def _text(value: str) -> pa.Scalar:
    return pa.scalar(value, pa.large_string())
