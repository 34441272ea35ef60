"""Audit fixtures: a migrated database (SQLite, and PostgreSQL when configured), a scored demo year, the
same year with functional officials' angka_kredit.csv."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from models.db import get_engine, migrate
from tests.audit.archive import ScoredYear, score_demo_year, score_jf_year


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


@pytest.fixture(scope="session")
def jf_year(tmp_path_factory: pytest.TempPathFactory, scored_year: ScoredYear) -> ScoredYear:
    """The same demo year with angka_kredit.csv for five functional officials, one of them not scored
    (tests/audit/archive.py AK_BARIS; read-only)."""
    return score_jf_year(tmp_path_factory.mktemp("archive-jf") / "input", scored_year.folder)
