"""The local Prefect server helpers: finding a server by its health answer, telling this project's server
(its PREFECT_HOME) from another's, the pid file that start writes and stop reads, and foreground runs
without heartbeats.

The server found is the test harness's real Prefect server; other programs on a port, and other Prefect
servers, are a plain HTTP server serving files. Starting a server of our own is the one slow test at the end.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kinerja import prefect_server
from kinerja.prefect_server import (
    foreground_runs,
    local_server_url,
    project_server_url,
    server_env,
    server_home,
)
from kinerja.settings import get_settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def harness_port(prefect_harness: None) -> int:
    from prefect.settings import PREFECT_API_URL

    url = urlsplit(str(PREFECT_API_URL.value()))
    assert url.hostname == "127.0.0.1" and url.path == "/api"
    return int(url.port)


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """PREFECT_HOME in tmp_path: where start writes and stop reads the pid file."""
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    return tmp_path / "prefect"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def other_server(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """Some other web server on a free port, serving files from a folder: (port, folder)."""
    folder = tmp_path / "www"
    (folder / "api").mkdir(parents=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], folder
    finally:
        server.shutdown()
        server.server_close()


def test_the_harness_server_is_found_by_its_health_answer(harness_port: int) -> None:
    assert local_server_url(harness_port) == f"http://127.0.0.1:{harness_port}/api"


def test_the_port_comes_from_the_environment_when_not_given(
    harness_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KINERJA_PREFECT_PORT", str(harness_port))
    assert local_server_url() == f"http://127.0.0.1:{harness_port}/api"


def test_nothing_listening_is_no_server() -> None:
    started = time.monotonic()
    assert local_server_url(free_port()) is None
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize(("health", "found"), [
    ("true", True),               # what a Prefect server answers
    ("false", False),             # unhealthy
    ("<html>bukan</html>", False),  # some other program's page
    (None, False),                # 404
], ids=["true", "false", "html", "404"])
def test_only_a_health_answer_of_true_counts(other_server: tuple[int, Path], health: str | None,
                                             found: bool) -> None:
    port, folder = other_server
    if health is not None:
        (folder / "api" / "health").write_text(health, encoding="utf-8")
    assert local_server_url(port) == (f"http://127.0.0.1:{port}/api" if found else None)


def test_start_leaves_this_projects_running_server_alone(
    harness_port: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The server on the port keeps its database in our PREFECT_HOME: it is ours, used as it is."""
    theirs = server_home(harness_port)
    assert theirs is not None
    monkeypatch.setenv("PREFECT_HOME", str(theirs))
    url = f"http://127.0.0.1:{harness_port}/api"
    assert prefect_server.start(harness_port) == url
    assert capsys.readouterr().out == f"Prefect server sudah berjalan / already running: {url}\n"
    assert not (theirs / "server.pid").exists(), "no second server, no pid file"
    assert project_server_url(harness_port) == url


def test_start_refuses_a_prefect_server_of_another_home_naming_it(harness_port: int, home: Path) -> None:
    theirs = server_home(harness_port)
    with pytest.raises(SystemExit) as refused:
        prefect_server.start(harness_port)
    message = str(refused.value)
    assert message.startswith(
        f"Port {harness_port}: server Prefect lain (PREFECT_HOME {theirs}), bukan milik proyek ini / "
        f"another Prefect server (PREFECT_HOME {theirs}), not this project's ({home}); "
        "pilih port lain / pick another port: KINERJA_PREFECT_PORT=")
    assert "\n" not in message and message.endswith(" make demo")
    suggested = int(message.rsplit("KINERJA_PREFECT_PORT=", 1)[1].split()[0])
    assert suggested > harness_port and local_server_url(suggested) is None
    assert not home.exists(), "nothing started, no pid file"
    assert project_server_url(harness_port) is None, "the CLI does not write to it either"


def _answer_as_prefect(folder: Path, settings: dict | None) -> None:
    """Make the plain HTTP server answer like a Prefect server: healthy, with these admin settings."""
    (folder / "api" / "health").write_text("true", encoding="utf-8")
    if settings is not None:
        (folder / "api" / "admin").mkdir()
        (folder / "api" / "admin" / "settings").write_text(json.dumps(settings), encoding="utf-8")


def test_another_checkouts_server_is_named_with_its_home_and_pid(
    other_server: tuple[int, Path], home: Path, tmp_path: Path
) -> None:
    port, folder = other_server
    theirs = tmp_path / "checkout-lain" / "data" / "prefect"
    theirs.mkdir(parents=True)
    (theirs / "server.pid").write_text("4242\n")
    _answer_as_prefect(folder, {"home": str(theirs), "api": {"url": None}})
    with pytest.raises(SystemExit) as refused:
        prefect_server.start(port)
    assert str(refused.value).startswith(
        f"Port {port}: server Prefect lain (PREFECT_HOME {theirs}, pid 4242), bukan milik proyek ini / "
        f"another Prefect server (PREFECT_HOME {theirs}, pid 4242), not this project's ({home}); ")
    assert not home.exists()


def test_a_prefect_server_that_does_not_say_its_home_is_not_ours(
    other_server: tuple[int, Path], home: Path
) -> None:
    port, folder = other_server
    _answer_as_prefect(folder, None)  # /api/admin/settings: 404
    assert server_home(port) is None
    with pytest.raises(SystemExit, match=(
            rf"^Port {port}: server Prefect lain \(PREFECT_HOME tidak diketahui\), bukan milik proyek ini / "
            r"another Prefect server \(PREFECT_HOME unknown\), not this project's")):
        prefect_server.start(port)
    assert project_server_url(port) is None


def test_a_server_saying_our_home_is_ours(
    other_server: tuple[int, Path], home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port, folder = other_server
    _answer_as_prefect(folder, {"home": str(home)})
    assert prefect_server.start(port) == f"http://127.0.0.1:{port}/api"
    assert capsys.readouterr().out.startswith("Prefect server sudah berjalan / already running")


def test_a_port_held_by_another_program_is_refused_not_waited_on(
    other_server: tuple[int, Path], home: Path
) -> None:
    port, _ = other_server  # answers 404 to /api/health
    started = time.monotonic()
    with pytest.raises(SystemExit, match=(
            rf"^Port {port} dipakai program lain, bukan server Prefect / port {port} is used by another "
            r"program, not a Prefect server; pilih port lain / pick another port: "
            r"KINERJA_PREFECT_PORT=\d+ make demo$")):
        prefect_server.start(port)
    assert time.monotonic() - started < 10
    assert not home.exists()


def test_the_server_process_gets_its_home_and_a_ui_calling_its_own_port(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    monkeypatch.delenv("PREFECT_UI_ENABLED", raising=False)
    env = server_env(tmp_path / "prefect", 4391)
    expected = {"PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_UI_API_URL": "http://127.0.0.1:4391/api",
                "PREFECT_SERVER_API_HOST": "127.0.0.1", "PREFECT_SERVER_API_PORT": "4391",
                "PREFECT_UI_ENABLED": "true"}
    assert {k: env[k] for k in expected} == expected
    assert "PREFECT_API_URL" not in env, "the server is not a client of another server"


def test_make_honours_kinerja_prefect_port() -> None:
    """`make serve`/`make demo` start and call the server on KINERJA_PREFECT_PORT (4200 without it)."""
    repo = Path(__file__).resolve().parents[2]
    for target in ("serve", "demo", "ui"):
        for env, port in (({"KINERJA_PREFECT_PORT": "4391"}, "4391"), ({}, "4200")):
            clean = {k: v for k, v in os.environ.items() if k not in ("KINERJA_PREFECT_PORT", "PREFECT_PORT")}
            dry = subprocess.run(["make", "-n", "--no-print-directory", target], cwd=repo,
                                 env={**clean, **env}, capture_output=True, text=True, check=True).stdout
            assert f"http://127.0.0.1:{port}" in dry, (target, dry)
            assert not (set(re.findall(r"127\.0\.0\.1:(\d+)", dry)) - {port}), (target, dry)
            if target != "ui":
                assert f"kinerja.prefect_server start --port {port}" in dry


def test_stop_without_a_pid_file_says_so(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prefect_server.stop()
    assert capsys.readouterr().out == (
        "Tidak ada server yang dimulai oleh Kinerja / no server started by Kinerja\n")
    assert not home.exists()


def _gone(pid: int) -> bool:
    """The process has exited (a zombie not yet reaped by init counts as exited)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
    except (FileNotFoundError, IndexError):
        return True


def test_stop_ends_the_whole_process_group_of_the_pid_file(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The server runs in its own session with child processes: all of them are stopped."""
    leader = subprocess.Popen(
        [sys.executable, "-c", "import subprocess, sys, time\n"
         "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
         "print(child.pid, flush=True)\ntime.sleep(60)"],
        stdout=subprocess.PIPE, text=True, start_new_session=True)
    child = int(leader.stdout.readline())
    try:
        home.mkdir()
        (home / "server.pid").write_text(str(leader.pid))
        prefect_server.stop()
        assert leader.wait(timeout=10) == -signal.SIGTERM
        deadline = time.monotonic() + 10
        while not _gone(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _gone(child), "the server's child process is stopped too"
        assert not (home / "server.pid").exists()
        assert capsys.readouterr().out == f"Prefect server dihentikan / stopped (pid {leader.pid})\n"
    finally:
        for pid in (leader.pid, child):
            if not _gone(pid):
                os.kill(pid, signal.SIGKILL)
        leader.stdout.close()
        leader.wait()


def test_a_stale_pid_file_is_removed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without PREFECT_HOME the pid file is in the data folder's prefect/; a pid no process has is fine."""
    monkeypatch.delenv("PREFECT_HOME", raising=False)
    monkeypatch.setenv("KINERJA_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    unused = int(Path("/proc/sys/kernel/pid_max").read_text()) + 1  # higher than any pid can be
    pid_file = tmp_path / "data" / "prefect" / "server.pid"
    pid_file.parent.mkdir(parents=True)
    pid_file.write_text(str(unused))
    try:
        prefect_server.stop()
    finally:
        get_settings.cache_clear()
    assert not pid_file.exists()
    assert capsys.readouterr().out == f"Prefect server dihentikan / stopped (pid {unused})\n"


def test_url_command_prints_the_server_or_an_empty_line(
    harness_port: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for port, printed in ((harness_port, f"http://127.0.0.1:{harness_port}/api\n"), (free_port(), "\n")):
        monkeypatch.setattr(sys, "argv", ["prefect_server", "url", "--port", str(port)])
        prefect_server.main()
        assert capsys.readouterr().out == printed


def test_foreground_runs_have_no_heartbeat_inside_and_restore_it_after_an_error(
    prefect_harness: None,
) -> None:
    from prefect import flow
    from prefect.settings import get_current_settings

    @flow
    def frequency_seen_by_the_run() -> int | None:
        return get_current_settings().flows.heartbeat_frequency

    default = get_current_settings().flows.heartbeat_frequency
    assert default is not None
    with pytest.raises(RuntimeError, match="tahap gagal"), foreground_runs():
        assert frequency_seen_by_the_run() is None
        raise RuntimeError("tahap gagal")
    assert get_current_settings().flows.heartbeat_frequency == default
    assert frequency_seen_by_the_run() == default


@pytest.mark.slow
def test_start_runs_a_server_with_its_database_under_prefect_home_and_stop_ends_it(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PREFECT_UI_ENABLED", "false")
    port = free_port()
    url = f"http://127.0.0.1:{port}/api"
    try:
        assert prefect_server.start(port) == url
        pid = int((home / "server.pid").read_text())
        assert capsys.readouterr().out == (
            f"Prefect server berjalan / running: {url} (log: {home / 'server.log'})\n")
        assert local_server_url(port) == url
        assert (home / "server.log").exists()
        assert list(home.glob("*.db")), "its database is under PREFECT_HOME"
        assert server_home(port) == home
        settings = json.loads(urllib.request.urlopen(f"{url}/admin/settings", timeout=5).read())  # noqa: S310
        assert settings["server"]["ui"]["api_url"] == url, "the UI calls this server, not 4200"
        assert settings["server"]["api"]["port"] == port
        assert prefect_server.start(port) == url and (home / "server.pid").read_text() == str(pid)
    finally:
        prefect_server.stop()
    deadline = time.monotonic() + 20
    while local_server_url(port) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert local_server_url(port) is None
    assert not (home / "server.pid").exists()


def test_a_second_server_on_another_port_for_the_same_home_is_refused(home: Path) -> None:
    """Two servers on one SQLite database: start refuses while the server of the pid file runs."""
    ours = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "prefect", "server"],
                            start_new_session=True)
    try:
        home.mkdir()
        (home / "server.pid").write_text(str(ours.pid))
        port = free_port()
        with pytest.raises(SystemExit) as refused:
            prefect_server.start(port)
        assert str(refused.value) == (
            f"Server Prefect proyek ini sudah berjalan (pid {ours.pid}) di port lain, bukan {port} / this "
            f"project's Prefect server already runs (pid {ours.pid}) on another port, not {port}; "
            "hentikan dulu / stop it first: make server-down")
        assert local_server_url(port) is None and (home / "server.pid").read_text() == str(ours.pid)
    finally:
        ours.kill()
        ours.wait()


def test_a_pid_file_naming_another_program_is_stale(home: Path) -> None:
    """A pid file whose pid now belongs to another program (pids are reused) does not block a start."""
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True)
    server = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "prefect", "server"],
                              start_new_session=True)
    try:
        home.mkdir()
        (home / "server.pid").write_text(str(other.pid))
        assert prefect_server._running_pid(home) is None
        (home / "server.pid").write_text(str(server.pid))
        assert prefect_server._running_pid(home) == server.pid
    finally:
        for proc in (other, server):
            proc.kill()
            proc.wait()
