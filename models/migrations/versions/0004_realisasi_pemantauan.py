"""realisasi_pemantauan: the realisation rows the mid-year monitoring used, archived for `audit verify`

Revision ID: 0004
Revises: 0003
Create Date: 2027-02-02 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'realisasi_pemantauan',
        sa.Column('tahun', sa.Integer(), nullable=False),
        sa.Column('id_indikator', sa.String(), nullable=False),
        sa.Column('periode', sa.String(), nullable=False),
        sa.Column('realisasi', sa.Float(), nullable=False),
        sa.Column('bukti', sa.Text(), nullable=True),
        sa.Column('stage_run_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['stage_run_id'], ['stage_run.id'], ),
        sa.PrimaryKeyConstraint('tahun', 'id_indikator', 'periode'),
    )
    op.create_index('ix_realisasi_pemantauan_stage_run_id', 'realisasi_pemantauan', ['stage_run_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_realisasi_pemantauan_stage_run_id', table_name='realisasi_pemantauan')
    op.drop_table('realisasi_pemantauan')
