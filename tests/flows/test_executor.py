"""Where compute runs: each registry stage's flow found from its entrypoint, with a Dask task runner only
for partitioned stages; unknown executors refused before anything runs."""

from __future__ import annotations

import pandas as pd
import pytest
from prefect import Flow, flow, task

from flows.executor import LOCAL_CLUSTER, check_executor, compute_by_instansi, dask_cluster, stage_flow
from kinerja.errors import UsageError
from stages import registry


@pytest.mark.parametrize("name", registry.names())
def test_every_stage_resolves_to_the_flow_its_registry_entrypoint_names(name: str) -> None:
    stage = registry.get(name)
    found = stage_flow(name)
    assert isinstance(found, Flow) and found.name == name
    assert found.fn.__module__ == stage.flow_module and found.fn.__name__ == stage.flow_function


def test_only_partitioned_stages_get_a_dask_task_runner() -> None:
    from prefect_dask import DaskTaskRunner

    for stage in registry.STAGES:
        remote = stage_flow(stage.name, "dask", "tcp://127.0.0.1:8786")
        if stage.partitioned:
            assert isinstance(remote.task_runner, DaskTaskRunner)
            assert remote.task_runner.address == "tcp://127.0.0.1:8786"
            local = stage_flow(stage.name, "dask").task_runner
            assert local.cluster_kwargs["n_workers"] == LOCAL_CLUSTER["n_workers"]
        else:
            assert remote is stage_flow(stage.name)


def test_unknown_executors_are_refused() -> None:
    assert check_executor("dask") == "dask"
    with pytest.raises(UsageError, match="spark"):
        stage_flow(registry.names()[0], "spark")
    with pytest.raises(UsageError):
        with dask_cluster("spark", None):
            pytest.fail("no cluster for an unknown executor")


def test_a_local_run_or_a_given_scheduler_starts_no_cluster() -> None:
    with dask_cluster("lokal", None) as address:
        assert address is None
    with dask_cluster("dask", "tcp://scheduler:8786") as address:
        assert address == "tcp://scheduler:8786"


@task
def count_rows(frames: dict[str, pd.DataFrame], rules: object, tahun: int) -> int:
    return sum(len(frame) for frame in frames.values()) + tahun


def test_a_local_compute_runs_once_on_the_whole_tables(prefect_harness: None) -> None:
    @flow
    def stage() -> int:
        frames = {"pegawai": pd.DataFrame({"nip": ["1", "2", "3"]})}
        return compute_by_instansi(count_rows, "lokal", frames, None, 2026, combine=sum)

    assert stage() == 2029
