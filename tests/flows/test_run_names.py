"""Flow runs are named `<stage>-<tahun>`: the year given, or the year the stage works on at the run date."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from prefect import flow
from prefect.client.orchestration import get_client
from prefect.runtime import flow_run

from flows.run_names import run_name
from kinerja.prefect_server import foreground_runs


def named_run(tahap: str, tahun: int | None = None) -> tuple[str, str]:
    """Run a tiny flow named by `run_name(tahap)`: its name seen inside the run and in the run history."""

    @flow(flow_run_name=run_name(tahap))
    def tiny(tahun: int | None = None) -> tuple[str, str]:
        return flow_run.name, flow_run.id

    with foreground_runs():  # no heartbeat thread to wait for on exit
        inside, run_id = tiny(tahun=tahun)
    with get_client(sync_client=True) as client:
        return inside, client.read_flow_run(run_id).name


def jakarta_today() -> datetime:
    return datetime.now(UTC).astimezone(ZoneInfo("Asia/Jakarta"))


@pytest.mark.parametrize(("tahap", "tahun", "expected"), [
    ("year-end", 2024, "year-end-2024"),
    ("plan-collection", 2031, "plan-collection-2031"),
    ("cycle", 2026, "cycle-2026"),
])
def test_a_given_year_names_the_run(prefect_harness: None, tahap: str, tahun: int, expected: str) -> None:
    assert named_run(tahap, tahun) == (expected, expected)


def test_a_previous_year_stage_without_a_year_takes_it_from_the_date(prefect_harness: None) -> None:
    """year-end runs in January for the year that just ended: the previous year until June."""
    before = jakarta_today()
    inside, stored = named_run("year-end")
    after = jakarta_today()
    expected = {f"year-end-{day.year - 1 if day.month <= 6 else day.year}" for day in (before, after)}
    assert inside == stored and inside in expected


@pytest.mark.parametrize("tahap", ["plan-collection", "cycle"])
def test_a_current_year_stage_takes_the_current_year(prefect_harness: None, tahap: str) -> None:
    before = jakarta_today()
    inside, stored = named_run(tahap)
    after = jakarta_today()
    assert inside == stored and inside in {f"{tahap}-{before.year}", f"{tahap}-{after.year}"}
