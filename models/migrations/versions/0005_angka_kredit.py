"""angka_kredit: the functional officials' credit entries as filed and their angka kredit of the year

Revision ID: 0005
Revises: 0004
Create Date: 2027-02-16 09:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def _run_id() -> list:
    """The stage run that wrote a row (indexed: an audit reads a run's rows)."""
    return [sa.Column('stage_run_id', sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(['stage_run_id'], ['stage_run.id'], )]


def upgrade() -> None:
    op.create_table(
        'angka_kredit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('tahun', sa.Integer(), nullable=False),
        sa.Column('baris', sa.Integer(), nullable=False),
        sa.Column('nip', sa.String(), nullable=False),
        sa.Column('jenjang', sa.String(), nullable=False),
        sa.Column('golongan', sa.String(), nullable=False),
        sa.Column('ak_awal', sa.Float(), nullable=False),
        sa.Column('bulan', sa.Integer(), nullable=True),
        *_run_id(),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'angka_kredit_hasil',
        sa.Column('tahun', sa.Integer(), nullable=False),
        sa.Column('nip', sa.String(), nullable=False),
        sa.Column('kode_unit', sa.String(), nullable=False),
        sa.Column('jenjang', sa.String(), nullable=False),
        sa.Column('golongan', sa.String(), nullable=False),
        sa.Column('predikat_ditetapkan', sa.String(), nullable=False),
        sa.Column('persentase', sa.Float(), nullable=False),
        sa.Column('koefisien', sa.Float(), nullable=False),
        sa.Column('bulan', sa.Integer(), nullable=False),
        sa.Column('ak_tahun', sa.Float(), nullable=False),
        sa.Column('ak_awal', sa.Float(), nullable=False),
        sa.Column('ak_kumulatif', sa.Float(), nullable=False),
        sa.Column('langkah_berikutnya', sa.String(), nullable=False),
        sa.Column('ambang', sa.Float(), nullable=True),
        sa.Column('memenuhi', sa.String(), nullable=False),
        sa.Column('kekurangan', sa.Float(), nullable=True),
        sa.Column('uji_kompetensi', sa.Boolean(), nullable=False),
        *_run_id(),
        sa.PrimaryKeyConstraint('tahun', 'nip'),
    )
    op.create_index('ix_angka_kredit_tahun', 'angka_kredit', ['tahun'], unique=False)
    op.create_index('ix_angka_kredit_nip', 'angka_kredit', ['nip'], unique=False)
    op.create_index('ix_angka_kredit_hasil_kode_unit', 'angka_kredit_hasil', ['kode_unit'], unique=False)
    for name in ('angka_kredit', 'angka_kredit_hasil'):
        op.create_index(f'ix_{name}_stage_run_id', name, ['stage_run_id'], unique=False)


def downgrade() -> None:
    for name in ('angka_kredit_hasil', 'angka_kredit'):
        op.drop_table(name)
