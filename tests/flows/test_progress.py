"""Running one stage for a command: the registry decides which options a stage takes, the observer
installed around the call is told how each stage went, and nobody else is."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.progress import observing, run_stage
from kinerja.errors import InputUnreadable
from stages import registry

TAHUN = 2031  # a year no other test's flow runs are named after


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    def started(self, tahap: str, tahun: int) -> None:
        self.events.append(("mulai", tahap))

    def finished(self, tahap: str, tahun: int, result: dict) -> None:
        self.events.append(("selesai", tahap))

    def failed(self, tahap: str, tahun: int, error: BaseException) -> None:
        self.events.append((type(error).__name__, tahap))


def _parameters(tmp_path: Path) -> dict:
    return dict(tahun=TAHUN, input_dir=str(tmp_path / "tidak-ada"), output_dir=str(tmp_path / "out"),
                db_url=f"sqlite:///{tmp_path / 'k.db'}", ruleset=None, pemicu="manual")


def _flow_run_parameters(name: str) -> dict:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterName
    from prefect.client.schemas.sorting import FlowRunSort

    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(name=FlowRunFilterName(any_=[name])),
                                     sort=FlowRunSort.START_TIME_DESC, limit=1)
    return runs[0].parameters


@pytest.mark.parametrize("stage", registry.STAGES, ids=registry.names())
def test_each_stage_gets_only_the_options_the_registry_gives_it_and_the_observer_hears_of_it(
    prefect_harness: None, tmp_path: Path, stage: registry.Stage
) -> None:
    with observing(Recorder()) as recorder, pytest.raises(InputUnreadable):
        run_stage(stage.name, _parameters(tmp_path), dokumen="tidak", executor="lokal")

    assert recorder.events == [("mulai", stage.name), ("InputUnreadable", stage.name)]
    parameters = _flow_run_parameters(f"{stage.name}-{TAHUN}")
    assert ("dokumen" in parameters) == stage.documents
    assert ("executor" in parameters) == stage.partitioned
    if stage.documents:
        assert parameters["dokumen"] == "tidak"


def test_the_observer_is_heard_only_inside_its_block(prefect_harness: None, tmp_path: Path) -> None:
    outer, inner = Recorder(), Recorder()
    first = registry.names()[0]
    with observing(outer):
        with observing(inner), pytest.raises(InputUnreadable):
            run_stage(first, _parameters(tmp_path))
        with pytest.raises(InputUnreadable):
            run_stage(first, _parameters(tmp_path))
    with pytest.raises(InputUnreadable):
        run_stage(first, _parameters(tmp_path))  # nobody watching: runs all the same
    assert inner.events == [("mulai", first), ("InputUnreadable", first)]
    assert outer.events == inner.events
