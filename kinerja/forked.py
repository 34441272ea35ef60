"""What the forked processes of a stage share: dying with the flow process, the memory they held of their own,
and sending their error back.

Two kinds of forked process exist (Linux, macOS): the report copies of `reports.processes`, and the SQLite
writer of `models.sqlite_bulk`. Both end by reporting their private memory, which the benchmark adds to the
flow process's peak (`peak_private_bytes`), and send back the exception they failed with.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import threading
import traceback
from collections.abc import Callable
from typing import Any, NoReturn


def child_main(
    work: Callable[[], dict[str, Any]], results: int, wrap: Callable[[str], BaseException]
) -> NoReturn:
    """The rest of a forked process's life: `work()`, then its message with the process's private memory (or
    its error, `portable`, with the traceback) pickled to the pipe `results`, then exit. Never returns, never
    runs the flow process's exit handlers or flushes its buffers."""
    status = 1
    try:
        # The flow process's objects out of the garbage collector's sight: a collection in the copy would
        # write to every object's header and so copy every page of the shared heap.
        gc.freeze()
        die_with_parent()
        try:
            message = {**work(), "private": private_bytes()}
            status = 0
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the flow process
            message = {"error": portable(exc, wrap), "traceback": traceback.format_exc()}
        with os.fdopen(results, "wb") as pipe:
            pipe.write(pickle.dumps(message))
    finally:
        os._exit(status)


def collect(pid: int, results: int) -> tuple[dict[str, Any], int]:
    """Wait for a forked process to end: (the message it sent through `child_main`, {} if it sent none or
    died mid-message; its exit code)."""
    with os.fdopen(results, "rb") as pipe:
        sent = pipe.read()
    _, status = os.waitpid(pid, 0)
    try:
        message = pickle.loads(sent) if sent else {}  # noqa: S301 - written by our own forked process
    except Exception:  # noqa: BLE001 - a process killed mid-message: the caller reports its exit code
        message = {}
    return message, os.waitstatus_to_exitcode(status)


def die_with_parent() -> None:
    """Ask Linux to kill this process when the thread that forked it ends (a killed flow process)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux
        pass


def private_bytes() -> int | None:
    """Memory of this process not shared with any other (Private_Clean + Private_Dirty), None if unknown."""
    try:
        with open("/proc/self/smaps_rollup", encoding="ascii") as rollup:
            fields = dict(line.split(":", 1) for line in rollup if ":" in line)
    except OSError:
        return None
    return sum(int(fields[k].split()[0]) * 1024 for k in ("Private_Clean", "Private_Dirty") if k in fields)


def portable(exc: BaseException, wrap: Callable[[str], BaseException]) -> BaseException:
    """The exception itself if it survives pickling, else `wrap` of its text."""
    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301 - a round trip of our own object
        return exc
    except Exception:  # noqa: BLE001 - unpicklable exceptions are common (extra __init__ arguments)
        return wrap(f"{type(exc).__name__}: {exc}")


class PeakPrivate:
    """The largest memory forked processes held of their own at one time (one report call's copies together,
    or the SQLite writer), since the last take: what the benchmark adds to the flow process's peak."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._peak: int | None = None

    def record(self, private: int | None) -> None:
        if private is not None:
            with self._lock:
                self._peak = max(self._peak or 0, private)

    def take(self) -> int | None:
        """The peak since the last take, and start again."""
        with self._lock:
            peak, self._peak = self._peak, None
            return peak


PEAK = PeakPrivate()


def peak_private_bytes() -> int | None:
    """The largest private memory of forked processes at one time since the last call (None: none ran)."""
    return PEAK.take()
