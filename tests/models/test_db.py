"""The database module: engines, migrations, set-based writes in one transaction, and reads."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import psycopg
import pytest
import sqlalchemy
from sqlalchemy import Engine, text

from models import db
from models.db import get_engine, migrate, read_frame, read_year, redact, replace_rows, table, transaction
from models.stage_runs import insert_run

TAHUN = 2026
# replace_rows writes through the driver: its own error for a duplicate key
DUPLICATE_KEY = (sqlite3.IntegrityError, psycopg.errors.IntegrityError, sqlalchemy.exc.IntegrityError)


def pegawai(*nips: str, **extra: object) -> pd.DataFrame:
    return pd.DataFrame({"nip": list(nips), "nama": [f"Nama {n}" for n in nips], "kode_unit": "U1",
                         "jabatan": "Analis", "jenis_jabatan": "fungsional"}).assign(**extra)


def stored(engine: Engine, sql: str = "select tahun, nip, nama, email, stage_run_id from pegawai "
                                       "order by tahun, nip") -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


@pytest.fixture
def run_id(engine: Engine) -> int:
    return insert_run(engine, tahun=TAHUN, tahap="plan-collection", input_checksums="{}")


# ---------------------------------------------------------------- urls and engines


def test_redact_hides_the_password_and_never_leaks_a_bad_url():
    shown = redact("postgresql+psycopg://kinerja:rahasia@db.example:5432/kinerja")
    assert "rahasia" not in shown and shown == "postgresql+psycopg://kinerja:***@db.example:5432/kinerja"
    assert redact("sqlite:///data/kinerja.db") == "sqlite:///data/kinerja.db"
    assert redact("bukan url rahasia") == "<url tidak valid / invalid url>"


def test_one_engine_per_url_and_sqlite_gets_its_folder_and_wal(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'baru' / 'dalam' / 'kinerja.db'}"
    engine = get_engine(url)
    assert get_engine(url) is engine
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert (tmp_path / "baru" / "dalam").is_dir()


def test_migrate_is_idempotent_and_makes_sealed_records_append_only(engine: Engine, run_id: int):
    migrate(engine)
    assert stored(engine, "select version_num from alembic_version") == [("0007",)]
    with engine.begin() as conn:
        conn.execute(text("update stage_run set record_hash = 'x' where id = :i"), {"i": run_id})
    for statement in ("update stage_run set pesan = 'ubah' where id = :i",
                      "delete from stage_run where id = :i"):
        with pytest.raises(sqlalchemy.exc.DBAPIError, match="hanya-tambah"), engine.begin() as conn:
            conn.execute(text(statement), {"i": run_id})


def test_table_by_name():
    assert table("pegawai").name == "pegawai"
    with pytest.raises(KeyError):
        table("tidak_ada")


# ---------------------------------------------------------------- writes


def test_replace_rows_replaces_only_the_matching_rows(engine: Engine, run_id: int):
    with transaction(engine) as conn:
        assert replace_rows(conn, "pegawai", pegawai("1", "2", tahun=TAHUN, stage_run_id=run_id),
                            tahun=TAHUN) == 2
        replace_rows(conn, "pegawai", pegawai("1", tahun=TAHUN - 1, stage_run_id=run_id), tahun=TAHUN - 1)
    frame = pegawai("3", tahun=TAHUN, stage_run_id=run_id, email=[pd.NA], kolom_lain="diabaikan")
    with transaction(engine) as conn:
        assert replace_rows(conn, "pegawai", frame, tahun=TAHUN) == 1
    assert stored(engine) == [(TAHUN - 1, "1", "Nama 1", None, run_id), (TAHUN, "3", "Nama 3", None, run_id)]
    with transaction(engine) as conn:
        assert replace_rows(conn, "pegawai", pegawai().assign(tahun=[], stage_run_id=[]), tahun=TAHUN) == 0
    assert stored(engine) == [(TAHUN - 1, "1", "Nama 1", None, run_id)], "an empty frame still deletes"


def test_replace_rows_in_batches_keeps_every_row_and_value(
    engine: Engine, run_id: int, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(db, "_BATCH", 3)
    monkeypatch.setattr(db, "_COPY_BATCH", 3)
    nips = [f"{i:02d}" for i in range(8)]
    emails = [None if i % 3 == 0 else f"p{i}@contoh.go.id" for i in range(8)]
    frame = pegawai(*nips, tahun=TAHUN, stage_run_id=run_id, email=emails)
    with transaction(engine) as conn:
        assert replace_rows(conn, "pegawai", frame, tahun=TAHUN) == 8
    assert stored(engine) == [(TAHUN, n, f"Nama {n}", e, run_id) for n, e in zip(nips, emails, strict=True)]


def _chunks(values: pd.Series) -> int:
    return values.array.__arrow_array__().num_chunks


def test_one_chunk_joins_the_text_columns_of_a_frame_put_together_from_parts():
    parts = [pd.DataFrame({"nip": [f"{p}{i}" for i in range(3)], "email": [None, f"{p}@x", "y"],
                           "kode_unit": pd.Categorical(["U1", "U2", "U1"]),
                           "n": pd.array([1, None, 3], "Int64"), "nilai": [0.5, 1.5, 2.5]})
             for p in "abc"]
    whole = pd.concat(parts, ignore_index=True)
    assert _chunks(whole["nip"]) == 3
    joined = db.one_chunk(whole)
    assert _chunks(joined["nip"]) == _chunks(joined["email"]) == 1
    pd.testing.assert_frame_equal(joined, whole)  # same values, dtypes, index, NA
    assert db.one_chunk(joined) is joined, "a frame already in one chunk per column is not copied"


def test_rows_of_a_many_chunk_frame_are_written_in_key_order_with_every_value(
    engine: Engine, run_id: int, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(db, "_BATCH", 2)
    monkeypatch.setattr(db, "_COPY_BATCH", 2)
    nips = ["05", "02", "07", "01", "06", "03", "04"]
    parts = [pegawai(*nips[i:i + 2], tahun=TAHUN, stage_run_id=run_id, email=[f"e{n}" for n in nips[i:i + 2]])
             for i in range(0, 7, 2)]
    frame = pd.concat(parts, ignore_index=True)
    assert _chunks(frame["nip"]) == 4
    with transaction(engine) as conn:
        assert replace_rows(conn, "pegawai", frame, tahun=TAHUN) == 7
    assert stored(engine) == [(TAHUN, n, f"Nama {n}", f"e{n}", run_id) for n in sorted(nips)]


# text the COPY CSV must not mistake for syntax: quotes, separators, line breaks, backslashes, the
# end-of-data marker, an empty string (not NULL), spaces kept as they are, non-ASCII
HOSTILE_TEXT = ['say "ya"', "a,b;c", "baris 1\nbaris 2\r\n", "C:\\arsip\\", "\\.", "", "  spasi  ",
                "NULL", "\\N", "ñ · 東京 · 🙂", "tab\there"]


@pytest.mark.parametrize("batch", [2, 1_000])
def test_hostile_text_floats_and_booleans_are_stored_exactly_as_given(
    engine: Engine, run_id: int, monkeypatch: pytest.MonkeyPatch, batch: int
):
    monkeypatch.setattr(db, "_BATCH", batch)
    monkeypatch.setattr(db, "_COPY_BATCH", batch)
    n = len(HOSTILE_TEXT)
    floats = [0.1 + 0.2, -0.0, 1e-300, 1.7976931348623157e308, 2 / 3, float("nan"), 5e-324, 123456789.125,
              -1.5, float("inf"), 1e22]
    capaian = pd.DataFrame({
        "id_indikator": [f"I{i:02d}" for i in range(n)], "nip": pd.array(HOSTILE_TEXT, dtype="str"),
        "jenis": pd.Categorical(HOSTILE_TEXT), "target": [3.0 if pd.isna(f) else f for f in floats],
        "realisasi": floats, "capaian": [i / 7 for i in range(n)],
        "level": pd.array(HOSTILE_TEXT[::-1], dtype=object),
    })
    predikat = pd.DataFrame({"nip": [f"N{i:02d}" for i in range(n)], "kode_unit": HOSTILE_TEXT,
                             "predikat_final": "Baik", "keberatan": [i % 3 == 0 for i in range(n)],
                             "predikat_ditetapkan": pd.array(HOSTILE_TEXT, dtype="str")})
    with transaction(engine) as conn:
        replace_rows(conn, "capaian_indikator", capaian.assign(tahun=TAHUN, stage_run_id=run_id), tahun=TAHUN)
        replace_rows(conn, "predikat_ditetapkan", predikat.assign(tahun=TAHUN, stage_run_id=run_id),
                     tahun=TAHUN)
    rows = stored(engine, "select id_indikator, nip, jenis, target, realisasi, capaian, level "
                          "from capaian_indikator order by id_indikator")
    expected = [(f"I{i:02d}", text_, text_, t, None if pd.isna(r) else r, i / 7, HOSTILE_TEXT[::-1][i])
                for i, (text_, t, r) in enumerate(zip(HOSTILE_TEXT, capaian["target"], floats,
                                                      strict=True))]
    assert rows == expected  # floats compare exactly: the same double, not a rounded one
    assert repr(rows[0][4]) == repr(0.1 + 0.2), "every digit"
    if engine.dialect.name == "postgresql":  # (SQLite stores an integral REAL as an integer: -0.0 is 0.0)
        assert repr(rows[1][4]) == "-0.0", "the sign of zero"
    decided = stored(engine, "select nip, kode_unit, keberatan, predikat_ditetapkan from predikat_ditetapkan "
                             "order by nip")
    assert decided == [(f"N{i:02d}", t, i % 3 == 0, t) for i, t in enumerate(HOSTILE_TEXT)]


def test_a_number_in_a_text_column_is_stored_as_its_text(engine: Engine, run_id: int):
    frame = pegawai("1", "2", "3", tahun=TAHUN, stage_run_id=run_id).assign(email=[7, "a@x", None])
    with transaction(engine) as conn:
        replace_rows(conn, "pegawai", frame, tahun=TAHUN)
    assert stored(engine, "select nip, email from pegawai order by nip") == [("1", "7"), ("2", "a@x"),
                                                                            ("3", None)]


def _physical_order(engine: Engine, sql_sqlite: str, sql_pg: str) -> list[tuple]:
    """Rows in the order the database stored them (SQLite's rowid, PostgreSQL's ctid on a fresh table)."""
    return stored(engine, sql_pg if engine.dialect.name == "postgresql" else sql_sqlite)


def test_rows_with_a_natural_key_are_stored_in_key_order_and_surrogate_ids_follow_the_frame(
    engine: Engine, run_id: int, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(db, "_BATCH", 4)  # the order holds across batches
    monkeypatch.setattr(db, "_COPY_BATCH", 4)
    keys = [(f"U-{nip}-{k:02d}", periode) for nip in ("300", "100", "200") for k in (2, 1)
            for periode in ("2026-03", "2026-01")]
    shuffled = [keys[i] for i in (5, 0, 11, 3, 8, 1, 10, 6, 2, 9, 7, 4)]
    realisasi = pd.DataFrame({"id_indikator": pd.Categorical([k for k, _ in shuffled]),
                              "periode": [p for _, p in shuffled],
                              "realisasi": [float(i) for i in range(len(shuffled))], "bukti": None})
    perilaku = pd.DataFrame({"nip": ["3", "1", "2"], "nip_penilai": "9", "periode": "2026-12",
                             **{k: 4 for k in ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis",
                                               "loyal", "adaptif", "kolaboratif")}})
    with transaction(engine) as conn:
        replace_rows(conn, "realisasi", realisasi.assign(tahun=TAHUN, stage_run_id=run_id), tahun=TAHUN)
        replace_rows(conn, "perilaku", perilaku.assign(tahun=TAHUN, stage_run_id=run_id), tahun=TAHUN)
    columns = "select id_indikator, periode, realisasi from realisasi"
    physical = _physical_order(engine, f"{columns} order by rowid", f"{columns} order by ctid")
    assert [(k, p) for k, p, _ in physical] == sorted(keys)
    assert sorted(physical) == sorted(zip(realisasi["id_indikator"], realisasi["periode"],
                                          realisasi["realisasi"], strict=True)), "every row and value kept"
    assert stored(engine, "select nip from perilaku order by id") == [("3",), ("1",), ("2",)]


def test_a_failed_transaction_leaves_nothing(engine: Engine, run_id: int):
    with transaction(engine) as conn:
        replace_rows(conn, "pegawai", pegawai("1", tahun=TAHUN, stage_run_id=run_id), tahun=TAHUN)
    with pytest.raises(RuntimeError), transaction(engine) as conn:
        replace_rows(conn, "pegawai", pegawai("2", "3", tahun=TAHUN, stage_run_id=run_id), tahun=TAHUN)
        raise RuntimeError("gagal di tengah")
    assert stored(engine) == [(TAHUN, "1", "Nama 1", None, run_id)]
    with pytest.raises(DUPLICATE_KEY), transaction(engine) as conn:
        replace_rows(conn, "pegawai", pegawai("4", tahun=TAHUN, stage_run_id=run_id), tahun=TAHUN)
        twice = pegawai("5", "5", tahun=TAHUN + 1, stage_run_id=run_id)
        replace_rows(conn, "pegawai", twice, tahun=TAHUN + 1)
    assert stored(engine) == [(TAHUN, "1", "Nama 1", None, run_id)], "a duplicate key undoes the whole unit"


# ---------------------------------------------------------------- reads


def test_read_frame_binds_parameters(engine: Engine, run_id: int):
    with transaction(engine) as conn:
        replace_rows(conn, "pegawai", pegawai("2", "1", "3", tahun=TAHUN, stage_run_id=run_id), tahun=TAHUN)
    frame = read_frame(engine, "select nip from pegawai where tahun = :tahun and nip <> :nip order by nip",
                       tahun=TAHUN, nip="2")
    assert frame["nip"].tolist() == ["1", "3"]
    assert read_frame(engine, "select nip from pegawai where tahun = :tahun", tahun=TAHUN + 1).empty


def test_read_year_filters_by_equality_in_key_order(engine: Engine, run_id: int):
    with transaction(engine) as conn:
        replace_rows(conn, "pegawai", pegawai("2", "1", "3", tahun=TAHUN, stage_run_id=run_id,
                                              kode_unit=["U2", "U1", "U2"]), tahun=TAHUN)
        replace_rows(conn, "pegawai", pegawai("9", tahun=TAHUN + 1, stage_run_id=run_id), tahun=TAHUN + 1)
    assert read_year(engine, "pegawai", TAHUN)["nip"].tolist() == ["1", "2", "3"]
    assert read_year(engine, "pegawai", TAHUN, kode_unit="U2")["nip"].tolist() == ["2", "3"]
    assert read_year(engine, "pegawai", TAHUN, nip="9").empty
