"""Vectorised parsers: plain numbers only, real dates, NIP digits, enumerations in any spelling."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from contract.parsers import (
    canonical_enum,
    canonical_kompetensi,
    digit_matrix,
    enum_key,
    is_integral,
    matches,
    number_of,
    real_date,
    to_float,
)


def text(*values: str | None) -> pd.Series:
    return pd.Series(list(values), dtype="str")


def test_to_float_reads_plain_decimal_numbers() -> None:
    out = to_float(text("1", "-2.5", "+.5", "1e3", "7.", None))
    assert out[:5].tolist() == [1.0, -2.5, 0.5, 1000.0, 7.0] and np.isnan(out[5])


@pytest.mark.parametrize("bad", ["nan", "inf", "-Infinity", "1e999", "1,5", "satu", " ", "0x10", "1 000"])
def test_to_float_gives_no_finite_number_for_anything_else(bad: str) -> None:
    out = to_float(text("3", bad))
    assert out[0] == 3.0 and not np.isfinite(out[1])  # 1e999 overflows to inf


def test_is_integral() -> None:
    assert is_integral(np.array([4.0, 4.5, np.nan, np.inf, -2.0])).tolist() == [
        True, False, False, False, True
    ]


def test_real_date_knows_month_lengths_and_leap_years() -> None:
    year = np.array([2024, 2023, 1900, 2000, 2026, 2026, 2026, 0])
    month = np.array([2, 2, 2, 2, 4, 13, 0, 1])
    day = np.array([29, 29, 29, 29, 31, 1, 1, 1])
    assert real_date(year, month, day).tolist() == [True, False, False, True, False, False, False, False]


def test_digit_matrix_and_number_of() -> None:
    digits = digit_matrix(text("198001012005011001", "199512312020122006"), 18)
    assert digits.shape == (2, 18) and digits[0, :4].tolist() == [1, 9, 8, 0]
    assert number_of(digits, 0, 4).tolist() == [1980, 1995]
    assert number_of(digits, 8, 14).tolist() == [200501, 202012]
    assert number_of(digits, 15, 18).tolist() == [1, 6]


def test_matches_is_whole_value_and_empty_never_matches() -> None:
    assert matches(text("2026-01", "x2026-01", None), r"^[0-9]{4}-[0-9]{2}$").tolist() == [
        True, False, False
    ]


def test_enum_key_ignores_case_spaces_dashes_and_underscores() -> None:
    keys = enum_key(text("Butuh  Perbaikan", "butuh-perbaikan", "BUTUH_ PERBAIKAN", None))
    assert keys.tolist()[:3] == ["butuh_perbaikan"] * 3 and pd.isna(keys.iloc[3])


def test_canonical_enum_spells_allowed_values_and_flags_the_rest() -> None:
    codes, uniques = pd.factorize(text("sangat kurang", "Istimewa", "luar biasa", None, "istimewa"))
    allowed = ("Istimewa", "Baik", "Sangat Kurang")
    normal, bad = canonical_enum(codes, pd.Series(uniques, dtype="str"), allowed, pd.RangeIndex(5))
    assert normal.tolist()[:2] == ["Sangat Kurang", "Istimewa"] and normal.iloc[4] == "Istimewa"
    assert pd.isna(normal.iloc[2]) and pd.isna(normal.iloc[3])
    assert bad.tolist() == [False, False, True, False, False]  # an empty cell is not a bad value


def test_canonical_kompetensi_lower_cases_tags() -> None:
    codes, uniques = pd.factorize(text("Pelayanan Publik", "k3_konstruksi", "_x", "a__b!", None))
    normal, bad = canonical_kompetensi(codes, pd.Series(uniques, dtype="str"), pd.RangeIndex(5))
    assert normal.tolist()[:2] == ["pelayanan_publik", "k3_konstruksi"]
    assert bad.tolist() == [False, False, True, True, False]
