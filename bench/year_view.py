"""The year view after the cycle, each part timed on its own: kinerja_<tahun>.xlsx, index.html and its
search data, and the index page in headless Chromium (until it is usable, until its search data has
loaded, and until a search shows a hit).

`measure` runs in the benchmark's per-size process after the cycle, on the cycle's database and output
folder; `table` and `markdown` turn the sizes' results into the table of bench/RESULTS.md.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from bench import measure as memory

GIB = 1024**3
CHROMIUM = "chromium"
# The index page's search box and result list (reports/templates/indeks.html.j2).
SEARCH_BOX = "input[type=search]"
FIRST_HIT = "#hasil-cari li"
BROWSER_TIMEOUT_MS = 120_000
QUERY_LENGTH = 4  # characters of a known employee's name typed into the search box
# The same typing on a page that only echoes a hit: what the browser and Playwright's key round trips cost.
_BASELINE_PAGE = """<input type="search"><ul id="hasil-cari"></ul><script>
document.querySelector("input").addEventListener("input", function (e) {
  if (e.target.value.length >= 3) { document.getElementById("hasil-cari").innerHTML = "<li>x</li>"; }
});</script>"""
# Run in the index page before its own scripts: performance.now() (ms from navigation start) when it
# is usable (at `load`, or the first frame after it, with the unit table's rows, if it has a table, and
# a visible search box), when the search data is loaded or found missing (`state`), and the first
# contentful paint.
_TIMES = """(() => {
  const times = window.__kinerja = {};
  function usable() {
    const box = document.querySelector("input[type=search]"), table = document.getElementById("tabel-unit");
    return box && box.getClientRects().length > 0 && (!table || table.tBodies[0].rows.length > 0);
  }
  addEventListener("load", function check() {
    if (usable()) { times.usable = performance.now(); } else { requestAnimationFrame(check); }
  });
  new MutationObserver((_, observer) => {
    const state = document.body && document.body.getAttribute("data-pencarian");
    if (state) { times.search = performance.now(); times.state = state; observer.disconnect(); }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-pencarian"] });
  new PerformanceObserver((list) => {
    list.getEntriesByName("first-contentful-paint").forEach((e) => { times.fcp = e.startTime; });
  }).observe({ type: "paint", buffered: true });
})();"""
_SEARCH_IN_PAGE = """([selector, query]) => {
  const box = document.querySelector(selector);
  box.value = "";
  box.dispatchEvent(new Event("input"));
  const started = performance.now();
  box.value = query;
  box.dispatchEvent(new Event("input"));
  return performance.now() - started;
}"""


def measure(db_url: str, out_dir: Path, tahun: int, input_dir: Path) -> dict:
    """Workbook, index and page, each timed alone; a part that cannot run says why in `catatan`."""
    return {"workbook": _workbook(out_dir, tahun), "indeks": _index(db_url, out_dir, tahun, input_dir)}


def _workbook(out_dir: Path, tahun: int) -> dict:
    import pandas as pd

    from reports.workbook import NUMBER_COLUMNS, write_workbook

    rows = sum(len(pd.read_csv(out_dir / name, dtype=str, keep_default_na=False, engine="pyarrow"))
               for name in NUMBER_COLUMNS if (out_dir / name).is_file())
    memory.reset_peak()
    started = time.perf_counter()
    path = write_workbook(out_dir, tahun, reuse=False)  # every sheet written, as after a changed CSV
    seconds = time.perf_counter() - started
    if path is None:
        return {"catatan": "tidak ada CSV keluaran / no output CSV"}
    peak = memory.peak_rss()
    started = time.perf_counter()
    write_workbook(out_dir, tahun)
    refresh = time.perf_counter() - started
    return {"baris": rows, "detik": seconds, "segar_detik": refresh, "bytes": path.stat().st_size,
            "peak_rss": peak}


def _index(db_url: str, out_dir: Path, tahun: int, input_dir: Path) -> dict:
    try:
        from reports.index_page import render_index
    except ImportError as exc:  # written alongside this benchmark; a row without it says so
        return {"catatan": f"reports.index_page belum ada / not there yet ({exc})"}
    from penilaian.ruleset import load_ruleset

    rules = load_ruleset(None)
    started = time.perf_counter()
    paths = render_index(db_url, tahun, out_dir, rules)
    seconds = time.perf_counter() - started
    sizes = {p.name: p.stat().st_size for p in paths}
    result = {"detik": seconds, "index_bytes": sizes.get("index.html", 0),
              "pencarian_bytes": sizes.get("pencarian_pegawai.js", 0)}
    executable = shutil.which(CHROMIUM)
    if executable is None:
        return result | {"catatan": "chromium tidak ada / not installed: halaman tidak diukur"}
    try:
        return result | _page(out_dir / "index.html", _query(input_dir), executable)
    except Exception as exc:  # noqa: BLE001 - a browser problem must not lose the cycle's figures
        return result | {"catatan": f"halaman tidak terukur / page not measured: {type(exc).__name__}: {exc}"}


def _query(input_dir: Path) -> str:
    """The first characters of the name of the employee in the middle of pegawai.csv."""
    import pandas as pd

    nama = pd.read_csv(input_dir / "pegawai.csv", dtype=str, usecols=["nama"], keep_default_na=False)["nama"]
    return nama.iloc[len(nama) // 2].strip()[:QUERY_LENGTH]


def _page(index: Path, query: str, executable: str) -> dict:
    """Milliseconds, in a fresh browser tab, from navigation start until the page is usable (the `load`
    event, the unit table's first rows there and the search box visible) and until its search data has
    loaded (`body[data-pencarian='siap']`), both timed inside the page (_TIMES) so Playwright's round
    trips, which wait while the page parses the search data, do not count; then from typing `query` into
    the search box, key by key, until the first hit is shown; the search alone inside the page (the input
    event's handler, timed with performance.now) and the same typing on a bare page (the browser's and
    Playwright's own share)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.set_default_timeout(BROWSER_TIMEOUT_MS)
            page.add_init_script(_TIMES)
            page.goto("about:blank")
            page.goto(index.as_uri(), wait_until="load")
            page.wait_for_function("() => 'usable' in window.__kinerja && 'search' in window.__kinerja")
            times = page.evaluate("() => window.__kinerja")
            if times["state"] != "siap":
                raise RuntimeError(f"pencarian tidak siap / search not ready: {times['state']}")
            box = page.locator(SEARCH_BOX)
            started = time.perf_counter()
            box.press_sequentially(query)
            page.wait_for_selector(FIRST_HIT)
            searched = time.perf_counter() - started
            script_ms = page.evaluate(_SEARCH_IN_PAGE, [SEARCH_BOX, query])
            page.set_content(_BASELINE_PAGE)
            started = time.perf_counter()
            page.locator(SEARCH_BOX).press_sequentially(query)
            page.wait_for_selector(FIRST_HIT)
            baseline = time.perf_counter() - started
        finally:
            browser.close()
    return {"muat_ms": times["usable"], "siap_ms": times["search"], "fcp_ms": times.get("fcp"),
            "cari_ms": 1000 * searched, "cari_js_ms": script_ms, "dasar_ms": 1000 * baseline, "kueri": query}


# The table's columns after "pegawai": (heading, part, how its figure is written from the part's result).
COLUMNS = (
    ("xlsx s", "workbook", lambda w: f"{w['detik']:.1f}"),
    ("xlsx segarkan s", "workbook", lambda w: f"{w['segar_detik']:.1f}"),
    ("baris", "workbook", lambda w: f"{w['baris']:,}"),
    ("baris/s", "workbook", lambda w: f"{w['baris'] / w['detik']:,.0f}"),
    ("xlsx MB", "workbook", lambda w: f"{w['bytes'] / 1e6:.1f}"),
    ("xlsx peak RSS GiB", "workbook", lambda w: f"{w['peak_rss'] / GIB:.2f}"),
    ("index s", "indeks", lambda i: f"{i['detik']:.1f}"),
    ("index.html KB", "indeks", lambda i: f"{i['index_bytes'] / 1e3:,.0f}"),
    ("pencarian_pegawai.js KB", "indeks", lambda i: f"{i['pencarian_bytes'] / 1e3:,.0f}"),
    ("halaman dimuat ms", "indeks", lambda i: f"{i['muat_ms']:,.0f}"),
    ("pencarian siap ms", "indeks", lambda i: f"{i['siap_ms']:,.0f}"),
    ("cari 4 huruf ms", "indeks", lambda i: f"{i['cari_ms']:,.0f}"),
    ("cari (JS) ms", "indeks", lambda i: f"{i['cari_js_ms']:,.1f}"),
    ("cari di halaman kosong ms", "indeks", lambda i: f"{i['dasar_ms']:,.0f}"),
)


def table(results: list[dict]) -> tuple[list[str], list[list[str]], list[str]]:
    """Per size: the workbook's rows, seconds, rows/s, size and peak RSS; the index's seconds and file
    sizes; the page's load, search-ready and search milliseconds ("-" where a part did not run, and a
    note why)."""
    head = ["pegawai", *(name for name, _, _ in COLUMNS)]
    body, notes = [], []
    for res in results:
        if "tampilan" not in res:
            continue
        n = f"{res['pegawai']:,}"
        row = [n]
        for _, part, figure in COLUMNS:
            try:
                row.append(figure(res["tampilan"][part]))
            except KeyError:
                row.append("-")
        body.append(row)
        notes += [f"{n}: {part['catatan']}" for part in res["tampilan"].values() if "catatan" in part]
        if "kueri" in res["tampilan"]["indeks"]:
            notes.append(f"{n}: kueri / query \"{res['tampilan']['indeks']['kueri']}\"")
    return head, body, notes


def markdown(results: list[dict]) -> list[str]:
    head, body, notes = table(results)
    if not body:
        return []
    return [
        "",
        "Tampilan tahun / year view (after the cycle, each timed alone: `write_workbook` of the year's output"
        " CSVs with every sheet written (`reuse=False`), rows = data rows of all sheets; xlsx segarkan = a"
        " refresh with the CSVs unchanged (each sheet copied from the previous workbook, as a stage does for"
        " every CSV it did not change); `render_index` from the database; the index page in headless"
        " Chromium through Playwright, a fresh browser, `goto(file://…/index.html)`: halaman dimuat = ms from"
        " navigation start, timed in the page, until `load` with the unit table's first rows and a visible"
        " search box; pencarian siap = until its search data has loaded (after the first paint); then 4"
        " characters of a known employee's name typed key by key until the first hit is shown; cari (JS) ="
        " the page's search handler alone for the same 4 characters; cari di halaman kosong = the same"
        " typing on a bare page that only echoes a hit, i.e. the part of the search time that is"
        " Playwright's key round trips and the browser, not the index page):",
        "",
        *markdown_table(head, body),
        *([""] + [f"- {note}" for note in notes] if notes else []),
    ]


def markdown_table(head: list[str], body: list[list[str]]) -> list[str]:
    """A markdown table's lines: header, separator, one line per row (the tables of RESULTS.md)."""
    return ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|",
            *["| " + " | ".join(row) + " |" for row in body]]
