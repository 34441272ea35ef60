"""The unit summary: curve, capaian spread, calibration moves, bias, unscored staff and training."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from penilaian.kurva import URUTAN_PERINGKAT, kalibrasi_kurva, peringkat_unit
from penilaian.ruleset import load_ruleset
from reports.unit_summaries import render_unit_summaries
from tests.penilaian.year_end_inputs import DIPINDAH_16, UNIT_KURVA_16
from tests.reports.fakes import make_frames, make_year_end


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

