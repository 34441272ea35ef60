"""Find, start and stop the persistent local Prefect server (run history for HR and auditors).

`python -m kinerja.prefect_server start|stop [--port N]` is what `make server-up`/`make serve` call.
The server keeps its database under PREFECT_HOME (the project's data/prefect folder). A Prefect server
already answering on the port is used only when its PREFECT_HOME is this project's: another checkout's
or another program's server is named and refused, never written to.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
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


def server_home(port: int, timeout: float = 10.0) -> Path | None:
    """The PREFECT_HOME of the Prefect server on 127.0.0.1:port, as its settings say; None if they don't."""
    try:
        with urllib.request.urlopen(  # noqa: S310
                f"http://127.0.0.1:{port}/api/admin/settings", timeout=timeout) as response:
            home = json.loads(response.read()).get("home")
    except (OSError, ValueError, AttributeError):
        return None
    return Path(home) if isinstance(home, str) and home else None


def is_ours(port: int, home: Path | None = None) -> bool:
    """The server on the port keeps its database in this project's Prefect home."""
    theirs = server_home(port)
    return theirs is not None and theirs.resolve() == (home or _home()).resolve()


def project_server_url(port: int | None = None) -> str | None:
    """The API URL of this project's Prefect server on 127.0.0.1, or None (none, or someone else's)."""
    port = port or int(os.environ.get("KINERJA_PREFECT_PORT", DEFAULT_PORT))
    url = local_server_url(port)
    return url if url and is_ours(port) else None


def _port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _another_port(port: int) -> int:
    """A free port after `port`, to suggest."""
    return next((p for p in range(port + 1, port + 100) if not _port_in_use(p)), port + 1)


def foreign_server(port: int, home: Path) -> str:
    """One line saying whose server answers on the port, and how to pick another port."""
    theirs = server_home(port)
    if theirs is None:
        whose_id, whose_en = "PREFECT_HOME tidak diketahui", "PREFECT_HOME unknown"
    else:
        pid_file = theirs / "server.pid"
        whose_id = whose_en = f"PREFECT_HOME {theirs}" + (
            f", pid {pid_file.read_text().strip()}" if pid_file.is_file() else "")
    return (f"Port {port}: server Prefect lain ({whose_id}), bukan milik proyek ini / another Prefect "
            f"server ({whose_en}), not this project's ({home}); pilih port lain / pick another port: "
            f"KINERJA_PREFECT_PORT={_another_port(port)} make demo")


def server_env(home: Path, port: int) -> dict[str, str]:
    """The server's environment: its database under `home`, its UI calling its own API on `port`."""
    url = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_UI_ENABLED": os.environ.get("PREFECT_UI_ENABLED", "true"),
           "PREFECT_SERVER_API_HOST": "127.0.0.1", "PREFECT_SERVER_API_PORT": str(port),
           "PREFECT_UI_API_URL": url}
    env.pop("PREFECT_API_URL", None)
    return env


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
    """Start `prefect server start` in the background unless this project's already answers; wait until
    healthy. Another server on the port (another checkout's, another program) is refused by name."""
    home = _home()
    url = local_server_url(port)
    if url:
        if not is_ours(port, home):
            raise SystemExit(foreign_server(port, home))
        print(f"Prefect server sudah berjalan / already running: {url}")
        return url
    if _port_in_use(port):
        raise SystemExit(f"Port {port} dipakai program lain, bukan server Prefect / port {port} is used by "
                         f"another program, not a Prefect server; pilih port lain / pick another port: "
                         f"KINERJA_PREFECT_PORT={_another_port(port)} make demo")
    running = _running_pid(home)
    if running is not None:
        raise SystemExit(f"Server Prefect proyek ini sudah berjalan (pid {running}) di port lain, bukan "
                         f"{port} / this project's Prefect server already runs (pid {running}) on another "
                         f"port, not {port}; hentikan dulu / stop it first: make server-down")
    home.mkdir(parents=True, exist_ok=True)
    env = server_env(home, port)
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


def _running_pid(home: Path) -> int | None:
    """The pid of the server `start` left running from this home (by its pid file), if it still runs."""
    try:
        pid = int((home / "server.pid").read_text())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    if b"prefect" not in _cmdline(pid, default=b"prefect"):
        return None  # the pid file is stale and the pid now another program's
    return pid


def _cmdline(pid: int, default: bytes, wait: float = 1.0) -> bytes:
    """The command line of a process (Linux /proc); `default` where it cannot be told. A process caught
    between fork and exec shows an empty one for a moment: read again until it has one."""
    path = Path(f"/proc/{pid}/cmdline")
    deadline = time.monotonic() + wait
    while True:
        try:
            cmdline = path.read_bytes()
        except OSError:
            return default
        if cmdline or time.monotonic() >= deadline:
            return cmdline or default
        time.sleep(0.05)


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
