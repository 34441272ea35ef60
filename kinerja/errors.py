"""Project errors that the command line turns into exit codes and one-line messages (never a traceback)."""

from __future__ import annotations

import logging
from pathlib import Path

# Prefect's loggers of flow runs and task runs: they log a failing run's exception with its traceback.
RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs")


class KinerjaError(Exception):
    """Base of every expected failure; `exit_code` is what the `kinerja` command exits with."""

    exit_code: int = 2


class InputUnreadable(KinerjaError):
    """An input file cannot be read at all: one line naming the file and the problem (id / en)."""

    exit_code = 2


class UsageError(KinerjaError):
    """The command was called wrongly (unknown stage, bad option value)."""

    exit_code = 2


class GateFailed(KinerjaError):
    """A data-quality gate stopped the stage; carries the gate result and where its report was saved."""

    exit_code = 1

    def __init__(
        self, message: str, result: object | None = None, report_path: Path | str | None = None
    ) -> None:
        super().__init__(message)
        self.result = result
        self.report_path = Path(report_path) if report_path is not None else None


class StageRefused(KinerjaError):
    """A stage will not run yet: what it builds on is missing or stale (e.g. training before year-end)."""

    exit_code = 1


class AuditFailed(KinerjaError):
    """`kinerja audit verify` found a difference: an edited record, a changed result row or input file."""

    exit_code = 1

    def __init__(self, message: str, temuan: list | None = None) -> None:
        super().__init__(message)
        self.temuan = list(temuan or [])


class OneLineInLogs(logging.Filter):
    """A KinerjaError logged with its traceback becomes one line, naming the problem; other errors keep
    theirs (engineers need them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, KinerjaError):
            message = record.getMessage()
            if str(error) not in message:
                record.msg, record.args = f"{message}: {error}", None
            record.exc_info, record.exc_text = None, None
        return True


def one_line_in_run_logs() -> None:
    """Log this process's KinerjaErrors in flow and task runs as one line (console, serve log, history)."""
    for name in RUN_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, OneLineInLogs) for f in logger.filters):
            logger.addFilter(OneLineInLogs())
