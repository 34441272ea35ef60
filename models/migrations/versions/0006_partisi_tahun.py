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

Making, attaching and detaching a partition needs the table's owner. The pipeline may run as a role that
owns nothing (README: a migration role owns the schema), so two SECURITY DEFINER functions owned by the
schema owner do it for a caller who may both INSERT and DELETE rows of that table — the power to replace
the year's rows it already has, nothing more: `kinerja_partisi_baru` makes the bare table (the caller may
fill it), `kinerja_pasang_partisi` puts it in place of the year's partition. Each refuses any table but the
year tables, any name but `<table>_<tahun>[_r<run>][_<n>]` and, for the second, a table the first did not make.

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


def _functions(schema: str, year_tables: tuple[str, ...] = YEAR_TABLES) -> list[str]:
    """The two functions, allowed for `year_tables` (0007 adds the tables with a surrogate id)."""
    tables = ", ".join(f"'{name}'" for name in year_tables)
    checks = f"""
    IF induk <> ALL (ARRAY[{tables}]) THEN
        RAISE EXCEPTION 'bukan tabel tahunan / not a year table: %', induk;
    END IF;
    IF NOT (has_table_privilege(session_user, induk, 'INSERT')
            AND has_table_privilege(session_user, induk, 'DELETE')) THEN
        RAISE EXCEPTION insufficient_privilege USING MESSAGE = format(
            'peran %s tidak boleh mengganti baris %s / role %s may not replace rows of %s',
            session_user, induk, session_user, induk);
    END IF;
    IF nama !~ ('^' || induk || '_' || tahun || '(_r[0-9]+)?(_[0-9]+)?$') THEN
        RAISE EXCEPTION 'nama partisi tidak sah / invalid partition name: %', nama;
    END IF;"""
    header = f"LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$"
    return [
        f"""CREATE FUNCTION kinerja_partisi_baru(induk text, tahun integer, nama text) RETURNS void
        {header}
        BEGIN{checks}
            EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS)', nama, induk);
            EXECUTE format('GRANT INSERT, SELECT ON %I TO %I', nama, session_user);
        END $$""",
        f"""CREATE FUNCTION kinerja_pasang_partisi(induk text, tahun integer, nama text) RETURNS void
        {header}
        DECLARE lama text;
        BEGIN{checks}
            IF NOT EXISTS (SELECT 1 FROM pg_class WHERE oid = to_regclass(nama) AND relkind = 'r'
                           AND NOT relispartition AND relowner = (SELECT oid FROM pg_roles
                                                                  WHERE rolname = current_user)) THEN
                RAISE EXCEPTION 'bukan tabel dari kinerja_partisi_baru / not made by kinerja_partisi_baru: %',
                    nama;
            END IF;
            FOR lama IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                        WHERE i.inhparent = to_regclass(induk)
                          AND pg_get_expr(c.relpartbound, c.oid) = format('FOR VALUES IN (%s)', tahun) LOOP
                EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', induk, lama);
                EXECUTE format('DROP TABLE %I', lama);
            END LOOP;
            IF session_user <> current_user THEN
                EXECUTE format('REVOKE ALL ON %I FROM %I', nama, session_user);
            END IF;
            EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES IN (%s)', induk, nama, tahun);
        END $$""",
    ]


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


def _rebuild(conn: sa.Connection, name: str, partitioned: bool, key: str | None = None) -> None:
    """The table made again (partitioned by tahun, or plain), its rows moved over, its names kept; `key`
    (0007: the key of a table with a surrogate id) in place of its primary key's definition. A serial
    column's sequence goes to the new table (none among this migration's tables)."""
    definitions = _definitions(conn, name)
    if key is not None:
        definitions = [f'{d.split(" PRIMARY KEY ")[0]} {key}' if ' PRIMARY KEY (' in d else d for d in definitions]
    sequences = conn.execute(sa.text(
        "SELECT attname, pg_get_serial_sequence(:t, attname) FROM pg_attribute WHERE attrelid = CAST(:t AS "
        "regclass) AND attnum > 0 AND NOT attisdropped AND pg_get_serial_sequence(:t, attname) IS NOT NULL"),
        {'t': name}).all()
    old = f'{name}__lama'
    op.execute(f'ALTER TABLE "{name}" RENAME TO "{old}"')
    how = ' PARTITION BY LIST (tahun)' if partitioned else ''
    op.execute(f'CREATE TABLE "{name}" (LIKE "{old}" INCLUDING DEFAULTS){how}')
    if partitioned:
        years = conn.execute(sa.text(f'SELECT DISTINCT tahun FROM "{old}" ORDER BY tahun')).scalars().all()
        for tahun in years:
            op.execute(f'CREATE TABLE "{name}_{int(tahun)}" PARTITION OF "{name}" FOR VALUES IN ({int(tahun)})')
    op.execute(f'INSERT INTO "{name}" SELECT * FROM "{old}"')
    for column, sequence in sequences:
        op.execute(f'ALTER SEQUENCE {sequence} OWNED BY "{name}"."{column}"')
    op.execute(f'DROP TABLE "{old}" CASCADE')
    for statement in definitions:
        op.execute(statement)


def _rebuild_all(partitioned: bool) -> None:
    conn = op.get_bind()
    if conn.dialect.name != 'postgresql':
        return
    for name in YEAR_TABLES:
        _rebuild(conn, name, partitioned)
    if partitioned:
        schema = conn.execute(sa.text('SELECT current_schema()')).scalar_one()
        for statement in _functions(f'"{schema}"'):
            op.execute(statement)
    else:
        op.execute('DROP FUNCTION IF EXISTS kinerja_partisi_baru(text, integer, text)')
        op.execute('DROP FUNCTION IF EXISTS kinerja_pasang_partisi(text, integer, text)')


def upgrade() -> None:
    _rebuild_all(partitioned=True)


def downgrade() -> None:
    _rebuild_all(partitioned=False)
