"""index.html in headless Chromium (Playwright, the system browser): charts drawn, the unit table built from
its data with the texts Python would write, sorted by mouse and keyboard and shown a part at a time, the
search finds an employee (also when typed before its data has loaded) and opens their document, links
open, and the search stays fast at 100,000 employees. Opened straight from the file system, as HR opens
it."""

from __future__ import annotations

import json
import os
import re
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
from reports.common import format_count, format_number
from reports.index_search import SEARCH_FILE, search_script
from reports.index_units import script_json
from tests.reports.index_cycle import NAMA_SKRIP, TAHUN, UNIT_MARKUP, Year, full_year

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


def _shown_units(page: object) -> list[str]:
    return page.eval_on_selector_all("#tabel-unit tbody tr", "rows => rows.map(r => r.dataset.unit)")


# Each built row's cells: [text, title, class, ["href|label" of each link]].
_CELLS = """rows => rows.map(r => Array.from(r.cells).map(td => [
  td.textContent, td.getAttribute('title'), td.getAttribute('class'),
  Array.from(td.querySelectorAll('a')).map(a => a.getAttribute('href') + '|' + a.textContent)]))"""
_DATA = re.compile(r'(<script type="application/json" id="data-unit">)(.*?)(</script>)', re.S)


def _unit_data(html: str) -> dict:
    return json.loads(_DATA.search(html).group(2))


def _expected_cells(data: dict, unit: list) -> list[list]:
    """A unit's cells as Python writes the numbers (reports.common), from the page's data: what the rows
    showed when they were written as HTML on the server."""
    r = dict(zip(data["kolom"], unit, strict=True))
    files = [pattern.format(r["kode"]) if r["berkas"] >> i & 1 else "" for i, (_, pattern, _) in
             enumerate(data["berkas"])]
    main = next((f for f, (_, _, utama) in zip(files, data["berkas"], strict=True) if f and utama), "")
    cells = [[f"{r['kode']} {r['nama']}", None, None, [f"{main}|{r['kode']}"] if main else []],
             [data["instansi"][r["instansi"]][1], None, None, []],
             [format_count(r["pegawai"]), None, "angka", []], [format_count(r["dinilai"]), None, "angka", []]]
    cells += [[format_number(100 * c / r["dinilai"]) if r["dinilai"] else "", None, "angka", []]
              for c in r["predikat"]]
    cells += [[r[name], r[f"{name}_catatan"] or None, "tidak" if r[name] == "tidak" else None, []]
              for name in ("kurva", "kurva_tetap") if name in r]
    cells.append([format_count(r["bias"]), r["bias_rincian"] or None, "angka", []])
    berisiko, pegawai = r["berisiko"], r["pegawai"]
    dipantau = berisiko is not None and pegawai > 0
    cells.append([format_number(100 * berisiko / pegawai) if dipantau else "",
                  f"{berisiko} dari {pegawai} pegawai" if dipantau else None, "angka", []])
    cells.append([f"{r['ikm_mutu']} ({format_number(r['ikm'])})" if r["ikm"] is not None else "", None,
                  "angka", []])
    links = [(f, label) for f, (label, _, _) in zip(files, data["berkas"], strict=True) if f]
    hrefs = [f"{f}|{label}" for f, label in links]
    cells.append([" · ".join(label for _, label in links), None, None, hrefs])
    return cells


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


def test_rows_built_by_the_script_show_what_python_wrote(page: object, year: Year) -> None:
    """Every unit's row, built in the browser from #data-unit: the same texts, titles, classes and links as
    the server-written rows had (the numbers as reports.common writes them), and the hostile unit name as
    text."""
    data = _unit_data((year.out_dir / "index.html").read_text(encoding="utf-8"))
    assert 0 < len(data["unit"]) <= index_page.BARIS_AWAL
    assert _shown_units(page) == [u[0] for u in data["unit"]]
    shown = page.eval_on_selector_all("#tabel-unit tbody tr", _CELLS)
    assert shown == [_expected_cells(data, unit) for unit in data["unit"]]
    row = page.locator(f"#tabel-unit tr[data-unit='{year.unit_markup}']")
    assert UNIT_MARKUP in row.inner_text() and row.locator("img").count() == 0 and page.dialogs == []


def test_numbers_at_rounding_edges_are_written_as_python_writes_them(
    browser: object, year: Year, tmp_path: Path
) -> None:
    """Made-up units with counts and values at the edges of rounding (x.xx5, float noise, thousands),
    written into the page's data: the script writes every number as reports.common does."""
    html = (year.out_dir / "index.html").read_text(encoding="utf-8")
    data = _unit_data(html)
    rng = np.random.default_rng(5)
    hostile = "</script><script>alert(3)</script>"
    edges = [0.005, 2.675, 85.645, 99.995, 1234.565, 1_000_000.125, 0.0, 100.0, 33.335, 4.445]
    units = []
    for i in range(150):
        dinilai = int(rng.choice([0, 1, 3, 7, 8, 16, 40, 800, 2000, 12_345]))
        predikat = rng.multinomial(dinilai, [0.1, 0.3, 0.4, 0.15, 0.05]).tolist() if dinilai else [0] * 5
        pegawai = dinilai + int(rng.integers(0, 3))
        fields = {"kode": f"X{i:04d}", "nama": hostile if i == 7 else f"Unit {i}",
                  "instansi": i % len(data["instansi"]), "pegawai": pegawai, "dinilai": dinilai,
                  "predikat": predikat, "kurva": "tidak" if i % 3 else "ya",
                  "kurva_catatan": "x" if i % 3 else "",
                  "kurva_tetap": "", "kurva_tetap_catatan": "", "bias": int(rng.integers(0, 1500)),
                  "bias_rincian": "lunak 1" if i % 2 else "",
                  "berisiko": None if i % 5 == 0 else int(rng.integers(0, pegawai + 1)),
                  "ikm": None if i % 4 == 0 else float(rng.choice(edges)) + (i % 2) * 1e-12,
                  "ikm_mutu": "B", "berkas": i % 8}
        units.append([fields[name] for name in data["kolom"]])
    made = dict(data, unit=units)
    out = tmp_path / "tepi"
    shutil.copytree(year.out_dir, out, ignore=shutil.ignore_patterns("dokumen"))
    (out / "index.html").write_text(_DATA.sub(lambda m: m.group(1) + script_json(made) + m.group(3), html),
                                    encoding="utf-8")
    context = browser.new_context()
    tab = context.new_page()
    dialogs = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        tab.goto((out / "index.html").as_uri())
        shown = tab.eval_on_selector_all("#tabel-unit tbody tr", _CELLS)
    finally:
        context.close()
    assert shown == [_expected_cells(made, unit) for unit in units] and dialogs == []
    assert shown[7][0][0] == f"X0007 {hostile}"


def test_search_typed_before_its_data_has_loaded_finds_the_employee(
    browser: object, year: Year
) -> None:
    """The search data held back (the page's script element kept from the document until released): the
    page is usable, the box takes a name and says the data is loading, and the hits come when it loads."""
    hold = """(() => {
      const append = Node.prototype.appendChild;
      window.heldScripts = [];
      Node.prototype.appendChild = function (node) {
        if (node.tagName === "SCRIPT" && node.src.includes("pencarian_pegawai")) {
          window.heldScripts.push([this, node]);
          return node;
        }
        return append.call(this, node);
      };
      window.releaseScripts = () => window.heldScripts.splice(0).forEach(([p, node]) => append.call(p, node));
    })();"""
    hasil = read_frame(get_engine(year.db_url), "SELECT nip, nama FROM hasil_penilaian WHERE tahun = :t "
                       "ORDER BY nip", t=TAHUN)
    nip, nama = hasil.iloc[len(hasil) // 3][["nip", "nama"]]
    context = browser.new_context()
    context.add_init_script(hold)
    tab = context.new_page()
    try:
        tab.goto((year.out_dir / "index.html").as_uri())
        tab.wait_for_function("() => window.heldScripts.length === 1")
        assert tab.locator("#tabel-unit tbody tr").count() > 0
        assert tab.evaluate("() => document.body.getAttribute('data-pencarian')") is None
        tab.fill("#kotak-cari", nama[1:9].lower())
        assert tab.inner_text("#info-cari") == "Memuat data pencarian…"
        assert tab.locator("#hasil-cari li").count() == 0
        tab.evaluate("() => window.releaseScripts()")
        tab.wait_for_selector("body[data-pencarian='siap']")
        hit = tab.locator("#hasil-cari li", has=tab.locator(".nip", has_text=nip))
        assert hit.count() == 1 and nama in hit.inner_text() and "cocok" in tab.inner_text("#info-cari")
    finally:
        context.close()


def test_without_its_search_data_the_page_says_so(browser: object, year: Year, tmp_path: Path) -> None:
    out = tmp_path / "tanpa"
    shutil.copytree(year.out_dir, out, ignore=shutil.ignore_patterns("dokumen", SEARCH_FILE))
    context = browser.new_context()
    tab = context.new_page()
    try:
        tab.goto((out / "index.html").as_uri())
        tab.wait_for_selector("body[data-pencarian='tidak-ada']")
        assert tab.locator("#kotak-cari").is_disabled() and SEARCH_FILE in tab.inner_text("#info-cari")
        assert tab.locator("#tabel-unit tbody tr").count() > 0
    finally:
        context.close()


def test_long_unit_tables_build_the_first_rows_of_any_order_and_more_on_request(
    browser: object, year: Year, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "panjang"
    shutil.copytree(year.out_dir, out, ignore=shutil.ignore_patterns("dokumen"))
    monkeypatch.setattr(index_page, "BARIS_AWAL", 3)
    index_page.render_index(year.db_url, TAHUN, out, load_ruleset(None))
    data = _unit_data((out / "index.html").read_text(encoding="utf-8"))
    kode, dinilai = [u[0] for u in data["unit"]], [u[data["kolom"].index("dinilai")] for u in data["unit"]]
    total = len(kode)
    context = browser.new_context()
    tab = context.new_page()
    try:
        tab.goto((out / "index.html").as_uri())
        assert total > 6 and _shown_units(tab) == kode[:3]
        info = tab.locator("#info-baris")
        assert tab.locator("#lagi").is_visible() and info.inner_text().startswith(f"3 dari {total} unit")
        for _ in range(2):  # most scored first; equal counts keep the order they had (by kode)
            tab.locator("#tabel-unit thead th").nth(3).locator("button").click()
        order = [k for _, k in sorted(zip(dinilai, kode, strict=True), key=lambda p: -p[0])]
        assert _shown_units(tab) == order[:3] and len(set(dinilai)) > 1
        tab.locator("#lagi button[data-tambah='3']").click()
        assert _shown_units(tab) == order[:6] and info.inner_text() == f"6 dari {total} unit ditampilkan."
        tab.locator("#lagi button[data-tambah='semua']").click()
        assert _shown_units(tab) == order and tab.locator("#lagi button:visible").count() == 0
        assert [int(v) for v in _column(tab, 3)] == sorted(dinilai, reverse=True)
    finally:
        context.close()
