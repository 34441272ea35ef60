"""Calling a stage flow as a real flow run, and reading back what it left in the database and the files."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
from sqlalchemy import text

from flows.executor import stage_flow
from models.db import get_engine

TAHUN = 2026


def run(stage: str, input_dir: Path, output_dir: Path, db_url: str, **extra: object) -> dict:
    """Run the stage's flow (from its registry entrypoint) for TAHUN."""
    return stage_flow(stage)(tahun=TAHUN, input_dir=str(input_dir), output_dir=str(output_dir),
                              db_url=db_url, **extra)


def count(db_url: str, table: str) -> int:
    """Rows of TAHUN in a table."""
    with get_engine(db_url).connect() as conn:
        query = text(f"select count(*) from {table} where tahun = :t")
        return int(conn.execute(query, {"t": TAHUN}).scalar())


def last_outcome(db_url: str) -> str:
    """How the latest stage run ended."""
    with get_engine(db_url).connect() as conn:
        return conn.execute(text("select outcome from stage_run order by id desc")).scalar()


def csv_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def data_rows(path: Path) -> int:
    """Data rows of an input CSV (the header not counted)."""
    return len(pd.read_csv(path, dtype=str))


def missing_outputs(stage: str, year_dir: Path) -> list[str]:
    """The stage's registry outputs (file names or `*` patterns) with no file under OUTPUT/<tahun>/."""
    from fnmatch import fnmatchcase

    from stages import registry

    written = [p.relative_to(year_dir).as_posix() for p in year_dir.rglob("*") if p.is_file()]
    return [pattern for pattern in registry.get(stage).outputs
            if not any(fnmatchcase(name, pattern) for name in written)]


def header_only(folder: Path, name: str) -> None:
    """Keep only the header line of an input CSV: the file is there, without any row."""
    path = folder / name
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
