"""bench/measure.py: time no task covered, the memory of a process tree and of Dask workers."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from bench import measure


def test_overlapping_task_spans_count_once():
    assert measure.covered_seconds([]) == 0.0
    assert measure.covered_seconds([(0.0, 1.0), (2.0, 3.0)]) == 2.0  # one after the other (lokal)
    # three instansi side by side on the workers, one inside another, then a gap
    assert measure.covered_seconds([(10.0, 14.0), (11.0, 12.0), (13.0, 15.0), (20.0, 21.0)]) == 6.0


def test_a_process_tree_counts_its_children():
    code = "import time; b = bytearray(200 * 2**20); b[::4096] = b'x' * len(b[::4096]); time.sleep(30)"
    child = subprocess.Popen([sys.executable, "-c", code])
    try:
        for _ in range(100):  # until the child holds its 200 MiB
            if measure.tree_rss(child.pid) > 200 * 2**20:
                break
            time.sleep(0.1)
        own = measure._pss(os.getpid())  # this process alone
        assert measure.tree_rss(child.pid) > 200 * 2**20
        assert measure.tree_rss(os.getpid()) > own + 200 * 2**20
    finally:
        child.kill()
        child.wait()
    assert measure.tree_rss(child.pid) == 0  # gone


def test_a_forked_copy_counts_only_what_it_holds_of_its_own():
    """Pages a fork shares with its parent count once for the tree, not once per process."""
    code = ("import os, time; b = bytearray(300 * 2**20); b[::4096] = b'x' * len(b[::4096]); "
            "pid = os.fork(); time.sleep(30); os._exit(0)")
    parent = subprocess.Popen([sys.executable, "-c", code])
    try:
        for _ in range(100):  # until the parent holds its 300 MiB and has forked
            if measure.tree_rss(parent.pid) > 300 * 2**20 and _children(parent.pid):
                break
            time.sleep(0.1)
        (copy,) = _children(parent.pid)
        rss = sum(int(open(f"/proc/{p}/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
                  for p in (parent.pid, copy))
        assert rss > 600 * 2**20  # RSS counts the shared 300 MiB twice
        assert 300 * 2**20 < measure.tree_rss(parent.pid) < 450 * 2**20
    finally:
        parent.kill()
        parent.wait()


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in open(f"/proc/{pid}/task/{pid}/children").read().split()]
    except OSError:
        return []


def _hold(mib: int) -> int:
    """Touch MIB mebibytes in the worker and let them go (its peak stays)."""
    block = bytearray(mib * 2**20)
    block[::4096] = b"x" * len(block[::4096])
    return len(block)


@pytest.mark.slow
def test_worker_peaks_are_reset_and_read_in_every_worker():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster, set_as_default=False) as client:
        workers = measure.WorkerMemory(client)
        client.run(_hold, 300)
        workers.reset_peak()
        before = workers.peak_rss()
        assert set(before) == set(client.scheduler_info()["workers"])
        assert all(peak < 300 * 2**20 for peak in before.values())  # reset: the 300 MiB are gone
        first = sorted(before)[0]
        client.run(_hold, 200, workers=[first])
        after = workers.peak_rss()
        assert after[first] >= before[first] + 150 * 2**20
