"""audit chain: sealed stage runs, the chain head, stage_run_id indexes, append-only trigger

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 09:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# Every table whose rows carry the stage run that wrote them (gate_check and karantina are indexed in 0001).
_RUN_TABLES = (
    'bias_penilai', 'capaian_indikator', 'hasil_penilaian', 'indikator_skp', 'katalog_pelatihan', 'pegawai',
    'pemantauan', 'perilaku', 'rating_atasan', 'realisasi', 'rekomendasi_pelatihan', 'riwayat_pelatihan',
    'survei_masyarakat', 'tindak_lanjut', 'umpan_balik', 'unit_kerja',
)
_MESSAGE = 'stage_run tersegel: catatan audit hanya-tambah / sealed stage run: the audit log is append-only'


def upgrade() -> None:
    op.add_column('stage_run', sa.Column('urutan_rantai', sa.Integer(), nullable=True))
    op.add_column('stage_run', sa.Column('hasil_digest', sa.Text(), nullable=True))
    op.create_index('ix_stage_run_urutan_rantai', 'stage_run', ['urutan_rantai'], unique=True)
    op.create_table(
        'rantai_audit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('jumlah', sa.Integer(), nullable=False),
        sa.Column('kepala_stage_run_id', sa.Integer(), nullable=True),
        sa.Column('kepala_hash', sa.String(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.execute("INSERT INTO rantai_audit (id, jumlah) VALUES (1, 0)")
    for name in _RUN_TABLES:
        op.create_index(f'ix_{name}_stage_run_id', name, ['stage_run_id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"""
            CREATE FUNCTION stage_run_hanya_tambah() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF OLD.record_hash IS NOT NULL THEN
                    RAISE EXCEPTION '{_MESSAGE} (id %)', OLD.id;
                END IF;
                IF TG_OP = 'DELETE' THEN
                    RETURN OLD;
                END IF;
                RETURN NEW;
            END $$""")
        op.execute("""
            CREATE TRIGGER stage_run_hanya_tambah BEFORE UPDATE OR DELETE ON stage_run
            FOR EACH ROW EXECUTE FUNCTION stage_run_hanya_tambah()""")
    else:
        for event in ('UPDATE', 'DELETE'):
            op.execute(f"""
                CREATE TRIGGER stage_run_hanya_tambah_{event.lower()} BEFORE {event} ON stage_run
                FOR EACH ROW WHEN OLD.record_hash IS NOT NULL
                BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END""")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS stage_run_hanya_tambah ON stage_run")
        op.execute("DROP FUNCTION IF EXISTS stage_run_hanya_tambah()")
    else:
        op.execute("DROP TRIGGER IF EXISTS stage_run_hanya_tambah_update")
        op.execute("DROP TRIGGER IF EXISTS stage_run_hanya_tambah_delete")
    for name in _RUN_TABLES:
        op.drop_index(f'ix_{name}_stage_run_id', table_name=name)
    op.drop_table('rantai_audit')
    op.drop_index('ix_stage_run_urutan_rantai', table_name='stage_run')
    with op.batch_alter_table('stage_run', schema=None) as batch_op:
        batch_op.drop_column('hasil_digest')
        batch_op.drop_column('urutan_rantai')
