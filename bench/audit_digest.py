"""Measure the audit digest on N hasil_penilaian rows: in memory, and streamed from SQLite / PostgreSQL.

Usage: `.venv/bin/python bench/audit_digest.py [N] [POSTGRES_URL]` (N defaults to 1,000,000; the
PostgreSQL URL names a scratch database the bench may fill). Prints seconds per step and rows/second.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from audit.digest import _kind, digest_frame, table_digest
from models.db import get_engine, migrate, replace_rows, table, transaction


def hasil_frame(n: int, stage_run_id: int) -> pd.DataFrame:
    """n synthetic year-end rows with realistic widths (18-digit nip, names, unrounded floats)."""
    rng = np.random.default_rng(7)
    nip = pd.Series(np.arange(n, dtype="int64") + 196001011990011000).astype("str")
    rating = np.array(["di_atas", "sesuai", "di_bawah"])
    predikat = np.array(["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"])
    return pd.DataFrame({
        "tahun": 2026, "nip": nip, "nama": "Pegawai " + nip.str[-6:],
        "kode_unit": "U" + pd.Series(rng.integers(0, 5000, n)).astype("str"), "kode_instansi": "I1",
        "capaian_hasil_kerja": rng.uniform(40, 120, n),
        "rating_hasil_kerja_hitung": rating[rng.integers(0, 3, n)],
        "rating_hasil_kerja": rating[rng.integers(0, 3, n)], "nilai_perilaku": rng.uniform(1, 5, n),
        "rating_perilaku_hitung": rating[rng.integers(0, 3, n)],
        "rating_perilaku": rating[rng.integers(0, 3, n)],
        "alasan_override": None, "predikat": predikat[rng.integers(0, 5, n)],
        "predikat_final": predikat[rng.integers(0, 5, n)], "alasan_kalibrasi": "",
        "ruleset_label": "permenpan-6-2022 v1.0.0", "stage_run_id": stage_run_id,
    })


def _timed(label: str, n: int, fn):
    start = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - start
    print(f"{label}: {seconds:.2f} s ({n / seconds:,.0f} baris/detik)")
    return value


def bench_database(url: str, frame: pd.DataFrame) -> dict:
    engine = get_engine(url)
    migrate(engine)
    runs = table("stage_run")
    with transaction(engine) as conn:
        rid = conn.execute(runs.insert().values(tahun=2026, tahap="bench", started_at=datetime.now(UTC),
                                                outcome="berjalan", counts="{}", input_checksums="{}")
                           ).inserted_primary_key[0]
        _timed(f"  tulis {engine.dialect.name}", len(frame),
               lambda: replace_rows(conn, "hasil_penilaian", frame.assign(stage_run_id=rid), tahun=2026))
    stored = _timed(f"  digest dari {engine.dialect.name}", len(frame),
                    lambda: table_digest(engine, "hasil_penilaian", rid))
    kinds = {c.name: _kind(c) for c in table("hasil_penilaian").columns if c.name != "id"}
    expected = digest_frame("hasil_penilaian", frame.assign(stage_run_id=rid), kinds, ["tahun", "nip"])
    print(f"  sama dengan digest di memori: {stored == expected}")
    return stored


def main(n: int, postgres_url: str | None) -> None:
    frame = hasil_frame(n, 1)
    kinds = {c.name: _kind(c) for c in table("hasil_penilaian").columns if c.name != "id"}
    _timed("digest di memori (urut + teks kanonik + sha256)", n,
           lambda: digest_frame("hasil_penilaian", frame, kinds, ["tahun", "nip"]))
    with tempfile.TemporaryDirectory() as tmp:
        bench_database(f"sqlite:///{Path(tmp) / 'bench.db'}", frame)
    if postgres_url:
        bench_database(postgres_url, frame)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000, sys.argv[2] if len(sys.argv) > 2 else None)
