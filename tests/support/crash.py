"""Run the `kinerja` command in this (child) process with a fault installed at one write checkpoint.

    python -m tests.support.crash POINT kinerja-arguments…

Replaces stages.records.checkpoint so that reaching POINT SIGKILLs the process: production code
carries only the named, empty checkpoints.
"""

from __future__ import annotations

import os
import signal
import sys


def install(point: str) -> None:
    """Make the write path kill this process when it reaches `point`."""
    from stages import records

    def checkpoint(name: str) -> None:
        if name == point:
            os.kill(os.getpid(), signal.SIGKILL)

    records.checkpoint = checkpoint


if __name__ == "__main__":
    install(sys.argv[1])
    from kinerja.cli import main

    sys.argv = ["kinerja", *sys.argv[2:]]
    main()
