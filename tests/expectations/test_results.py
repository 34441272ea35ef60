"""Gate results: the frame and summary of a gate, the stop, thresholds and plain evidence values."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from expectations.checks import relational_check
from expectations.results import (
    GateCheck,
    GateResult,
    enforce,
    percent_text,
    plain,
    plain_records,
    threshold_en,
    threshold_text,
    within_threshold,
)
from kinerja.errors import GateFailed
from tests.expectations.raw import TAHUN


def test_result_frame_and_summary():
    cek = relational_check("skp.kaskade", "kaskade", pd.DataFrame({"baris": [2]}), 5)
    ok = relational_check("skp.siklus", "tanpa siklus", pd.DataFrame({"baris": []}), 5)
    hasil = GateResult("year-end", TAHUN, [ok, cek])
    frame = hasil.to_frame()
    assert list(frame["kode"]) == ["skp.siklus", "skp.kaskade"]
    assert frame["lulus"].tolist() == [True, False]
    assert frame["persen_gagal"].tolist() == [0.0, 20.0]
    assert json.loads(frame.loc[1, "contoh"]) == [{"baris": 2}]
    assert (
        hasil.ringkas() == "GAGAL: 1 dari 2 pemeriksaan gagal: skp.kaskade (1 dari 5 baris, tidak boleh ada)"
    )
    assert GateResult("year-end", TAHUN, [ok]).ringkas().startswith("LULUS: 1 pemeriksaan")


def test_enforce_raises_gate_failed(tmp_path: Path):
    laporan = tmp_path / "gerbang_validation.html"
    buruk = GateResult("validation", TAHUN, [relational_check("a", "b", pd.DataFrame({"x": [1]}), 1)])
    with pytest.raises(GateFailed) as info:
        enforce(buruk, laporan)
    assert info.value.result is buruk
    assert info.value.report_path == laporan
    assert info.value.exit_code == 1
    assert str(info.value) == buruk.pesan()
    enforce(GateResult("validation", TAHUN, []), laporan)  # a passing gate does not raise


def test_the_failed_gate_message_is_indonesian_then_english():
    units = pd.DataFrame({"baris": [3, 4], "nilai": ["SWL-002", "SWL-003"]})
    cek = relational_check("unit_kerja.predikat_organisasi", "unit berpegawai memiliki predikat_organisasi",
                           units, 60, description="every unit with staff has a predikat_organisasi")
    ok = relational_check("skp.siklus", "tanpa siklus", pd.DataFrame({"baris": []}), 5)
    share = relational_check("skp.target", "target sah", pd.DataFrame({"baris": range(30)}), 100,
                             ambang_persen=2.5)
    pesan = GateResult("year-end", TAHUN, [ok, cek, share]).pesan()
    indonesian, english = pesan.split(" / ")
    assert indonesian == (
        f"Gerbang gagal — year-end {TAHUN}: 2 dari 3 pemeriksaan tidak lulus: unit_kerja.predikat_organisasi "
        "(unit berpegawai memiliki predikat_organisasi; 2 dari 60 baris, tidak boleh ada): SWL-002, SWL-003; "
        "skp.target (target sah; 30 dari 100 baris, maks. 2,5% baris)")
    # a check without an English description falls back to the Indonesian one
    assert english == (
        f"Gate failed — year-end {TAHUN}: 2 of 3 checks did not pass: unit_kerja.predikat_organisasi "
        "(every unit with staff has a predikat_organisasi; 2 of 60 rows, none allowed): SWL-002, SWL-003; "
        "skp.target (target sah; 30 of 100 rows, at most 2.5% of rows)")


def test_the_failed_gate_message_names_the_first_three_checks_and_counts_the_rest():
    many = [relational_check(f"cek.{i}", f"cek {i}", pd.DataFrame({"nilai": [f"U{j}" for j in range(7)]}), 9,
                             description=f"check {i}") for i in range(5)]
    pesan = GateResult("validation", TAHUN, many).pesan()
    assert [k for k in (f"cek.{i} (" for i in range(5)) if k in pesan] == ["cek.0 (", "cek.1 (", "cek.2 ("]
    assert "; dan 2 pemeriksaan lain / Gate failed" in pesan and pesan.endswith("; and 2 more checks")
    assert ": U0, U1, U2, U3, U4 dan 2 lainnya;" in pesan and ": U0, U1, U2, U3, U4 and 2 more;" in pesan


@pytest.mark.parametrize(("ambang", "english"), [
    ("tidak boleh ada", "none allowed"), ("maks. 7,5% baris", "at most 7.5% of rows"),
    ("maks. 20% baris", "at most 20% of rows"), ("min. 1 baris", "at least 1 row"),
    ("boleh kosong", "may be empty"), ("hanya dilaporkan", "reported only"), ("lain", "lain")])
def test_thresholds_in_english(ambang: str, english: str):
    assert threshold_en(ambang) == english


def test_an_empty_gate_passes_and_its_frame_has_the_table_columns():
    frame = GateResult("validation", TAHUN, []).to_frame()
    assert frame.empty and list(frame.columns) == [
        "tahap", "tahun", "kode", "berkas", "deskripsi", "sumber", "lulus", "diperiksa", "gagal",
        "persen_gagal", "ambang", "contoh",
    ]
    cek = GateCheck("a", "a.csv", "d", "tahap", True, 0, 0, "boleh kosong")
    row = GateResult("validation", TAHUN, [cek]).to_frame().iloc[0]
    assert pd.isna(row["persen_gagal"]) and row["contoh"] == "[]"  # nothing checked: no share


@pytest.mark.parametrize(
    ("gagal", "diperiksa", "persen", "lulus"),
    [(2, 10, 20, True), (3, 10, 20, False), (0, 0, 0, True), (1, 0, 50, False), (1, 3, 33.34, True),
     (1, 3, 33.33, False), (0, 10, 0, True), (1, 10, 0, False)],
)
def test_within_threshold(gagal: int, diperiksa: int, persen: float, lulus: bool):
    assert within_threshold(gagal, diperiksa, persen) is lulus


def test_threshold_and_percent_text_use_the_indonesian_decimal_comma():
    assert [percent_text(x) for x in (20.0, 2.5, 0, 12.75)] == ["20", "2,5", "0", "12,75"]
    assert threshold_text(7.5) == "maks. 7,5% baris"


def test_plain_values_and_records():
    assert plain(np.int64(4)) == 4 and type(plain(np.int64(4))) is int
    assert plain(np.float64("nan")) is None and plain(pd.NA) is None and plain(None) is None
    assert plain([1, None]) == [1, None] and plain("x") == "x"
    frame = pd.DataFrame({"baris": pd.array([2, None], dtype="Int64"), 3: ["a", None]})
    assert plain_records(frame) == [{"baris": 2, "3": "a"}, {"baris": None, "3": None}]
    assert json.dumps(plain_records(frame))  # serialisable as it is


def test_the_one_line_summary_names_what_the_failing_rows_name():
    units = pd.DataFrame({"baris": [3, 4, 9], "nilai": ["SWL-002", "SWL-003", "SWL-002"]})
    cek = relational_check("unit_kerja.predikat_organisasi", "unit berpegawai memiliki predikat", units, 60)
    assert GateResult("year-end", TAHUN, [cek]).ringkas().endswith(
        "unit_kerja.predikat_organisasi (3 dari 60 baris, tidak boleh ada): SWL-002, SWL-003")
    many = pd.DataFrame({"baris": range(2, 10), "nilai": [f"U{i}" for i in range(8)]})
    cek = relational_check("pegawai.x", "x", many, 100)
    assert GateResult("year-end", TAHUN, [cek]).ringkas().endswith(": U0, U1, U2, U3, U4 dan 3 lainnya")
