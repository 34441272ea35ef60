"""The benchmark's variants: which database (BENCH_DB) and executor (BENCH_EXECUTOR) a run uses.

sqlite-lokal is the reference every other variant's outputs are compared with (bench/run.py).
"""

from __future__ import annotations

from dataclasses import dataclass

DATABASES = ("sqlite", "postgresql")
EXECUTORS = ("lokal", "dask")


@dataclass(frozen=True)
class Variant:
    """Which database and executor a benchmark run uses; sqlite-lokal is the reference the others are
    compared with."""

    db: str = "sqlite"
    executor: str = "lokal"
    url: str | None = None  # PostgreSQL: the server (its database name is replaced per size)

    @property
    def name(self) -> str:
        return f"{self.db}-{self.executor}"

    @property
    def label(self) -> str:
        return f"{self.db}/{self.executor}"

    @property
    def reference(self) -> bool:
        return self == REFERENCE


REFERENCE = Variant()


def variant_from_env(env: dict[str, str]) -> Variant:
    """BENCH_DB and BENCH_EXECUTOR, refused before anything runs when they name nothing known."""
    db = env.get("BENCH_DB", "").strip() or "sqlite"
    executor = env.get("BENCH_EXECUTOR", "").strip() or "lokal"
    if executor not in EXECUTORS:
        raise SystemExit(f"BENCH_EXECUTOR={executor!r} tidak dikenal / unknown: {' | '.join(EXECUTORS)}")
    if db == "sqlite":
        return Variant("sqlite", executor)
    if db.startswith("postgresql"):
        return Variant("postgresql", executor, db)
    raise SystemExit(f"BENCH_DB={db!r} tidak dikenal / unknown: sqlite | postgresql+psycopg://user@host:port/db")


def variant_of(res: dict) -> Variant:
    """The variant a saved result was measured with (results saved before variants: sqlite-lokal)."""
    return Variant(res.get("db", REFERENCE.db), res.get("executor", REFERENCE.executor))
