"""Database tasks retry only what a retry can fix: a locked file, a dropped connection."""

from __future__ import annotations

from prefect.states import Completed, Failed
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from tasks.retries import DB_RETRIES, transient


def test_a_locked_database_or_a_dropped_connection_is_retried() -> None:
    locked = OperationalError("INSERT …", {}, Exception("database is locked"))
    dropped = DBAPIError("SELECT 1", {}, Exception("server closed the connection"),
                         connection_invalidated=True)
    assert transient(None, None, Failed(data=locked))
    assert transient(None, None, Failed(data=dropped))


def test_other_failures_and_successes_are_not_retried() -> None:
    duplicate = IntegrityError("INSERT …", {}, Exception("UNIQUE constraint failed"))
    assert not transient(None, None, Failed(data=duplicate))
    assert not transient(None, None, Failed(data=ValueError("kolom hilang")))
    assert not transient(None, None, Completed(data=3))


def test_retry_options_wait_longer_each_time() -> None:
    assert DB_RETRIES["retries"] == len(DB_RETRIES["retry_delay_seconds"])
    assert list(DB_RETRIES["retry_delay_seconds"]) == sorted(DB_RETRIES["retry_delay_seconds"])
    assert DB_RETRIES["retry_condition_fn"] is transient
