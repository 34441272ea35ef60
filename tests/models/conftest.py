"""Database fixtures: a migrated database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from models.db import get_engine, migrate


@pytest.fixture
def engine(db_url: str) -> Engine:
    """An empty database at the newest schema revision."""
    engine = get_engine(db_url)
    migrate(engine)
    return engine
