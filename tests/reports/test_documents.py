"""The Dokumen Evaluasi Kinerja: one page per scored employee, its content, the --dokumen choice."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from penilaian.angka_kredit import convert_angka_kredit
from penilaian.ruleset import load_ruleset
from reports.documents import render_documents
from tests.reports.fakes import (
    ESCAPED,
    OFFICIALS,
    XSS,
    make_angka_kredit,
    make_frames,
    make_keberatan,
    make_year_end,
)


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


# --- the angka kredit section (training stage) ---

AK = "<h2>Konversi Predikat Kinerja ke Angka Kredit</h2>"


def _ak_bagian(html: str) -> str:
    """The angka kredit section: from its heading to the next one."""
    return html[html.index(AK):html.index("<h2>Umpan Balik Berkelanjutan</h2>")]


def _dokumen(path, nip: str) -> str:
    return (path / "dokumen" / f"{nip}.html").read_text(encoding="utf-8")


def test_fake_conversion_is_what_convert_angka_kredit_computes():
    """The reports are tested on make_angka_kredit: it must be the real result for OFFICIALS' rows."""
    frames = make_frames(6)
    year_end = make_year_end(frames)
    hasil = year_end.hasil.reset_index(drop=True)
    frames["angka_kredit"] = pd.DataFrame(
        {
            "nip": [hasil["nip"].iloc[o[0]] for o in OFFICIALS],
            **{k: [o[i] for o in OFFICIALS] for i, k in ((1, "jenjang"), (2, "golongan"), (4, "ak_awal"))},
            "bulan": [float(o[3]) for o in OFFICIALS],
        }
    )
    predikat = hasil[["nip", "predikat_final"]].rename(columns={"predikat_final": "predikat_ditetapkan"})
    nyata = convert_angka_kredit(frames, predikat, load_ruleset(), 2026)
    assert nyata.karantina.empty
    pd.testing.assert_frame_equal(nyata.hasil, make_angka_kredit(year_end).hasil, check_dtype=False)


def test_angka_kredit_documents_only_for_the_officials(tmp_path):
    frames = make_frames(6)
    year_end = make_year_end(frames)
    angka_kredit = make_angka_kredit(year_end)
    pejabat = sorted(_nip(year_end, o[0]) for o in OFFICIALS)  # rows 0, 1, 2, 4, 5
    n = render_documents(year_end=year_end, frames=frames, out_dir=tmp_path, angka_kredit=angka_kredit)
    assert n == 5 and sorted(p.stem for p in (tmp_path / "dokumen").iterdir()) == pejabat
    # the --dokumen choice still applies: of U02 its officials (rows 1 and 5)
    n = render_documents(year_end=year_end, frames=frames, out_dir=tmp_path / "u02", pilihan="unit:U02",
                         angka_kredit=angka_kredit)
    assert n == 2 and sorted(p.stem for p in (tmp_path / "u02" / "dokumen").iterdir()) == [
        _nip(year_end, 1), _nip(year_end, 5)]
    kosong = type(angka_kredit)(hasil=angka_kredit.hasil.iloc[0:0], karantina=angka_kredit.karantina)
    n = render_documents(year_end=year_end, frames=frames, out_dir=tmp_path / "nol", angka_kredit=kosong)
    assert n == 0
    dua_kali = pd.concat([angka_kredit.hasil, angka_kredit.hasil.iloc[[0]]], ignore_index=True)
    with pytest.raises(ValueError):
        render_documents(year_end=year_end, frames=frames, out_dir=tmp_path / "x",
                         angka_kredit=type(angka_kredit)(hasil=dua_kali, karantina=angka_kredit.karantina))


def test_angka_kredit_section_is_the_pak_konversi_form(tmp_path):
    """Row 2: ahli_pertama III/a, 2 months, Butuh Perbaikan: 2/12 × 75% × 12.5 = 1.5625 on 10 of 50."""
    frames = make_frames(6)
    year_end = make_year_end(frames)
    angka_kredit = make_angka_kredit(year_end)
    render_documents(year_end=year_end, frames=frames, out_dir=tmp_path, angka_kredit=angka_kredit)
    bagian = _ak_bagian(_dokumen(tmp_path, _nip(year_end, 2)))
    for text in (
        "<tr><th>Jenjang jabatan fungsional</th><td>Ahli Pertama</td></tr>",
        "<tr><th>Pangkat / golongan ruang</th><td>Penata Muda, III/a</td></tr>",
        "<tr><th>Masa penilaian</th><td>2 bulan (tahun 2026)</td></tr>",
        '<tr><td>2026</td><td class="angka">2</td><td>Butuh Perbaikan</td><td class="angka">75,00%</td>'
        '<td class="angka">12,50</td><td class="angka">1,56</td></tr>',
        "= 2/12 × 75,00% × 12,50 = <strong>1,56</strong>",
        '<tr><td>Angka kredit awal (PAK terakhir)</td><td class="angka">10,00</td></tr>',
        '<tr><td>Angka kredit konversi tahun 2026</td><td class="angka">1,56</td></tr>',
        '<tr><th>Jumlah angka kredit kumulatif</th><th class="angka">11,56</th></tr>',  # 11.5625
        "<tr><th>Langkah berikutnya</th><td>Kenaikan pangkat ke Penata Muda Tingkat I (III/b)</td></tr>",
        "<tr><th>Angka kredit minimal untuk kenaikan pangkat</th><td>50,00</td></tr>",
        "<tr><th>Memenuhi</th><td><strong>Tidak</strong></td></tr>",
        "<tr><th>Kekurangan angka kredit untuk kenaikan pangkat</th><td>38,44</td></tr>",  # 38.4375
    ):
        assert text in bagian, text
    assert "uji kompetensi" not in bagian
    sampai = _ak_bagian(_dokumen(tmp_path, _nip(year_end, 0)))  # 40 + 12.5 reaches 50
    assert "<tr><th>Memenuhi</th><td><strong>Ya</strong></td></tr>" in sampai
    assert "<tr><th>Kekurangan angka kredit untuk kenaikan pangkat</th><td>0,00</td></tr>" in sampai
    assert '<tr><th>Jumlah angka kredit kumulatif</th><th class="angka">52,50</th></tr>' in sampai


def test_angka_kredit_jenjang_step_names_the_next_jenjang_and_the_competency_test(tmp_path):
    frames = make_frames(6)
    year_end = make_year_end(frames)
    angka_kredit = make_angka_kredit(year_end)
    render_documents(year_end=year_end, frames=frames, out_dir=tmp_path, angka_kredit=angka_kredit)
    muda = _ak_bagian(_dokumen(tmp_path, _nip(year_end, 1)))  # ahli_muda III/d: 180 + 25 of 200
    assert ("<tr><th>Langkah berikutnya</th><td>Kenaikan jenjang ke Ahli Madya, pangkat Pembina (IV/a), "
            "dan uji kompetensi</td></tr>") in muda
    assert "<tr><th>Angka kredit minimal untuk kenaikan jenjang</th><td>200,00</td></tr>" in muda
    assert "<tr><th>Memenuhi</th><td><strong>Ya</strong></td></tr>" in muda
    assert "memerlukan angka kredit kumulatif paling sedikit sebesar angka kredit minimal dan lulus uji " \
           "kompetensi" in muda
    terampil = _ak_bagian(_dokumen(tmp_path, _nip(year_end, 5)))  # terampil II/d: 50 + 5 of 60
    assert "Kenaikan jenjang ke Mahir, pangkat Penata Muda (III/a), dan uji kompetensi" in terampil
    assert "<tr><th>Pangkat / golongan ruang</th><td>Pengatur Tingkat I, II/d</td></tr>" in terampil
    assert "<tr><th>Kekurangan angka kredit untuk kenaikan jenjang</th><td>5,00</td></tr>" in terampil
    assert "<tr><th>Memenuhi</th><td><strong>Tidak</strong></td></tr>" in terampil


def test_angka_kredit_at_the_top_has_no_threshold(tmp_path):
    frames = make_frames(6)
    year_end = make_year_end(frames)
    angka_kredit = make_angka_kredit(year_end)
    render_documents(year_end=year_end, frames=frames, out_dir=tmp_path, angka_kredit=angka_kredit)
    puncak = _ak_bagian(_dokumen(tmp_path, _nip(year_end, 4)))  # ahli_utama IV/e, Sangat Baik: 300 + 75
    assert ("<tr><th>Langkah berikutnya</th><td>Puncak jenjang: tidak ada kenaikan pangkat atau jenjang "
            "berikutnya</td></tr>") in puncak
    for text in (
        "<tr><th>Angka kredit minimal</th><td>—</td></tr>",
        "<tr><th>Memenuhi</th><td>—</td></tr>",
        "<tr><th>Kekurangan angka kredit</th><td>—</td></tr>",
        '<td>Sangat Baik</td><td class="angka">150,00%</td><td class="angka">50,00</td>'
        '<td class="angka">75,00</td>',
        '<tr><th>Jumlah angka kredit kumulatif</th><th class="angka">375,00</th></tr>',
        "<tr><th>Pangkat / golongan ruang</th><td>Pembina Utama, IV/e</td></tr>",
    ):
        assert text in puncak, text
    assert "Tidak" not in puncak and "uji kompetensi" not in puncak and "Kenaikan" not in puncak


def test_angka_kredit_section_is_the_only_change_to_the_document(tmp_path):
    """Without angka_kredit nothing of it shows; with it, taking the section out gives the same bytes."""
    frames = make_frames(6)
    year_end = make_year_end(frames)
    angka_kredit = make_angka_kredit(year_end)
    render_documents(year_end=year_end, frames=frames, out_dir=tmp_path / "tanpa")
    render_documents(year_end=year_end, frames=frames, out_dir=tmp_path / "none", angka_kredit=None)
    render_documents(year_end=year_end, frames=frames, out_dir=tmp_path / "dengan", angka_kredit=angka_kredit)
    for path in (tmp_path / "tanpa" / "dokumen").iterdir():
        assert "ngka kredit" not in path.read_text(encoding="utf-8")
        assert (tmp_path / "none" / "dokumen" / path.name).read_bytes() == path.read_bytes()
    dengan = sorted((tmp_path / "dengan" / "dokumen").iterdir())
    assert len(dengan) == 5
    for path in dengan:
        html = path.read_text(encoding="utf-8")
        assert html.count(AK) == 1
        assert html.replace(_ak_bagian(html), "") == _dokumen(tmp_path / "tanpa", path.stem), path.name


def test_angka_kredit_with_objections_has_both_sections(tmp_path):
    """The training stage passes both: the officials' documents keep their Keberatan section, the AK uses
    the predikat that stands, and an objector who is no official is not written again."""
    frames, year_end, keberatan = _keberatan_data()
    angka_kredit = make_angka_kredit(year_end, keberatan)
    n = render_documents(year_end=year_end, frames=frames, out_dir=tmp_path / "dua", keberatan=keberatan,
                         angka_kredit=angka_kredit)
    assert n == 5 and not (tmp_path / "dua" / "dokumen" / f"{_nip(year_end, 3)}.html").exists()
    render_documents(year_end=year_end, frames=frames, out_dir=tmp_path / "kb", keberatan=keberatan)
    render_documents(year_end=year_end, frames=frames, out_dir=tmp_path / "ak", angka_kredit=angka_kredit)
    for baris in (1, 2):  # objected and official
        html = _dokumen(tmp_path / "dua", _nip(year_end, baris))
        assert html.index("<h2>Keberatan</h2>") < html.index(AK)
        assert _ak_bagian(html) == _ak_bagian(_dokumen(tmp_path / "ak", _nip(year_end, baris)))
        assert html.replace(_ak_bagian(html), "") == _dokumen(tmp_path / "kb", _nip(year_end, baris))
    # row 2's objection was accepted: Butuh Perbaikan -> Baik, so 2/12 × 100% × 12.5
    assert "= 2/12 × 100,00% × 12,50 = <strong>2,08</strong>" in _dokumen(tmp_path / "dua", _nip(year_end, 2))
    for baris in (0, 4, 5):  # officials without an objection: the AK section only
        html = _dokumen(tmp_path / "dua", _nip(year_end, baris))
        assert "<h2>Keberatan</h2>" not in html and html == _dokumen(tmp_path / "ak", _nip(year_end, baris))


def test_angka_kredit_section_escapes_its_fields(tmp_path):
    frames = make_frames(6)
    year_end = make_year_end(frames)
    angka_kredit = make_angka_kredit(year_end)
    hasil = angka_kredit.hasil.assign(jenjang=XSS, golongan=XSS, predikat_ditetapkan=XSS)
    render_documents(year_end=year_end, frames=frames, out_dir=tmp_path,
                     angka_kredit=type(angka_kredit)(hasil=hasil, karantina=angka_kredit.karantina))
    html = _dokumen(tmp_path, _nip(year_end, 1))
    assert "<script" not in html.lower()
    bagian = _ak_bagian(html)
    assert f"<tr><th>Jenjang jabatan fungsional</th><td>{ESCAPED}</td></tr>" in bagian  # unknown: as it is
    assert f"<tr><th>Pangkat / golongan ruang</th><td>{ESCAPED}</td></tr>" in bagian
    assert f"<td>{ESCAPED}</td>" in bagian.split("<tbody>")[1]  # the predikat
