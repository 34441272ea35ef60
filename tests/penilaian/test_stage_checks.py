"""A stage's own gate checks on tiny hand-made frames; every flagged row is worked out by hand."""

from __future__ import annotations

import pandas as pd

from penilaian.stage_checks import (
    held_back_staff,
    realisation_coverage,
    supervisor_rating_coverage,
    units_without_predikat,
    unscored_by_instansi,
    unscored_quarantine,
)
from tests.penilaian.input_frames import frame
from tests.penilaian.year_end_inputs import ind, nip, peg, rate, real, unit


def test_realisation_coverage_up_to_the_cut_off():
    data = {
        "skp": frame("skp", [ind("A1", 1), ind("A2", 1), ind("A3", 2)]),  # lines 2, 3, 4
        "realisasi": frame("realisasi", [real("A1", 3, 1.0), real("A2", 7, 1.0)]),
    }
    # June: A2 is only realised in July, A3 never -> lines 3 and 4 of 3 indicators.
    rows, checked = realisation_coverage(data, 6)
    assert checked == 3
    assert rows.values.tolist() == [
        [3, "id_indikator", "A2", "belum ada realisasi s.d. bulan 6"],
        [4, "id_indikator", "A3", "belum ada realisasi s.d. bulan 6"],
    ]
    # December: only A3.
    assert realisation_coverage(data, 12)[0]["nilai"].tolist() == ["A3"]


def _staff(perilaku):
    """1 has no supervisor; 2 and 3 report to 1; 4 reports to 2 (lines 2..5)."""
    pegawai = [peg(1, "U1"), peg(2, "U1", atasan=1), peg(3, "U1", atasan=1), peg(4, "U1", atasan=2)]
    data = {"pegawai": frame("pegawai", pegawai)}
    if perilaku is not None:
        data["perilaku"] = frame("perilaku", perilaku)
    return data


def test_supervisor_rating_coverage_per_semester_and_year():
    # 2 rated by its supervisor 1 in S1; 3 rated only by a peer (4) in S1; 4 rated by 2 in S2.
    data = _staff([rate(2, 1, 1, 3), rate(3, 4, 1, 3), rate(4, 2, 2, 3)])
    rows, checked = supervisor_rating_coverage(data, 1)
    assert checked == 3  # employees with a supervisor: 2, 3, 4
    assert rows.values.tolist() == [
        [4, "nip", nip(3), "belum ada penilaian perilaku oleh atasan (S1)"],
        [5, "nip", nip(4), "belum ada penilaian perilaku oleh atasan (S1)"],
    ]
    rows, checked = supervisor_rating_coverage(data, None)
    assert checked == 3
    assert rows.values.tolist() == [
        [4, "nip", nip(3), "belum ada penilaian perilaku oleh atasan (tahun ini)"]]


def test_supervisor_rating_coverage_without_ratings():
    for data in (_staff(None), _staff([])):
        rows, checked = supervisor_rating_coverage(data, 2)
        assert checked == 3 and rows["nilai"].tolist() == [nip(2), nip(3), nip(4)]


def test_units_without_predikat_only_counts_staffed_units():
    data = {
        # U1 staffed with a predikat; U2 staffed without (line 3); U3 without but nobody works there.
        "unit_kerja": frame("unit_kerja", [unit("U1", "Baik"), unit("U2", None), unit("U3", None)]),
        "pegawai": frame("pegawai", [peg(1, "U1"), peg(2, "U2", atasan=1)]),
    }
    rows, checked = units_without_predikat(data)
    assert checked == 2
    assert rows.values.tolist() == [[3, "kode_unit", "U2", "predikat_organisasi kosong"]]


def _unscored_case():
    """I1: U1 with 1 and 2; I2: U2 with 3; I3: U3 with 4. 2 fails both rules, 3 one, 4 none."""
    data = {
        "unit_kerja": frame("unit_kerja", [unit("U1", instansi="I1"), unit("U2", instansi="I2"),
                                           unit("U3", instansi="I3")]),
        "pegawai": frame("pegawai", [peg(1, "U1"), peg(2, "U1", atasan=1), peg(3, "U2", atasan=1),
                                     peg(4, "U3", atasan=1)]),
    }
    tidak_dinilai = pd.DataFrame({
        "nip": [nip(2), nip(2), nip(3)],
        "kode_aturan": ["penilaian.tanpa_indikator_utama", "penilaian.tanpa_penilaian_perilaku",
                        "penilaian.tanpa_penilaian_perilaku"],
        "alasan": ["tanpa utama", "tanpa perilaku", "tanpa perilaku"],
        "reason": ["no utama", "no rating", "no rating"],
    })
    return data, tidak_dinilai


def test_unscored_by_instansi_counts_employees_once():
    data, tidak_dinilai = _unscored_case()
    got = unscored_by_instansi(data, tidak_dinilai)
    assert [(kode, len(rows), total) for kode, rows, total in got] == [
        ("I1", 1, 2), ("I2", 1, 1), ("I3", 0, 1)]
    # 2 (line 3) once, with its first reason.
    assert got[0][1].values.tolist() == [[3, "nip", nip(2), "tanpa utama"]]
    assert got[1][1].values.tolist() == [[4, "nip", nip(3), "tanpa perilaku"]]


def test_unscored_quarantine_one_row_per_failing_rule():
    data, tidak_dinilai = _unscored_case()
    got = unscored_quarantine(data, tidak_dinilai)
    assert list(got.columns) == ["berkas", "baris", "kolom", "nilai", "kode_aturan", "alasan", "reason"]
    assert got[["berkas", "baris", "nilai", "kode_aturan"]].values.tolist() == [
        ["pegawai.csv", 3, nip(2), "penilaian.tanpa_indikator_utama"],
        ["pegawai.csv", 3, nip(2), "penilaian.tanpa_penilaian_perilaku"],
        ["pegawai.csv", 4, nip(3), "penilaian.tanpa_penilaian_perilaku"],
    ]
    assert got["reason"].tolist() == ["no utama", "no rating", "no rating"]


def _held_back_case():
    """Raw rows: U1 (line 2, fine), U2 (line 3, predikat blank, quarantined), U3 (line 4, quarantined for
    another rule, instansi I2); staff 2 and 3 (lines 3, 4) in U2, staff 4 (line 5) in U3."""
    raw = {
        "unit_kerja": pd.DataFrame({"kode_unit": ["U1", "U2", "U3"], "kode_instansi": ["I1", "I1", "I2"],
                                    "predikat_organisasi": ["Baik", "", "Baik"], "_baris": [2, 3, 4]}),
        "pegawai": pd.DataFrame({"nip": [nip(1), nip(2), nip(3), nip(4)],
                                 "kode_unit": ["U1", "U2", "U2", "U3"], "_baris": [2, 3, 4, 5]}),
    }
    karantina = pd.DataFrame({
        "berkas": ["unit_kerja.csv", "unit_kerja.csv", "pegawai.csv", "pegawai.csv", "pegawai.csv",
                   "skp.csv"],
        "baris": [3, 4, 3, 4, 5, 9],
        "kolom": ["predikat_organisasi", "kode_unit", "kode_unit", "kode_unit", "kode_unit", "nip"],
        "nilai": ["", "U3", "U2", "U2", "U3", nip(2)],
        "kode_aturan": ["PREDIKAT_ORGANISASI", "UNIT_GANDA", "INDUK_DIKARANTINA", "INDUK_DIKARANTINA",
                        "INDUK_DIKARANTINA", "INDUK_DIKARANTINA"],
    })
    return raw, karantina


def test_held_back_staff_are_those_set_aside_with_their_unit():
    held = held_back_staff(*_held_back_case())
    # columns: _baris, nip, kode_unit, kode_instansi, baris_unit, tanpa_predikat
    assert held.values.tolist() == [
        [3, nip(2), "U2", "I1", 3, True],
        [4, nip(3), "U2", "I1", 3, True],
        [5, nip(4), "U3", "I2", 4, False],  # U3 went for another rule: its staff cannot be scored either
    ]
    no_rows = pd.DataFrame({"berkas": [], "baris": [], "kolom": [], "kode_aturan": []})
    assert held_back_staff({}, no_rows).empty


def test_a_unit_quarantined_for_its_predikat_is_still_a_staffed_unit_without_one():
    raw, karantina = _held_back_case()
    held = held_back_staff(raw, karantina)
    data = {"unit_kerja": frame("unit_kerja", [unit("U1", "Baik")]),
            "pegawai": frame("pegawai", [peg(1, "U1")])}
    rows, checked = units_without_predikat(data, held)
    assert checked == 2  # U1 and U2; U3 has a predikat and went for another rule
    reason = "predikat_organisasi kosong atau tidak sah: unit dikarantina bersama 2 pegawainya"
    assert rows.values.tolist() == [[3, "kode_unit", "U2", reason]]


def test_staff_set_aside_with_their_unit_count_as_not_scored_in_their_instansi():
    raw, karantina = _held_back_case()
    held = held_back_staff(raw, karantina)
    data = {"unit_kerja": frame("unit_kerja", [unit("U1", instansi="I1")]),
            "pegawai": frame("pegawai", [peg(1, "U1")])}
    nobody = pd.DataFrame({"nip": pd.Series(dtype="str"), "alasan": pd.Series(dtype="str")})
    got = unscored_by_instansi(data, nobody, held)
    # I1: 1 scored + 2 set aside; I2 has no valid unit left but its set-aside employee still counts.
    assert [(kode, len(rows), total) for kode, rows, total in got] == [("I1", 2, 3), ("I2", 1, 1)]
    assert got[0][1].values.tolist() == [[3, "nip", nip(2), "unit U2 dikarantina"],
                                        [4, "nip", nip(3), "unit U2 dikarantina"]]
