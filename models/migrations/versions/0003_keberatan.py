"""keberatan: the objections as filed, their decisions, the predikat that stands; follow-up records it

Revision ID: 0003
Revises: 0002
Create Date: 2027-02-02 09:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def _run_id() -> list:
    """The stage run that wrote a row (indexed: an audit reads a run's rows)."""
    return [sa.Column('stage_run_id', sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(['stage_run_id'], ['stage_run.id'], )]


def upgrade() -> None:
    op.create_table(
        'keberatan',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('tahun', sa.Integer(), nullable=False),
        sa.Column('baris', sa.Integer(), nullable=False),
        sa.Column('nip', sa.String(), nullable=False),
        sa.Column('tanggal_terima', sa.String(), nullable=False),
        sa.Column('tanggal_pengajuan', sa.String(), nullable=False),
        sa.Column('alasan', sa.Text(), nullable=False),
        sa.Column('nip_pemutus', sa.String(), nullable=True),
        sa.Column('tanggal_keputusan', sa.String(), nullable=False),
        sa.Column('keputusan', sa.String(), nullable=False),
        sa.Column('rating_hasil_kerja_baru', sa.String(), nullable=True),
        sa.Column('rating_perilaku_baru', sa.String(), nullable=True),
        sa.Column('catatan_keputusan', sa.Text(), nullable=True),
        *_run_id(),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'keberatan_hasil',
        sa.Column('tahun', sa.Integer(), nullable=False),
        sa.Column('nip', sa.String(), nullable=False),
        sa.Column('keputusan', sa.String(), nullable=False),
        sa.Column('rating_hasil_kerja_lama', sa.String(), nullable=False),
        sa.Column('rating_perilaku_lama', sa.String(), nullable=False),
        sa.Column('predikat_lama', sa.String(), nullable=False),
        sa.Column('rating_hasil_kerja_baru', sa.String(), nullable=False),
        sa.Column('rating_perilaku_baru', sa.String(), nullable=False),
        sa.Column('predikat_ditetapkan', sa.String(), nullable=False),
        sa.Column('nip_pemutus', sa.String(), nullable=True),
        sa.Column('tanggal_keputusan', sa.String(), nullable=False),
        *_run_id(),
        sa.PrimaryKeyConstraint('tahun', 'nip'),
    )
    op.create_table(
        'predikat_ditetapkan',
        sa.Column('tahun', sa.Integer(), nullable=False),
        sa.Column('nip', sa.String(), nullable=False),
        sa.Column('kode_unit', sa.String(), nullable=False),
        sa.Column('predikat_final', sa.String(), nullable=False),
        sa.Column('keberatan', sa.Boolean(), nullable=False),
        sa.Column('predikat_ditetapkan', sa.String(), nullable=False),
        *_run_id(),
        sa.PrimaryKeyConstraint('tahun', 'nip'),
    )
    op.create_index('ix_keberatan_tahun', 'keberatan', ['tahun'], unique=False)
    op.create_index('ix_keberatan_nip', 'keberatan', ['nip'], unique=False)
    op.create_index('ix_predikat_ditetapkan_kode_unit', 'predikat_ditetapkan', ['kode_unit'], unique=False)
    for name in ('keberatan', 'keberatan_hasil', 'predikat_ditetapkan'):
        op.create_index(f'ix_{name}_stage_run_id', name, ['stage_run_id'], unique=False)
    op.add_column('tindak_lanjut', sa.Column('predikat_ditetapkan', sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('tindak_lanjut', schema=None) as batch_op:
        batch_op.drop_column('predikat_ditetapkan')
    for name in ('predikat_ditetapkan', 'keberatan_hasil', 'keberatan'):
        op.drop_table(name)
