"""Audit fixtures: a migrated database (SQLite, and PostgreSQL when configured), a scored demo year."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from models.db import get_engine, migrate
from tests.audit.archive import ScoredYear, score_demo_year


@pytest.fixture
def engine(db_url: str) -> Engine:
    """An empty database at the newest schema revision."""
    engine = get_engine(db_url)
    migrate(engine)
    return engine


@pytest.fixture(scope="session")
def scored_year(tmp_path_factory: pytest.TempPathFactory) -> ScoredYear:
    """Demo inputs of one year, scored once for the session (read-only: copy the folder to change it)."""
    return score_demo_year(tmp_path_factory.mktemp("archive") / "input")
