"""A stage's bulk write on a SQLite file: one forked process, rows from Arrow arrays to SQLite in C (ADBC).

Python's sqlite3 takes rows as tuples of Python objects: at 1,000,000 employees making the tuples of the
3,499,404 SKP indicators cost 12.6 s and binding them value by value another 20 s, against 14.3 s for the
whole insert from the same Arrow arrays through the ADBC SQLite driver (Apache Arrow's database
connectivity, `adbc-driver-sqlite`; bench/RESULTS.md, fifteenth session).

The driver carries its own copy of SQLite, and two copies of SQLite in one process break SQLite's file
locks (closing one copy's file releases the other's POSIX locks; a WAL it deems unused is deleted under
the other: https://sqlite.org/howtocorrupt.html#multiple_copies_of_sqlite_linked_into_the_same_application).
So the ADBC connection lives in a forked process of its own (`bulk_writer`), which shares the stage's
frames with the flow process without copying them (fork) and is the only user of that SQLite copy.
The writer inserts every table in one transaction (BEGIN IMMEDIATE) while the flow process digests the same
rows for the audit seal, then waits: the flow process tells it to COMMIT once the digests are done, so the
write's checkpoints (stages.records.checkpoint) and its all-or-nothing stay in the flow process — a flow
process that dies before that takes the writer with it (PR_SET_PDEATHSIG) and nothing is committed.

The stored values are those of the sqlite3 path: the columns as `models.db._arrow_values` gives them
(categories as their text, as the PostgreSQL COPY path does), booleans as 0/1, in key order
(`models.db.key_order`); dates and times as the text SQLAlchemy's SQLite types bind. The rows are streamed a
batch at a time. PostgreSQL (COPY), an in-memory SQLite database and a system without fork keep the
SQLAlchemy transaction of `models.db.transaction`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from sqlalchemy import Column, Engine, Table
from sqlalchemy.engine import Dialect

from kinerja import forked
from kinerja.settings import get_settings
from models.db import (
    _arrow_values,
    _column_values,
    frame_batches,
    key_order,
    one_chunk,
    replace_rows,
    table,
    transaction,
)

_BATCH = 100_000  # rows per Arrow batch handed to SQLite
_COMMIT = b"c"

Writer = Callable[[str, pd.DataFrame], int]


class SqliteWriterError(RuntimeError):
    """The SQLite writer process failed with an error that could not be sent back as itself, or died."""


def uses_bulk(engine: Engine) -> bool:
    """Whether `bulk_writer` writes through the forked ADBC writer: a SQLite database in a file, with fork."""
    database = engine.url.database
    return (engine.dialect.name == "sqlite" and bool(database) and database != ":memory:"
            and not database.startswith("file:") and hasattr(os, "fork"))


@contextmanager
def bulk_writer(
    engine: Engine, tables: dict[str, pd.DataFrame], prepare: Callable[[pd.DataFrame], pd.DataFrame],
    **where: object,
) -> Iterator[Writer]:
    """One all-or-nothing replacement of `tables` (the rows matching `where` deleted, each frame's
    `prepare(frame)` inserted), committed when the block ends without an error.

    Gives `write(name, rows)`, to be called in the block for every table in order with its prepared rows,
    returning the count of rows written. With the forked writer the rows are inserted by it, from the
    frames it shares (`prepare` run there): `write` only counts them."""
    if not uses_bulk(engine):
        with transaction(engine) as conn:
            yield lambda name, rows: replace_rows(conn, name, rows, **where)
        return
    writer = _start_writer(engine.url.database, engine.dialect, tables, prepare, where)
    try:
        yield lambda name, rows: len(rows)
    except BaseException:
        writer.end(commit=False)
        raise
    writer.end(commit=True)


class _Writer:
    """The flow process's side of a forked writer: its pid and both pipes."""

    def __init__(self, pid: int, commands: int, results: int) -> None:
        self.pid, self._commands, self._results = pid, commands, results

    def end(self, commit: bool) -> None:
        """Tell the writer to commit (or, closing the pipe unsaid, to roll back), wait for it, raise its
        error; its private memory goes to the benchmark's peak (kinerja.forked.PEAK)."""
        try:
            if commit:
                os.write(self._commands, _COMMIT)
        except BrokenPipeError:  # it has ended already: its error follows
            pass
        finally:
            os.close(self._commands)
        message, code = forked.collect(self.pid, self._results)
        forked.PEAK.record(message.get("private"))
        if not commit:
            return
        if "error" in message:
            error = message["error"]
            error.add_note(f"di proses penulis SQLite / in the SQLite writer process {self.pid}:\n"
                           f"{message.get('traceback', '')}")
            raise error
        if code != 0 or not message.get("committed"):
            raise SqliteWriterError(f"proses penulis SQLite {self.pid} berhenti tanpa commit / the SQLite "
                                    f"writer process {self.pid} ended without committing: status {code}")


def _start_writer(
    database: str, dialect: Dialect, tables: dict[str, pd.DataFrame],
    prepare: Callable[[pd.DataFrame], pd.DataFrame], where: dict[str, object],
) -> _Writer:
    commands_read, commands_write = os.pipe()
    results_read, results_write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        os.close(commands_read)
        os.close(results_write)
        return _Writer(pid, commands_write, results_read)
    os.close(commands_write)
    os.close(results_read)
    forked.child_main(lambda: {"committed": _write(database, dialect, tables, prepare, where, commands_read)},
                      results_write, SqliteWriterError)


def _write(
    database: str, dialect: Dialect, tables: dict[str, pd.DataFrame],
    prepare: Callable[[pd.DataFrame], pd.DataFrame], where: dict[str, object], commands: int,
) -> bool:
    """In the writer: every table in one transaction, committed if the flow process says so."""
    import adbc_driver_sqlite.dbapi as adbc

    connection = adbc.connect(database, autocommit=True)  # the transaction as SQL, below
    cursor = connection.cursor()
    try:
        # As models.db.get_engine sets them (WAL is the file's own setting), and its lock timeout.
        cursor.execute(f"PRAGMA busy_timeout = {int(get_settings().sqlite_timeout * 1000)}")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("BEGIN IMMEDIATE")
        for name, frame in tables.items():
            _replace(cursor, dialect, name, prepare(frame), where)
        if os.read(commands, 1) != _COMMIT:  # the flow process failed or died: nothing is kept
            cursor.execute("ROLLBACK")
            return False
        cursor.execute("COMMIT")
        return True
    finally:
        cursor.close()
        connection.close()


def _replace(cursor: Any, dialect: Dialect, name: str, frame: pd.DataFrame, where: dict[str, object]) -> None:
    """Delete the rows matching `where`, insert `frame` in key order (as models.db.replace_rows)."""
    tbl = table(name)
    quote = dialect.identifier_preparer.quote
    condition = " AND ".join(f"{quote(column)} = ?" for column in where)
    cursor.execute(f"DELETE FROM {quote(tbl.name)}" + (f" WHERE {condition}" if where else ""),
                   tuple(where.values()))
    if frame.empty:
        return
    order = key_order(tbl, frame)
    cursor.adbc_ingest(tbl.name, arrow_batches(tbl, one_chunk(frame), dialect, order), mode="append")


def arrow_batches(
    tbl: Table, frame: pd.DataFrame, dialect: Dialect, order: np.ndarray | None = None
) -> pa.RecordBatchReader:
    """The frame's columns of `tbl` as a stream of Arrow record batches (`_BATCH` rows, in `order` when
    given), each column of one type throughout (`_column_type`)."""
    columns = [c for c in tbl.columns if c.name in frame.columns]
    types = [_column_type(frame[c.name]) for c in columns]
    schema = pa.schema([pa.field(c.name, t) for c, t in zip(columns, types, strict=True)])

    def batches() -> Iterator[pa.RecordBatch]:
        for part in frame_batches(frame, _BATCH, order):
            arrays = [_batch_values(part, c, t, dialect) for c, t in zip(columns, types, strict=True)]
            yield pa.record_batch(arrays, schema=schema)

    return pa.RecordBatchReader.from_batches(schema, batches())


def _column_type(values: pd.Series) -> pa.DataType:
    """The Arrow type a column is sent as: its values' own (categories: their text's), booleans as int64,
    dates and times as text; an object column's from all its values (text, or mixed values as text)."""
    sample = values if values.dtype == object else values.iloc[:0]
    found = _arrow_values(sample).type
    if pa.types.is_null(found) or pa.types.is_temporal(found) or _is_text(found):
        return pa.large_string()
    if pa.types.is_boolean(found):
        return pa.int64()
    return found


def _batch_values(part: pd.DataFrame, column: Column, target: pa.DataType, dialect: Dialect) -> pa.Array:
    array = _arrow_values(part[column.name])
    if pa.types.is_temporal(array.type):
        # The text SQLAlchemy's SQLite type binds (e.g. DATETIME "2026-01-31 00:00:00.000000").
        return pa.array(_column_values(part, column, dialect), type=target)
    return array if array.type == target else array.cast(target)


def _is_text(found: pa.DataType) -> bool:
    return pa.types.is_string(found) or pa.types.is_large_string(found) or pa.types.is_string_view(found)
