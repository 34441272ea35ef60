"""Find, start and stop the persistent local Prefect server (run history for HR and auditors).

`python -m kinerja.prefect_server start|stop [--port N]` is what `make server-up`/`make serve` call.
The server keeps its database under PREFECT_HOME (the project's data/prefect folder).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DEFAULT_PORT = 4200


def local_server_url(port: int | None = None, timeout: float = 0.5) -> str | None:
    """The API URL of a Prefect server answering on 127.0.0.1, or None."""
    port = port or int(os.environ.get("KINERJA_PREFECT_PORT", DEFAULT_PORT))
    url = f"http://127.0.0.1:{port}/api"
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as response:  # noqa: S310
            return url if json.loads(response.read() or b"null") is True else None
    except (OSError, ValueError):
        return None


@contextmanager
def foreground_runs() -> Iterator[None]:
    """Flow runs started here, in the foreground (`kinerja run/cycle/demo`, `make bench`): no heartbeats.

    Heartbeats let the server notice a worker's flow run that died unseen; a foreground run has its
    user watching, and its stage run is sealed `terputus` by the next run. In Prefect 3.8 the
    heartbeat thread sleeps in 1-second steps and every flow run waits for it on exit: up to 1 s per
    stage. Deployment runs on a worker (`make serve`) keep Prefect's default heartbeats.
    """
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


def _home() -> Path:
    from kinerja.settings import get_settings

    return Path(os.environ.get("PREFECT_HOME") or get_settings().data_dir / "prefect")


def start(port: int, wait: float = 90.0) -> str:
    """Start `prefect server start` in the background unless one already answers; wait until healthy."""
    url = local_server_url(port)
    if url:
        print(f"Prefect server sudah berjalan / already running: {url}")
        return url
    home = _home()
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_UI_ENABLED": os.environ.get("PREFECT_UI_ENABLED", "true")}
    env.pop("PREFECT_API_URL", None)
    log = (home / "server.log").open("ab")
    prefect = Path(sys.executable).with_name("prefect")
    proc = subprocess.Popen(
        [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, start_new_session=True,
    )
    (home / "server.pid").write_text(str(proc.pid))
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        url = local_server_url(port)
        if url:
            print(f"Prefect server berjalan / running: {url} (log: {home / 'server.log'})")
            return url
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    raise SystemExit(f"Prefect server tidak bisa dimulai / could not start; lihat {home / 'server.log'}")


def stop() -> None:
    """Stop the server started by `start` (by its pid file)."""
    pid_file = _home() / "server.pid"
    if not pid_file.exists():
        print("Tidak ada server yang dimulai oleh Kinerja / no server started by Kinerja")
        return
    pid = int(pid_file.read_text())
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    pid_file.unlink(missing_ok=True)
    print(f"Prefect server dihentikan / stopped (pid {pid})")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m kinerja.prefect_server")
    parser.add_argument("action", choices=("start", "stop", "url"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("KINERJA_PREFECT_PORT", DEFAULT_PORT)))
    args = parser.parse_args()
    if args.action == "start":
        start(args.port)
    elif args.action == "stop":
        stop()
    else:
        print(local_server_url(args.port) or "")


if __name__ == "__main__":
    main()
