"""The SQLite bulk writer (models.sqlite_bulk): a forked process writing through ADBC stores exactly what the
sqlite3 path stores, all or nothing, and its errors reach the flow process."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, text

from kinerja import forked
from models.db import get_engine, migrate, replace_rows, transaction
from models.sqlite_bulk import bulk_writer, uses_bulk
from models.stage_runs import insert_run

TAHUN = 2026


def _engine(path: Path) -> tuple[Engine, int]:
    engine = get_engine(f"sqlite:///{path}")
    migrate(engine)
    return engine, insert_run(engine, tahun=TAHUN, tahap="training", input_checksums="{}")


def _angka_kredit(n: int) -> pd.DataFrame:
    """angka_kredit_hasil rows in every kind of column a stage hands over: categories, Arrow and object text
    (one value a number), floats with NaN, nullable integers, floats with NA, booleans; not in key order."""
    nips = [f"19{i:016d}" for i in range(n)][::-1]
    return pd.DataFrame({
        "nip": pd.Categorical(nips),
        "kode_unit": pd.array([f"U{i % 7}" for i in range(n)], dtype="string[pyarrow]"),
        "jenjang": ["ahli_muda" if i % 2 else "Ñ ahli\tpertama" for i in range(n)],
        "golongan": pd.Categorical(["III/c", "III/d"] * (n // 2) + ["IV/a"] * (n % 2)),
        "predikat_ditetapkan": "Baik",
        "persentase": np.linspace(0.5, 1.5, n),
        "koefisien": 12.5,
        "bulan": pd.array([12 if i % 3 else 6 for i in range(n)], dtype="Int64"),
        "ak_tahun": np.linspace(0.1, 30.0, n) / 3,
        "ak_awal": 100.0,
        "ak_kumulatif": np.linspace(100, 130, n),
        "langkah_berikutnya": pd.Series(["pangkat", 7] * (n // 2) + ["puncak"] * (n % 2), dtype=object),
        "ambang": [np.nan if i % 4 == 0 else 150.0 + i for i in range(n)],
        "memenuhi": ["ya", "tidak"] * (n // 2) + ["ya"] * (n % 2),
        "kekurangan": pd.array([None if i % 5 == 0 else i / 7 for i in range(n)], dtype="Float64"),
        "uji_kompetensi": [i % 3 == 0 for i in range(n)],
    })


def _stored(engine: Engine) -> list[tuple]:
    """Every row of the table with each value's SQLite storage class."""
    with engine.connect() as conn:
        columns = [row[1] for row in conn.execute(text("PRAGMA table_info(angka_kredit_hasil)"))]
        typed = ", ".join(f'"{c}", typeof("{c}")' for c in columns)
        query = text(f"SELECT {typed} FROM angka_kredit_hasil ORDER BY rowid")
        return [tuple(r) for r in conn.execute(query)]


def _prepare(run_id: int):
    return lambda frame: frame.assign(tahun=TAHUN, stage_run_id=run_id)


def test_the_forked_writer_stores_what_the_sqlite3_path_stores(tmp_path):
    frame = _angka_kredit(251)
    bulk, bulk_run = _engine(tmp_path / "bulk.db")
    plain, plain_run = _engine(tmp_path / "plain.db")
    assert uses_bulk(bulk)
    tables = {"angka_kredit_hasil": frame}
    forked.peak_private_bytes()
    with bulk_writer(bulk, tables, _prepare(bulk_run), tahun=TAHUN) as write:
        assert write("angka_kredit_hasil", _prepare(bulk_run)(frame)) == len(frame)
    assert forked.peak_private_bytes() is not None  # the writer's own memory, for the benchmark
    with transaction(plain) as conn:
        replace_rows(conn, "angka_kredit_hasil", _prepare(plain_run)(frame), tahun=TAHUN)
    assert bulk_run == plain_run
    got, expected = _stored(bulk), _stored(plain)
    assert len(got) == len(frame)
    assert got == expected
    kinds = {row[i + 1] for row in got for i in range(0, len(row), 2)}
    assert kinds == {"integer", "real", "text", "null"}


def _write(engine: Engine, run: int, frame: pd.DataFrame) -> None:
    with bulk_writer(engine, {"angka_kredit_hasil": frame}, _prepare(run), tahun=TAHUN) as write:
        write("angka_kredit_hasil", frame)


def test_batches_and_key_order_across_many_rows(tmp_path, monkeypatch):
    from models import sqlite_bulk

    monkeypatch.setattr(sqlite_bulk, "_BATCH", 7)
    frame = _angka_kredit(50)
    engine, run = _engine(tmp_path / "bulk.db")
    _write(engine, run, frame)
    stored_nips = [row[2] for row in _stored(engine)]
    assert stored_nips == sorted(frame["nip"].astype(str))


def test_an_error_in_the_block_commits_nothing(tmp_path):
    engine, run = _engine(tmp_path / "k.db")
    _write(engine, run, _angka_kredit(10))
    before = _stored(engine)
    later = {"angka_kredit_hasil": _angka_kredit(3)}
    with pytest.raises(RuntimeError, match="digest failed"):
        with bulk_writer(engine, later, _prepare(run), tahun=TAHUN) as write:
            write("angka_kredit_hasil", later["angka_kredit_hasil"])
            raise RuntimeError("digest failed")
    assert _stored(engine) == before
    _write(engine, run, _angka_kredit(3))
    assert len(_stored(engine)) == 3  # the database is not left locked


def test_the_writers_own_error_reaches_the_flow_process_and_commits_nothing(tmp_path):
    engine, run = _engine(tmp_path / "k.db")
    _write(engine, run, _angka_kredit(4))
    before = _stored(engine)
    duplicated = pd.concat([_angka_kredit(5), _angka_kredit(5).iloc[:1]], ignore_index=True)
    with pytest.raises(Exception, match="UNIQUE constraint failed") as raised:
        _write(engine, run, duplicated)
    assert any("SQLite writer process" in note for note in raised.value.__notes__)
    assert _stored(engine) == before


def test_memory_databases_keep_the_sqlalchemy_transaction():
    assert not uses_bulk(get_engine("sqlite://"))
    assert not uses_bulk(get_engine("sqlite:///:memory:"))
