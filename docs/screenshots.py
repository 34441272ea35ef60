"""Screenshots for the README from a real demo run: the year's index page and the Prefect UI.

`make screenshots` (after `make demo`; the local Prefect server must be up, `make server-up`). Drives the
system Chromium with Playwright (no browser download) and writes docs/img/*.png:

- index.png            data/demo/output/<tahun>/index.html as HR opens it
- index-cari.png       the same page after typing part of an employee's name in the search box
- prefect-runs.png     the Prefect UI's flow runs of the demo (the run history auditors start from)
- prefect-ringkasan.png  the latest training run's summary artifact (path of index.html, gate, counts)

Run it again after changing a page or the stages so the README shows what the code does today.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
VIEWPORT = {"width": 1280, "height": 860}


def _demo_index() -> tuple[Path, int]:
    """The demo's index.html and year (the newest year folder holding one)."""
    output = ROOT / "data" / "demo" / "output"
    years = sorted((p for p in output.glob("*") if (p / "index.html").is_file()), key=lambda p: p.name)
    if not years:
        sys.exit(f"{output}/<tahun>/index.html tidak ada: jalankan `make demo` dulu / run `make demo` first")
    return years[-1] / "index.html", int(years[-1].name)


def _search_term(index: Path) -> str:
    """Four letters of the first employee's name in the search data (what HR would type)."""
    import json

    text = (index.parent / "pencarian_pegawai.js").read_text(encoding="utf-8")
    data = json.loads(text[text.index("=") + 1:].strip().rstrip(";"))
    names = data.get("nama") or data.get("names")
    first = names.split("\n")[0] if isinstance(names, str) else names[0]
    return first.split()[0][:4]


def _latest_summary(tahap: str, tahun: int) -> str:
    """Id of the newest summary artifact (key `<tahap>-<tahun>`) on the server of PREFECT_API_URL."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[f"{tahap}-{tahun}"])),
            sort=ArtifactSort.CREATED_DESC, limit=1)
    if not found:
        api = os.environ.get("PREFECT_API_URL")
        sys.exit(f"tidak ada artefak {tahap}-{tahun} di {api}: jalankan `make demo` / run `make demo` first")
    return str(found[0].id)


def main() -> None:
    from playwright.sync_api import sync_playwright

    browser_path = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser_path is None:
        sys.exit("chromium tidak terpasang / not installed: apt-get install chromium")
    api = os.environ.get("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    ui = api.removesuffix("/api")
    index, tahun = _demo_index()
    IMG.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
        page.goto(index.as_uri(), wait_until="load")
        page.screenshot(path=str(IMG / "index.png"))
        search = page.locator("input[type=search]").first
        search.fill(_search_term(index))
        page.wait_for_timeout(300)
        search.scroll_into_view_if_needed()
        page.screenshot(path=str(IMG / "index-cari.png"))

        page.goto(f"{ui}/runs", wait_until="networkidle")
        page.wait_for_selector("text=training", timeout=30_000)
        page.screenshot(path=str(IMG / "prefect-runs.png"))
        page.goto(f"{ui}/artifacts/artifact/{_latest_summary('training', tahun)}", wait_until="networkidle")
        page.wait_for_selector("text=ringkasan tahun", timeout=30_000)
        page.wait_for_timeout(500)
        page.screenshot(path=str(IMG / "prefect-ringkasan.png"))
        browser.close()
    for name in ("index.png", "index-cari.png", "prefect-runs.png", "prefect-ringkasan.png"):
        print(IMG / name)


if __name__ == "__main__":
    main()
