"""Engine, schema migration and set-based reads and writes (no row-by-row ORM on bulk data)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
from sqlalchemy import Column, Engine, Table, create_engine, event, select, text
from sqlalchemy.engine import Connection, Dialect, make_url
from sqlmodel import SQLModel

import models.tables  # noqa: F401  (registers the tables)
from kinerja.settings import get_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_BATCH = 10_000
# Rows per COPY batch: the text of one batch is held while the reports render beside the write
# (tasks.write_and_report); 200,000 took the 100k cycle's training stage to 1.49 GiB, 50,000 to 1.42.
_COPY_BATCH = 50_000
# On PostgreSQL partitioned by tahun (migrations 0006 and 0007, which list the same tables): a stage's year
# is loaded into a bare table and attached (`replace_rows`)
YEAR_PARTITIONED = frozenset({
    "unit_kerja", "pegawai", "indikator_skp", "pemantauan", "realisasi_pemantauan", "capaian_indikator",
    "hasil_penilaian", "bias_penilai", "realisasi", "rating_atasan", "keberatan_hasil", "predikat_ditetapkan",
    "rekomendasi_pelatihan", "tindak_lanjut", "katalog_pelatihan", "angka_kredit_hasil",
    # keyed by a surrogate id (migration 0007: key (id, tahun) on PostgreSQL): the inputs a stage archives
    "perilaku", "umpan_balik", "survei_masyarakat", "riwayat_pelatihan", "angka_kredit", "keberatan",
})


def redact(url: str) -> str:
    """The URL with its password hidden, for logs, artifacts and reports."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is shown as a placeholder, never leaked
        return "<url tidak valid / invalid url>"


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    """One engine per URL per process; SQLite gets WAL, a busy timeout and its folder created."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": get_settings().sqlite_timeout})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (idempotent)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def schema_revisions(engine: Engine) -> tuple[str | None, str]:
    """The Alembic revision the database is at (None before any migration) and the code's newest one."""
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    return current, ScriptDirectory.from_config(cfg).get_current_head()


def table(name: str) -> Table:
    """A table of the schema by name."""
    return SQLModel.metadata.tables[name]


def _column_values(frame: pd.DataFrame, column: Column, dialect: Dialect) -> list:
    """One column as driver-ready Python values: NA -> None, then the column type's bind processor."""
    values = frame[column.name].to_numpy(dtype=object, na_value=None).tolist()
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    return [process(v) for v in values] if process is not None else values


def one_chunk(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with each Arrow-backed column (text) held as one contiguous chunk; the frame itself when
    every column already is one.

    Taking scattered rows from a column of many chunks makes Arrow join the chunks first, on every
    take: writing 3,499,404 SKP indicators at 1,000,000 employees in key order, 10,000 rows at a time
    from 40 chunks, took 27.9 s to make the rows' tuples, 7.4 s after joining each column once (1.1 s).
    The readers give single-chunk columns (contract/csv_parsing.py); frames put together from parts
    (pd.concat) are joined here before they are taken from in batches."""
    joined = {}
    for name, values in frame.items():
        if not isinstance(values.array, pd.arrays.ArrowExtensionArray):  # (numpy and masked: one block)
            continue
        chunked = values.array.__arrow_array__()
        if isinstance(chunked, pa.ChunkedArray) and chunked.num_chunks > 1:
            joined[name] = pd.Series(values.dtype.__from_arrow__(chunked.combine_chunks()),
                                     index=values.index, name=name)
    return frame.assign(**joined) if joined else frame


def key_order(tbl: Table, frame: pd.DataFrame) -> np.ndarray | None:
    """Positions that put `frame` in the order of the table's primary key, or None where the key is not
    in the frame (a surrogate id the database assigns: its rows keep their order, which sets the ids).

    Rows inserted in key order extend each B-tree at its right edge instead of landing on random pages:
    on SQLite 2,000,000 shuffled realisasi rows took 19.4 s in their order and 8.5 s in key order; skp.csv,
    grouped by unit, not by id: 350,582 indicator rows 4.66 → 3.38 s. The rows stored are the same either
    way, and every read orders by the key."""
    key = [c.name for c in tbl.primary_key.columns if c.name in frame.columns]
    if len(frame) < 2 or len(key) < len(tbl.primary_key.columns):
        return None
    arrays = [pa.Array.from_pandas(frame[name]) for name in key]
    sorted_by = pa.table([a.dictionary_decode() if pa.types.is_dictionary(a.type) else a for a in arrays],
                         names=key)
    order = pc.sort_indices(sorted_by, sort_keys=[(name, "ascending") for name in key]).to_numpy()
    return None if bool((order[1:] > order[:-1]).all()) else order.astype(np.intp)


def frame_batches(frame: pd.DataFrame, size: int, order: np.ndarray | None = None) -> Iterator[pd.DataFrame]:
    """The frame's rows `size` at a time, in `order` (positions) when given."""
    for start in range(0, len(frame), size):
        stop = start + size
        yield frame.iloc[start:stop] if order is None else frame.take(order[start:stop])


def _row_batches(
    frame: pd.DataFrame, columns: list[Column], dialect: Dialect, order: np.ndarray | None = None
) -> Iterator[list[tuple]]:
    """The frame's rows as tuples in `columns` order, a batch at a time (bounded memory), in `order`
    (positions) when given."""
    for part in frame_batches(frame, _BATCH, order):
        yield list(zip(*[_column_values(part, c, dialect) for c in columns], strict=True))


def _arrow_values(values: pd.Series) -> pa.Array:
    """One column as an Arrow array of plain values: categories decoded to their text; an object column
    of mixed Python values (a number in a text column) as the text the driver would have sent."""
    try:
        array = pa.Array.from_pandas(values)
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        array = pa.array([None if pd.isna(v) else str(v) for v in values], type=pa.large_string())
    return array.dictionary_decode() if pa.types.is_dictionary(array.type) else array


def _csv_batches(
    frame: pd.DataFrame, columns: list[Column], order: np.ndarray | None = None
) -> Iterator[pa.Buffer]:
    """The frame's rows in `columns` order as PostgreSQL COPY CSV, a batch at a time, in `order` when given.

    Arrow writes the text (no Python object per value): every string is quoted, so an empty string stays
    "" while a missing value is the unquoted empty field COPY reads as NULL (pandas' NaN/NA included);
    floats in their shortest round-trip form, which the server parses back to the same double; booleans
    as true/false. At 1,000,000 employees the rows' Python tuples cost more than the server's own work."""
    options = pa_csv.WriteOptions(include_header=False, quoting_style="needed")
    for part in frame_batches(frame, _COPY_BATCH, order):
        arrays = [_arrow_values(part[c.name]) for c in columns]
        sink = pa.BufferOutputStream()
        pa_csv.write_csv(pa.table(arrays, names=[c.name for c in columns]), sink, options)
        yield sink.getvalue()


def replace_rows(conn: Connection, name: str, frame: pd.DataFrame, **where: object) -> int:
    """Delete the rows matching `where`, insert `frame` in batches (in key order: `key_order`), in the
    caller's transaction.

    The insert goes straight to the driver on the transaction's own connection (sqlite3 executemany
    of tuples, PostgreSQL COPY FROM STDIN of the CSV Arrow writes, `_csv_batches`; a stage's write
    on a SQLite file goes through models.sqlite_bulk instead): building a dict per
    row and SQLAlchemy's per-row parameter handling cost more than the database itself on millions of rows.
    A year of a table PostgreSQL holds partitioned by tahun is not deleted and inserted into: it is loaded
    into a new bare table that then replaces the year's partition (`_attach_year`); any other replacement
    in such a table first gives each year of the frame that has none an empty partition.
    """
    tbl = table(name)
    partitioned = _partitioned(conn, tbl)
    if partitioned and set(where) == {"tahun"}:
        tahun = int(where["tahun"])
        runs = frame["stage_run_id"].unique() if "stage_run_id" in frame.columns else []
        target = _new_partition(conn, tbl.name, tahun, f"_r{int(runs[0])}" if len(runs) == 1 else "")
        if not frame.empty:
            _insert(conn, tbl, target, frame)
        _attach_year(conn, tbl.name, target, tahun)
        return len(frame)
    delete = tbl.delete()
    for col, value in where.items():
        delete = delete.where(tbl.c[col] == value)
    conn.execute(delete)
    if frame.empty:
        return 0
    if partitioned:
        for tahun in sorted(set(frame["tahun"].astype(int)) - _partition_years(conn, tbl.name)):
            _attach_year(conn, tbl.name, _new_partition(conn, tbl.name, tahun), tahun)
    _insert(conn, tbl, tbl.name, frame)
    return len(frame)


def _partitioned(conn: Connection, tbl: Table) -> bool:
    """Whether the table is one PostgreSQL holds partitioned by tahun (migration 0006)."""
    if conn.dialect.name != "postgresql" or tbl.name not in YEAR_PARTITIONED:
        return False
    return bool(conn.exec_driver_sql(
        "SELECT relkind = 'p' FROM pg_class WHERE oid = to_regclass(%(t)s)", {"t": tbl.name}).scalar())


def _partition_years(conn: Connection, parent: str) -> set[int]:
    bounds = conn.exec_driver_sql(
        "SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = to_regclass(%(t)s)", {"t": parent}).scalars()
    return {int(bound.removeprefix("FOR VALUES IN (").removesuffix(")")) for bound in bounds}


def _new_partition(conn: Connection, parent: str, tahun: int, suffix: str = "") -> str:
    """A new bare table for a year's rows, named after the table, the year and the stage run
    (`capaian_indikator_2026_r12`), made by `kinerja_partisi_baru` (migration 0006: the owner's DDL for a
    role that may replace the table's rows)."""
    base = f"{parent}_{tahun}{suffix}"
    target, n = base, 1
    while conn.exec_driver_sql("SELECT to_regclass(%(t)s)", {"t": target}).scalar() is not None:
        n += 1
        target = f"{base}_{n}"
    conn.exec_driver_sql("SELECT kinerja_partisi_baru(%(t)s, %(y)s, %(n)s)",
                         {"t": parent, "y": tahun, "n": target})
    return target


def _attach_year(conn: Connection, parent: str, partition: str, tahun: int) -> None:
    """The year's previous partition detached and dropped, the new one attached: its indexes are built by
    sorting and its foreign keys checked in one pass, where a COPY into the indexed table pays for them per
    row (3,499,404 rows: 8.6 s against 29.5 s, bench/RESULTS.md tenth session). Detaching locks the table
    against readers until the stage's transaction commits; attaching does not. The DDL runs as the table's
    owner in `kinerja_pasang_partisi` (migration 0006), for a pipeline role that may INSERT and DELETE."""
    conn.exec_driver_sql("SELECT kinerja_pasang_partisi(%(t)s, %(y)s, %(n)s)",
                         {"t": parent, "y": tahun, "n": partition})


def _insert(conn: Connection, tbl: Table, target: str, frame: pd.DataFrame) -> None:
    """The frame's rows into `target` (the table, or a partition being loaded), in the table's key order."""
    columns = [c for c in tbl.columns if c.name in frame.columns]
    dialect = conn.dialect
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(c.name) for c in columns)
    order = key_order(tbl, frame)
    if order is not None:
        frame = one_chunk(frame)
    cursor = conn.connection.driver_connection.cursor()
    try:
        if dialect.name == "postgresql":
            with cursor.copy(f"COPY {quote(target)} ({names}) FROM STDIN (FORMAT csv)") as copy:
                for text_rows in _csv_batches(frame, columns, order):
                    copy.write(memoryview(text_rows))
        else:
            marks = ", ".join("?" for _ in columns)
            sql = f"INSERT INTO {quote(tbl.name)} ({names}) VALUES ({marks})"
            for rows in _row_batches(frame, columns, dialect, order):
                cursor.executemany(sql, rows)
    finally:
        cursor.close()


def read_frame(engine: Engine, sql: str, **params: object) -> pd.DataFrame:
    """Run a read query into a DataFrame (raw DB-API connection for SQLite: ~3x faster)."""
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            return pd.read_sql(sql, raw.driver_connection, params=params)
        finally:
            raw.close()
    with engine.connect() as conn:
        return pd.read_sql(text(sql), conn, params=params)


def read_year(engine: Engine, name: str, tahun: int, **where: object) -> pd.DataFrame:
    """A table's rows of one year (optionally filtered by equality) in key order, one set-based query."""
    tbl = table(name)
    query = select(tbl).where(tbl.c.tahun == tahun)
    for column, value in where.items():
        query = query.where(tbl.c[column] == value)
    with engine.connect() as conn:
        return pd.read_sql(query.order_by(*tbl.primary_key.columns), conn)


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """One all-or-nothing unit of work."""
    with engine.begin() as conn:
        yield conn
