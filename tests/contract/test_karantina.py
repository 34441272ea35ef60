"""Quarantine rows: made from the rule catalogue, ordered the same way every time, merged per stage with
each problem once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from contract.karantina import (
    KARANTINA_COLUMNS,
    empty_karantina,
    first_found,
    karantina_rows,
    name_sources,
    render,
    sort_karantina,
    write_karantina_csv,
)
from stages import registry


def rows(*baris: int, **columns: list) -> pd.DataFrame:
    return pd.DataFrame({"_baris": list(baris), **columns})


def test_empty_karantina_has_the_contract_columns_and_types() -> None:
    frame = empty_karantina()
    assert list(frame.columns) == KARANTINA_COLUMNS and frame.empty
    assert frame["baris"].dtype == "int64" and frame["alasan"].dtype == "str"


def test_render_fills_value_fields_and_row_columns() -> None:
    frame = rows(2, 3, id_indikator=["I1", None])
    nilai = pd.Series(["x", None], dtype="str")
    out = render("{kolom}='{nilai}' di {id_indikator} ({tahun})", frame, nilai, kolom="k", tahun=2026)
    assert out.tolist() == ["k='x' di I1 (2026)", "k='(kosong)' di (kosong) (2026)"]


def test_karantina_rows_use_the_rule_and_the_line_numbers() -> None:
    frame = rows(7, 9)
    nilai = pd.Series(["0", None], dtype="str")
    out = karantina_rows("skp.csv", frame, "TARGET", "target", nilai, "validation")
    assert list(out.columns) == KARANTINA_COLUMNS
    assert out["baris"].tolist() == [7, 9] and out["baris"].dtype == "int64"
    assert out["alasan"].tolist() == ["target '0' harus angka > 0", "target '(kosong)' harus angka > 0"]
    assert out["reason"].tolist()[0] == "target '0' must be a number > 0"
    assert set(out["kode_aturan"]) == {"TARGET"} and set(out["tahap"]) == {"validation"}
    assert out["nilai"].tolist()[0] == "0"


def test_karantina_rows_fill_the_year_and_the_parent() -> None:
    frame = rows(4)
    nilai = pd.Series(["2025-12"], dtype="str")
    out = karantina_rows("realisasi.csv", frame, "PERIODE_TAHUN", "periode", nilai, tahun=2026)
    assert out.loc[0, "alasan"] == "periode '2025-12' di luar tahun 2026"
    out = karantina_rows("skp.csv", frame, "INDUK_DIKARANTINA", "nip", nilai.str.slice(0, 2),
                         induk="pegawai.csv")
    assert out.loc[0, "reason"] == "nip '20' refers to a quarantined row of pegawai.csv"


def test_sort_karantina_orders_by_file_line_rule_then_column() -> None:
    frame = pd.DataFrame({
        "berkas": ["lain.csv", "skp.csv", "pegawai.csv", "pegawai.csv", "pegawai.csv", "pegawai.csv"],
        "baris": [1, 2, 9, 3, 3, 3],
        "kolom": ["a", "a", "a", "nip_atasan", "nama", "nip"],
        "kode_aturan": ["WAJIB_KOSONG", "WAJIB_KOSONG", "WAJIB_KOSONG", "ATASAN_KOSONG",
                        "WAJIB_KOSONG", "WAJIB_KOSONG"],
    }, index=[10, 11, 12, 13, 14, 15])
    out = sort_karantina(frame)
    # FORMATS.md file order (unknown files last), then line, catalogue order of rules, then column
    assert out[["berkas", "baris", "kolom"]].values.tolist() == [
        ["pegawai.csv", 3, "nama"], ["pegawai.csv", 3, "nip"], ["pegawai.csv", 3, "nip_atasan"],
        ["pegawai.csv", 9, "a"], ["skp.csv", 2, "a"], ["lain.csv", 1, "a"],
    ]
    assert list(out.index) == list(range(6))
    assert sort_karantina(empty_karantina()).empty


def _rows(tahap: str, berkas: str, baris: int, nilai: object = "v") -> pd.DataFrame:
    return pd.DataFrame({
        "berkas": [berkas], "baris": [baris], "kolom": ["k"], "nilai": [nilai],
        "kode_aturan": ["WAJIB_KOSONG"], "alasan": ["a"], "reason": ["r"], "tahap": [tahap],
    })


def test_write_karantina_csv_merges_stages_in_registry_order(tmp_path: Path) -> None:
    first, second, third = registry.names()[:3]
    write_karantina_csv(tmp_path, third, _rows("", "skp.csv", 2))
    write_karantina_csv(tmp_path, first, _rows("", "skp.csv", 10, None))
    path = write_karantina_csv(tmp_path, second, _rows("", "pegawai.csv", 3))
    merged = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(merged.columns) == KARANTINA_COLUMNS
    assert merged[["tahap", "berkas", "baris", "nilai"]].values.tolist() == [
        [first, "skp.csv", "10", ""], [second, "pegawai.csv", "3", "v"], [third, "skp.csv", "2", "v"],
    ]
    # a stage run again replaces its own rows only
    write_karantina_csv(tmp_path, first, empty_karantina())
    merged = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert merged["tahap"].tolist() == [second, third]


def test_write_karantina_csv_sorts_a_stage_by_file_then_line_as_a_number(tmp_path: Path) -> None:
    tahap = registry.names()[0]
    rows_ = pd.concat([_rows("", "skp.csv", 10), _rows("", "skp.csv", 9), _rows("", "pegawai.csv", 11)])
    path = write_karantina_csv(tmp_path, tahap, rows_)
    merged = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert merged[["berkas", "baris"]].values.tolist() == [
        ["pegawai.csv", "11"], ["skp.csv", "9"], ["skp.csv", "10"]
    ]


def test_name_sources_names_the_workbook_sheet_of_a_row(tmp_path: Path) -> None:
    frame = pd.concat([
        karantina_rows("pegawai.csv", rows(11), "SEL_ANGKA", "nip", pd.Series(["198001012005011000"])),
        karantina_rows("skp.csv", rows(20), "PEGAWAI_TIDAK_ADA", "nip", pd.Series(["x"])),
    ], ignore_index=True)
    assert name_sources(frame, tmp_path).equals(frame)  # CSV input: the file names stay
    (tmp_path / "kinerja.xlsx").write_bytes(b"PK")
    (tmp_path / "skp.csv").write_text("id_indikator\n", encoding="utf-8")
    named = name_sources(frame, tmp_path)
    assert named["berkas"].tolist() == ["kinerja.xlsx:pegawai", "skp.csv"]
    assert named.drop(columns="berkas").equals(frame.drop(columns="berkas"))


def test_first_found_keeps_one_row_per_problem_from_the_first_stage_in_cycle_order() -> None:
    first, second, third = registry.names()[:3]
    frame = pd.concat([_rows(third, "skp.csv", 2, "c"), _rows(second, "skp.csv", 2, "b"),
                       _rows(second, "skp.csv", 2, "b2"), _rows(third, "pegawai.csv", 5, "p"),
                       _rows(first, "skp.csv", 3, "a")], ignore_index=True)
    frame.loc[4, "kolom"] = "other"
    out = first_found(frame)
    # skp.csv line 2 once, from the second stage (its first row); other problems kept, in their order
    assert out[["tahap", "berkas", "baris", "nilai"]].values.tolist() == [
        [second, "skp.csv", 2, "b"], [third, "pegawai.csv", 5, "p"], [first, "skp.csv", 3, "a"]]
    assert first_found(frame.iloc[0:0]).empty


def test_write_karantina_csv_lists_a_problem_once_under_the_first_stage_that_found_it(tmp_path: Path) -> None:
    first, second, third = registry.names()[:3]
    problem, own = _rows("", "skp.csv", 2), _rows("", "pegawai.csv", 7)
    write_karantina_csv(tmp_path, first, problem)
    write_karantina_csv(tmp_path, second, pd.concat([problem, problem, own]))  # found again, and twice
    path = write_karantina_csv(tmp_path, third, problem)
    rows_ = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert rows_[["tahap", "berkas", "baris"]].values.tolist() == [
        [first, "skp.csv", "2"], [second, "pegawai.csv", "7"]]
    # the same runs in another order give the same bytes: the first stage in cycle order wins
    other = tmp_path / "other"
    for tahap, frame in ((third, problem), (second, pd.concat([own, problem])), (first, problem)):
        write_karantina_csv(other, tahap, frame)
    assert (other / "karantina.csv").read_bytes() == path.read_bytes()
    # the input corrected and the first stage run again: the problem is gone from the file
    write_karantina_csv(tmp_path, first, empty_karantina())
    rows_ = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert rows_[["tahap", "berkas", "baris"]].values.tolist() == [[second, "pegawai.csv", "7"]]
