"""The SQLModel tables are the schema the Alembic migrations build, and every stored row can be traced to
its year and to the stage run that wrote it."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

import models.tables  # noqa: F401  (registers the tables)

# The pipeline's own records: the stage runs, the hash-chain head, and a gate's checks (which belong to a
# stage run, not to a year of data). Every other table holds rows a stage stored for a year.
PIPELINE_RECORDS = {"stage_run", "rantai_audit", "gate_check"}


def test_the_migrated_schema_equals_the_sqlmodel_metadata(engine: Engine) -> None:
    with engine.connect() as conn:
        options = {"compare_type": True, "compare_server_default": True}
        context = MigrationContext.configure(conn, opts=options)
        assert compare_metadata(context, SQLModel.metadata) == []


def test_the_migrations_build_every_table_of_the_metadata(engine: Engine) -> None:
    assert set(inspect(engine).get_table_names()) - {"alembic_version"} == set(SQLModel.metadata.tables)


def test_every_table_of_stored_rows_has_tahun_and_the_stage_run_that_wrote_them() -> None:
    tables = SQLModel.metadata.tables
    assert PIPELINE_RECORDS < set(tables)
    stored = {name: table for name, table in tables.items() if name not in PIPELINE_RECORDS}
    assert {"pegawai", "hasil_penilaian", "karantina", "tindak_lanjut"} <= set(stored)
    for name, table in stored.items():
        assert "tahun" in table.c and "stage_run_id" in table.c, name
        tahun, stage_run_id = table.c.tahun, table.c.stage_run_id
        assert not tahun.nullable and not stage_run_id.nullable, name
        # a stage replaces a year's rows (delete by tahun) and an audit reads a run's rows: both indexed
        assert tahun.primary_key or tahun.index, name
        assert stage_run_id.index, name
        assert [fk.target_fullname for fk in stage_run_id.foreign_keys] == ["stage_run.id"], name


def test_a_gate_check_belongs_to_a_stage_run() -> None:
    stage_run_id = SQLModel.metadata.tables["gate_check"].c.stage_run_id
    assert not stage_run_id.nullable
    assert [fk.target_fullname for fk in stage_run_id.foreign_keys] == ["stage_run.id"]
