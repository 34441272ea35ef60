"""Plan quality on a tiny hand-made region: completeness per unit and the relational findings."""

from __future__ import annotations

import pandas as pd

from penilaian.plan import completeness_by_unit, employees_without_utama, relational_findings
from tests.penilaian.input_frames import frame
from tests.penilaian.year_end_inputs import ind, nip, peg, real, unit


def _region(realisasi=True):
    """U1: 1 heads it, 2 and 3 report to 1. U2: 4 reports to 1, so heads U2. U3 has no staff.

    SKP: A1 (1, utama), A2 (2, utama, cascaded from A1), A3 (2, tambahan), A4 (3, utama, not
    cascaded), A5 (4, utama; a head needs no cascade). Realisasi for A1, A2 and A5.
    """
    skp = [ind("A1", 1), {**ind("A2", 2), "id_indikator_atasan": "A1"}, ind("A3", 2, jenis="tambahan"),
           ind("A4", 3), ind("A5", 4)]
    data = {
        "unit_kerja": frame("unit_kerja", [unit("U1"), unit("U2"), unit("U3")]),
        "pegawai": frame("pegawai", [peg(1, "U1"), peg(2, "U1", atasan=1), peg(3, "U1", atasan=1),
                                     peg(4, "U2", atasan=1)]),
        "skp": frame("skp", skp),
    }
    if realisasi:
        data["realisasi"] = frame("realisasi", [real("A1", 6, 1.0), real("A2", 6, 1.0), real("A5", 6, 1.0)])
    return data


def test_completeness_by_unit_by_hand():
    got = completeness_by_unit(_region()).set_index("kode_unit")
    # U1: 3 staff, all with an utama indicator; 4 indicators; A2 and A4 must cascade (2, 3 are not
    # heads), only A2 does; A1 and A2 realised. Needed 3 + 2 = 5, done 3 + 1 = 4 -> 80%.
    assert got.loc["U1"].drop("nama_unit").tolist() == [3, 3, 4, 2, 1, 2, 80.0]
    # U2: its head 4 with A5 (no cascade needed) -> 1 + 0 needed, 1 done -> 100%.
    assert got.loc["U2"].drop("nama_unit").tolist() == [1, 1, 1, 0, 0, 1, 100.0]
    # U3: nothing needed -> 100%.
    assert got.loc["U3"].drop("nama_unit").tolist() == [0, 0, 0, 0, 0, 0, 100.0]
    assert list(got.columns) == [
        "nama_unit", "pegawai", "pegawai_dengan_utama", "indikator", "indikator_perlu_kaskade",
        "indikator_kaskade", "indikator_dengan_realisasi", "persen_lengkap"]


def test_completeness_without_realisasi_counts_none_realised():
    got = completeness_by_unit(_region(realisasi=False)).set_index("kode_unit")
    assert got["indikator_dengan_realisasi"].tolist() == [0, 0, 0]
    assert got.loc["U1", "persen_lengkap"] == 80.0


def test_completeness_rounds_the_share_to_two_decimals():
    data = _region()
    # Employee 3 loses its only indicator (A4): U1 needs 3 staff + 1 cascade (A2) = 4, done 2 + 1 = 3
    # -> 75%.
    data["skp"] = data["skp"].loc[data["skp"]["id_indikator"] != "A4"]
    assert completeness_by_unit(data).set_index("kode_unit").loc["U1", "persen_lengkap"] == 75.0
    extra = [peg(i, "U1", atasan=1) for i in (5, 6, 7)]
    data["pegawai"] = frame("pegawai", [peg(1, "U1"), peg(2, "U1", atasan=1), peg(3, "U1", atasan=1),
                                        peg(4, "U2", atasan=1), *extra])
    # U1: 6 staff + 1 cascade needed = 7, done 2 + 1 = 3 -> 42.857.. -> 42.86.
    assert completeness_by_unit(data).set_index("kode_unit").loc["U1", "persen_lengkap"] == 42.86


def test_employees_without_utama():
    data = _region()
    data["pegawai"] = frame("pegawai", [peg(1, "U1"), peg(2, "U1", atasan=1), peg(5, "U1", atasan=1)])
    data["skp"] = frame("skp", [ind("A1", 1, jenis="tambahan"), ind("A2", 2)])
    got = employees_without_utama(data["pegawai"], data["skp"])
    # 1 has only a tambahan indicator (line 2); 5 has none (line 4).
    assert got.values.tolist() == [[nip(1), "Pegawai 1", "U1", 2], [nip(5), "Pegawai 5", "U1", 4]]


def _karantina(rows):
    return pd.DataFrame(rows, columns=["berkas", "baris", "kolom", "nilai", "kode_aturan"])


def test_relational_findings_group_quarantine_rows_by_check():
    karantina = _karantina([
        ("pegawai.csv", 3, "kode_unit", "U9", "UNIT_TIDAK_ADA"),
        ("pegawai.csv", 4, "nip_atasan", "", "ATASAN_KOSONG"),
        ("pegawai.csv", 5, "nip_atasan", "x", "ATASAN_TIDAK_ADA"),
        ("skp.csv", 2, "id_indikator_atasan", "", "KASKADE_WAJIB"),
        ("skp.csv", 3, "target", "-1", "TARGET"),  # a value rule, not a relational check
        ("realisasi.csv", 2, "id_indikator", "Z", "UNIT_TIDAK_ADA"),  # another file: not counted
    ])
    found = relational_findings(karantina, {"pegawai": 10, "skp": 20})
    assert [(f["kode"], len(f["rows"]), f["diperiksa"]) for f in found] == [
        ("pegawai.unit.ada", 1, 10),
        ("pegawai.atasan.ada", 2, 10),
        ("pegawai.atasan.instansi", 0, 10),
        ("pegawai.atasan.siklus", 0, 10),
        ("skp.kaskade", 1, 20),
        ("skp.pegawai.ada", 0, 20),
    ]
    assert found[1]["rows"]["baris"].tolist() == [4, 5]
    assert found[0]["berkas"] == "pegawai.csv" and found[0]["deskripsi"]


def test_relational_findings_skip_files_not_read():
    found = relational_findings(_karantina([]), {"pegawai": 4})
    assert [f["kode"] for f in found] == [
        "pegawai.unit.ada", "pegawai.atasan.ada", "pegawai.atasan.instansi", "pegawai.atasan.siklus"]
