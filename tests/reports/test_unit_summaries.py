"""The unit summary: curve, capaian spread, calibration moves, bias, unscored staff and training."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from penilaian.kurva import URUTAN_PERINGKAT, kalibrasi_kurva, peringkat_unit
from penilaian.ruleset import load_ruleset
from reports.unit_summaries import render_unit_summaries
from tests.penilaian.year_end_inputs import DIPINDAH_16, UNIT_KURVA_16
from tests.reports.fakes import (
    ESCAPED,
    XSS,
    make_angka_kredit,
    make_frames,
    make_keberatan,
    make_training,
    make_year_end,
)


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


def test_calibration_rows_name_the_rule_the_count_and_the_rank_among_the_holders(tmp_path):
    """UNIT_KURVA_16 on the fake staff (their NIPs ascend like the hand-made ones): 3 of 14 Baik move."""
    frames = make_frames(16, units=1)
    year_end = make_year_end(frames)
    staf = sorted(year_end.hasil["nip"])
    tangan = {staf[i - 1]: (capaian, nilai, predikat) for i, capaian, nilai, predikat in UNIT_KURVA_16}
    skor = year_end.hasil.drop(columns=["peringkat", "predikat_final", "alasan_kalibrasi"])
    for k, kolom in enumerate(("capaian_hasil_kerja", "nilai_perilaku", "predikat")):
        skor[kolom] = pd.Series([tangan[n][k] for n in skor["nip"]], index=skor.index,
                                dtype="str" if kolom == "predikat" else "float64")
    hasil, kurva, peserta = kalibrasi_kurva(peringkat_unit(skor), frames["unit_kerja"], load_ruleset().kurva)
    dikalibrasi = type(year_end)(**{**year_end.__dict__, "hasil": hasil.sort_values("nip"), "kurva": kurva,
                                    "pindah_kurva": peserta[peserta["dipindah"]]})
    [path] = render_unit_summaries(year_end=dikalibrasi, frames=frames, out_dir=tmp_path)
    html = path.read_text(encoding="utf-8")
    bagian = html[html.index("Perpindahan Predikat karena Kalibrasi"):html.index("Indikasi Bias Penilai")]
    rows = [r.split("</td><td>") for r in re.findall(r"<tr><td>(.*?)</td></tr>", bagian)]
    assert [r[0] for r in rows] == [staf[i - 1] for i in sorted(DIPINDAH_16)]
    aturan = ("Kurva Baik: Baik maks. 70% (11 dari 16): paling banyak 70% pegawai unit yang dinilai boleh "
              "berpredikat Baik; batas = floor(70% × 16) = floor(11.2) = 11 (dibulatkan ke bawah) dari 16 "
              "pegawai; sebelumnya 14 berpredikat Baik, lebih 3 → 3 pemegang berperingkat terendah turun ke "
              "Butuh Perbaikan")
    assert [r[5] for r in rows] == [aturan] * 3
    sisa = "; bertahan: peringkat 1–11; turun ke Butuh Perbaikan: peringkat 12–14"
    assert [r[6] for r in rows] == [
        f"peringkat 12 dari 14 pemegang Baik{sisa} (capaian 90,00; nilai perilaku 3,00)",  # nip 12
        f"peringkat 14 dari 14 pemegang Baik{sisa} (capaian 80,00; nilai perilaku 5,00)",  # nip 13
        f"peringkat 13 dari 14 pemegang Baik{sisa} (capaian 90,00; nilai perilaku —)",  # nip 14
    ]
    assert f"(sama dengan penilaian): {URUTAN_PERINGKAT};" in bagian



# --- objections (objection and training stages) ---

FLAG = "Sebaran predikat yang ditetapkan tidak lagi memenuhi kurva:"


def _ringkasan(tmp_path, *, units: int = 2, training: bool = True, **kwargs):
    """Render with the fake objections; return (year_end, {kode_unit: html})."""
    frames = make_frames(6, units=units)
    year_end = make_year_end(frames)
    keberatan = make_keberatan(year_end, frames, **kwargs)
    paths = render_unit_summaries(year_end=year_end, frames=frames, out_dir=tmp_path, keberatan=keberatan,
                                  training=make_training(year_end) if training else None)
    return year_end, {p.stem.removeprefix("ringkasan_"): p.read_text(encoding="utf-8") for p in paths}


def _bagian(html: str) -> str:
    return html[html.index("<h2>Keberatan</h2>"):html.index("<h2>Indikasi Bias Penilai</h2>")]


def test_unit_summary_lists_the_units_objections_and_counts(tmp_path):
    year_end, html = _ringkasan(tmp_path)
    nip = year_end.hasil["nip"].tolist()
    u02 = _bagian(html["U02"])
    assert "2 keberatan diputus: 1 diterima, 1 ditolak; predikat berubah untuk 1 pegawai." in u02
    rows = re.findall(r"<tr><td>(.*?)</td></tr>", u02)
    assert rows == [
        f"{nip[1]}</td><td>Pegawai 1</td><td>2027-01-13</td><td>Ditolak</td><td>Baik</td><td>Baik",
        f"{nip[3]}</td><td>Pegawai 3</td><td>2027-01-14</td><td>Diterima</td><td>Baik</td><td>Sangat Baik",
    ]
    u01 = _bagian(html["U01"])
    assert "1 keberatan diputus: 1 diterima, 0 ditolak; predikat berubah untuk 1 pegawai." in u01
    assert nip[2] in u01 and nip[1] not in u01 and nip[3] not in u01
    assert "<tr><th>Keberatan diputus</th><td>1</td></tr>" in html["U01"]


def test_unit_flagged_only_where_the_standing_distribution_breaks_the_curve(tmp_path):
    _, html = _ringkasan(tmp_path / "a")  # U02 breaks its curve, U01 meets it
    flag = f"{FLAG} Sangat Baik 2 dari 3 (67%) &gt; maks. 20% (ditandai, tidak dikoreksi)"
    assert html["U02"].count(FLAG) == 1 and flag in _bagian(html["U02"])
    assert 'Keberatan diputus</th><td>2 — <span class="tanda">' in html["U02"]
    assert "masih memenuhi kurva" not in html["U02"]
    assert FLAG not in html["U01"] and 'class="tanda"' not in html["U01"]
    assert "Sebaran predikat yang ditetapkan masih memenuhi kurva unit." in html["U01"]
    _, html = _ringkasan(tmp_path / "b", melanggar=())
    assert not any(FLAG in h or 'class="tanda"' in h for h in html.values())


def test_unit_curve_status_unknown_is_neither_flagged_nor_called_met(tmp_path):
    frames = make_frames(6)
    year_end = make_year_end(frames)
    keberatan = make_keberatan(year_end, frames)
    tanpa = type(keberatan)(**{**keberatan.__dict__, "kurva": keberatan.kurva.assign(memenuhi=pd.NA)})
    for path in render_unit_summaries(year_end=year_end, frames=frames, out_dir=tmp_path, keberatan=tanpa):
        html = path.read_text(encoding="utf-8")
        assert FLAG not in html and "masih memenuhi kurva" not in html and "keberatan diputus:" in html


def test_unit_without_objections_says_so(tmp_path):
    _, html = _ringkasan(tmp_path, units=4)  # the objectors (rows 1-3) are in U02-U04
    assert "Tidak ada keberatan yang diputus untuk unit ini." in _bagian(html["U01"])
    assert "<tr><th>Keberatan diputus</th><td>0</td></tr>" in html["U01"]
    assert all("Tidak ada keberatan" not in html[u] for u in ("U02", "U03", "U04"))


def test_unit_distribution_shows_the_standing_predikat(tmp_path):
    _, html = _ringkasan(tmp_path)
    sel = '<td class="angka">{}</td>'
    baris = "<tr><td>{}</td>" + sel * 6 + "</tr>"
    # U02: Baik 3 before and after the curve; one accepted objection makes it Sangat Baik
    assert baris.format("Sangat Baik", 0, "0,00", 0, "0,00", 1, "33,33") in html["U02"]
    assert baris.format("Baik", 3, "100,00", 3, "100,00", 2, "66,67") in html["U02"]
    # U01: the accepted objection moves Butuh Perbaikan to Baik
    assert baris.format("Butuh Perbaikan", 1, "33,33", 1, "33,33", 0, "0,00") in html["U01"]
    assert '<th class="angka">Setelah<br>keberatan</th>' in html["U01"]
    assert "<title>Sangat Baik — Ditetapkan (keberatan): 1</title>" in html["U02"]


def test_follow_up_lists_show_the_standing_predikat(tmp_path):
    """The lists come from the training result; the predikat shown is the one that stands."""
    year_end, html = _ringkasan(tmp_path)
    nip = year_end.hasil["nip"].iloc[2]  # Butuh Perbaikan (curve) -> Baik (objection accepted)
    tl = html["U01"][html["U01"].index("<h2>Rencana Tindak Lanjut</h2>"):]
    assert "<th>Predikat ditetapkan</th><th>Rencana</th>" in tl
    assert f"<tr><td>{nip}</td><td>Pegawai 2</td><td>Baik</td>" in tl
    penghargaan = html["U01"][html["U01"].index("<h2>Kandidat Penghargaan</h2>"):]
    kepala = "<h2>Kandidat Penghargaan</h2>\n<table>\n<thead><tr><th>NIP</th><th>Nama</th>"
    assert penghargaan.startswith(kepala + "<th>Predikat ditetapkan</th></tr></thead>")


def test_training_lists_with_their_own_predikat_ditetapkan_column(tmp_path, data):
    frames, year_end, training, _ = data
    tl = training.tindak_lanjut.rename(columns={"predikat_final": "predikat_ditetapkan"})
    tl["predikat_ditetapkan"] = "Kurang"
    ditetapkan = type(training)(**{**training.__dict__, "tindak_lanjut": tl})
    html = render_unit_summaries(year_end=year_end, frames=frames, out_dir=tmp_path, training=ditetapkan)[0]
    html = html.read_text(encoding="utf-8")
    assert "<th>Predikat ditetapkan</th><th>Rencana</th>" in html
    assert f"<tr><td>{tl['nip'].iloc[0]}</td><td>{tl['nama'].iloc[0]}</td><td>Kurang</td>" in html


def test_unit_summaries_without_keberatan_are_unchanged(tmp_path, data):
    """Nothing of the objections shows without them; None is the same as leaving it out."""
    frames, year_end, training, _ = data
    tanpa = render_unit_summaries(year_end=year_end, frames=frames, out_dir=tmp_path / "a", training=training)
    none = render_unit_summaries(year_end=year_end, frames=frames, out_dir=tmp_path / "b", training=training,
                                 keberatan=None)
    for a, b in zip(tanpa, none, strict=True):
        html = a.read_text(encoding="utf-8")
        assert a.read_bytes() == b.read_bytes()
        assert "eberatan" not in html and "Predikat ditetapkan" not in html
    assert "<th>Predikat akhir</th><th>Rencana</th>" in tanpa[0].read_text(encoding="utf-8")


def test_unit_summary_objections_escaped(tmp_path):
    frames = make_frames(6, teks=XSS)
    year_end = make_year_end(frames, teks=XSS)
    keberatan = make_keberatan(year_end, frames, teks=XSS)
    paths = render_unit_summaries(year_end=year_end, frames=frames, out_dir=tmp_path, keberatan=keberatan)
    for path in paths:
        html = path.read_text(encoding="utf-8")
        assert "<script" not in html.lower()
        assert f"Pegawai {'1' if path.stem.endswith('U02') else '2'}{ESCAPED}" in _bagian(html)
    assert f"maks. 20%{ESCAPED} (ditandai" in html  # U02's pelanggaran


# --- angka kredit of functional officials (training stage) ---

AK = "<h2>Angka Kredit Jabatan Fungsional</h2>"
META = "<tr><th>Pejabat fungsional memenuhi angka kredit kenaikan</th><td>{}</td></tr>"


def _ak_bagian(html: str) -> str:
    return html[html.index(AK):html.index("<p class=\"catatan\">Aturan penilaian:")]


def _ak_ringkasan(tmp_path, *, units: int = 2, teks: str = "", ubah=None):
    """Render with the fake conversion (OFFICIALS); return (year_end, {kode_unit: html})."""
    frames = make_frames(6, units=units, teks=teks)
    year_end = make_year_end(frames, teks=teks)
    angka_kredit = make_angka_kredit(year_end)
    if ubah is not None:
        angka_kredit = type(angka_kredit)(hasil=ubah(angka_kredit.hasil), karantina=angka_kredit.karantina)
    paths = render_unit_summaries(year_end=year_end, frames=frames, out_dir=tmp_path,
                                  training=make_training(year_end), angka_kredit=angka_kredit)
    return year_end, {p.stem.removeprefix("ringkasan_"): p.read_text(encoding="utf-8") for p in paths}


def _jumlah(bagian: str) -> list[str]:
    return re.findall(r'<tr><td>([^<]*)</td><td class="angka">(\d+)</td></tr>', bagian)


def test_unit_summary_counts_and_lists_the_officials_reaching_a_threshold(tmp_path):
    year_end, html = _ak_ringkasan(tmp_path)
    nip = year_end.hasil["nip"].tolist()
    u01, u02 = _ak_bagian(html["U01"]), _ak_bagian(html["U02"])
    # U01: row 0 reaches its pangkat, row 2 is short, row 4 is at the top
    assert _jumlah(u01) == [
        ("Dengan angka kredit tahun ini", "3"),
        ("Memenuhi angka kredit kenaikan pangkat", "1"),
        ("Memenuhi angka kredit kenaikan jenjang (perlu uji kompetensi)", "0"),
        ("Di puncak jenjang", "1"),
        ("Belum memenuhi", "1"),
    ]
    assert re.findall(r"<tr><td>(\d{18}.*?)</td></tr>", u01) == [
        f"{nip[0]}</td><td>Pegawai 0</td><td>Ahli Pertama</td><td>III/a</td><td class=\"angka\">52,50</td>"
        '<td class="angka">50,00</td><td>Kenaikan pangkat ke Penata Muda Tingkat I (III/b)',
    ]
    # U02: row 1 reaches its jenjang, row 5 is short of it
    assert [n for _, n in _jumlah(u02)] == ["2", "0", "1", "0", "1"]
    assert re.findall(r"<tr><td>(\d{18}.*?)</td></tr>", u02) == [
        f"{nip[1]}</td><td>Pegawai 1</td><td>Ahli Muda</td><td>III/d</td><td class=\"angka\">205,00</td>"
        '<td class="angka">200,00</td><td>Kenaikan jenjang ke Ahli Madya, pangkat Pembina (IV/a), dan uji '
        "kompetensi",
    ]
    assert META.format("1 dari 3") in html["U01"]
    assert META.format("1 dari 2") in html["U02"]
    # after the training sections, before the closing note
    assert html["U01"].index("<h2>Pemenuhan 20 JP") < html["U01"].index(AK)


def test_unit_summary_angka_kredit_of_units_without_officials_or_without_one_reaching(tmp_path):
    _, html = _ak_ringkasan(tmp_path, units=4)  # U01: rows 0, 4; U02: 1, 5; U03: 2; U04: 3 (no official)
    assert "Tidak ada pejabat fungsional dengan angka kredit di unit ini." in _ak_bagian(html["U04"])
    assert META.format("0 dari 0") in html["U04"]
    u03 = _ak_bagian(html["U03"])
    assert "Belum ada pejabat fungsional yang memenuhi angka kredit kenaikan pangkat atau jenjang." in u03
    assert [n for _, n in _jumlah(u03)] == ["1", "0", "0", "0", "1"] and "<th>NIP</th>" not in u03
    assert all("Tidak ada pejabat fungsional" not in html[u] for u in ("U01", "U02", "U03"))


def test_unit_summary_angka_kredit_puncak_never_counts_as_reaching(tmp_path):
    """At the top memenuhi may read either way: it is counted at the top, never as reaching a step."""
    def ubah(h):
        return h.assign(memenuhi="ya")
    year_end, html = _ak_ringkasan(tmp_path, ubah=ubah)
    u01 = _ak_bagian(html["U01"])
    # rows 0 and 2 now both "reach" the pangkat; row 4 stays at the top
    assert [n for _, n in _jumlah(u01)] == ["3", "2", "0", "1", "0"]
    assert year_end.hasil["nip"].iloc[4] not in u01


def test_unit_summary_angka_kredit_unit_and_name_from_pegawai_when_missing(tmp_path):
    def ubah(h):
        return h.assign(kode_unit=pd.NA, nama=pd.NA)
    _, html = _ak_ringkasan(tmp_path, ubah=ubah)
    assert [n for _, n in _jumlah(_ak_bagian(html["U01"]))] == ["3", "1", "0", "1", "1"]
    assert "<td>Pegawai 1</td><td>Ahli Muda</td>" in _ak_bagian(html["U02"])


def test_unit_summaries_without_angka_kredit_are_unchanged(tmp_path, data):
    frames, year_end, training, _ = data
    tanpa = render_unit_summaries(year_end=year_end, frames=frames, out_dir=tmp_path / "a", training=training)
    none = render_unit_summaries(year_end=year_end, frames=frames, out_dir=tmp_path / "b", training=training,
                                 angka_kredit=None)
    dengan = render_unit_summaries(year_end=year_end, frames=frames, out_dir=tmp_path / "c",
                                   training=training, angka_kredit=make_angka_kredit(year_end))
    for a, b, c in zip(tanpa, none, dengan, strict=True):
        html = a.read_text(encoding="utf-8")
        assert a.read_bytes() == b.read_bytes()
        assert "ngka kredit" not in html and "fungsional" not in html
        # with it: the section and the one line at the top are all that differ
        ak = c.read_text(encoding="utf-8")
        ak = ak.replace("\n\n" + _ak_bagian(ak).rstrip("\n"), "")
        ak = re.sub(re.escape(META).replace(r"\{\}", "[^<]*") + "\n", "", ak)
        assert ak == html, a.name


def test_unit_summary_angka_kredit_escaped(tmp_path):
    _, html = _ak_ringkasan(tmp_path, teks=XSS)
    for kode, h in html.items():
        assert "<script" not in h.lower()
        assert f"<td>Pegawai {'0' if kode == 'U01' else '1'}{ESCAPED}</td>" in _ak_bagian(h)
