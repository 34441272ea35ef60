"""Run the `kinerja` command in the test process with the console a real `kinerja` process has."""

from __future__ import annotations

import logging

import pytest

# Where Prefect 3.8 puts its console handler (the root logger) and where other versions put it.
_LOGGERS = ("", "prefect", "prefect.flow_runs", "prefect.task_runs")


def quiet_prefect_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh `kinerja` process keeps Prefect's console handlers at CRITICAL (kinerja.cli sets
    PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL before Prefect configures logging); this process
    configured Prefect logging before, so set the same level on the handlers it has."""
    from prefect.logging.handlers import PrefectConsoleHandler

    for name in _LOGGERS:
        for handler in logging.getLogger(name).handlers:
            if isinstance(handler, PrefectConsoleHandler):
                monkeypatch.setattr(handler, "level", logging.CRITICAL)
