"""Recomputation from the archive: frames rebuilt from snapshot tables, stored vs recomputed results."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from audit.recompute import RECOMPUTED, SNAPSHOTS, compare_results, rebuild_frames, ruleset_name
from contract.schema import FILES
from models.tables import SQLModel


def test_compare_results_names_key_column_and_run():
    stored = pd.DataFrame({"nip": ["1", "2", "3"], "predikat_final": ["Baik", "Sangat Baik", "Kurang"],
                           "capaian_hasil_kerja": [100.0, 95.0 + 1e-12, 80.0], "alasan": [None, "", "x"],
                           "stage_run_id": [7, 7, 7]})
    recomputed = pd.DataFrame({"nip": ["1", "2", "4"], "predikat_final": ["Baik", "Baik", "Baik"],
                               "capaian_hasil_kerja": [100.0, 95.0, 70.0], "alasan": ["", None, "y"]})
    temuan = compare_results("hasil_penilaian", stored, recomputed, "nip",
                             ["predikat_final", "capaian_hasil_kerja", "alasan"])
    found = {(t.kunci, t.stage_run_id): t.uraian for t in temuan}
    assert found == {
        ("nip=4", None): "baris hasil hitung ulang tidak ada di basis data: baris dihapus",
        ("nip=3", 7): "baris tersimpan tidak dihasilkan oleh hitung ulang: baris disisipkan",
        ("nip=2", 7): "predikat_final: tersimpan 'Sangat Baik', hitung ulang 'Baik'",
    }
    assert {t.bagian for t in temuan} == {"hitung_ulang"} and {t.tabel for t in temuan} == {"hasil_penilaian"}


def test_compare_results_quotes_numbers_and_nulls():
    stored = pd.DataFrame({"nip": ["1", "2"], "nilai": [1.5, None], "stage_run_id": [None, 3]})
    recomputed = pd.DataFrame({"nip": ["1", "2"], "nilai": [2.0, 4.0]})
    found = {(t.kunci, t.stage_run_id): t.uraian
             for t in compare_results("t", stored, recomputed, "nip", ["nilai"])}
    assert found == {("nip=1", None): "nilai: tersimpan 1.5, hitung ulang 2.0",
                     ("nip=2", 3): "nilai: tersimpan NULL, hitung ulang 4.0"}


def test_compare_results_caps_the_listing():
    stored = pd.DataFrame({"nip": [str(i) for i in range(30)], "nilai": 1.0, "stage_run_id": 1})
    temuan = compare_results("t", stored, stored.assign(nilai=2.0).drop(columns="stage_run_id"), "nip",
                             ["nilai"], limit=5)
    assert len(temuan) == 6 and temuan[-1].uraian == "dan 25 baris lainnya"


def test_ruleset_name_from_label():
    assert ruleset_name("permenpan-6-2022 v1.0.0") == "permenpan-6-2022"
    assert ruleset_name("instansi v2 khusus v1.2") == "instansi v2 khusus"
    assert ruleset_name(None) is None
    assert ruleset_name("") is None


def test_recomputed_tables_and_snapshots_exist_in_the_schema():
    tables = SQLModel.metadata.tables
    for name, (key, columns) in RECOMPUTED.items():
        assert {key, *columns, "stage_run_id"} <= set(tables[name].c.keys()), name
    for name, sheet in SNAPSHOTS.items():
        assert sheet in FILES and "stage_run_id" in tables[name].c


def test_a_missing_snapshot_rebuilds_as_an_empty_frame_with_the_reader_columns():
    frames = rebuild_frames({}, 2026)
    assert set(frames) == set(SNAPSHOTS.values())
    skp = frames["skp"]
    assert skp.empty and list(skp.columns) == [*FILES["skp"].columns, "_baris"]
    realisasi = rebuild_frames({"realisasi": pd.DataFrame({
        "id_indikator": ["a"], "periode": ["2026-07"], "realisasi": [3]})}, 2026)["realisasi"]
    assert realisasi["bulan"].tolist() == [7] and realisasi["_baris"].tolist() == [2]
    assert realisasi["realisasi"].dtype == np.float64 and realisasi["realisasi"].tolist() == [3.0]


def test_rebuilt_frames_score_exactly_like_the_read_frames(tmp_path: Path):
    """Snapshot tables (what the database keeps) rebuild frames that score identically."""
    from contract.reader import read_inputs
    from contract.values import check_values
    from kinerja.demo.generator import generate
    from penilaian.ruleset import load_ruleset
    from penilaian.year_end import score_year_end
    from stages import registry

    generate(tmp_path, pegawai=60, tahun=2026, seed=3, bad_rows=False)
    required, optional = registry.get("year-end").required, registry.get("year-end").optional
    raw, _ = read_inputs(tmp_path, required, optional)
    frames, _, _ = check_values(raw, 2026, "year-end")
    helper = ["_baris", "bulan", "semester", "tahun"]
    snapshots = {table: frames[sheet] for table, sheet in SNAPSHOTS.items()}
    snapshots = {name: f.drop(columns=[c for c in helper if c in f]).astype(object).where(f.notna(), None)
                 for name, f in snapshots.items()}
    rules = load_ruleset()
    expected = score_year_end(frames, rules, 2026)
    rebuilt = score_year_end(rebuild_frames(snapshots, 2026), rules, 2026)
    pd.testing.assert_frame_equal(rebuilt.hasil, expected.hasil)
    pd.testing.assert_frame_equal(rebuilt.indikator, expected.indikator)
    pd.testing.assert_frame_equal(rebuilt.bias, expected.bias)
