"""The Dokumen Evaluasi Kinerja: one page per scored employee, its content, the --dokumen choice."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from reports.documents import render_documents
from tests.reports.fakes import ESCAPED, XSS, make_frames, make_keberatan, make_year_end


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


def test_documents_in_small_batches_match_one_batch(tmp_path, data, monkeypatch):
    frames, year_end, _, _ = data
    render_documents(year_end=year_end, frames=frames, out_dir=tmp_path / "satu")
    monkeypatch.setattr("reports.documents.DOCUMENT_BATCH", 4)
    shuffled = type(year_end)(**{**year_end.__dict__, "hasil": year_end.hasil.iloc[::-1]})
    render_documents(year_end=shuffled, frames=frames, out_dir=tmp_path / "batch")
    satu = sorted((tmp_path / "satu" / "dokumen").iterdir())
    batch = sorted((tmp_path / "batch" / "dokumen").iterdir())
    assert [p.name for p in satu] == [p.name for p in batch] and len(satu) == 6
    for a, b in zip(satu, batch, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


# --- the Keberatan section (objection stage) ---

def _keberatan_data():
    frames = make_frames(6)
    year_end = make_year_end(frames)
    return frames, year_end, make_keberatan(year_end, frames)


def _nip(year_end, baris: int) -> str:
    return year_end.hasil["nip"].iloc[baris]


def _bagian(html: str) -> str:
    """The Keberatan section: from its heading to the next one."""
    return html[html.index("<h2>Keberatan</h2>"):html.index("<h2>Umpan Balik Berkelanjutan</h2>")]


def test_objection_documents_only_for_the_objectors(tmp_path):
    frames, year_end, keberatan = _keberatan_data()
    n = render_documents(year_end=year_end, frames=frames, out_dir=tmp_path, keberatan=keberatan)
    written = sorted(p.stem for p in (tmp_path / "dokumen").iterdir())
    assert n == 3 and written == sorted(_nip(year_end, i) for i in (1, 2, 3))
    # the --dokumen choice still applies: of U01 only its objector (row 2)
    n = render_documents(year_end=year_end, frames=frames, out_dir=tmp_path / "u01", pilihan="unit:U01",
                         keberatan=keberatan)
    assert n == 1 and [p.stem for p in (tmp_path / "u01" / "dokumen").iterdir()] == [_nip(year_end, 2)]
    kosong = type(keberatan)(**{**keberatan.__dict__, "keputusan": keberatan.keputusan.iloc[0:0]})
    assert render_documents(year_end=year_end, frames=frames, out_dir=tmp_path / "nol", keberatan=kosong) == 0


def test_objection_section_accepted_shows_old_and_standing_ratings_and_predikat(tmp_path):
    frames, year_end, keberatan = _keberatan_data()
    render_documents(year_end=year_end, frames=frames, out_dir=tmp_path, keberatan=keberatan)
    nip = _nip(year_end, 2)  # diterima: rating hasil kerja di_bawah -> sesuai, Butuh Perbaikan -> Baik
    html = (tmp_path / "dokumen" / f"{nip}.html").read_text(encoding="utf-8")
    bagian = _bagian(html)
    for text in (
        "<tr><th>Tanggal hasil penilaian diterima</th><td>2027-01-05</td></tr>",
        "<tr><th>Tanggal pengajuan keberatan</th><td>2027-01-12</td></tr>",
        "<tr><th>Alasan keberatan</th><td>Capaian indikator 0 belum dihitung</td></tr>",
        "<tr><th>Keputusan</th><td><strong>Diterima</strong>, tanggal 2027-02-03</td></tr>",
        "<tr><th>Catatan keputusan</th><td>Bukti realisasi diterima</td></tr>",
        "<tr><td>Rating hasil kerja</td><td>Di Bawah Ekspektasi</td><td>Sesuai Ekspektasi</td></tr>",
        "<tr><td>Rating perilaku kerja</td><td>Sesuai Ekspektasi</td><td>Sesuai Ekspektasi</td></tr>",
        "<tr><td>Predikat kinerja</td><td>Butuh Perbaikan</td><td><strong>Baik</strong></td></tr>",
        "Keberatan diterima: rating yang diputuskan menggantikan rating semula",
        # the decider: U02's head, by name and NIP
        "<tr><td>Atasan Pejabat Penilai Kinerja</td></tr>",
        "<tr><td>Kepala U02</td></tr>",
        f"<tr><td>NIP {keberatan.keputusan.set_index('nip').loc[nip, 'nip_pemutus']}</td></tr>",
        "<tr><td>Diputuskan tanggal 2027-02-03</td></tr>",
    ):
        assert text in bagian, text
    assert "Pejabat Pembina Kepegawaian" not in html
    # the predikat that stands is the one shown as final; the curve's is no longer in bold
    assert ("<tr><th>Predikat kinerja akhir (kurva distribusi)</th><td>Butuh Perbaikan</td></tr>\n"
            "<tr><th>Predikat ditetapkan setelah keberatan</th><td><strong>Baik</strong></td></tr>") in html
    assert "<strong>Butuh Perbaikan</strong>" not in html


def test_objection_section_rejected_and_decided_by_the_pejabat_pembina(tmp_path):
    frames, year_end, keberatan = _keberatan_data()
    render_documents(year_end=year_end, frames=frames, out_dir=tmp_path, keberatan=keberatan)
    ditolak = _bagian((tmp_path / "dokumen" / f"{_nip(year_end, 1)}.html").read_text(encoding="utf-8"))
    assert "<strong>Ditolak</strong>, tanggal 2027-02-04" in ditolak
    assert "<tr><th>Catatan keputusan</th><td>—</td></tr>" in ditolak  # no note
    assert "Keberatan ditolak: hasil penilaian tetap." in ditolak and "Keberatan diterima" not in ditolak
    assert "<tr><td>Predikat kinerja</td><td>Baik</td><td><strong>Baik</strong></td></tr>" in ditolak
    assert "<tr><td>Kepala U01</td></tr>" in ditolak
    ppk = _bagian((tmp_path / "dokumen" / f"{_nip(year_end, 3)}.html").read_text(encoding="utf-8"))
    ttd = ppk[ppk.index('<table class="ttd">'):]
    assert "<tr><td>Pejabat Pembina Kepegawaian</td></tr>" in ttd
    assert "Atasan Pejabat Penilai Kinerja" not in ttd and "NIP" not in ttd  # outside the data: no NIP
    perilaku = "<tr><td>Rating perilaku kerja</td><td>Sesuai Ekspektasi</td><td>Di Atas Ekspektasi</td></tr>"
    assert perilaku in ppk


def test_objection_decider_name_looked_up_when_the_result_has_none(tmp_path):
    frames, year_end, keberatan = _keberatan_data()
    keputusan = keberatan.keputusan.drop(columns=["nama_pemutus"])
    tanpa_nama = type(keberatan)(**{**keberatan.__dict__, "keputusan": keputusan})
    render_documents(year_end=year_end, frames=frames, out_dir=tmp_path, keberatan=tanpa_nama)
    html = (tmp_path / "dokumen" / f"{_nip(year_end, 2)}.html").read_text(encoding="utf-8")
    assert "<tr><td>Kepala U02</td></tr>" in _bagian(html)
    dua_kali = pd.concat([keberatan.keputusan, keberatan.keputusan.iloc[[0]]], ignore_index=True)
    with pytest.raises(ValueError):
        render_documents(year_end=year_end, frames=frames, out_dir=tmp_path / "x",
                         keberatan=type(keberatan)(**{**keberatan.__dict__, "keputusan": dua_kali}))


def test_objection_section_is_the_only_change_to_the_document(tmp_path):
    """Without keberatan nothing of it shows; with it, taking the section out gives the same bytes."""
    frames, year_end, keberatan = _keberatan_data()
    render_documents(year_end=year_end, frames=frames, out_dir=tmp_path / "tanpa")
    render_documents(year_end=year_end, frames=frames, out_dir=tmp_path / "none", keberatan=None)
    render_documents(year_end=year_end, frames=frames, out_dir=tmp_path / "dengan", keberatan=keberatan)
    for path in (tmp_path / "tanpa" / "dokumen").iterdir():
        html = path.read_text(encoding="utf-8")
        assert "Keberatan" not in html and "keberatan" not in html and "Pejabat Pembina" not in html
        assert (tmp_path / "none" / "dokumen" / path.name).read_bytes() == path.read_bytes()
    for path in (tmp_path / "dengan" / "dokumen").iterdir():
        dengan = path.read_text(encoding="utf-8")
        tanpa = (tmp_path / "tanpa" / "dokumen" / path.name).read_text(encoding="utf-8")
        dengan = dengan.replace(_bagian(dengan), "")
        dengan = re.sub(r"<td>([^<]*)</td></tr>\n<tr><th>Predikat ditetapkan setelah keberatan</th>"
                        r"<td><strong>[^<]*</strong></td></tr>", r"<td><strong>\1</strong></td></tr>", dengan)
        assert dengan == tanpa, path.name


def test_objection_section_escapes_every_field(tmp_path):
    frames = make_frames(6, teks=XSS)
    year_end = make_year_end(frames, teks=XSS)
    keberatan = make_keberatan(year_end, frames, teks=XSS)
    render_documents(year_end=year_end, frames=frames, out_dir=tmp_path, keberatan=keberatan)
    html = (tmp_path / "dokumen" / f"{_nip(year_end, 2)}.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    bagian = _bagian(html)
    assert f"Capaian indikator 0 belum dihitung{ESCAPED}" in bagian  # alasan
    assert f"Bukti realisasi diterima{ESCAPED}" in bagian  # catatan keputusan
    assert f"Kepala U02{ESCAPED}" in bagian  # decider's name
