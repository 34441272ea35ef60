"""Every stage of the registry in order, each its own flow run, on SQLite and PostgreSQL: every output
written, and byte-identical on an independent rerun. (The cycle flow itself: test_cycle.py.)"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

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
        assert path.read_bytes() == twin.read_bytes(), path.name
