"""PostgreSQL holds a stage's year tables partitioned by tahun: a stage's year is loaded into a bare table and
attached in place of the year's previous partition (models.db.replace_rows, migration 0006)."""

from __future__ import annotations

import importlib.util
import uuid
from collections.abc import Iterator

import pandas as pd
import psycopg
import pytest
import sqlalchemy
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

from models import db
from models.db import MIGRATIONS_DIR, get_engine, migrate, replace_rows, transaction
from models.stage_runs import insert_run


def _migration(file: str):
    path = MIGRATIONS_DIR / "versions" / file
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_write_path_and_the_migrations_name_the_same_tables():
    natural = set(_migration("0006_partisi_tahun.py").YEAR_TABLES)
    surrogate = set(_migration("0007_partisi_tahun_id.py").ID_YEAR_TABLES)
    assert natural | surrogate == db.YEAR_PARTITIONED and not natural & surrogate
    for name in natural:  # a partitioned table's key must hold the partition column
        assert db.table(name).primary_key.columns.keys()[0] == "tahun", name
    for name in surrogate:  # (0007 adds tahun to the key on PostgreSQL)
        assert db.table(name).primary_key.columns.keys() == ["id"] and "tahun" in db.table(name).c, name


@pytest.fixture
def pg(postgres_url: str) -> Engine:
    engine = get_engine(postgres_url)
    migrate(engine)
    return engine


def _rows(engine: Engine, sql: str, **params: object) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def _partitions(engine: Engine, parent: str) -> list[tuple]:
    return _rows(engine, "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
                         "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(:t) "
                         "ORDER BY c.relname", t=parent)


def _capaian(run_id: int, tahun: int, *ids: str, capaian: float = 100.0) -> pd.DataFrame:
    return pd.DataFrame({"tahun": tahun, "id_indikator": list(ids), "nip": "199001012020011001",
                         "jenis": "utama", "target": 10.0, "realisasi": [None] * len(ids),
                         "capaian": capaian, "level": "sesuai", "stage_run_id": run_id})


def test_a_year_is_its_own_partition_replaced_whole_with_its_indexes_and_foreign_key(pg: Engine):
    first = insert_run(pg, tahun=2026, tahap="year-end", input_checksums="{}")
    with transaction(pg) as conn:
        replace_rows(conn, "capaian_indikator", _capaian(first, 2025, "A", "B"), tahun=2025)
        replace_rows(conn, "capaian_indikator", _capaian(first, 2026, "C", "A"), tahun=2026)
    assert _rows(pg, "SELECT relkind FROM pg_class WHERE relname = 'capaian_indikator'") == [("p",)]
    assert _partitions(pg, "capaian_indikator") == [
        (f"capaian_indikator_2025_r{first}", "FOR VALUES IN (2025)"),
        (f"capaian_indikator_2026_r{first}", "FOR VALUES IN (2026)")]

    second = insert_run(pg, tahun=2026, tahap="year-end", input_checksums="{}")
    with transaction(pg) as conn:
        replace_rows(conn, "capaian_indikator", _capaian(second, 2026, "D", capaian=80.0), tahun=2026)
    assert _partitions(pg, "capaian_indikator") == [
        (f"capaian_indikator_2025_r{first}", "FOR VALUES IN (2025)"),
        (f"capaian_indikator_2026_r{second}", "FOR VALUES IN (2026)")], "the year's old partition is gone"
    assert _rows(pg, "SELECT tahun, id_indikator, capaian, stage_run_id FROM capaian_indikator "
                     "ORDER BY tahun, id_indikator") == [(2025, "A", 100.0, first), (2025, "B", 100.0, first),
                                                         (2026, "D", 80.0, second)]
    # the attached partition has the parent's key, indexes and foreign key
    partition = f"capaian_indikator_2026_r{second}"
    assert len(_rows(pg, "SELECT indexname FROM pg_indexes WHERE tablename = :t", t=partition)) == 3
    assert _rows(pg, "SELECT contype FROM pg_constraint WHERE conrelid = to_regclass(:t) ORDER BY contype",
                 t=partition) == [("f",), ("p",)]
    with pytest.raises(sqlalchemy.exc.IntegrityError), transaction(pg) as conn:  # key enforced
        conn.execute(text("INSERT INTO capaian_indikator SELECT * FROM capaian_indikator WHERE tahun = 2026"))


def test_the_same_run_writing_a_year_twice_and_an_empty_year(pg: Engine):
    run = insert_run(pg, tahun=2026, tahap="year-end", input_checksums="{}")
    with transaction(pg) as conn:
        replace_rows(conn, "capaian_indikator", _capaian(run, 2026, "A"), tahun=2026)
        replace_rows(conn, "capaian_indikator", _capaian(run, 2026, "B"), tahun=2026)
    assert _partitions(pg, "capaian_indikator") == [(f"capaian_indikator_2026_r{run}_2",
                                                     "FOR VALUES IN (2026)")]
    assert _rows(pg, "SELECT id_indikator FROM capaian_indikator") == [("B",)]
    with transaction(pg) as conn:
        replace_rows(conn, "capaian_indikator", _capaian(run, 2026).iloc[:0], tahun=2026)
    assert _rows(pg, "SELECT count(*) FROM capaian_indikator") == [(0,)]
    assert len(_partitions(pg, "capaian_indikator")) == 1


def test_a_failed_write_leaves_the_years_partition_and_rows_as_they_were(pg: Engine):
    run = insert_run(pg, tahun=2026, tahap="year-end", input_checksums="{}")
    with transaction(pg) as conn:
        replace_rows(conn, "capaian_indikator", _capaian(run, 2026, "A", "B"), tahun=2026)
    before = _partitions(pg, "capaian_indikator")
    wrong_year = pd.concat([_capaian(run, 2026, "C"), _capaian(run, 2027, "D")], ignore_index=True)
    with pytest.raises(sqlalchemy.exc.DBAPIError), transaction(pg) as conn:  # a row of another year
        replace_rows(conn, "capaian_indikator", wrong_year, tahun=2026)
    unknown_run = _capaian(run + 99, 2026, "E")
    with pytest.raises((sqlalchemy.exc.IntegrityError, psycopg.errors.ForeignKeyViolation)), \
            transaction(pg) as conn:  # the foreign key is checked when the partition is attached
        replace_rows(conn, "capaian_indikator", unknown_run, tahun=2026)
    assert _partitions(pg, "capaian_indikator") == before
    assert _rows(pg, "SELECT id_indikator FROM capaian_indikator ORDER BY 1") == [("A",), ("B",)]


def _perilaku(run_id: int, tahun: int, *nips: str) -> pd.DataFrame:
    return pd.DataFrame({"nip": list(nips), "nip_penilai": "9", "periode": f"{tahun}-12", "tahun": tahun,
                         "stage_run_id": run_id, **{k: 4 for k in (
                             "berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal",
                             "adaptif", "kolaboratif")}})


def test_a_surrogate_key_table_is_partitioned_too_and_keeps_numbering_from_its_sequence(pg: Engine):
    run = insert_run(pg, tahun=2026, tahap="year-end", input_checksums="{}")
    with transaction(pg) as conn:
        replace_rows(conn, "perilaku", _perilaku(run, 2025, "0"), tahun=2025)
        replace_rows(conn, "perilaku", _perilaku(run, 2026, "1", "2"), tahun=2026)
    with transaction(pg) as conn:  # the year again: new rows, new ids, the other year untouched
        replace_rows(conn, "perilaku", _perilaku(run, 2026, "3", "4"), tahun=2026)
    assert _rows(pg, "SELECT relkind FROM pg_class WHERE relname = 'perilaku'") == [("p",)]
    assert [bound for _, bound in _partitions(pg, "perilaku")] == ["FOR VALUES IN (2025)",
                                                                   "FOR VALUES IN (2026)"]
    assert _rows(pg, "SELECT id, tahun, nip FROM perilaku ORDER BY id") == [
        (1, 2025, "0"), (4, 2026, "3"), (5, 2026, "4")]
    with pytest.raises(sqlalchemy.exc.IntegrityError), transaction(pg) as conn:  # the foreign key, checked
        replace_rows(conn, "perilaku", _perilaku(run + 99, 2026, "5"), tahun=2026)
    assert _rows(pg, "SELECT nip FROM perilaku WHERE tahun = 2026 ORDER BY id") == [("3",), ("4",)]


def test_other_filters_keep_deleting_and_inserting(pg: Engine):
    run = insert_run(pg, tahun=2026, tahap="year-end", input_checksums="{}")
    with transaction(pg) as conn:
        replace_rows(conn, "capaian_indikator", _capaian(run, 2026, "A", "B"), tahun=2026)
        replace_rows(conn, "capaian_indikator", _capaian(run, 2026, "B", capaian=1.0).assign(nip="x"),
                     tahun=2026, nip="199001012020011001")  # deletes A and B of that nip, adds B
    assert _rows(pg, "SELECT id_indikator, capaian FROM capaian_indikator") == [("B", 1.0)]
    assert len(_partitions(pg, "capaian_indikator")) == 1


def test_rows_of_years_without_a_partition_get_one_when_not_replacing_a_year(pg: Engine):
    run = insert_run(pg, tahun=2026, tahap="year-end", input_checksums="{}")
    rows = pd.concat([_capaian(run, 2025, "A"), _capaian(run, 2026, "B", "C")], ignore_index=True)
    with transaction(pg) as conn:  # the whole table (a copy between databases), then one employee's rows
        replace_rows(conn, "capaian_indikator", rows)
        replace_rows(conn, "capaian_indikator", _capaian(run, 2027, "D"), nip="199001012020011001",
                     tahun=2027)
    assert [bound for _, bound in _partitions(pg, "capaian_indikator")] == [
        "FOR VALUES IN (2025)", "FOR VALUES IN (2026)", "FOR VALUES IN (2027)"]
    assert _rows(pg, "SELECT tahun, id_indikator FROM capaian_indikator ORDER BY 1, 2") == [
        (2025, "A"), (2026, "B"), (2026, "C"), (2027, "D")]


def _alembic(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def test_the_migration_moves_every_row_into_year_partitions_and_back(postgres_url: str):
    engine = get_engine(postgres_url)
    command.upgrade(_alembic(postgres_url), "0005")
    run = insert_run(engine, tahun=2025, tahap="year-end", input_checksums="{}")
    with transaction(engine) as conn:  # 0005: plain tables
        replace_rows(conn, "capaian_indikator", _capaian(run, 2025, "A", "B"), tahun=2025)
        replace_rows(conn, "capaian_indikator", _capaian(run, 2026, "C"), tahun=2026)
        replace_rows(conn, "perilaku", _perilaku(run, 2025, "1", "2"), tahun=2025)
        replace_rows(conn, "perilaku", _perilaku(run, 2026, "3"), tahun=2026)
    perilaku = ("SELECT * FROM perilaku ORDER BY id",
                "SELECT indexname FROM pg_indexes WHERE tablename = 'perilaku' ORDER BY 1",
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = to_regclass('perilaku') ORDER BY 1")
    perilaku_before = [_rows(engine, sql) for sql in perilaku]
    rows = "SELECT * FROM capaian_indikator ORDER BY tahun, id_indikator"
    indexes = ("SELECT indexname FROM pg_indexes WHERE tablename = 'capaian_indikator' ORDER BY 1")
    constraints = ("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                   "WHERE conrelid = to_regclass('capaian_indikator') ORDER BY 1")
    before = (_rows(engine, rows), _rows(engine, indexes), _rows(engine, constraints))

    command.upgrade(_alembic(postgres_url), "head")
    assert _rows(engine, "SELECT relkind FROM pg_class WHERE relname = 'capaian_indikator'") == [("p",)]
    assert _partitions(engine, "capaian_indikator") == [("capaian_indikator_2025", "FOR VALUES IN (2025)"),
                                                        ("capaian_indikator_2026", "FOR VALUES IN (2026)")]
    assert (_rows(engine, rows), _rows(engine, indexes), _rows(engine, constraints)) == before
    assert _rows(engine, "SELECT relkind FROM pg_class WHERE relname = 'pegawai'") == [("p",)], "empty too"
    stored, indexes_now, constraints_now = (_rows(engine, sql) for sql in perilaku)
    assert (stored, indexes_now) == tuple(perilaku_before[:2]), "same rows and ids, same index names"
    assert dict(constraints_now) == {**dict(perilaku_before[2]), "perilaku_pkey": "PRIMARY KEY (id, tahun)"}
    with transaction(engine) as conn:  # the sequence went with the table: numbering goes on
        replace_rows(conn, "perilaku", _perilaku(run, 2027, "4"), tahun=2027)
    assert _rows(engine, "SELECT max(id) FROM perilaku") == [(4,)]
    with transaction(engine) as conn:
        replace_rows(conn, "perilaku", _perilaku(run, 2027, "4").iloc[:0], tahun=2027)

    command.downgrade(_alembic(postgres_url), "0005")
    assert _rows(engine, "SELECT relkind FROM pg_class WHERE relname = 'capaian_indikator'") == [("r",)]
    assert (_rows(engine, rows), _rows(engine, indexes), _rows(engine, constraints)) == before
    assert _rows(engine, "SELECT count(*) FROM pg_class WHERE relname LIKE 'capaian_indikator_20%'") == [(0,)]
    assert [_rows(engine, sql) for sql in perilaku] == perilaku_before
    assert _rows(engine, "SELECT relkind FROM pg_class WHERE relname = 'perilaku'") == [("r",)]


@pytest.fixture
def roles(pg: Engine) -> Iterator[tuple[str, str]]:
    """A pipeline role that owns nothing (SELECT, INSERT, DELETE on the tables, no CREATE) and a reader
    (SELECT only, as `kinerja db grant-auditor` gives), dropped afterwards."""
    names = (f"kinerja_pipa_{uuid.uuid4().hex[:8]}", f"kinerja_baca_{uuid.uuid4().hex[:8]}")
    with pg.begin() as conn:
        database = conn.exec_driver_sql("SELECT current_database()").scalar_one()
        for name, rights in zip(names, ("SELECT, INSERT, DELETE", "SELECT"), strict=True):
            conn.exec_driver_sql(f'CREATE ROLE "{name}" LOGIN')
            conn.exec_driver_sql(f'GRANT CONNECT ON DATABASE "{database}" TO "{name}"')
            conn.exec_driver_sql(f'GRANT USAGE ON SCHEMA public TO "{name}"')
            conn.exec_driver_sql(f'GRANT {rights} ON ALL TABLES IN SCHEMA public TO "{name}"')
    yield names
    with pg.connect() as conn:
        for name in names:
            conn.exec_driver_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                                 (name,))
            conn.exec_driver_sql(f'DROP OWNED BY "{name}"')
            conn.exec_driver_sql(f'DROP ROLE "{name}"')
        conn.commit()


def _engine_as(engine: Engine, role: str) -> Engine:
    return sqlalchemy.create_engine(engine.url.set(username=role), poolclass=sqlalchemy.pool.NullPool)


def test_a_role_that_owns_nothing_replaces_a_year_and_a_reader_cannot(pg: Engine, roles: tuple[str, str]):
    pipa, baca = roles
    run = insert_run(pg, tahun=2026, tahap="year-end", input_checksums="{}")
    as_pipeline = _engine_as(pg, pipa)
    for ids in (("A", "B"), ("C",)):  # a new year, then the same year again
        with transaction(as_pipeline) as conn:
            replace_rows(conn, "capaian_indikator", _capaian(run, 2026, *ids), tahun=2026)
    assert _rows(pg, "SELECT id_indikator FROM capaian_indikator") == [("C",)]
    partition = f"capaian_indikator_2026_r{run}_2"  # (the first one's name was taken until it was dropped)
    assert _partitions(pg, "capaian_indikator") == [(partition, "FOR VALUES IN (2026)")]
    owner = _rows(pg, "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = :t", t=partition)
    assert owner == _rows(pg, "SELECT current_user")
    assert _rows(pg, "SELECT has_table_privilege(:r, :t, 'INSERT')", r=pipa, t=partition) == [(False,)], \
        "once attached, the rows are reached through the table only"
    with pytest.raises(sqlalchemy.exc.ProgrammingError, match="must be owner"), \
            transaction(as_pipeline) as conn:  # no DDL of its own
        conn.exec_driver_sql(f'ALTER TABLE capaian_indikator DETACH PARTITION "{partition}"')
    with pytest.raises(sqlalchemy.exc.DBAPIError, match="invalid partition name"), \
            transaction(as_pipeline) as conn:
        conn.exec_driver_sql("SELECT kinerja_pasang_partisi('capaian_indikator', 2026, 'pegawai')")
    with pytest.raises(sqlalchemy.exc.DBAPIError, match="not a year table"), transaction(as_pipeline) as conn:
        conn.exec_driver_sql("SELECT kinerja_partisi_baru('stage_run', 2026, 'stage_run_2026')")

    as_reader = _engine_as(pg, baca)
    refused = pytest.raises(sqlalchemy.exc.DBAPIError, match="may not replace rows")
    with refused, transaction(as_reader) as conn:
        replace_rows(conn, "capaian_indikator", _capaian(run, 2026, "X"), tahun=2026)
    with refused, transaction(as_reader) as conn:
        conn.exec_driver_sql(f"SELECT kinerja_pasang_partisi('capaian_indikator', 2026, '{partition}')")
    assert _rows(pg, "SELECT id_indikator FROM capaian_indikator") == [("C",)]
    assert _partitions(pg, "capaian_indikator") == [(partition, "FOR VALUES IN (2026)")]
