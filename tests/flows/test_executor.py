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


@task
def describe_partition(frames, rules: object, tahun: int) -> list[tuple]:
    """What a worker was sent: the partition's file (its path still there), and the frames it holds."""
    from pathlib import Path

    from tasks.partition_files import PartitionFile, frames_of

    assert isinstance(frames, PartitionFile), type(frames)
    got = frames_of(frames)
    return [(frames.kode_instansi, Path(frames.path).parent.name, sorted(got["pegawai"]["nip"]),
             list(got["unit_kerja"]["kode_unit"]), frames.baris)]


@pytest.mark.slow
def test_dask_workers_get_their_partition_as_a_file_removed_after_the_stage(
    prefect_harness: None, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from distributed import LocalCluster
    from prefect_dask import DaskTaskRunner

    from kinerja.settings import get_settings

    monkeypatch.setenv("KINERJA_DASK_PARTISI_DIR", str(tmp_path / "partisi"))
    get_settings.cache_clear()
    frames = {
        "unit_kerja": pd.DataFrame({"kode_unit": ["U1", "U2", "U3"], "kode_instansi": ["B", "A", "B"]}),
        "pegawai": pd.DataFrame({"nip": ["1", "2", "3", "4"], "kode_unit": ["U1", "U2", "U3", "U9"]}),
    }
    try:
        with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster:
            @flow(task_runner=DaskTaskRunner(address=cluster.scheduler_address))
            def stage() -> list[tuple]:
                return compute_by_instansi(describe_partition, "dask", frames, None, 2026,
                                           combine=lambda parts: [row for part in parts for row in part])

            parts = stage()
    finally:
        get_settings.cache_clear()
    # one file per instansi in kode order (the unknown unit's employee in the extra part, first)
    assert [(kode, nips, units, baris) for kode, _, nips, units, baris in parts] == [
        ("", ["4"], [], 1), ("A", ["2"], ["U2"], 2), ("B", ["1", "3"], ["U1", "U3"], 4)]
    folders = {folder for _, folder, *_ in parts}
    assert len(folders) == 1 and folders.pop().startswith("kinerja-partisi-")
    assert list((tmp_path / "partisi").iterdir()) == []  # gone once combined
