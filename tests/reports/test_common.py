"""Shared report pieces: safe file names, Indonesian numbers, lookups and per-unit grouping."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from contract.schema import GOLONGAN, JENJANG
from reports.common import (
    JENJANG_LABEL,
    PANGKAT_LABEL,
    PerKey,
    count_per_unit,
    format_number,
    format_numbers,
    group_records,
    langkah_column,
    lookup,
    map_codes,
    per_unit,
    safe_name,
    sort_positions,
    unit_rows,
    year_text,
)


@pytest.mark.parametrize("good", ["U01", "198001012005011003", "plan-collection", "a.b_c-1"])
def test_safe_name_accepts_plain_codes(good):
    assert safe_name(good) == good


@pytest.mark.parametrize("bad", ["", ".", "..", "../x", "a/b", "a\\b", "a b", "/etc", "ü", None])
def test_safe_name_rejects_anything_that_could_leave_out_dir(bad):
    with pytest.raises(ValueError):
        safe_name(bad)


def test_numbers_are_indonesian_half_up():
    assert format_number(1234.565) == "1.234,57"
    assert format_number(2.675) == "2,68"
    assert format_number(-0.125) == "-0,13"
    assert format_number(float("nan")) == "" and format_number(None) == ""
    s = pd.Series([0.005, 1e6, None, 89.99999999999999])
    assert format_numbers(s).tolist() == ["0,01", "1.000.000,00", "", "90,00"]


def test_lookup_first_row_wins_and_can_be_cut_to_the_keys_needed():
    df = pd.DataFrame({"nip": ["a", "b", "a", None], "nama": ["Ani", "Budi", "Ana", "X"]})
    assert lookup(df, "nip", "nama").to_dict() == {"a": "Ani", "b": "Budi", "": "X"}
    assert lookup(df, "nip", "nama", hanya=pd.Series(["b"])).to_dict() == {"b": "Budi"}
    assert lookup(df, "nip", "jabatan").empty and lookup(df.iloc[0:0], "nip", "nama").empty
    kode = pd.Series(["b", "z", "a"])
    assert map_codes(kode, lookup(df, "nip", "nama")).tolist() == ["Budi", "", "Ani"]


def test_sort_positions_by_several_keys_keeps_ties_in_input_order():
    unit = pd.Series(["U2", "U1", "U2", "U1"])
    nip = np.array(["9", "5", "1", "5"], dtype=object)
    assert sort_positions(unit, nip).tolist() == [1, 3, 2, 0]
    assert sort_positions(pd.Series([], dtype=object)).tolist() == []


def test_per_unit_groups_rows_and_count_per_unit_counts_classes():
    kode = pd.Series(["U2", "U1", "U2", None])
    grup = per_unit({"nip": pd.Series(["a", "b", "c", "d"])}, kode)
    assert grup == {
        "U2": [{"_unit": "U2", "nip": "a"}, {"_unit": "U2", "nip": "c"}],
        "U1": [{"_unit": "U1", "nip": "b"}],
        "": [{"_unit": "", "nip": "d"}],
    }
    hitung = count_per_unit(pd.Series(["U2", "U1", "U2", "U2"]), np.array([0, 2, 0, -1]), 3)
    assert hitung == {"U2": [2, 0, 0], "U1": [0, 0, 1]}  # class -1 is counted nowhere


def test_grouped_records_build_each_group_when_asked_as_an_eager_split_would():
    rng = np.random.default_rng(3)
    n = 500
    kunci = rng.choice(["U1", "U2", "U3", "U10", ""], n)
    nilai = np.where(rng.random(n) > 0.1, rng.random(n), np.nan)
    kolom = {"kode": pd.Series(kunci, dtype=object), "nip": pd.Series([f"n{i}" for i in range(n)]),
             "jumlah": np.arange(n) * 2, "nilai": pd.Series(nilai)}
    grup = group_records(kolom, "kode")
    assert set(grup) == set(kunci) and len(grup) == len(set(kunci))
    for k in set(kunci):
        baris = np.flatnonzero(kunci == k)  # the key's rows in file order
        got = grup[k]
        assert [r["kode"] for r in got] == [k] * len(baris)
        assert [r["nip"] for r in got] == [f"n{i}" for i in baris], "rows keep their order within a key"
        assert [r["jumlah"] for r in got] == (baris * 2).tolist()
        assert all(type(r["jumlah"]) is int and type(r["nilai"]) is float for r in got), "plain Python values"
        np.testing.assert_array_equal([r["nilai"] for r in got], nilai[baris])
        again = grup[k]
        assert again is not got and [r["nip"] for r in again] == [r["nip"] for r in got], "built at each ask"
    assert grup.get("U99", []) == [] and "U99" not in grup
    assert group_records({"kode": pd.Series([], dtype=object)}, "kode") == {}


def test_per_key_builds_a_value_only_for_a_key_asked_for():
    built: list[str] = []

    def build(kode: str) -> dict:
        built.append(kode)
        return {"kode": kode}

    nilai = PerKey(["U2", "U1"], build)
    assert list(nilai) == ["U2", "U1"] and len(nilai) == 2 and built == []
    assert nilai.get("U1") == {"kode": "U1"} and built == ["U1"]
    assert nilai.get("U3") is None and "U3" not in nilai and built == ["U1"]
    with pytest.raises(KeyError):
        nilai["U3"]


def test_unit_rows_are_distinct_sorted_text_with_safe_codes():
    unit = pd.DataFrame({"kode_unit": ["U2", "U1", "U2"], "nama_unit": ["Dua", "Satu", "Dua lagi"]})
    rows = unit_rows({"unit_kerja": unit})
    assert rows["kode_unit"].tolist() == ["U1", "U2"] and rows["nama_unit"].tolist() == ["Satu", "Dua"]
    assert rows["predikat_organisasi"].tolist() == ["", ""]  # a missing column is empty text
    assert unit_rows({}).empty
    with pytest.raises(ValueError):
        unit_rows({"unit_kerja": unit.assign(kode_unit=["U1", "../x", "U3"])})
    assert (year_text(None), year_text(2026)) == ("", "2026")


def test_next_step_names_the_pangkat_and_jenjang_it_leads_to():
    """Every golongan and jenjang of the contract has its label; a step goes to the next golongan."""
    assert list(PANGKAT_LABEL) == list(GOLONGAN) and list(JENJANG_LABEL) == list(JENJANG)
    langkah = langkah_column(
        pd.Series(["pangkat", "jenjang", "jenjang", "puncak", "pangkat", "lain"]),
        pd.Series(["ahli_madya", "ahli_madya", "pemula", "penyelia", "terampil", "mahir"]),
        pd.Series(["IV/b", "IV/c", "II/a", "III/d", "IV/e", "III/a"]),
    )
    assert langkah.tolist() == [
        "Kenaikan pangkat ke Pembina Utama Muda (IV/c)",
        "Kenaikan jenjang ke Ahli Utama, pangkat Pembina Utama Madya (IV/d), dan uji kompetensi",
        "Kenaikan jenjang ke Terampil, pangkat Pengatur Muda Tingkat I (II/b), dan uji kompetensi",
        "Puncak jenjang: tidak ada kenaikan pangkat atau jenjang berikutnya",
        "Kenaikan pangkat",  # no golongan above IV/e: the step without a target
        "lain",  # an unknown step as it is
    ]
