"""PostgreSQL: the year tables partitioned by tahun, so a stage loads its year into a bare table and attaches it

A stage replaces a year of each table it writes. Into a table with its key, indexes and foreign key, COPY
pays for them row by row: 3,499,404 `capaian_indikator` rows took 29.5 s, 4.0 s of it the load itself and
10.9 s the foreign key's per-row check on `stage_run` (bench/RESULTS.md, tenth session). Partitioned by
`tahun` (LIST), the year is loaded into a table without them and attached (`models.db.replace_rows`): the
indexes are built by sorting and the foreign key checked in one pass — 8.6 s for the same rows, the year's
previous partition detached and dropped in the same transaction.

Only the tables whose key starts with `tahun` (natural keys); those with a surrogate `id` keep their form
(a partitioned table's key must contain the partition column). SQLite has no partitions: nothing changes.
The rows are moved, not rewritten: same values, same key, same index and constraint names.

Revision ID: 0006
Revises: 0005
Create Date: 2027-03-01 09:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# the tables a stage replaces a year of, keyed by (tahun, …): models.db.YEAR_PARTITIONED keeps the same list
YEAR_TABLES = (
    'unit_kerja', 'pegawai', 'indikator_skp', 'pemantauan', 'realisasi_pemantauan', 'capaian_indikator',
    'hasil_penilaian', 'bias_penilai', 'realisasi', 'rating_atasan', 'keberatan_hasil', 'predikat_ditetapkan',
    'rekomendasi_pelatihan', 'tindak_lanjut', 'katalog_pelatihan', 'angka_kredit_hasil',
)


def _definitions(conn: sa.Connection, name: str) -> list[str]:
    """The statements that rebuild the table's key, foreign keys and other indexes under the same names."""
    constraints = conn.execute(sa.text(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = CAST(:t AS regclass) "
        "AND contype IN ('p', 'f', 'u') ORDER BY contype DESC, conname"), {'t': name}).all()
    indexes = conn.execute(sa.text(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = :t "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = CAST(:t AS regclass)) "
        "ORDER BY indexname"), {'t': name}).scalars().all()
    return [f'ALTER TABLE "{name}" ADD CONSTRAINT "{con}" {definition}' for con, definition in constraints] + \
        list(indexes)


def _rebuild(conn: sa.Connection, name: str, partitioned: bool) -> None:
    """The table made again (partitioned by tahun, or plain), its rows moved over, its names kept."""
    definitions = _definitions(conn, name)
    old = f'{name}__lama'
    op.execute(f'ALTER TABLE "{name}" RENAME TO "{old}"')
    how = ' PARTITION BY LIST (tahun)' if partitioned else ''
    op.execute(f'CREATE TABLE "{name}" (LIKE "{old}" INCLUDING DEFAULTS){how}')
    if partitioned:
        years = conn.execute(sa.text(f'SELECT DISTINCT tahun FROM "{old}" ORDER BY tahun')).scalars().all()
        for tahun in years:
            op.execute(f'CREATE TABLE "{name}_{int(tahun)}" PARTITION OF "{name}" FOR VALUES IN ({int(tahun)})')
    op.execute(f'INSERT INTO "{name}" SELECT * FROM "{old}"')
    op.execute(f'DROP TABLE "{old}" CASCADE')
    for statement in definitions:
        op.execute(statement)


def _rebuild_all(partitioned: bool) -> None:
    conn = op.get_bind()
    if conn.dialect.name == 'postgresql':
        for name in YEAR_TABLES:
            _rebuild(conn, name, partitioned)


def upgrade() -> None:
    _rebuild_all(partitioned=True)


def downgrade() -> None:
    _rebuild_all(partitioned=False)
