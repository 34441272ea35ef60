"""Every stage of the registry in order, each its own flow run, on SQLite and PostgreSQL: every output
written, and byte-identical on an independent rerun. (The cycle flow itself: test_cycle.py.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from bench.same_outputs import without_run_times
from stages import registry
from tests.flows.stage_calls import TAHUN, count, run

pytestmark = pytest.mark.slow


def test_whole_cycle_writes_every_output_and_is_byte_identical_on_rerun(
    prefect_harness: None, demo_input: Path, tmp_path: Path, db_url: str
) -> None:
    out_a, out_b = tmp_path / "a", tmp_path / "b"
    for stage in registry.names():
        run(stage, demo_input, out_a, db_url)
    year = out_a / str(TAHUN)
    for name in ("karantina.csv", "pemantauan_tengah_tahun.csv", "hasil_penilaian.csv", "bias_penilai.csv",
                 "rekomendasi_pelatihan.csv", "gerbang_plan-collection.html", "gerbang_validation.html",
                 "gerbang_mid-year.html", "gerbang_year-end.html", "gerbang_training.html"):
        assert (year / name).exists(), name
    hasil = pd.read_csv(year / "hasil_penilaian.csv", dtype=str)
    assert list(hasil.columns) == ["nip", "nama", "kode_unit", "capaian_hasil_kerja", "rating_hasil_kerja",
                                   "nilai_perilaku", "rating_perilaku", "predikat", "predikat_final",
                                   "alasan_kalibrasi"]
    assert hasil["nip"].is_monotonic_increasing
    assert len(list((year / "dokumen").glob("*.html"))) == len(hasil)
    assert count(db_url, "hasil_penilaian") == len(hasil)
    units = pd.read_csv(demo_input / "unit_kerja.csv", dtype=str)["kode_unit"]
    assert all((year / f"ringkasan_{kode}.html").exists() for kode in units)

    # A second, independent run on a fresh database gives the same bytes.
    db_b = f"sqlite:///{tmp_path / 'b.db'}"
    for stage in registry.names():
        run(stage, demo_input, out_b, db_b)
    for path in sorted(p for p in year.rglob("*") if p.is_file()):
        twin = out_b / str(TAHUN) / path.relative_to(year)
        if path.name == "index.html":  # it shows the run history: when each stage ran, and how long
            continue
        assert path.read_bytes() == twin.read_bytes(), path.name
    # the index of the second run differs from the first only where it shows those runs
    first, second = ((folder / str(TAHUN) / "index.html").read_text(encoding="utf-8")
                     for folder in (out_a, out_b))
    assert without_run_times(first) == without_run_times(second)


def test_karantina_csv_lists_each_problem_once_under_the_first_stage_that_found_it(
    prefect_harness: None, demo_input: Path, tmp_path: Path, db_url: str
) -> None:
    from kinerja.demo.bad_rows import INVALID_NIP
    from models.db import get_engine, read_frame

    folder = tmp_path / "input"
    shutil.copytree(demo_input, folder)
    out, key = tmp_path / "out", ["berkas", "baris", "kolom", "kode_aturan"]
    stages = registry.names()[:3]  # plan-collection, validation, mid-year: all read pegawai.csv and skp.csv
    for stage in stages:
        run(stage, folder, out, db_url)
    path = out / str(TAHUN) / "karantina.csv"
    karantina = pd.read_csv(path, dtype=str, keep_default_na=False)

    # Each stage run keeps in the database everything its own gate found (the audit trail), so the
    # problems of pegawai.csv and skp.csv are there once per stage run ...
    stored = read_frame(get_engine(db_url), "select k.berkas, k.baris, k.kolom, k.kode_aturan, k.tahap, "
                        "s.id from karantina k join stage_run s on s.id = k.stage_run_id order by s.id")
    stored["baris"] = stored["baris"].astype(int).astype(str)
    assert stored.groupby(key)["tahap"].nunique().max() == len(stages)
    # ... but karantina.csv lists each problem once, under the first stage (in cycle order) that found it.
    assert not karantina.duplicated(key).any() and len(karantina) < len(stored)
    first = stored.sort_values("id", kind="stable").drop_duplicates(key).set_index(key)["tahap"]
    assert karantina.set_index(key)["tahap"].sort_index().to_dict() == first.sort_index().to_dict()
    assert set(karantina.loc[karantina["berkas"] == "pegawai.csv", "tahap"]) == {"plan-collection"}
    assert set(karantina.loc[karantina["berkas"] == "perilaku.csv", "tahap"]) == {"validation"}

    # The pegawai.csv row with the impossible NIP is corrected (deleted): re-running the first two
    # stages leaves no stale row of it, though the mid-year run (not re-run) had found it too.
    lines = (folder / "pegawai.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "pegawai.csv").write_text("".join(x for x in lines if not x.startswith(INVALID_NIP)),
                                        encoding="utf-8")
    unknown_unit = karantina[karantina["kode_aturan"] == "UNIT_TIDAK_ADA"]
    invalid = karantina[karantina["nilai"] == INVALID_NIP]
    assert len(invalid) == 1 and len(unknown_unit) == 1
    assert int(unknown_unit["baris"].iloc[0]) > int(invalid["baris"].iloc[0]), "the demo appends it after"
    for stage in stages[:2]:
        run(stage, folder, out, db_url)
    after = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert not (after["nilai"] == INVALID_NIP).any() and not after.duplicated(key).any()
    moved = after[after["kode_aturan"] == "UNIT_TIDAK_ADA"]
    assert moved[["baris", "tahap"]].values.tolist() == [
        [str(int(unknown_unit["baris"].iloc[0]) - 1), "plan-collection"]]
    assert len(after) == len(karantina) - 1
