"""The year at a glance, refreshed at the end of every stage: index.html, its search data and the workbook.

Both are views of what the year already holds (the database and the output CSVs), written after the stage
run is closed so that they show its outcome. They never decide a stage: the stage's results are stored
and sealed by then, so a view that cannot be written is reported (log and run summary) and left for the
next stage, not turned into a failed stage whose record says it succeeded.

A command that runs several stages one after the other (`kinerja cycle`) refreshes the view once, after
the last of them (`one_year_view`): a view written between two stages of the same command is read by
nobody and overwritten seconds later (at 1,000,000 employees each refresh took 6–28 s, 74 s for the
five stages before training; bench/RESULTS.md, ninth session). A stage its gate stopped still refreshes
at once, and a command that stops on an error refreshes the view for the stages it completed before it
gives up.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from penilaian.ruleset import load_ruleset
from stages.context import StageContext

T = TypeVar("T")

# What a stage's summary says (tasks.lifecycle.summary_markdown) when the view was left to a later stage.
LATER = ("diperbarui setelah tahap terakhir perintah ini / refreshed after the last stage of this command "
         "(siklus / cycle)")


@task(name="ringkasan-tahun", cache_policy=NO_CACHE)
def refresh_year_view(ctx: StageContext) -> list[Path]:
    """kinerja_<tahun>.xlsx from the year's CSVs, then index.html (which links the workbook)."""
    from reports.index_page import render_index
    from reports.workbook import write_workbook

    workbook = write_workbook(ctx.output_dir, ctx.tahun)
    pages = render_index(ctx.db_url, ctx.tahun, ctx.output_dir, load_ruleset(ctx.ruleset_name))
    get_run_logger().info("Ringkasan tahun: %s", pages[0] if pages else "-")
    return [*pages, *([workbook] if workbook else [])]


@dataclass
class _OneView:
    """The state of a `one_year_view` block: whether the stage running now is followed by another, and
    the last stage run whose view was left for later (None once a refresh covers it)."""

    more_follow: bool = False
    pending: StageContext | None = None

    def each(self, stages: Sequence[T]) -> Iterator[T]:
        """`stages` one by one, each told whether another follows (the last refreshes the view)."""
        for number, stage in enumerate(stages, start=1):
            self.more_follow = number < len(stages)
            yield stage


_one_view: ContextVar[_OneView | None] = ContextVar("kinerja_one_year_view", default=None)


@contextmanager
def one_year_view() -> Iterator[_OneView]:
    """A block running several stages (`for stage in view.each(stages)`): a stage that finishes while more
    follow leaves the view to them. Leaving the block with a view still pending (a later stage raised)
    refreshes it there, so the view never lags behind what the database holds."""
    state = _OneView()
    token = _one_view.set(state)
    try:
        yield state
    finally:
        _one_view.reset(token)
        if state.pending is not None:
            year_view(state.pending)


def year_view(ctx: StageContext, *, may_wait: bool = False) -> tuple[list[Path], str]:
    """Refresh the year view; (files, "") when written, ([], one-line reason) when it could not be, ([],
    LATER) when `may_wait` and a later stage of the same command will (`one_year_view`)."""
    state = _one_view.get()
    if state is not None:
        if may_wait and state.more_follow:
            state.pending = ctx
            return [], LATER
        state.pending = None
    try:
        return refresh_year_view(ctx), ""
    except Exception as exc:  # noqa: BLE001 - a view never fails a stage whose results are sealed
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
        _logger().warning("Ringkasan tahun (index.html, kinerja_%s.xlsx) tidak diperbarui / year view "
                          "not refreshed: %s", ctx.tahun, reason)
        return [], reason


def _logger() -> logging.Logger | logging.LoggerAdapter:
    """The run logger inside a flow or task run; this module's logger outside (a command's last refresh)."""
    from prefect.exceptions import MissingContextError

    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger(__name__)
