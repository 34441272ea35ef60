"""The auditor role: only well-formed names; on PostgreSQL it reads every table, now and later, and
changes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from models.db import get_engine, migrate
from models.grants import ROLE_NAME, grant_auditor


@pytest.mark.parametrize("role, valid", [
    ("auditor", True), ("_audit_2026", True), ("a" * 63, True),
    ("Auditor", False), ("1auditor", False), ("audit-or", False), ("a" * 64, False),
    ("auditor; drop table stage_run", False), ("", False),
])
def test_role_names(role: str, valid: bool):
    assert bool(ROLE_NAME.match(role)) is valid


def test_an_invalid_role_name_is_refused_before_any_statement(tmp_path: Path):
    engine = get_engine(f"sqlite:///{tmp_path / 'k.db'}")
    with pytest.raises(ValueError, match="nama role 'Auditor' tidak sah"):
        grant_auditor(engine, "Auditor")
    assert not (tmp_path / "k.db").exists(), "no connection was opened"


@pytest.fixture
def pg_engine(postgres_url: str) -> Engine:
    engine = get_engine(postgres_url)
    migrate(engine)
    return engine


@pytest.fixture
def role(pg_engine: Engine) -> Iterator[str]:
    """A fresh role name, dropped (with its grants) afterwards."""
    name = f"kinerja_auditor_{uuid.uuid4().hex[:10]}"
    yield name
    with pg_engine.connect() as conn:
        conn.exec_driver_sql("select pg_terminate_backend(pid) from pg_stat_activity where usename = %s",
                             (name,))
        if conn.exec_driver_sql("select 1 from pg_roles where rolname = %s", (name,)).first():
            conn.exec_driver_sql(f'DROP OWNED BY "{name}"')
            conn.exec_driver_sql(f'DROP ROLE "{name}"')
        conn.commit()


def connect_as(engine: Engine, role: str) -> psycopg.Connection:
    url = make_url(engine.url.render_as_string(hide_password=False))
    return psycopg.connect(host=url.host, port=url.port or 5432, dbname=url.database, user=role,
                           autocommit=True)


def test_the_auditor_reads_every_table_now_and_later_and_changes_nothing(pg_engine: Engine, role: str):
    done = grant_auditor(pg_engine, role)
    assert done[0] == f'CREATE ROLE "{role}" LOGIN'
    assert f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"' in done
    with pg_engine.begin() as conn:
        conn.exec_driver_sql("create table tabel_baru (x int)")
        conn.exec_driver_sql("insert into tabel_baru values (1)")
    with connect_as(pg_engine, role) as conn:
        assert conn.execute("select count(*) from stage_run").fetchone() == (0,)
        assert conn.execute("select jumlah from rantai_audit").fetchone() == (0,)
        assert conn.execute("select x from tabel_baru").fetchone() == (1,), "default privileges"
        for statement in ("insert into rantai_audit (id, jumlah) values (2, 0)", "delete from stage_run",
                          "update tabel_baru set x = 2", "create table milik_auditor (x int)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)


def test_granting_again_keeps_the_role_and_hides_the_password(pg_engine: Engine, role: str):
    grant_auditor(pg_engine, role)
    again = grant_auditor(pg_engine, role, password="rahasia-sekali")
    assert not any(s.startswith("CREATE ROLE") for s in again)
    assert f'ALTER ROLE "{role}" LOGIN PASSWORD \'***\'' in again
    assert not any("rahasia" in s for s in again)
