"""Running one stage flow as part of a command, and telling whoever watches (the CLI's progress lines).

The watcher is an observer installed for the duration of a call with `observing(...)`: a context
variable, so it reaches the stage runs of a `cycle` flow called in this process (a flow parameter
would have to be stored in the run history) and nothing outside that call. Without one, stages run
unobserved (scheduled runs, tests).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

from flows.executor import stage_flow
from stages import registry


class StageObserver(Protocol):
    """Told when each stage of a command starts and how it ends."""

    def started(self, tahap: str, tahun: int) -> None: ...

    def finished(self, tahap: str, tahun: int, result: dict) -> None: ...

    def failed(self, tahap: str, tahun: int, error: BaseException) -> None: ...


class Unobserved:
    """Nobody watches: scheduled runs, tests."""

    def started(self, tahap: str, tahun: int) -> None:
        pass

    def finished(self, tahap: str, tahun: int, result: dict) -> None:
        pass

    def failed(self, tahap: str, tahun: int, error: BaseException) -> None:
        pass


_observer: ContextVar[StageObserver | None] = ContextVar("kinerja_stage_observer", default=None)


@contextmanager
def observing(observer: StageObserver) -> Iterator[StageObserver]:
    """Report the stages run inside this block to `observer`."""
    token = _observer.set(observer)
    try:
        yield observer
    finally:
        _observer.reset(token)


def run_stage(name: str, parameters: dict[str, Any], *, dokumen: str = "semua", executor: str = "lokal",
              dask_address: str | None = None) -> dict:
    """Run stage `name`'s flow with the parameters every stage takes, plus the options the registry says
    it takes (`dokumen` for documents, `executor` for partitioned compute); the observer is told."""
    stage = registry.get(name)
    kwargs = dict(parameters)
    if stage.documents:
        kwargs["dokumen"] = dokumen
    if stage.partitioned:
        kwargs["executor"] = executor
    observer, tahun = _observer.get() or Unobserved(), kwargs["tahun"]
    observer.started(name, tahun)
    try:
        result = stage_flow(name, executor, dask_address)(**kwargs)
    except BaseException as exc:
        observer.failed(name, tahun, exc)
        raise
    observer.finished(name, tahun, result)
    return result
