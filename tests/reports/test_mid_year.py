"""The mid-year monitoring page: indicator status, at-risk staff per supervisor, IKM trend."""

from __future__ import annotations

import pandas as pd

from reports.mid_year import render_mid_year_reports


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


def test_an_at_risk_instansi_head_is_shown_as_having_no_supervisor(tmp_path, data):
    frames, _, _, mid_year = data
    head = frames["pegawai"][frames["pegawai"]["nip_atasan"].isna()].iloc[0]
    row = mid_year.berisiko.iloc[:1].assign(nip_atasan=pd.NA, nip=head["nip"], nama=head["nama"],
                                            kode_unit=head["kode_unit"])
    mid_year.berisiko = pd.concat([row, mid_year.berisiko], ignore_index=True)

    paths = render_mid_year_reports(mid_year=mid_year, frames=frames, out_dir=tmp_path)

    page = (tmp_path / f"pemantauan_{head['kode_unit']}.html").read_text(encoding="utf-8")
    assert page and tmp_path / f"pemantauan_{head['kode_unit']}.html" in paths
    assert "Atasan: tidak ada (kepala instansi)" in page and "NIP —" not in page
    assert head["nama"] in page
