"""index.html in headless Chromium (Playwright, the system browser): charts drawn, the unit table sorts by
mouse and keyboard, the search finds an employee and opens their document, links open, and the search
stays fast at 100,000 employees. Opened straight from the file system, as HR opens it."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from models.db import get_engine, read_frame
from penilaian.ruleset import load_ruleset
from reports import index_page
from reports.index_search import SEARCH_FILE, search_script
from tests.reports.index_cycle import NAMA_SKRIP, TAHUN, Year, full_year

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
if BROWSER is None and os.environ.get("KINERJA_REQUIRE_BROWSER") == "1":
    pytest.fail("KINERJA_REQUIRE_BROWSER=1 but no chromium is installed", pytrace=False)
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(BROWSER is None, reason="no headless Chromium (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def year(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> Year:
    return full_year(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=BROWSER, args=["--no-sandbox"])
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: object, year: Year, tmp_path: Path) -> Iterator[object]:
    """A fresh page on index.html (alert dialogs are recorded, never accepted); a screenshot afterwards."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.dialogs = []
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    tab.goto((year.out_dir / "index.html").as_uri())
    tab.wait_for_selector("body[data-pencarian='siap']")
    try:
        yield tab
    finally:
        shot = tmp_path / "index.png"
        tab.screenshot(path=str(shot), full_page=False)
        print(f"screenshot: {shot}")
        context.close()


def _column(page: object, index: int) -> list[str]:
    return page.eval_on_selector_all(
        "#tabel-unit tbody tr", f"rows => rows.map(r => r.cells[{index}].getAttribute('data-v'))")


def test_charts_are_drawn(page: object, year: Year) -> None:
    charts = page.query_selector_all("#instansi svg.grafik")
    units = read_frame(get_engine(year.db_url),
                       "SELECT DISTINCT kode_instansi FROM unit_kerja WHERE tahun = :t", t=TAHUN)
    assert len(charts) == len(units) > 0
    for chart in charts:
        box = chart.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100
        bars = [b for b in chart.query_selector_all("rect") if (b.bounding_box() or {}).get("height", 0) > 0]
        assert bars


def test_unit_table_sorts_by_click_and_by_keyboard(page: object) -> None:
    header = page.locator("#tabel-unit thead th").nth(3)
    assert header.text_content().strip().startswith("Dinilai")
    header.locator("button").click()
    shown = [int(v) for v in _column(page, 3)]
    assert shown == sorted(shown) and header.get_attribute("aria-sort") == "ascending"
    header.locator("button").click()
    shown = [int(v) for v in _column(page, 3)]
    assert shown == sorted(shown, reverse=True) and header.get_attribute("aria-sort") == "descending"
    assert len(set(shown)) > 1
    first = page.locator("#tabel-unit thead th").first
    assert first.get_attribute("aria-sort") == "none"
    first.locator("button").focus()
    page.keyboard.press("Enter")
    assert _column(page, 0) == sorted(_column(page, 0)) and first.get_attribute("aria-sort") == "ascending"
    assert header.get_attribute("aria-sort") == "none"
    page.keyboard.press(" ")
    kode = _column(page, 0)
    assert kode == sorted(kode, reverse=True) and first.get_attribute("aria-sort") == "descending"


def test_search_opens_the_document_of_the_employee_found(page: object, year: Year) -> None:
    hasil = read_frame(get_engine(year.db_url), "SELECT nip, nama FROM hasil_penilaian WHERE tahun = :t "
                       "ORDER BY nip", t=TAHUN)
    nip, nama = hasil.iloc[len(hasil) // 2][["nip", "nama"]]
    page.fill("#kotak-cari", nama[1:9].lower())
    hit = page.locator("#hasil-cari li", has=page.locator(".nip", has_text=nip))
    assert hit.count() == 1 and nama in hit.inner_text()
    hit.locator("a").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/dokumen/{nip}.html")
    assert "Dokumen Evaluasi Kinerja" in page.inner_text("h1") and nip in page.inner_text("body")


def test_search_by_nip_prefix_and_hostile_names_stay_text(page: object, year: Year) -> None:
    page.fill("#kotak-cari", year.nip_skrip[:12])
    assert page.locator("#hasil-cari li .nip").first.inner_text().startswith(year.nip_skrip[:12])
    page.fill("#kotak-cari", "<script")
    names = page.locator("#hasil-cari li .nama").all_inner_texts()
    assert NAMA_SKRIP in names and page.dialogs == []
    assert page.locator("#hasil-cari script").count() == 0
    page.fill("#kotak-cari", "ab")
    assert page.locator("#hasil-cari li").count() == 0 and "minimal 3" in page.inner_text("#info-cari")


def test_gate_report_link_opens_the_report(page: object) -> None:
    page.locator("tr[data-tahap='year-end'] a[href='gerbang_year-end.html']").click()
    page.wait_for_load_state()
    assert page.url.endswith("/gerbang_year-end.html")
    assert "Laporan Gerbang Mutu Data" in page.inner_text("h1")


def test_search_stays_fast_at_100000_employees(browser: object, year: Year, tmp_path: Path) -> None:
    """The page with a search file of 100,000 made-up employees: loaded and searched well within a second
    or two (the file's size and the times are printed)."""
    out = tmp_path / "besar"
    shutil.copytree(year.out_dir, out, ignore=shutil.ignore_patterns("dokumen"))
    n, rng = 100_000, np.random.default_rng(1)
    kata = np.array(["Siti", "Budi", "Rahmawati", "Saputra", "Nur", "Hidayat", "Dewi", "Putri", "Agus"])
    pegawai = pd.DataFrame({
        "nip": [str(198001012005011001 + i) for i in range(n)],
        "nama": [" ".join(p) for p in rng.choice(kata, size=(n, 3))],
        "kode_unit": [f"U{i % 4000:04d}" for i in range(n)],
        "predikat_final": rng.integers(-1, 5, n), "predikat_ditetapkan": -1,
    })
    script = search_script(pegawai, {}, {}, set(), TAHUN)
    (out / SEARCH_FILE).write_text(script, encoding="utf-8")
    context = browser.new_context()
    tab = context.new_page()
    try:
        started = time.perf_counter()
        tab.goto((out / "index.html").as_uri())
        tab.wait_for_selector("body[data-pencarian='siap']")
        loaded = time.perf_counter() - started
        searched = tab.evaluate("""() => {
            const box = document.getElementById('kotak-cari'), t0 = performance.now();
            box.value = 'rahmawati sap'; box.dispatchEvent(new Event('input'));
            return [performance.now() - t0, document.querySelectorAll('#hasil-cari li').length];
        }""")
    finally:
        context.close()
    print(f"{SEARCH_FILE}: {len(script.encode()) / 1e6:.2f} MB for {n} pegawai; page loaded in "
          f"{loaded:.2f} s, search in {searched[0]:.0f} ms")
    assert searched[1] == 50 and searched[0] < 1000 and loaded < 10


def test_long_unit_tables_show_the_first_rows_of_any_order_and_more_on_request(
    browser: object, year: Year, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    out = tmp_path / "panjang"
    shutil.copytree(year.out_dir, out, ignore=shutil.ignore_patterns("dokumen"))
    monkeypatch.setattr(index_page, "BARIS_AWAL", 5)
    index_page.render_index(year.db_url, TAHUN, out, load_ruleset(None))
    context = browser.new_context()
    tab = context.new_page()
    try:
        tab.goto((out / "index.html").as_uri())
        rows = tab.locator("#tabel-unit tbody tr")
        visible = "rows => rows.filter(r => getComputedStyle(r).display !== 'none').map(r => r.dataset.unit)"
        assert rows.count() > 5 and len(tab.eval_on_selector_all("#tabel-unit tbody tr", visible)) == 5
        tab.locator("#tabel-unit thead th").nth(3).locator("button").click()
        tab.locator("#tabel-unit thead th").nth(3).locator("button").click()  # most scored first
        dinilai = [int(v) for v in _column(tab, 3)]
        order = tab.eval_on_selector_all("#tabel-unit tbody tr", "rows => rows.map(r => r.dataset.unit)")
        assert tab.eval_on_selector_all("#tabel-unit tbody tr", visible) == order[:5]
        assert dinilai == sorted(dinilai, reverse=True)
        tab.locator("#lagi button[data-tambah='semua']").click()
        assert len(tab.eval_on_selector_all("#tabel-unit tbody tr", visible)) == rows.count()
    finally:
        context.close()
