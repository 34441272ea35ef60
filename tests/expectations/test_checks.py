"""Checks beside the GX suites: row presence, quarantine shares, cross-file relations."""

from __future__ import annotations

import pandas as pd
import pytest

from expectations.checks import quarantine_checks, relational_check, rows_present_check
from tests.expectations.raw import NIP_B, NIP_C, by_kode


def karantina(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        columns=["berkas", "baris", "kolom", "nilai", "kode_aturan", "alasan", "reason", "tahap"],
    )


def test_quarantine_share_check():
    q = karantina(
        [
            ("pegawai.csv", 5, "nip", "x", "nip.format", "format salah", "bad format", "validation"),
            ("pegawai.csv", 3, "nip", "y", "nip.format", "format salah", "bad format", "validation"),
            ("pegawai.csv", 5, "email", "z", "email.format", "email salah", "bad email", "validation"),
            ("pegawai.csv", 9, "nama", None, "nama.ada", "nama kosong", "name empty", "validation"),
            ("skp.csv", 2, "target", "0", "target.positif", "target 0", "target 0", "validation"),
        ]
    )
    checks = by_kode(
        quarantine_checks(q, {"pegawai": 10, "skp.csv": 10, "realisasi": 4}, maks_karantina_persen=20)
    )
    peg = checks["pegawai.karantina.porsi"]
    assert not peg.lulus and (peg.diperiksa, peg.gagal) == (10, 3)
    assert peg.sumber == "karantina"
    assert [(c["baris"], c["kolom"]) for c in peg.contoh] == [
        (5, "nip"),
        (5, "email"),
        (3, "nip"),
        (9, "nama"),
    ]
    assert set(peg.contoh[0]) == {"baris", "kolom", "nilai", "kode_aturan", "alasan"}
    assert peg.contoh[3]["nilai"] is None
    assert checks["skp.karantina.porsi"].lulus and checks["skp.karantina.porsi"].gagal == 1
    assert checks["realisasi.karantina.porsi"].lulus
    assert list(checks) == ["pegawai.karantina.porsi", "skp.karantina.porsi", "realisasi.karantina.porsi"]
    # Exactly at the threshold passes: 2 of 10 = 20%.
    dua = quarantine_checks(q[q["baris"] != 9], {"pegawai": 10}, maks_karantina_persen=20)
    assert by_kode(dua)["pegawai.karantina.porsi"].lulus


def test_relational_check():
    gagal = pd.DataFrame({"_baris": [4, 7], "nip": [NIP_B, NIP_C], "alasan": ["atasan tidak ada"] * 2})
    cek = relational_check("pegawai.nip_atasan.ada", "atasan terdaftar", gagal, 20, berkas="pegawai.csv")
    assert not cek.lulus and (cek.gagal, cek.diperiksa) == (2, 20)
    assert cek.sumber == "relasional" and cek.ambang == "tidak boleh ada"
    assert cek.contoh[0] == {"baris": 4, "nip": NIP_B, "alasan": "atasan tidak ada"}
    assert relational_check("x", "d", gagal, 20, ambang_persen=10).lulus
    assert not relational_check("x", "d", gagal, 19, ambang_persen=10).lulus
    info = relational_check("x", "d", gagal, 2, ambang_persen=None)
    assert info.lulus and info.ambang == "hanya dilaporkan"
    assert relational_check("x", "d", gagal.iloc[0:0], 0).lulus


def test_quarantine_checks_with_no_quarantine_frame_and_an_unknown_file():
    checks = by_kode(quarantine_checks(None, {"skp": 4}, maks_karantina_persen=20))
    assert list(checks) == ["skp.karantina.porsi"]
    assert checks["skp.karantina.porsi"].lulus and checks["skp.karantina.porsi"].contoh == []
    q = karantina([("lain.csv", 2, "x", "1", "x.y", "a", "b", "validation")])
    lain = by_kode(quarantine_checks(q, {"skp": 4}, maks_karantina_persen=20))
    assert list(lain) == ["skp.karantina.porsi", "lain.karantina.porsi"]  # known files first
    assert not lain["lain.karantina.porsi"].lulus  # 1 row of 0 counted


@pytest.mark.parametrize(
    ("n", "wajib", "lulus", "deskripsi", "ambang"),
    [
        (None, True, False, "berkas wajib skp.csv tidak ada", "min. 1 baris"),
        (0, True, False, "berkas wajib skp.csv berisi minimal 1 baris", "min. 1 baris"),
        (3, True, True, "berkas wajib skp.csv berisi minimal 1 baris", "min. 1 baris"),
        (0, False, True, "berkas opsional skp.csv boleh kosong", "boleh kosong"),
    ],
)
def test_rows_present_check(n, wajib, lulus, deskripsi, ambang):
    cek = rows_present_check("skp", n, wajib=wajib)
    assert (cek.kode, cek.berkas, cek.sumber) == ("skp.baris.ada", "skp.csv", "tahap")
    assert (cek.lulus, cek.deskripsi, cek.ambang) == (lulus, deskripsi, ambang)
    assert (cek.diperiksa, cek.gagal) == (n or 0, 0)
    bukti = [{"baris": None, "kolom": None, "nilai": None, "alasan": deskripsi}]
    assert cek.contoh == ([] if lulus else bukti)
