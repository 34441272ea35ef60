"""Recomputation from the archive: frames rebuilt from snapshot tables, stored vs recomputed results."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from audit.recompute import (
    HITUNGAN,
    HITUNGAN_BY_TAHAP,
    RECOMPUTED,
    SNAPSHOTS,
    compare_results,
    rebuild_frames,
    recompute_stage,
    ruleset_name,
)
from contract.schema import FILES
from models.tables import SQLModel
from stages import registry


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
    assert [h.tahap for h in HITUNGAN] == ["mid-year", "year-end", "objection", "training"]
    assert [h.tahap for h in HITUNGAN] == [t for t in registry.names() if t in HITUNGAN_BY_TAHAP], \
        "in cycle order"
    for hitungan in HITUNGAN:
        for name, (key, columns) in hitungan.hasil.items():
            assert {*key, *columns, "stage_run_id"} <= set(tables[name].c.keys()), name
        for name, sheet in hitungan.arsip.items():
            assert sheet in FILES and "stage_run_id" in tables[name].c, name
            assert set(FILES[sheet].columns) - {"tahun"} <= set(tables[name].c.keys()), name
        assert set(hitungan.arsip_sendiri) <= set(hitungan.arsip)
        assert set(hitungan.arsip_baru) <= set(hitungan.arsip) - set(hitungan.arsip_sendiri)
        assert {t for tables in hitungan.arsip_baru.values() for t in tables} <= set(hitungan.hasil)
    assert RECOMPUTED == {name: (key[0], columns)
                          for name, (key, columns) in HITUNGAN_BY_TAHAP["year-end"].hasil.items()}


def test_compare_results_on_a_composite_key_names_every_key_column_and_the_run_of_a_deleted_row():
    stored = pd.DataFrame({"nip": ["1", "1"], "kode_pelatihan": ["A", "B"], "jp": [8.0, 4.0],
                           "stage_run_id": [9, 9]})
    recomputed = pd.DataFrame({"nip": ["1", "1", "2"], "kode_pelatihan": ["A", "B", "A"],
                               "jp": [8.0, 6.0, 8.0]})
    found = [(t.kunci, t.stage_run_id, t.uraian) for t in compare_results(
        "rekomendasi_pelatihan", stored, recomputed, ["nip", "kode_pelatihan"], ["jp"], stage_run_id=9)]
    assert found == [
        ("nip=2, kode_pelatihan=A", 9, "baris hasil hitung ulang tidak ada di basis data: baris dihapus"),
        ("nip=1, kode_pelatihan=B", 9, "jp: tersimpan 4.0, hitung ulang 6.0")]


def test_compare_results_reads_stored_booleans_however_the_driver_returns_them():
    stored = pd.DataFrame({"nip": ["1", "2", "3"], "keberatan": [1, "t", False], "stage_run_id": 4})
    recomputed = pd.DataFrame({"nip": ["1", "2", "3"], "keberatan": [True, True, True]})
    found = [(t.kunci, t.uraian) for t in compare_results("predikat_ditetapkan", stored, recomputed, "nip",
                                                           ["keberatan"])]
    assert found == [("nip=3", "keberatan: tersimpan False, hitung ulang True")]


def test_a_stored_line_number_is_the_rebuilt_rows_line():
    keberatan = pd.DataFrame({"nip": ["1", "1"], "baris": [9, 4], "tahun": [2026, 2026]})
    frames = rebuild_frames({"keberatan": keberatan}, 2026, {"keberatan": "keberatan"})
    assert frames["keberatan"]["_baris"].tolist() == [9, 4]
    assert frames["keberatan"]["tahun"].tolist() == [2026, 2026]


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


def _as_stored(frames: dict[str, pd.DataFrame], arsip: dict[str, str]) -> dict[str, pd.DataFrame]:
    """The checked frames as the snapshot tables give them back: no helper columns, NULL for missing."""
    helper = ["_baris", "bulan", "semester", "tahun"]
    return {name: frames[sheet].drop(columns=[c for c in helper if c in frames[sheet]]).astype(object)
            .where(frames[sheet].notna(), None) for name, sheet in arsip.items() if sheet in frames}


def test_rebuilt_frames_monitor_and_recommend_exactly_like_the_read_frames(tmp_path: Path):
    """Mid-year from the SKP and the realisasi rows it archived, training from the year-end archive plus
    the catalogue and training history: the same tables as the stages computed from the files."""
    from contract.reader import read_inputs
    from contract.values import check_values
    from kinerja.demo.generator import generate
    from penilaian.capaian import baris_realisasi_akhir
    from penilaian.keberatan import review_objections
    from penilaian.monitoring import monitor_mid_year
    from penilaian.ruleset import load_ruleset
    from penilaian.training import recommend_trainings, tabel_tindak_lanjut
    from penilaian.year_end import score_year_end

    generate(tmp_path, pegawai=60, tahun=2026, seed=3, bad_rows=False)
    rules = load_ruleset()

    def checked(tahap: str) -> dict[str, pd.DataFrame]:
        stage = registry.get(tahap)
        raw, _ = read_inputs(tmp_path, stage.required, stage.optional)
        return check_values(raw, 2026, tahap)[0]

    def never():
        raise AssertionError("mid-year does not build on year-end")

    frames = checked("mid-year")
    realisasi = frames["realisasi"]
    used = realisasi.iloc[baris_realisasi_akhir(realisasi, rules.pemantauan.bulan_batas, 2026)]
    assert len(used) < len(frames["realisasi"]), "the archive keeps one row per indicator"
    arsip = HITUNGAN_BY_TAHAP["mid-year"].arsip
    stored = _as_stored({**frames, "realisasi": used}, arsip)
    rebuilt = recompute_stage("mid-year", rebuild_frames(stored, 2026, arsip), rules, 2026, never)
    pd.testing.assert_frame_equal(rebuilt["pemantauan"], monitor_mid_year(frames, rules, 2026).pemantauan)

    frames = checked("training")
    arsip = HITUNGAN_BY_TAHAP["training"].arsip
    rebuilt_frames = rebuild_frames(_as_stored(frames, arsip), 2026, arsip)
    rebuilt = recompute_stage("training", rebuilt_frames, rules, 2026,
                              lambda: score_year_end(rebuilt_frames, rules, 2026))
    year_end = score_year_end(frames, rules, 2026)
    keberatan = review_objections(frames, year_end, rules, 2026)
    assert len(keberatan.keputusan), "the demo files have objections, decided by the archived ones too"
    expected = recommend_trainings(year_end, frames, rules, 2026, keberatan)
    assert len(expected.rekomendasi) and len(expected.tindak_lanjut)
    pd.testing.assert_frame_equal(rebuilt["rekomendasi_pelatihan"], expected.rekomendasi)
    pd.testing.assert_frame_equal(rebuilt["tindak_lanjut"], tabel_tindak_lanjut(expected))


def test_rebuilt_angka_kredit_rows_convert_exactly_like_the_read_file(tmp_path: Path):
    """angka_kredit.csv as training archives it (every row that passed the value rules, with its line;
    an empty bulan stored as NULL) rebuilds a frame the conversion treats exactly like the file's: the
    same angka kredit and the same quarantine, on the same lines."""
    from contract.reader import read_inputs
    from contract.values import check_values
    from kinerja.demo.generator import generate
    from penilaian.angka_kredit import ANGKA_KREDIT_COLUMNS, convert_angka_kredit
    from penilaian.keberatan import review_objections
    from penilaian.ruleset import load_ruleset
    from penilaian.year_end import score_year_end
    from tests.audit.archive import AK_BARIS, add_functional_officials

    generate(tmp_path, pegawai=40, tahun=2026, seed=5, bad_rows=False)
    add_functional_officials(tmp_path)
    with (tmp_path / "angka_kredit.csv").open("a", encoding="utf-8") as f:  # quarantined by a value rule
        f.write("199901012025011001,ahli_muda,III/c,5,12\n")
    rules = load_ruleset()
    stage = registry.get("training")
    raw, _ = read_inputs(tmp_path, stage.required, stage.optional)
    frames = check_values(raw, 2026, "training")[0]
    filed = frames["angka_kredit"]
    assert filed["_baris"].tolist() == list(range(2, len(AK_BARIS) + 2)), "the last line did not pass"
    stored = filed.drop(columns="_baris").assign(baris=filed["_baris"], tahun=2026, stage_run_id=1)
    stored = stored.astype(object).where(stored.notna(), None)
    assert stored["bulan"].tolist()[0] is None, "AK_BARIS[0] leaves bulan empty"

    arsip = HITUNGAN_BY_TAHAP["training"].arsip
    others = {name: sheet for name, sheet in arsip.items() if name != "angka_kredit"}
    rebuilt = rebuild_frames({**_as_stored(frames, others), "angka_kredit": stored}, 2026, arsip)
    pd.testing.assert_frame_equal(rebuilt["angka_kredit"], filed.reset_index(drop=True))
    recomputed = recompute_stage("training", rebuilt, rules, 2026,
                                 lambda: score_year_end(rebuilt, rules, 2026))
    keberatan = review_objections(frames, score_year_end(frames, rules, 2026), rules, 2026)
    expected = convert_angka_kredit(frames, keberatan.akhir[["nip", "predikat_ditetapkan"]], rules, 2026)
    assert len(expected.hasil) == len(AK_BARIS) - 1 and len(expected.karantina) == 1
    pd.testing.assert_frame_equal(recomputed["angka_kredit_hasil"], expected.hasil)
    key, compared = HITUNGAN_BY_TAHAP["training"].hasil["angka_kredit_hasil"]
    assert key == ("nip",) and set(ANGKA_KREDIT_COLUMNS) - {"nip"} <= set(compared), "every CSV column"
