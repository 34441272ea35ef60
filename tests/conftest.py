"""Shared fixtures: one Prefect test harness per session, databases on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")

PG_URL = os.environ.get("KINERJA_TEST_POSTGRES_URL")
REQUIRE_PG = os.environ.get("KINERJA_REQUIRE_POSTGRES") == "1"


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """A temporary Prefect server for the whole session (flows under test are real flow runs)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def _postgres_available() -> str | None:
    if not PG_URL:
        return None
    import sqlalchemy

    try:
        with sqlalchemy.create_engine(PG_URL).connect() as conn:
            conn.exec_driver_sql("select 1")
    except Exception as exc:  # noqa: BLE001 - reported as a skip or a failure below
        if REQUIRE_PG:
            pytest.fail(f"KINERJA_REQUIRE_POSTGRES=1 but PostgreSQL at {PG_URL} does not answer: {exc}")
        return None
    return PG_URL


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test (dropped afterwards)."""
    url = _postgres_available()
    if url is None:
        if REQUIRE_PG:
            pytest.fail("KINERJA_REQUIRE_POSTGRES=1 but KINERJA_TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL not configured (set KINERJA_TEST_POSTGRES_URL)")
    import sqlalchemy
    from sqlalchemy.engine import make_url

    name = f"kinerja_t_{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    test_url = make_url(url).set(database=name).render_as_string(hide_password=False)
    try:
        yield test_url
    finally:
        from models.db import get_engine

        get_engine.cache_clear()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'kinerja.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every database test runs on the embedded SQLite file and on a real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kinerja.db'}"
    return request.getfixturevalue("postgres_url")
