"""Reports: files written, key content, escaping, safe file names, determinism."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from reports.charts import bar_chart, grouped_bar_chart, line_chart
from reports.common import angka, angka_kolom, safe_name
from reports.render import (
    render_documents,
    render_gate_report,
    render_mid_year_reports,
    render_unit_summaries,
    write_training_plans,
)
from tests.reports.fakes import (
    XSS,
    GateCheck,
    GateResult,
    make_frames,
    make_mid_year,
    make_training,
    make_year_end,
)

ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"


def _gate(teks: str = "") -> GateResult:
    return GateResult(
        tahap="year-end",
        tahun=2026,
        checks=[
            GateCheck(
                kode="pegawai.nip.format",
                berkas="pegawai.csv",
                deskripsi=f"NIP 18 digit yang sah{teks}",
                sumber="great_expectations",
                lulus=False,
                diperiksa=1200,
                gagal=300,
                ambang=f"maks. 20% baris{teks}",
                contoh=[
                    {"baris": 7, "kolom": "nip", "nilai": f"12AB{teks}", "alasan": f"bukan angka{teks}"},
                    {"baris": 9, "kolom": "nip", "nilai": None, "alasan": "kosong"},
                ],
            ),
            GateCheck(
                kode="relasi.atasan",
                berkas="",
                deskripsi="Atasan ada di instansi yang sama",
                sumber="relasional",
                lulus=True,
                diperiksa=1200,
                gagal=0,
                ambang="0 baris",
            ),
        ],
        ringkasan_unit=pd.DataFrame(
            {
                "kode_unit": ["U01"],
                "nama_unit": [f"Dinas Kesehatan{teks}"],
                "pegawai": [3],
                "persen_lengkap": [200 / 3],
            }
        ),
    )


def _semua(out: Path, teks: str = "") -> list[Path]:
    """Render every kind of report into out; return every file written."""
    frames = make_frames(6, teks=teks)
    year_end = make_year_end(frames, teks=teks)
    training = make_training(year_end, teks=teks)
    render_gate_report(_gate(teks), out)
    render_documents(year_end=year_end, frames=frames, out_dir=out)
    render_unit_summaries(year_end=year_end, frames=frames, out_dir=out, training=training)
    render_mid_year_reports(mid_year=make_mid_year(frames, teks=teks), frames=frames, out_dir=out)
    write_training_plans(training, out)
    return sorted(p for p in out.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def data():
    frames = make_frames(6)
    year_end = make_year_end(frames)
    return frames, year_end, make_training(year_end), make_mid_year(frames)


# ------------------------------------------------------------------ helpers


@pytest.mark.parametrize("good", ["U01", "198001012005011003", "plan-collection", "a.b_c-1"])
def test_safe_name_accepts_plain_codes(good):
    assert safe_name(good) == good


@pytest.mark.parametrize("bad", ["", ".", "..", "../x", "a/b", "a\\b", "a b", "/etc", "ü", None])
def test_safe_name_rejects_anything_that_could_leave_out_dir(bad):
    with pytest.raises(ValueError):
        safe_name(bad)


def test_numbers_are_indonesian_half_up():
    assert angka(1234.565) == "1.234,57"
    assert angka(2.675) == "2,68"
    assert angka(-0.125) == "-0,13"
    assert angka(float("nan")) == "" and angka(None) == ""
    s = pd.Series([0.005, 1e6, None, 89.99999999999999])
    assert angka_kolom(s).tolist() == ["0,01", "1.000.000,00", "", "90,00"]


# ------------------------------------------------------------------ charts


def test_charts_are_valid_inline_svg_with_escaped_labels():
    charts = [
        bar_chart(["a", XSS], [3, 1.5], judul="Batang"),
        bar_chart(["< 70", "≥ 110"], [0, 4], judul="Vertikal", arah="vertikal"),
        grouped_bar_chart(["Baik", XSS], [("Sebelum", [2, 1]), ("Sesudah", [1, 1])], judul="G"),
        line_chart(["2026-01", "2026-02", "2026-03"], [80.0, None, 85.5], judul=f"IKM{XSS}"),
    ]
    for svg in charts:
        assert "<script" not in svg
        root = ET.fromstring(str(svg))
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "&lt;script&gt;" in charts[0] and "1,50" in charts[0]
    assert charts[3].count("<circle") == 2  # the missing month is a gap, not a zero
    assert bar_chart(["a"], [1], judul="x") == bar_chart(["a"], [1], judul="x")


def test_charts_without_data_say_so_and_bad_input_is_refused():
    assert "tidak ada data" in bar_chart([], [], judul="Kosong")
    assert "tidak ada data" in line_chart(["a"], [None], judul="Kosong")
    with pytest.raises(ValueError):
        grouped_bar_chart(["a", "b"], [("s", [1])], judul="x")
    with pytest.raises(ValueError):
        bar_chart(["a"], [1], judul="x", arah="diagonal")


# ------------------------------------------------------------------ gate report


def test_gate_report_lists_checks_worst_rows_and_unit_summary(tmp_path):
    path = render_gate_report(_gate(), tmp_path)
    assert path == tmp_path / "gerbang_year-end.html"
    html = path.read_text(encoding="utf-8")
    assert "Laporan Gerbang Mutu Data — year-end 2026" in html
    assert "GAGAL" in html and "1 pemeriksaan tidak memenuhi ambang" in html
    for text in ("pegawai.nip.format", "pegawai.csv", "great_expectations", "1.200", "300"):
        assert text in html
    assert "maks. 20% baris" in html and "12AB" in html and "bukan angka" in html
    assert "Ringkasan per Unit Kerja" in html and "66,67" in html and "Dinas Kesehatan" in html
    # a passing check with no example rows gets no worst-rows section
    assert "<h3>relasi.atasan" not in html


def test_gate_report_pass_banner_and_bad_tahap(tmp_path):
    gate = _gate()
    gate.checks = gate.checks[1:]
    gate.ringkasan_unit = None
    html = render_gate_report(gate, tmp_path).read_text(encoding="utf-8")
    assert 'class="status lulus"' in html and "GAGAL" not in html
    gate.tahap = "../../etc"
    with pytest.raises(ValueError):
        render_gate_report(gate, tmp_path)


# ------------------------------------------------------------------ documents


def test_documents_one_file_per_scored_employee_with_key_content(tmp_path, data):
    frames, year_end, _, _ = data
    assert render_documents(year_end=year_end, frames=frames, out_dir=tmp_path) == 6
    files = sorted((tmp_path / "dokumen").glob("*.html"))
    assert [f.stem for f in files] == sorted(year_end.hasil["nip"])
    first = year_end.hasil.iloc[0]
    html = (tmp_path / "dokumen" / f"{first['nip']}.html").read_text(encoding="utf-8")
    for text in (
        "Dokumen Evaluasi Kinerja Pegawai",
        "Pemerintah Kabupaten Contoh",
        "31 Desember 2026",
        first["nama"],
        first["nip"],
        "Analis",
        "Kepala U01",  # the supervisor, by name and NIP
        first["nip_atasan"],
        "Indikator 0",
        "1.500,00 dokumen",  # target with satuan
        "1.234,57",  # realisasi, half-up, decimal comma
        "82,30",  # capaian
        "belum ada",  # indicator without realisasi
        "Berorientasi Pelayanan",
        "Umpan balik rekan",
        "Kontribusi luar biasa",  # override reason
        "Sangat Baik",
        "kurva: Sangat Baik &lt;= 70%",  # alasan_kalibrasi (escaped <)
        "1 dari 3 pegawai yang dinilai",  # peringkat within the unit
        "2026-06-15",
        "Mentoring",
        "permenpan-6-2022 v1.0.0",
        "Pejabat Penilai Kinerja",
        "Pegawai yang Dinilai",
        "@page { size: A4",
    ):
        assert text in html, text


def test_document_peer_feedback_is_the_mean_of_non_supervisor_ratings(tmp_path, data):
    frames, year_end, _, _ = data
    frames = dict(frames)
    hasil = year_end.hasil.iloc[[0]]
    nip, atasan = hasil["nip"].iloc[0], hasil["nip_atasan"].iloc[0]
    rekan_a, rekan_b = year_end.hasil["nip"].iloc[1], year_end.hasil["nip"].iloc[2]
    values = {k: [5, 5, 2, 3] for k in ("berorientasi_pelayanan", "akuntabel", "kompeten")}
    values.update({k: [5, 5, 4, 4] for k in ("harmonis", "loyal", "adaptif", "kolaboratif")})
    frames["perilaku"] = pd.DataFrame(
        {
            "nip": [nip] * 4,
            "nip_penilai": [atasan, atasan, rekan_a, rekan_b],
            "periode": ["2026-S1", "2026-S2", "2026-S1", "2026-S2"],
            **values,
            "catatan": pd.NA,
        }
    )
    single = type(year_end)(**{**year_end.__dict__, "hasil": hasil})
    render_documents(year_end=single, frames=frames, out_dir=tmp_path)
    html = (tmp_path / "dokumen" / f"{nip}.html").read_text(encoding="utf-8")
    row = html.split("<td>Berorientasi Pelayanan</td>")[1].split("</tr>")[0]
    assert row.endswith('<td class="angka">2,50</td>')  # (2 + 3) / 2, supervisor's 5s left out
    assert "umpan balik rekan (2 penilai)" in html
    # peers' overall: mean of seven value means = (3*2.5 + 4*4) / 7 = 3.357...
    assert '<th class="angka">3,36</th>' in html


@pytest.mark.parametrize(
    ("pilihan", "jumlah"),
    [("semua", 6), ("unit:U01", 3), ("unit:U99", 0), ("tidak", 0), ("nip:{nip}", 1)],
)
def test_document_choice_modes(tmp_path, data, pilihan, jumlah):
    frames, year_end, _, _ = data
    nip = year_end.hasil["nip"].iloc[4]
    pilihan = pilihan.format(nip=nip)
    n = render_documents(year_end=year_end, frames=frames, out_dir=tmp_path, pilihan=pilihan)
    written = sorted(p.stem for p in tmp_path.rglob("*.html"))
    assert n == jumlah == len(written)
    if pilihan.startswith("nip:"):
        assert written == [nip]
    if pilihan == "unit:U01":
        unit = year_end.hasil.set_index("nip")["kode_unit"]
        assert {unit[w] for w in written} == {"U01"}


@pytest.mark.parametrize("pilihan", ["", "beberapa", "unit:", "nip:", "semua:U01", "unit"])
def test_document_choice_unknown_is_refused(tmp_path, data, pilihan):
    frames, year_end, _, _ = data
    with pytest.raises(ValueError):
        render_documents(year_end=year_end, frames=frames, out_dir=tmp_path, pilihan=pilihan)


def test_documents_refuse_a_nip_that_would_leave_out_dir(tmp_path, data):
    frames, year_end, _, _ = data
    hasil = year_end.hasil.copy()
    hasil["nip"] = hasil["nip"].astype(object)
    hasil.loc[hasil.index[3], "nip"] = "../../evil"
    bad = type(year_end)(**{**year_end.__dict__, "hasil": hasil})
    out = tmp_path / "out"
    with pytest.raises(ValueError):
        render_documents(year_end=bad, frames=frames, out_dir=out)
    assert not list(tmp_path.rglob("*.html"))


# ------------------------------------------------------------------ unit summaries


def test_unit_summaries_with_training(tmp_path, data):
    frames, year_end, training, _ = data
    paths = render_unit_summaries(year_end=year_end, frames=frames, out_dir=tmp_path, training=training)
    assert paths == [tmp_path / "ringkasan_U01.html", tmp_path / "ringkasan_U02.html"]
    html = paths[0].read_text(encoding="utf-8")
    for text in (
        "Dinas U01",
        "Pemerintah Kabupaten Contoh",
        "Predikat kinerja organisasi",
        "Sebelum kalibrasi",
        "Sesudah kalibrasi",
        "Baik &lt;= 70%: terpenuhi",  # the curve's catatan
        "70 – &lt; 90",  # capaian histogram band
        "Pegawai 0",  # moved by the curve (Sangat Baik -> Baik)
        "kurva: Sangat Baik &lt;= 70%",
        "Lunak",  # the U01 supervisor is flagged lenient
        "Kepala U01",
        "skp.utama.ada",  # unscored employee
        "Kandidat Penghargaan",
        "Rencana Tindak Lanjut",
        "Pelayanan Prima",
        "72,00",
        "40,00%",
    ):
        assert text in html, text
    assert html.count("<svg") == 3  # curve, capaian spread, training needs
    u02 = paths[1].read_text(encoding="utf-8")
    assert "Lunak" not in u02 and "skp.utama.ada" not in u02


def test_unit_summaries_without_training_and_bad_unit_code(tmp_path, data):
    frames, year_end, _, _ = data
    html = render_unit_summaries(year_end=year_end, frames=frames, out_dir=tmp_path)[0].read_text(
        encoding="utf-8"
    )
    assert "Kandidat Penghargaan" not in html and html.count("<svg") == 2
    frames = dict(frames)
    frames["unit_kerja"] = frames["unit_kerja"].assign(kode_unit=["U01", ".."])
    with pytest.raises(ValueError):
        render_unit_summaries(year_end=year_end, frames=frames, out_dir=tmp_path / "x")


def test_unit_summary_curve_shares_missing_counts_and_a_repeated_unit(tmp_path, data):
    """Shares are of the unit's n (none when n is 0), a missing count is 0, a repeated unit: its last row."""
    frames, year_end, _, _ = data
    kurva = pd.DataFrame(
        {
            "kode_unit": ["U01", "U02", "U01"],
            "n": [3, 0, 8],
            "dikalibrasi": [True, pd.NA, False],
            "sebelum_sangat_baik": [3, 0, 1],
            "sebelum_baik": [0, 0, 7],
            "sesudah_baik": [3, 0, 8],
            "catatan": ["pertama", None, "terakhir"],
        }
    )
    ulang = type(year_end)(**{**year_end.__dict__, "kurva": kurva})
    paths = render_unit_summaries(year_end=ulang, frames=frames, out_dir=tmp_path)
    u01, u02 = (p.read_text(encoding="utf-8") for p in paths)
    sel = '<td class="angka">{}</td>'
    baris = "<tr><td>{}</td>" + sel * 4 + "</tr>"
    assert baris.format("Sangat Baik", 1, "12,50", 0, "0,00") in u01
    assert baris.format("Baik", 7, "87,50", 8, "100,00") in u01
    assert baris.format("Kurang", 0, "0,00", 0, "0,00") in u01
    assert "Tidak dikalibrasi. Ketentuan kurva: terakhir" in u01 and "pertama" not in u01
    assert baris.format("Baik", 0, "", 0, "") in u02
    assert "Tidak dikalibrasi. Ketentuan kurva: —" in u02


def test_write_training_plans_csv(tmp_path, data):
    _, _, training, _ = data
    paths = write_training_plans(training, tmp_path)
    assert [p.name for p in paths] == ["rencana_pelatihan_U01.csv", "rencana_pelatihan_U02.csv"]
    assert paths[0].read_text(encoding="utf-8") == (
        "kode_pelatihan,nama_pelatihan,kompetensi,jumlah_pegawai,total_jp\n"
        "PLT-01,Pelayanan Prima,berorientasi_pelayanan,3,72.00\n"
        "PLT-02,Analisis Data,analisis_data,1,12.50\n"
    )


# ------------------------------------------------------------------ mid-year


def test_mid_year_reports(tmp_path, data):
    frames, _, _, mid_year = data
    paths = render_mid_year_reports(mid_year=mid_year, frames=frames, out_dir=tmp_path)
    assert paths == [tmp_path / "pemantauan_U01.html", tmp_path / "pemantauan_U02.html"]
    u01, u02 = (p.read_text(encoding="utf-8") for p in paths)
    for text in ("Pemantauan Kinerja Tengah Tahun 2026", "Sesuai jalur", "Berisiko", "Tertinggal"):
        assert text in u01
    assert "Atasan: Kepala U01" in u01 and "coaching 2026-03-01" in u01
    assert "belum ada umpan balik" in u02 and "Atasan: Kepala U02" in u02
    assert "84,13" in u01 and "<strong>B</strong>" in u01  # IKM half-up and its grade
    assert "<polyline" in u01 and u01.count("<svg") == 2
    assert "IND-000000-0" in u01  # indicator without realisation


# ------------------------------------------------------------------ cross-cutting


def test_every_text_field_is_escaped_in_every_output(tmp_path):
    files = [p for p in _semua(tmp_path, XSS) if p.suffix == ".html"]
    assert len(files) == 1 + 6 + 2 + 2
    for path in files:
        html = path.read_text(encoding="utf-8")
        assert "<script" not in html.lower(), path.name
        assert ESCAPED in html, path.name
    gate = _gate("<b>x</b>")
    html = render_gate_report(gate, tmp_path / "b").read_text(encoding="utf-8")
    assert "<b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_output_is_deterministic(tmp_path):
    first = _semua(tmp_path / "a")
    second = _semua(tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first] == [p.relative_to(tmp_path / "b") for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_documents_in_small_batches_match_one_batch(tmp_path, data, monkeypatch):
    frames, year_end, _, _ = data
    render_documents(year_end=year_end, frames=frames, out_dir=tmp_path / "satu")
    monkeypatch.setattr("reports.render.BATCH_DOKUMEN", 4)
    shuffled = type(year_end)(**{**year_end.__dict__, "hasil": year_end.hasil.iloc[::-1]})
    render_documents(year_end=shuffled, frames=frames, out_dir=tmp_path / "batch")
    satu = sorted((tmp_path / "satu" / "dokumen").iterdir())
    batch = sorted((tmp_path / "batch" / "dokumen").iterdir())
    assert [p.name for p in satu] == [p.name for p in batch] and len(satu) == 6
    for a, b in zip(satu, batch, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
