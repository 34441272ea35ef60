"""Arrow string arrays as bytes: the values back to back, rows joined into lines."""

from __future__ import annotations

import pyarrow as pa

from contract.arrow_text import buffer_bytes, lines


def test_buffer_bytes_are_the_values_concatenated() -> None:
    values = pa.array(["ab", None, "", "é"], type=pa.string())
    assert bytes(buffer_bytes(values)) == "abé".encode()
    assert bytes(buffer_bytes(values.slice(2))) == "é".encode()  # a slice starts at its own offset
    chunked = pa.chunked_array([pa.array(["x"]), pa.array(["yz"], type=pa.string())])
    assert bytes(buffer_bytes(chunked)) == b"xyz"
    assert bytes(buffer_bytes(pa.array([], type=pa.large_string()))) == b""


def test_lines_join_rows_and_a_null_empties_its_row() -> None:
    a = pa.array(["1", "2", None], type=pa.large_string())
    b = pa.array(["x", "", "z"], type=pa.large_string())
    assert bytes(lines([a, b], ",")) == b"1,x\n2,\n"
