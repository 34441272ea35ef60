"""The options every `kinerja` command shares: one type, one help text and one default wherever used."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from kinerja.cli import app
from kinerja.cli_options import console, err
from kinerja.errors import UsageError
from kinerja.settings import get_settings

TAHUN = ("<int>", "Tahun penilaian, mis. 2026 [required]", True)
DB = ("<str>", "URL basis data (bawaan: SQLite tertanam)", False)
INPUT = ("<path>", "Folder input (CSV atau kinerja.xlsx) [required]", True)
OUTPUT = ("<path>", "Folder output; hasil di OUTPUT/<tahun>/ [required]", True)
RULESET = ("<str>", "Nama atau berkas ruleset instansi", False)
STAGE_OPTIONS = {
    "--tahun": TAHUN, "--input": INPUT, "--output": OUTPUT, "--db": DB, "--ruleset": RULESET,
    "--dokumen": ("<str>", "semua | unit:KODE_UNIT | nip:NIP | tidak [default: semua]", False),
    "--executor": ("<str>", "lokal | dask (per instansi di klaster Dask) [default: lokal]", False),
    "--dask-address": ("<str>", "Scheduler Dask, mis. tcp://scheduler:8786 (bawaan: klaster lokal)", False),
}
_ROW = re.compile(r"│\s+(\*\s+)?(--[a-z-]+)\s+(<\w+>)\s+(.*?)\s*│$")


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "220"}, prog_name="kinerja")


def options(*command: str) -> dict[str, tuple[str, str, bool]]:
    """The options of a command as its --help shows them: type, help text, required."""
    result = invoke(*command, "--help")
    assert result.exit_code == 0, result.output
    found = {}
    for line in result.output.splitlines():
        match = _ROW.search(line.strip())
        if match and match.group(2) != "--help":
            required, name, kind, text = match.groups()
            found[name] = (kind, text, required is not None)
    return found


@pytest.mark.parametrize("command", [("run",), ("cycle",)], ids=["run", "cycle"])
def test_stage_commands_share_every_option(command: tuple[str, ...]) -> None:
    assert options(*command) == STAGE_OPTIONS


@pytest.mark.parametrize(("command", "expected"), [
    (("audit", "log"), {"--tahun": TAHUN, "--db": DB}),
    (("audit", "explain"), {"--tahun": TAHUN, "--db": DB}),
    (("audit", "verify"), {"--tahun": TAHUN, "--db": DB, "--ruleset": RULESET,
                           "--input": ("<path>", "Folder input: cocokkan checksum", False)}),
    (("db", "upgrade"), {"--db": DB}),
    (("db", "grant-auditor"), {"--db": DB, "--password": ("<str>", "Kata sandi (bawaan: tanpa)", False)}),
], ids=["audit-log", "audit-explain", "audit-verify", "db-upgrade", "db-grant-auditor"])
def test_audit_and_database_commands_use_the_same_year_and_database_options(
    command: tuple[str, ...], expected: dict[str, tuple[str, str, bool]]
) -> None:
    assert options(*command) == expected


def test_run_names_the_registry_stages_in_cycle_order() -> None:
    help_text = invoke("run", "--help").output
    assert "plan-collection | validation | mid-year | year-end | objection | training" in help_text


@pytest.mark.parametrize(("args", "message"), [
    ((), "Missing option '--tahun'."),
    (("--tahun", "dua"), "Invalid value for '--tahun'"),
], ids=["missing", "not-a-number"])
def test_the_year_is_a_required_integer(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    path = tmp_path / "kinerja.db"
    result = invoke("audit", "log", *args, "--db", f"sqlite:///{path}")
    assert result.exit_code == 2
    assert message in result.stderr
    assert not path.exists(), "refused before the command ran"


def test_without_db_the_embedded_sqlite_file_of_the_data_folder_is_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("KINERJA_DATABASE_URL", raising=False)
    monkeypatch.setenv("KINERJA_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        result = invoke("audit", "log", "--tahun", "2026")
    finally:
        get_settings.cache_clear()
    assert isinstance(result.exception, UsageError)
    assert str(result.exception) == (
        f"basis data sqlite:///{tmp_path}/data/kinerja.db tidak ada / database does not exist")


def test_results_go_to_stdout_and_messages_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    console.print("hasil")
    err.print("galat")
    assert capsys.readouterr() == ("hasil\n", "galat\n")
