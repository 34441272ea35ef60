"""Headless Chromium opens an evaluation document and a unit summary: they render, charts included."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from contract.reader import read_inputs
from contract.values import check_values
from kinerja.demo.generator import generate
from penilaian.ruleset import load_ruleset
from penilaian.year_end import score_year_end
from reports.documents import render_documents
from reports.gate_report import render_gate_report
from reports.unit_summaries import render_unit_summaries
from stages import registry
from tests.reports.fakes import (
    make_angka_kredit,
    make_frames,
    make_gate,
    make_keberatan,
    make_training,
    make_year_end,
)

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]

if BROWSER is None and os.environ.get("KINERJA_REQUIRE_BROWSER") == "1":
    pytest.fail("KINERJA_REQUIRE_BROWSER=1 but no chromium is installed", pytrace=False)
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(BROWSER is None, reason="no headless Chromium (apt-get install chromium)"),
]


def _pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA non-interlaced PNG (what Chromium writes) into rows of bytes."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, data, width, height, channels = 8, b"", 0, 0, 4
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        chunk = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8
            channels = {2: 3, 6: 4}[colour]
        elif kind == b"IDAT":
            data += chunk
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(data), width * channels, [], bytearray(width * channels)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, upleft = prev[i], prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - upleft
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else upleft)) & 255
        rows.append(bytes(line))
        prev = line
    return width, channels, rows


def _coloured_share(png: Path) -> tuple[float, float]:
    """Share of non-white pixels, and share of strongly coloured (chart) pixels."""
    width, channels, rows = _pixels(png.read_bytes())
    ink = colour = total = 0
    for row in rows[::4]:
        for x in range(0, width * channels, channels * 4):
            r, g, b = row[x], row[x + 1], row[x + 2]
            total += 1
            ink += (r + g + b) < 720
            colour += max(r, g, b) - min(r, g, b) > 60
    return ink / total, colour / total


def _browse(page: Path, tmp_path: Path, name: str) -> tuple[Path, str]:
    shot = tmp_path / f"{name}.png"
    args = [BROWSER, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    subprocess.run([*args, "--window-size=1000,1600", f"--screenshot={shot}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    dom = subprocess.run([*args, "--dump-dom", page.as_uri()], check=True, capture_output=True,
                         text=True, timeout=120).stdout
    return shot, dom


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    base = tmp_path_factory.mktemp("browser")
    generate(base / "in", pegawai=120, tahun=2026, seed=3, bad_rows=True)
    required, optional = registry.get("year-end").required, registry.get("year-end").optional
    raw, _ = read_inputs(base / "in", required, optional)
    frames, _, _ = check_values(raw, 2026, "year-end")
    result = score_year_end(frames, load_ruleset(), 2026)
    out = base / "out"
    render_documents(year_end=result, frames=frames, out_dir=out, tahun=2026)
    render_unit_summaries(year_end=result, frames=frames, out_dir=out, tahun=2026)
    return out, result


def test_document_renders_in_chromium(rendered: tuple[Path, object], tmp_path: Path) -> None:
    out, result = rendered
    nip = result.hasil["nip"].iloc[0]
    shot, dom = _browse(out / "dokumen" / f"{nip}.html", tmp_path, "dokumen")
    ink, _ = _coloured_share(shot)
    assert ink > 0.02, "the document page is (almost) blank"
    assert "Dokumen Evaluasi Kinerja" in dom and nip in dom
    assert result.hasil["predikat_final"].iloc[0] in dom


def test_unit_summary_renders_with_charts(rendered: tuple[Path, object], tmp_path: Path) -> None:
    out, result = rendered
    unit = result.hasil["kode_unit"].value_counts().index[0]
    shot, dom = _browse(out / f"ringkasan_{unit}.html", tmp_path, "ringkasan")
    ink, colour = _coloured_share(shot)
    assert ink > 0.02
    assert colour > 0.005, "the charts' coloured bars are not visible"
    assert dom.count("<svg") >= 2 and "<rect" in dom


@pytest.mark.parametrize("width", [800, 1000, 1400])
def test_gate_report_headers_fit_their_columns(tmp_path: Path, width: int) -> None:
    page = render_gate_report(make_gate(), tmp_path)
    # mark every header cell whose text is wider than its cell (what a reader sees as a clipped header)
    measure = ("<script>document.body.dataset.terpotong = [...document.querySelectorAll('th')]"
               ".filter(th => th.scrollWidth > th.clientWidth).map(th => th.textContent).join('|')</script>")
    probe = tmp_path / "probe.html"
    html = page.read_text(encoding="utf-8")
    probe.write_text(html.replace("</body>", measure + "</body>"), encoding="utf-8")
    dom = subprocess.run([BROWSER, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                          f"--window-size={width},1200", "--dump-dom", probe.as_uri()],
                         check=True, capture_output=True, text=True, timeout=120).stdout
    assert 'data-terpotong=""' in dom, dom[dom.find("data-terpotong"):][:200]


# Marks what a reader would see as broken: a table wider than the page body, a clipped header cell.
_MEASURE = ("<script>const w = document.body.clientWidth; document.body.dataset.breit = "
            "[...document.querySelectorAll('table')].filter(t => t.getBoundingClientRect().width > w + 1)"
            ".length; document.body.dataset.terpotong = [...document.querySelectorAll('th')]"
            ".filter(th => th.scrollWidth > th.clientWidth).map(th => th.textContent).join('|')</script>")


def _measured_dom(page: Path, tmp_path: Path, width: int) -> str:
    probe = tmp_path / f"probe_{page.name}"
    html = page.read_text(encoding="utf-8")
    probe.write_text(html.replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
    return subprocess.run([BROWSER, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                           f"--window-size={width},1200", "--dump-dom", probe.as_uri()],
                          check=True, capture_output=True, text=True, timeout=120).stdout


def _assert_fits_a4(page: Path, tmp_path: Path) -> None:
    """No table wider than the page and no clipped header, at the A4 sheet's width on screen (794 px) and
    its printed width (680 px: 210 mm less 2 × 15 mm margins)."""
    for width in (794, 680):
        dom = _measured_dom(page, tmp_path, width)
        assert 'data-breit="0"' in dom and 'data-terpotong=""' in dom, (width, dom[dom.find("data-"):][:200])


def _assert_prints_on_a4(page: Path, tmp_path: Path, name: str) -> None:
    """Printed to PDF by Chromium, every page is an A4 sheet (595.28 × 841.89 pt)."""
    pdf = tmp_path / f"{name}.pdf"
    subprocess.run([BROWSER, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", page.as_uri()], check=True, capture_output=True, timeout=120)
    pages = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf.read_bytes())
    assert pages, "no page in the printed PDF"
    for lebar, tinggi in pages:
        assert abs(float(lebar) - 595.28) < 1.5 and abs(float(tinggi) - 841.89) < 1.5, (lebar, tinggi)


@pytest.fixture(scope="module")
def objection_pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The document of an accepted objection decided by a named superior, and its unit's summary."""
    out = tmp_path_factory.mktemp("keberatan")
    frames = make_frames(6)
    year_end = make_year_end(frames)
    keberatan = make_keberatan(year_end, frames)
    render_documents(year_end=year_end, frames=frames, out_dir=out, keberatan=keberatan)
    render_unit_summaries(year_end=year_end, frames=frames, out_dir=out, keberatan=keberatan,
                          training=make_training(year_end))
    return out / "dokumen" / f"{year_end.hasil['nip'].iloc[2]}.html", out / "ringkasan_U01.html"


def test_objection_document_renders_and_prints_on_a4(objection_pages: tuple[Path, Path],
                                                      tmp_path: Path) -> None:
    page, _ = objection_pages
    shot, dom = _browse(page, tmp_path, "keberatan")
    ink, _ = _coloured_share(shot)
    assert ink > 0.02
    assert "<h2>Keberatan</h2>" in dom and "Atasan Pejabat Penilai Kinerja" in dom
    assert "Predikat ditetapkan setelah keberatan" in dom
    _assert_fits_a4(page, tmp_path)
    _assert_prints_on_a4(page, tmp_path, "keberatan")


def test_unit_summary_with_objections_fits_the_page(objection_pages: tuple[Path, Path],
                                                    tmp_path: Path) -> None:
    _, page = objection_pages
    shot, dom = _browse(page, tmp_path, "ringkasan_keberatan")
    _, colour = _coloured_share(shot)
    assert colour > 0.005 and "<h2>Keberatan</h2>" in dom and "Ditetapkan (keberatan)" in dom
    _assert_fits_a4(page, tmp_path)


@pytest.fixture(scope="module")
def angka_kredit_pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The document of an official reaching the next jenjang who also objected, and its unit's summary."""
    out = tmp_path_factory.mktemp("angka_kredit")
    frames = make_frames(6)
    year_end = make_year_end(frames)
    keberatan = make_keberatan(year_end, frames)
    angka_kredit = make_angka_kredit(year_end, keberatan)
    render_documents(year_end=year_end, frames=frames, out_dir=out, keberatan=keberatan,
                     angka_kredit=angka_kredit)
    render_unit_summaries(year_end=year_end, frames=frames, out_dir=out, keberatan=keberatan,
                          training=make_training(year_end), angka_kredit=angka_kredit)
    return out / "dokumen" / f"{year_end.hasil['nip'].iloc[1]}.html", out / "ringkasan_U02.html"


def test_angka_kredit_document_fits_and_prints_on_a4(angka_kredit_pages: tuple[Path, Path],
                                                     tmp_path: Path) -> None:
    page, _ = angka_kredit_pages
    _, dom = _browse(page, tmp_path, "angka_kredit")
    assert "<h2>Konversi Predikat Kinerja ke Angka Kredit</h2>" in dom and "<h2>Keberatan</h2>" in dom
    assert "Kenaikan jenjang ke Ahli Madya, pangkat Pembina (IV/a), dan uji kompetensi" in dom
    _assert_fits_a4(page, tmp_path)
    _assert_prints_on_a4(page, tmp_path, "angka_kredit")


def test_unit_summary_with_angka_kredit_fits_the_page(angka_kredit_pages: tuple[Path, Path],
                                                      tmp_path: Path) -> None:
    _, page = angka_kredit_pages
    _, dom = _browse(page, tmp_path, "ringkasan_angka_kredit")
    assert "<h2>Angka Kredit Jabatan Fungsional</h2>" in dom and "AK<br>kumulatif" in dom
    _assert_fits_a4(page, tmp_path)
