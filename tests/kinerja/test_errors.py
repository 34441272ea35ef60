"""Project errors: the exit status each one gives the `kinerja` command, and what a failed gate carries."""

from __future__ import annotations

from pathlib import Path

import pytest

from kinerja.errors import (
    AuditFailed,
    GateFailed,
    InputUnreadable,
    KinerjaError,
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

