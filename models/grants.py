"""Database roles: a read-only PostgreSQL role for auditors (SQLite has no roles)."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy import Engine

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_auditor(engine: Engine, role: str, password: str | None = None) -> list[str]:
    """A read-only PostgreSQL role: CONNECT, USAGE on public, SELECT on every table now and later."""
    from psycopg import sql

    if not ROLE_NAME.match(role):
        raise ValueError(f"nama role {role!r} tidak sah / invalid role name (huruf kecil, angka, _)")
    done = []
    with engine.begin() as conn:
        driver = conn.connection.driver_connection
        ident = sql.Identifier(role)
        database = conn.exec_driver_sql("SELECT current_database()").scalar_one()
        exists = conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
        statements = []
        if not exists:
            statements.append(sql.SQL("CREATE ROLE {} LOGIN").format(ident))
        if password:
            statements.append(sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(ident, sql.Literal(password)))
        statements += [
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), ident),
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(ident),
            sql.SQL("REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA "
                    "public FROM {}").format(ident),
            sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}").format(ident),
            sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {}").format(ident),
        ]
        with driver.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
                done.append(re.sub(r"PASSWORD '.*'", "PASSWORD '***'", statement.as_string(driver)))
    return done
