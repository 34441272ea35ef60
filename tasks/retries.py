"""Retry options for tasks that touch the database: only what a retry can fix is retried."""

from __future__ import annotations


def transient(_task: object, _task_run: object, state: object) -> bool:
    """Retry only a locked SQLite file or a dropped database connection."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    try:
        state.result()  # type: ignore[attr-defined]
    except OperationalError:
        return True
    except DBAPIError as exc:
        return bool(exc.connection_invalidated)
    except BaseException:  # noqa: BLE001 - any other failure is not transient
        return False
    return False


DB_RETRIES = {"retries": 3, "retry_delay_seconds": [2, 5, 15], "retry_condition_fn": transient}
