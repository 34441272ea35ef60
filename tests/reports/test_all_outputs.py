"""Every report together: each text field escaped in every output, the same input gives the same bytes."""

from __future__ import annotations

from pathlib import Path

from reports.documents import render_documents
from reports.gate_report import render_gate_report
from reports.mid_year import render_mid_year_reports
from reports.training_plans import write_training_plans
from reports.unit_summaries import render_unit_summaries
from tests.reports.fakes import (
    ESCAPED,
    XSS,
    make_angka_kredit,
    make_frames,
    make_gate,
    make_keberatan,
    make_mid_year,
    make_training,
    make_year_end,
)


def _semua(out: Path, teks: str = "") -> list[Path]:
    """Render every kind of report into out; return every file written."""
    frames = make_frames(6, teks=teks)
    year_end = make_year_end(frames, teks=teks)
    training = make_training(year_end, teks=teks)
    render_gate_report(make_gate(teks), out)
    render_documents(year_end=year_end, frames=frames, out_dir=out)
    render_unit_summaries(year_end=year_end, frames=frames, out_dir=out, training=training)
    keberatan = make_keberatan(year_end, frames, teks=teks)  # the objection stage's pages
    render_documents(year_end=year_end, frames=frames, out_dir=out / "keberatan", keberatan=keberatan)
    render_unit_summaries(year_end=year_end, frames=frames, out_dir=out / "keberatan", training=training,
                          keberatan=keberatan)
    angka_kredit = make_angka_kredit(year_end, keberatan)  # the training stage's pages
    render_documents(year_end=year_end, frames=frames, out_dir=out / "angka_kredit", keberatan=keberatan,
                     angka_kredit=angka_kredit)
    render_unit_summaries(year_end=year_end, frames=frames, out_dir=out / "angka_kredit", training=training,
                          keberatan=keberatan, angka_kredit=angka_kredit)
    render_mid_year_reports(mid_year=make_mid_year(frames, teks=teks), frames=frames, out_dir=out)
    write_training_plans(training, out)
    return sorted(p for p in out.rglob("*") if p.is_file())


def test_every_text_field_is_escaped_in_every_output(tmp_path):
    files = [p for p in _semua(tmp_path, XSS) if p.suffix == ".html"]
    assert len(files) == 1 + 6 + 2 + 2 + 3 + 2 + 5 + 2
    for path in files:
        html = path.read_text(encoding="utf-8")
        assert "<script" not in html.lower(), path.name
        assert ESCAPED in html, path.name
    gate = make_gate("<b>x</b>")
    html = render_gate_report(gate, tmp_path / "b").read_text(encoding="utf-8")
    assert "<b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_output_is_deterministic(tmp_path):
    first = _semua(tmp_path / "a")
    second = _semua(tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first] == [p.relative_to(tmp_path / "b") for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_every_page_links_back_to_the_year_index(tmp_path):
    import os
    import re

    pages = [p for p in _semua(tmp_path) if p.suffix == ".html"]
    assert {p.parent.name for p in pages} >= {"dokumen", tmp_path.name}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        links = re.findall(r'<nav class="kembali"><a href="([^"]+)"', html)
        # the index lives in the year folder; documents are one folder down (dokumen/<nip>.html)
        year_dir = page.parent.parent if page.parent.name == "dokumen" else page.parent
        assert links == [os.path.relpath(year_dir / "index.html", page.parent)], page
