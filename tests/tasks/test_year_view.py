"""The year view's refresh: the workbook written by a forked copy while the index is rendered."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kinerja.settings import get_settings
from reports import workbook as workbook_module
from tasks.year_view import year_view

from .conftest import TAHUN


@pytest.fixture
def two_processes(monkeypatch):
    monkeypatch.setenv("KINERJA_PROSES_LAPORAN", "2")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _links(index: Path) -> str:
    html = index.read_text(encoding="utf-8")
    return html[html.index('id="berkas"'):]


def test_the_index_links_the_workbook_its_copy_writes_meanwhile(open_run, demo_input, in_flow, monkeypatch,
                                                                two_processes):
    ctx = open_run("plan-collection", demo_input)
    ctx.output_dir.mkdir(parents=True)
    (ctx.output_dir / "karantina.csv").write_text("tahap\n")  # a source: a workbook is due

    def write_workbook(out: Path, tahun: int, reuse: bool = True) -> Path:
        target = workbook_module.workbook_path(out, tahun)
        target.write_text(str(os.getpid()))
        return target

    monkeypatch.setattr(workbook_module, "write_workbook", write_workbook)
    files, reason = in_flow(lambda: year_view(ctx))

    book = ctx.output_dir / f"kinerja_{TAHUN}.xlsx"
    assert reason == "" and book in files and (ctx.output_dir / "index.html") in files
    assert int(book.read_text()) != os.getpid()  # written by the copy
    assert f'href="kinerja_{TAHUN}.xlsx"' in _links(ctx.output_dir / "index.html")


def test_a_workbook_that_fails_in_its_copy_is_reported_and_not_linked(open_run, demo_input, in_flow,
                                                                      monkeypatch, two_processes):
    ctx = open_run("plan-collection", demo_input)
    ctx.output_dir.mkdir(parents=True)
    (ctx.output_dir / "karantina.csv").write_text("tahap\n")

    def write_workbook(out: Path, tahun: int, reuse: bool = True) -> Path:
        raise OSError("disk penuh")

    monkeypatch.setattr(workbook_module, "write_workbook", write_workbook)
    files, reason = in_flow(lambda: year_view(ctx))

    assert files == [] and reason == "OSError: disk penuh"
    assert not (ctx.output_dir / f"kinerja_{TAHUN}.xlsx").exists()
    links = _links(ctx.output_dir / "index.html")  # rendered again without the workbook
    assert 'href="karantina.csv"' in links and "xlsx" not in links
