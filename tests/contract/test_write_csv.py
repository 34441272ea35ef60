"""write_csv joins plain text tables with Arrow; the bytes must be exactly what pandas writes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from contract.output import csv_text, write_csv

CASES = {
    "text with NA and empty": (pd.DataFrame({"a": ["x", None, "z"], "b": pd.Series(["1.00", "", np.nan],
                                                                                   dtype="str")}), True),
    "no rows": (pd.DataFrame({"a": pd.Series([], dtype="str"), "b": pd.Series([], dtype="str")}), True),
    "unicode, spaces, NA-like words": (pd.DataFrame({"a": ["é ü 漢", " lead", "trail "],
                                                     "b": ["nan", "None", "NA"]}), True),
    "one row of empty fields": (pd.DataFrame({"a": [""], "b": [""]}), True),
    "a comma needs quotes": (pd.DataFrame({"a": ["x,y", "q"], "b": ["1", "2"]}), False),
    "a quote needs quotes": (pd.DataFrame({"a": ['say "hi"', "q"], "b": ["1", "2"]}), False),
    "a newline needs quotes": (pd.DataFrame({"a": ["x\ny", "q"], "b": ["1", "2\r"]}), False),
    "a lone column": (pd.DataFrame({"a": ["x", ""]}), False),
    "a number column": (pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}), False),
    "an object column with a number": (pd.DataFrame({"a": ["x", 3], "b": ["x", "y"]}, dtype=object), False),
    "a header that needs quotes": (pd.DataFrame({"a,b": ["x"], "c": ["y"]}), False),
}


@pytest.mark.parametrize("name", list(CASES))
def test_write_csv_gives_the_bytes_pandas_gives(name: str, tmp_path: Path) -> None:
    frame, fast = CASES[name]
    frame.to_csv(tmp_path / "pandas.csv", index=False, lineterminator="\n", na_rep="")
    write_csv(frame, tmp_path / "kinerja.csv")
    assert (tmp_path / "kinerja.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()
    assert (csv_text(frame) is not None) == fast  # the Arrow path is taken exactly where it is safe
    assert not list(tmp_path.glob("*.tmp"))
