"""The unit training plans: one CSV per unit, written by the contract's one CSV writer."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from reports.training_plans import write_training_plans


def test_write_training_plans_csv(tmp_path, data):
    _, _, training, _ = data
    paths = write_training_plans(training, tmp_path)
    assert [p.name for p in paths] == ["rencana_pelatihan_U01.csv", "rencana_pelatihan_U02.csv"]
    assert paths[0].read_text(encoding="utf-8") == (
        "kode_pelatihan,nama_pelatihan,kompetensi,jumlah_pegawai,total_jp\n"
        "PLT-01,Pelayanan Prima,berorientasi_pelayanan,3,72.00\n"
        "PLT-02,Analisis Data,analisis_data,1,12.50\n"
    )


def test_training_plans_quote_what_needs_quoting_and_keep_each_units_rows_in_order(tmp_path):
    rencana = pd.DataFrame(
        {
            "kode_unit": ["U2", "U1", "U2"],
            "kode_pelatihan": ["P1", "P2", "P3"],
            "nama_pelatihan": ['Etika, "Integritas"', "Excel", None],
            "kompetensi": ["akuntabel", "analisis_data", "loyal"],
            "jumlah_pegawai": [2, None, 1],
            "total_jp": [24.005, 8, None],
        }
    )
    paths = write_training_plans(SimpleNamespace(rencana_unit=rencana), tmp_path / "baru")
    assert [p.name for p in paths] == ["rencana_pelatihan_U1.csv", "rencana_pelatihan_U2.csv"]
    kepala = b"kode_pelatihan,nama_pelatihan,kompetensi,jumlah_pegawai,total_jp\n"
    assert paths[0].read_bytes() == kepala + b"P2,Excel,analisis_data,0,8.00\n"
    assert paths[1].read_bytes() == kepala + b'P1,"Etika, ""Integritas""",akuntabel,2,24.01\nP3,,loyal,1,\n'
    assert not list((tmp_path / "baru").glob("*.tmp"))


def test_no_plan_rows_no_files_and_a_bad_unit_code_writes_nothing(tmp_path):
    assert write_training_plans(SimpleNamespace(rencana_unit=None), tmp_path) == []
    buruk = pd.DataFrame({"kode_unit": ["U1", "../x"], "kode_pelatihan": ["P1", "P2"]})
    with pytest.raises(ValueError):
        write_training_plans(SimpleNamespace(rencana_unit=buruk), tmp_path / "x")
    assert not (tmp_path / "x").exists()
