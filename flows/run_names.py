"""Flow-run names that say stage and year, e.g. `year-end-2026`, also for scheduled runs."""

from __future__ import annotations

from collections.abc import Callable

from stages.context import resolve_tahun


def run_name(tahap: str) -> Callable[[], str]:
    """A `flow_run_name` callable for stage `tahap` (or the cycle)."""

    def _name() -> str:
        from prefect.runtime import flow_run

        return f"{tahap}-{resolve_tahun(tahap, flow_run.parameters.get('tahun'))}"

    return _name
