"""Build clean input frames by hand, as the reader hands them to domain functions."""

from __future__ import annotations

import pandas as pd

from contract.schema import FILES


def frame(sheet: str, rows: list[dict]) -> pd.DataFrame:
    """A clean frame for one sheet: every FORMATS column (missing ones NA), typed, with `_baris`."""
    spec = FILES[sheet]
    data = pd.DataFrame(rows, columns=list(spec.columns))
    for kolom in spec.columns:
        if kolom in spec.integers:
            data[kolom] = data[kolom].astype("int64")
        elif kolom in spec.floats:
            data[kolom] = data[kolom].astype("float64")
        else:
            data[kolom] = data[kolom].astype("str")
    data["_baris"] = pd.Series(range(2, len(data) + 2), index=data.index, dtype="int64")
    if sheet in ("realisasi", "survei_masyarakat"):
        data["bulan"] = data["periode"].str.slice(5, 7).astype("int64")
    if sheet == "perilaku":
        data["semester"] = data["periode"].str.slice(6, 7).astype("int64")
    return data
