"""The Dokumen Evaluasi Kinerja: one page per scored employee, its content, the --dokumen choice."""

from __future__ import annotations

import pandas as pd
import pytest

from reports.documents import render_documents


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
