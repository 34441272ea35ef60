"""PostgreSQL: the year tables with a surrogate id partitioned by tahun too, their key (id, tahun)

0006 partitioned the tables keyed by (tahun, …) and left those keyed by a surrogate `id`, since a partitioned
table's key must hold the partition column. Those are the inputs a stage archives for its year —
perilaku.csv, umpan_balik.csv, survei_masyarakat.csv, riwayat_pelatihan.csv, angka_kredit.csv and
keberatan.csv as read, 5.6M rows at 1,000,000 employees — and COPY paid for their three indexes and the
foreign key row by row. Their key becomes (id, tahun): `id` still comes from the table's own sequence (the
bare table a stage loads has the same default) and is unique on its own, as before; the rows, names and
ids stay. The two functions of 0006 now also allow these tables. SQLite: nothing changes.

Revision ID: 0007
Revises: 0006
Create Date: 2027-03-08 09:00:00
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# models.db.YEAR_PARTITIONED = 0006's YEAR_TABLES + these
ID_YEAR_TABLES = ('perilaku', 'umpan_balik', 'survei_masyarakat', 'riwayat_pelatihan', 'angka_kredit', 'keberatan')


def _m0006():
    path = Path(__file__).with_name('0006_partisi_tahun.py')
    spec = importlib.util.spec_from_file_location('kinerja_migrasi_0006', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rebuild_all(partitioned: bool) -> None:
    conn = op.get_bind()
    if conn.dialect.name != 'postgresql':
        return
    m0006 = _m0006()
    for name in ID_YEAR_TABLES:  # the rows, ids and names kept; the sequence goes with the table
        m0006._rebuild(conn, name, partitioned, 'PRIMARY KEY (id, tahun)' if partitioned else 'PRIMARY KEY (id)')
    schema = conn.execute(sa.text('SELECT current_schema()')).scalar_one()
    tables = m0006.YEAR_TABLES + (ID_YEAR_TABLES if partitioned else ())
    for statement in m0006._functions(f'"{schema}"', tables):
        op.execute(statement.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION', 1))


def upgrade() -> None:
    _rebuild_all(partitioned=True)


def downgrade() -> None:
    _rebuild_all(partitioned=False)
