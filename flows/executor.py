"""Where a stage's heavy compute runs: whole tables in the flow process, or per instansi on Dask.

`lokal` (the default) changes nothing: one compute task over the whole tables. `dask` gives the
stage flow a prefect-dask DaskTaskRunner (a scheduler address, or a local cluster) and submits one
compute task per instansi, a handful of coarse tasks, never one per employee, each reading its
partition from a file the flow wrote for it (tasks.partition_files); the flow process
combines them and keeps every database write (one transaction per stage).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import pandas as pd
from prefect import Flow, Task

from stages import registry
from tasks.partition_files import partition_folder, write_partition

EXECUTORS = ("lokal", "dask")
# The cluster started when no scheduler address is given: worker processes, one thread each
# (the compute is pandas/numpy and holds the GIL).
LOCAL_CLUSTER: dict[str, Any] = {"n_workers": 2, "threads_per_worker": 1, "processes": True,
                                 "dashboard_address": None}

R = TypeVar("R")


def check_executor(executor: str) -> str:
    """Refuse an unknown executor name before anything runs."""
    if executor not in EXECUTORS:
        from kinerja.errors import UsageError

        raise UsageError(f"--executor {executor!r} tidak dikenal / unknown: {' | '.join(EXECUTORS)}")
    return executor


def task_runner(executor: str, dask_address: str | None = None) -> Any | None:
    """The task runner for `executor`: None keeps the flow's own, dask gives a DaskTaskRunner."""
    if check_executor(executor) == "lokal":
        return None
    from prefect_dask import DaskTaskRunner

    if dask_address:
        return DaskTaskRunner(address=dask_address)
    return DaskTaskRunner(cluster_kwargs=dict(LOCAL_CLUSTER))


def stage_flow(name: str, executor: str = "lokal", dask_address: str | None = None) -> Flow:
    """The stage's flow from its registry entrypoint, with a Dask task runner when asked (stages
    without partitioned compute as they are)."""
    stage = registry.get(name)
    found = getattr(importlib.import_module(stage.flow_module), stage.flow_function)
    runner = task_runner(executor, dask_address)
    if runner is None or not stage.partitioned:
        return found
    return found.with_options(task_runner=runner)


@contextmanager
def dask_cluster(executor: str, dask_address: str | None) -> Iterator[str | None]:
    """One local cluster shared by every stage of a command, unless a scheduler address is given."""
    if check_executor(executor) == "lokal" or dask_address:
        yield dask_address
        return
    from distributed import LocalCluster

    with LocalCluster(**LOCAL_CLUSTER) as cluster:
        yield cluster.scheduler_address


def compute_by_instansi(
    compute: Task[..., R], executor: str, frames: dict[str, pd.DataFrame], rules: object, tahun: int,
    combine: Callable[[list[R]], R],
) -> R:
    """lokal: the compute task on the whole tables; dask: one task per instansi, then combined.

    With Dask each instansi's partition is built, written to its file (tasks.partition_files) and
    submitted before the next is built: the flow holds one partition beside the whole tables, the task
    graph carries a path and a sha256, and the worker reads its own partition."""
    if check_executor(executor) == "lokal":
        return compute(frames, rules, tahun)
    from penilaian.partition import iter_by_instansi

    with partition_folder() as folder:
        futures = []
        for nomor, (kode, part) in enumerate(iter_by_instansi(frames)):
            berkas = write_partition(folder, nomor, kode, part)
            del part
            futures.append(compute.with_options(
                task_run_name=f"{compute.name}-{kode or 'tanpa-instansi'}").submit(berkas, rules, tahun))
        if not futures:
            return compute(frames, rules, tahun)
        return combine([future.result() for future in futures])
