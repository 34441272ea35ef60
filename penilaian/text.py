"""Text inside reasons and notes: numbers with the Indonesian decimal comma, texts joined per group."""

from __future__ import annotations

import pandas as pd

from penilaian.numbers import format_2


def decimal_comma(values: pd.Series, trim_zeros: bool = False) -> pd.Series:
    """Numbers as reason text, half-up to 2 decimals: 2,50 (or 8 / 8,5 when trim_zeros)."""
    teks = format_2(values.astype("float64")).astype("str")
    if trim_zeros:
        teks = teks.str.replace(r"\.?0+$", "", regex=True)
    return teks.str.replace(".", ",", regex=False)


def decimal_comma_value(value: float, trim_zeros: bool = False) -> str:
    """decimal_comma() of one number, e.g. a threshold from the ruleset."""
    return decimal_comma(pd.Series([value], dtype="float64"), trim_zeros).iloc[0]


def join_text(table: pd.DataFrame, keys: list[str], column: str, separator: str = "; ") -> pd.DataFrame:
    """Join a text column within each key group in row order; loops over positions, never groups."""
    groups = table.groupby(keys, sort=False, dropna=False)
    position = groups.cumcount().to_numpy()
    number = groups.ngroup().to_numpy()  # numbered by first appearance = order of position-0 rows
    values = table[column].astype("str")
    joined = table.loc[position == 0, keys].reset_index(drop=True)
    text = values.loc[position == 0].reset_index(drop=True)
    for step in range(1, int(position.max(initial=0)) + 1):
        chosen = position == step
        more = pd.Series(values.loc[chosen].to_numpy(), index=number[chosen]).reindex(text.index)
        text = text + (separator + more.astype("str")).fillna("")
    joined[column] = text
    return joined
