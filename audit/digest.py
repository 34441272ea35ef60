"""Digests of the rows a stage run wrote: canonical text, the same on SQLite and PostgreSQL.

Rows: per table with a `stage_run_id` column, the rows of one stage run — every column except the
surrogate `id`, ordered by the natural primary key (all columns where the key is a surrogate id) — as
canonical text in the PostgreSQL COPY text format: a header line `table<TAB>col…`, then one line per
row, tab-separated, `\\N` for NULL, backslash escapes; floats as their shortest round-trip decimal
(the digits of Python's repr), booleans `t`/`f`, integers plain. sha256 of that text is the table's
digest; SQLite and PostgreSQL give the same digest for the same rows (text keys sort by code point on
both; NaN counts as NULL, as SQLite stores it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa
from sqlalchemy import Engine, Table, select
from sqlmodel import SQLModel

import models.tables  # noqa: F401  (registers the tables whose rows are digested)
from contract.arrow_text import lines
from models.db import one_chunk

_CHUNK = 200_000  # rows fetched from the database at a time
# Rows of an in-memory frame hashed at a time: a chunk's copy and its canonical text are what digesting
# holds beside the frame (the digest runs while the same rows are inserted). The training write of
# 100,000 employees, rekomendasi_pelatihan's 234,392 rows in one chunk of 200,000: +0.11 GiB.
_FRAME_CHUNK = 25_000
_NULL = "\\N"


def _kind(column: sa.Column) -> str:
    """How a column's values are written canonically (by SQL type, so both databases agree)."""
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return "bool"
    if isinstance(kind, sa.Integer):
        return "int"
    if isinstance(kind, sa.Float | sa.Numeric):
        return "float"
    if isinstance(kind, sa.DateTime):
        return "time"
    return "text"


def canonical_time(value: object) -> str | None:
    """A timestamp as ISO-8601 UTC with microseconds; naive values are UTC (as Kinerja writes them)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return None
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def display_time(value: object) -> str:
    """A timestamp as auditors read it: UTC to the second ('2027-01-05 03:00:01Z'), '-' when missing."""
    stamp = canonical_time(value)
    return f"{stamp[:10]} {stamp[11:19]}Z" if stamp else "-"


def _text_array(values: pd.Series) -> pa.Array:
    try:
        return pa.array(values, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # a stray non-text value (SQLite's dynamic typing)
        return pa.array(values.map(lambda v: None if pd.isna(v) else str(v)), type=pa.large_string())


def canonical_column(values: pd.Series, kind: str) -> pa.Array:
    """One column as COPY-text strings (Arrow, vectorised): NULL -> \\N, text escaped, booleans t/f.

    Floats are written as their shortest round-trip decimal (Arrow's cast: the digits of Python's
    repr, `100` for 100.0, `1e-7` for 1e-07) — exact, and the same on both databases;
    tests/audit/test_digest.py pins the format so a library upgrade cannot change it unnoticed.
    """
    missing = values.isna().to_numpy()
    if kind == "text":
        text = _text_array(values)
        for raw, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
            text = pc.replace_substring(text, raw, escaped)
    elif kind == "float":
        numbers = pd.to_numeric(values, errors="raise").astype("float64").to_numpy()
        text = pc.cast(pa.array(numbers), pa.large_string())
    elif kind == "int":
        numbers = pd.to_numeric(values.where(~missing, 0), errors="raise").astype("int64").to_numpy()
        text = pc.cast(pa.array(numbers), pa.large_string())
    elif kind == "bool":
        flags = pa.array(values.where(~missing, False).astype("bool").to_numpy())
        text = pc.if_else(flags, _text("t"), _text("f"))
    else:
        text = pa.array([canonical_time(v) or "" for v in values.tolist()], type=pa.large_string())
    return pc.if_else(pa.array(missing), _text(_NULL), text)


def _text(value: str) -> pa.Scalar:
    return pa.scalar(value, pa.large_string())


def canonical_lines(frame: pd.DataFrame, kinds: Mapping[str, str]) -> memoryview:
    """The frame's rows as canonical UTF-8 text, one line each, in the frame's order."""
    if frame.empty:
        return memoryview(b"")
    return lines([canonical_column(frame[name], kinds[name]) for name in kinds], "\t")


class TableDigest:
    """sha256 over a table's canonical text, fed chunk by chunk (rows must arrive in key order)."""

    def __init__(self, name: str, kinds: Mapping[str, str]) -> None:
        self.kinds = dict(kinds)
        self.rows = 0
        self._sha = hashlib.sha256("\t".join([name, *self.kinds]).encode("utf-8") + b"\n")

    def update(self, frame: pd.DataFrame) -> None:
        self.rows += len(frame)
        self._sha.update(canonical_lines(frame, self.kinds))

    def hexdigest(self) -> str:
        return self._sha.hexdigest()


def digest_frame(name: str, frame: pd.DataFrame, kinds: Mapping[str, str], key: list[str]) -> dict:
    """The digest of a whole in-memory frame, sorted by `key` first (pure; the tests' reference).

    Only the key columns are sorted; the rows are then hashed in chunks of that order, as
    `table_digest` streams them: a sorted copy and the canonical text of millions of rows at once
    took three times the table's size (+2.8 GiB writing 3.5M SKP indicators at 1M employees).
    """
    digest = TableDigest(name, kinds)
    if not len(frame):
        return {"baris": 0, "sha256": digest.hexdigest()}
    keys = frame[key].reset_index(drop=True)
    order = keys.sort_values(key, kind="stable", na_position="first").index.to_numpy()
    del keys
    frame = one_chunk(frame)  # rows are taken in key order, a chunk at a time
    for start in range(0, len(order), _FRAME_CHUNK):
        digest.update(frame.iloc[order[start : start + _FRAME_CHUNK]])
    return {"baris": digest.rows, "sha256": digest.hexdigest()}


def run_tables() -> list[str]:
    """Every table whose rows name the stage run that wrote them."""
    return sorted(name for name, tbl in SQLModel.metadata.tables.items() if "stage_run_id" in tbl.c)


def _hashed_columns(tbl: Table) -> list[sa.Column]:
    return [c for c in tbl.columns if c.name != "id"]


def _order_by(tbl: Table, dialect: str) -> list:
    """Natural key order, the same on both databases (byte/code-point order for text, NULLs first)."""
    key = [c for c in tbl.primary_key.columns if c.name != "id"] or _hashed_columns(tbl)
    order = []
    for column in key:
        expr = column.collate("C") if dialect == "postgresql" and _kind(column) == "text" else column
        order.append(expr.asc().nulls_first())
    return order


def table_digest(engine: Engine, name: str, stage_run_id: int) -> dict:
    """Digest of the rows one stage run holds in one table, streamed in key order (bounded memory)."""
    tbl = SQLModel.metadata.tables[name]
    columns = _hashed_columns(tbl)
    digest = TableDigest(name, {c.name: _kind(c) for c in columns})
    query = select(*columns).where(tbl.c.stage_run_id == int(stage_run_id)).order_by(
        *_order_by(tbl, engine.dialect.name))
    for rows in _stream(engine, query):
        digest.update(pd.DataFrame.from_records(rows, columns=[c.name for c in columns]))
    return {"baris": digest.rows, "sha256": digest.hexdigest()}


def _stream(engine: Engine, query: sa.Select) -> Iterator[list[tuple]]:
    """Rows of a query in chunks straight from the driver (server-side cursor on PostgreSQL)."""
    sql = str(query.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
    raw = engine.raw_connection()
    try:
        postgres = engine.dialect.name == "postgresql"
        cursor = raw.driver_connection.cursor(name="kinerja_audit") if postgres else raw.cursor()
        try:
            cursor.execute(sql)
            while rows := cursor.fetchmany(_CHUNK):
                yield rows
        finally:
            cursor.close()
    finally:
        raw.rollback()
        raw.close()


def rows_digest(name: str, frame: pd.DataFrame) -> dict | None:
    """The digest `table_digest` reads back once `frame` is the stage run's rows of table `name`.

    Computed in memory when the rows are written, so sealing need not read millions of rows back.
    It mirrors what the database holds and how it orders it: a column the frame lacks is NULL (the
    writes insert only the frame's columns, and no table has a server default), text is compared as
    text whatever the frame's dtype, numbers by value, NULLs first. None for a table with timestamp
    columns (none of the stage tables have one): those are read back.
    """
    columns = _hashed_columns(SQLModel.metadata.tables[name])
    kinds = {c.name: _kind(c) for c in columns}
    if "time" in kinds.values():
        return None
    data = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    for column, kind in kinds.items():
        values = frame[column].reset_index(drop=True) if column in frame else pd.Series(
            None, index=data.index, dtype="object")
        data[column] = values.astype("str") if kind == "text" and values.dtype != "str" else values
    key = [c.name for c in SQLModel.metadata.tables[name].primary_key.columns if c.name != "id"]
    return digest_frame(name, data, kinds, key or list(kinds))


def _count(engine: Engine, name: str, stage_run_id: int) -> int:
    tbl = SQLModel.metadata.tables[name]
    with engine.connect() as conn:
        return int(conn.execute(select(sa.func.count()).select_from(tbl)
                                .where(tbl.c.stage_run_id == int(stage_run_id))).scalar_one())


def result_digests(
    engine: Engine, stage_run_id: int, written: Mapping[str, dict] | None = None
) -> dict[str, dict]:
    """Digest of every row the stage run wrote, per table (tables without rows left out).

    A table in `written` (digests computed when this process wrote the run's rows, after commit)
    takes that digest when the database holds that many rows of the run; any other table, or a count
    that differs, is read back and digested from the database.
    """
    known = dict(written or {})
    digests = {}
    for name in run_tables():
        digest = known.get(name)
        if digest is None or _count(engine, name, stage_run_id) != digest["baris"]:
            digest = table_digest(engine, name, stage_run_id)
        digests[name] = digest
    return {name: d for name, d in digests.items() if d["baris"]}

