"""Pages rendered by several forked processes: the same files and bytes as one process, every failure back."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

from kinerja.settings import get_settings
from reports import documents, processes, training_plans
from reports.documents import render_documents
from reports.mid_year import render_mid_year_reports
from reports.processes import ReportProcessError, peak_private_bytes, render_shared
from reports.training_plans import write_training_plans
from reports.unit_summaries import render_unit_summaries
from tests.reports.fakes import (
    make_angka_kredit,
    make_frames,
    make_keberatan,
    make_mid_year,
    make_training,
    make_year_end,
)

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork: Linux and macOS only")


def _writer(folder: Path, fail: dict[int, BaseException] | None = None, kill: int | None = None):
    """A render writing <position>.txt that holds the pid that wrote it; fails or dies where told."""

    def render(positions):
        for i in positions:
            if fail and i in fail:
                raise fail[i]
            if i == kill:
                os.kill(os.getpid(), signal.SIGKILL)
            (folder / f"{i}.txt").write_text(str(os.getpid()))

    return render


def _written(folder: Path) -> dict[int, int]:
    return {int(p.stem): int(p.read_text()) for p in folder.glob("*.txt")}


def _assert_reaped(written: dict[int, int]) -> None:
    """Every copy that wrote a file has ended and was waited for (a zombie would still take a signal)."""
    copies = set(written.values()) - {os.getpid()}
    assert copies
    for pid in copies:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_every_position_is_rendered_once_split_over_the_processes(tmp_path):
    peak_private_bytes()  # forget earlier tests' copies
    render_shared(10, _writer(tmp_path), processes=3, minimum=1)
    written = _written(tmp_path)
    assert sorted(written) == list(range(10))
    by_pid: dict[int, list[int]] = {}
    for i, pid in sorted(written.items()):
        by_pid.setdefault(pid, []).append(i)
    assert sorted(by_pid.values()) == [[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]
    assert by_pid[os.getpid()] == [0, 3, 6, 9]  # the flow process renders share 0
    private = peak_private_bytes()
    assert private is not None and private > 0
    assert peak_private_bytes() is None  # taken


def test_few_items_or_one_process_stay_in_the_flow_process(tmp_path):
    few, one = tmp_path / "few", tmp_path / "one"
    few.mkdir()
    one.mkdir()
    peak_private_bytes()  # forget earlier tests' forked processes (report copies, SQLite writers)
    render_shared(5, _writer(few), processes=4, minimum=6)
    render_shared(50, _writer(one), processes=1, minimum=1)
    assert sorted(_written(few)) == list(range(5)) and sorted(_written(one)) == list(range(50))
    assert set(_written(few).values()) == set(_written(one).values()) == {os.getpid()}
    assert peak_private_bytes() is None


def test_a_copys_error_fails_the_call_after_every_copy_ended(tmp_path):
    with pytest.raises(ValueError, match="baris 4 rusak") as raised:
        render_shared(9, _writer(tmp_path, fail={4: ValueError("baris 4 rusak")}), processes=3, minimum=1)
    assert any("report process" in note and "ValueError" in note for note in raised.value.__notes__)
    written = _written(tmp_path)
    assert 1 in written and 4 not in written and 7 not in written  # that copy stopped at 4
    assert {0, 3, 6, 2, 5, 8} <= set(written)  # the flow process and the other copy finished
    _assert_reaped(written)


class _Unpicklable(Exception):
    """Holds a lock: no pickler takes it (not even tblib's, which distributed installs for every exception and
    which rebuilds exceptions whose __init__ differs from their args)."""

    def __init__(self, text):
        super().__init__(text)
        self.lock = threading.Lock()


def test_an_error_that_cannot_travel_comes_back_as_its_text(tmp_path):
    with pytest.raises(ReportProcessError, match="_Unpicklable: x/y"):
        render_shared(4, _writer(tmp_path, fail={1: _Unpicklable("x/y")}), processes=2, minimum=1)


def test_the_error_travels_even_where_tblib_pickles_every_exception(tmp_path):
    """In a process where distributed was imported (tblib's pickling installed), the copy's error still
    comes back: as itself when it pickles, as its text when it does not."""
    from tblib import pickling_support

    pickling_support.install()
    with pytest.raises(ValueError, match="baris 1"):
        render_shared(4, _writer(tmp_path, fail={1: ValueError("baris 1")}), processes=2, minimum=1)
    with pytest.raises(ReportProcessError, match="_Unpicklable: x/y"):
        render_shared(4, _writer(tmp_path, fail={1: _Unpicklable("x/y")}), processes=2, minimum=1)


def test_a_killed_copy_fails_the_call(tmp_path):
    with pytest.raises(ReportProcessError, match="status -9"):
        render_shared(6, _writer(tmp_path, kill=3), processes=2, minimum=1)
    assert {0, 2, 4} <= set(_written(tmp_path))


def test_the_flow_processs_own_error_still_waits_for_its_copies(tmp_path):
    with pytest.raises(KeyError):
        render_shared(6, _writer(tmp_path, fail={2: KeyError("x")}), processes=2, minimum=1)
    assert {1, 3, 5} <= set(_written(tmp_path))  # the copy ran to its end
    _assert_reaped(_written(tmp_path))


def _pages(out: Path) -> dict[str, bytes]:
    """Every report with per-unit or per-employee pages, as {relative path: bytes}."""
    frames = make_frames(60, units=9)
    year_end = make_year_end(frames)
    training = make_training(year_end)
    keberatan = make_keberatan(year_end, frames)
    angka_kredit = make_angka_kredit(year_end, keberatan)
    render_documents(year_end=year_end, frames=frames, out_dir=out)
    render_unit_summaries(year_end=year_end, frames=frames, out_dir=out, training=training,
                          keberatan=keberatan, angka_kredit=angka_kredit)
    render_mid_year_reports(mid_year=make_mid_year(frames), frames=frames, out_dir=out)
    write_training_plans(training, out)
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture
def proses_laporan(monkeypatch):
    """Set KINERJA_PROSES_LAPORAN for one test; every page count forks (no minimum)."""
    monkeypatch.setattr(processes, "MINIMUM_ITEMS", 1)
    monkeypatch.setattr(documents, "DOCUMENT_BATCH_MIN", 1)
    monkeypatch.setattr(training_plans, "UNITS_PER_GROUP", 1)

    def set_to(n: int) -> None:
        monkeypatch.setenv("KINERJA_PROSES_LAPORAN", str(n))
        get_settings.cache_clear()

    yield set_to
    get_settings.cache_clear()


def test_reports_from_three_processes_are_byte_identical_to_one(tmp_path, proses_laporan):
    proses_laporan(1)
    peak_private_bytes()
    one = _pages(tmp_path / "satu")
    assert peak_private_bytes() is None
    proses_laporan(3)
    three = _pages(tmp_path / "tiga")
    assert peak_private_bytes() is not None  # the copies did run
    assert list(three) == list(one)
    assert sum(name.startswith("dokumen/") for name in one) == 60
    assert sum(name.startswith(("ringkasan_", "pemantauan_", "rencana_pelatihan_")) for name in one) == 27
    for name, content in one.items():
        assert three[name] == content, name
