"""Project errors: the exit status each one gives the `kinerja` command, and what a failed gate carries."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from kinerja.errors import (
    AuditFailed,
    GateFailed,
    InputUnreadable,
    KinerjaError,
    OneLineInLogs,
    StageRefused,
    UsageError,
)


@pytest.mark.parametrize(("error", "exit_code"), [
    (KinerjaError, 2),     # an expected failure not more precisely named
    (InputUnreadable, 2),  # the data cannot be read: fix the file
    (UsageError, 2),       # the command was called wrongly
    (GateFailed, 1),       # the data was read but a gate stopped the stage
    (StageRefused, 1),     # what the stage builds on is missing or stale
    (AuditFailed, 1),      # verification found a difference
])
def test_each_error_has_its_exit_status(error: type[KinerjaError], exit_code: int) -> None:
    raised = error("pesan")
    assert raised.exit_code == exit_code
    assert str(raised) == "pesan"
    assert isinstance(raised, KinerjaError), "the command line catches them all as KinerjaError"


def test_a_failed_gate_keeps_its_result_and_report_path(tmp_path: Path) -> None:
    result = {"lulus": False, "gagal": ["kolom nip"]}
    report = tmp_path / "out" / "2026" / "gerbang.html"
    failed = GateFailed("gerbang validation gagal", result, str(report))
    assert failed.result is result
    assert failed.report_path == report and isinstance(failed.report_path, Path)
    assert GateFailed("x", result, report).report_path == report


def test_a_failed_gate_without_a_report_has_none() -> None:
    failed = GateFailed("gerbang gagal")
    assert (failed.result, failed.report_path) == (None, None)


def test_a_failed_audit_keeps_its_own_copy_of_the_findings() -> None:
    temuan = ["hasil_penilaian nip=1", "stage_run id=2"]
    failed = AuditFailed("Verifikasi GAGAL", temuan)
    temuan.append("later")
    assert failed.temuan == ["hasil_penilaian nip=1", "stage_run id=2"]
    assert AuditFailed("Verifikasi GAGAL").temuan == []


def test_a_kinerja_error_is_logged_as_one_line_naming_it_other_errors_keep_their_traceback() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("kinerja.uji.satu_baris")
    logger.propagate = False
    logger.addHandler(handler)
    logger.addFilter(OneLineInLogs())
    for error, message in ((InputUnreadable("skp.csv: berkas wajib tidak ada di /data/input"),
                            "Encountered exception during execution: %r"),
                           (GateFailed("gerbang validation gagal"), "Engine execution exited"),
                           (ValueError("bug"), "Encountered exception during execution: %r")):
        try:
            raise error
        except Exception as exc:  # noqa: BLE001
            logger.error(message, *((exc,) if "%r" in message else ()), exc_info=True)
    lines = stream.getvalue().splitlines()
    assert lines[:2] == [
        "ERROR Encountered exception during execution: "
        "InputUnreadable('skp.csv: berkas wajib tidak ada di /data/input')",
        "ERROR Engine execution exited: gerbang validation gagal",  # named when the message does not
    ]
    assert lines[2] == "ERROR Encountered exception during execution: ValueError('bug')"
    assert lines[3] == "Traceback (most recent call last):" and lines[-1] == "ValueError: bug"
