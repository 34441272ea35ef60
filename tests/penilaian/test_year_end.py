"""The whole year-end stage on tiny hand-made frames; every expected value is worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from penilaian.stage_checks import unscored_quarantine
from penilaian.year_end import score_year_end, to_bias_penilai_csv, to_hasil_penilaian_csv, year_end_key
from tests.penilaian.input_frames import frame
from tests.penilaian.year_end_inputs import (
    TAHUN,
    by_nip,
    frames,
    ind,
    nip,
    peg,
    rate,
    real,
    unit,
    year_end_result,
)

# ------------------------------------------------------------------ head of unit


def _kepala_frames(org_u1):
    units = [unit("U0", "Baik"), unit("U1", org_u1)]
    pegawai = [peg(1, "U0"), peg(2, "U1", atasan=1), peg(3, "U1", atasan=2)]
    # Employees 2 and 3 both have one utama indicator at 50% -> di_bawah computed.
    skp = [ind("K2", 2), ind("K3", 3), ind("K1", 1)]
    realisasi = [real("K2", 12, 50.0), real("K3", 12, 50.0), real("K1", 12, 100.0)]
    perilaku = [rate(2, 1, 1, 3), rate(3, 2, 1, 3)]
    rating = [{"nip": nip(1), "rating_perilaku": "sesuai", "alasan": "kepala instansi"}]
    return frames(units, pegawai, skp, realisasi, perilaku, rating)


def test_head_of_unit_takes_organisation_rating(ruleset):
    res = score_year_end(_kepala_frames("Istimewa"), ruleset, TAHUN)
    head, staff = by_nip(res.hasil, 2), by_nip(res.hasil, 3)
    # Head of U1 (Istimewa) -> di_atas although its indicator is di_bawah; 3.0 -> sesuai; Baik.
    assert bool(head["kepala_unit"]) and head["rating_hasil_kerja_hitung"] == "di_atas"
    assert head["predikat"] == "Baik"
    # Staff member keeps the computed di_bawah; with sesuai perilaku -> Butuh Perbaikan.
    assert not bool(staff["kepala_unit"]) and staff["rating_hasil_kerja"] == "di_bawah"
    assert staff["predikat"] == "Butuh Perbaikan"
    # Head of U0 (Baik) with 100% -> sesuai from the map (computed would also be sesuai).
    assert by_nip(res.hasil, 1)["rating_hasil_kerja_hitung"] == "sesuai"


def test_head_of_unit_butuh_perbaikan_maps_to_di_bawah(ruleset):
    f = _kepala_frames("Butuh Perbaikan")
    f["realisasi"] = frame("realisasi", [real("K2", 12, 115.0), real("K3", 12, 50.0), real("K1", 12, 100.0)])
    res = score_year_end(f, ruleset, TAHUN)
    # Computed would be di_atas (115%), the unit's Butuh Perbaikan maps to di_bawah.
    assert by_nip(res.hasil, 2)["rating_hasil_kerja_hitung"] == "di_bawah"


def test_head_of_unit_without_predikat_organisasi_keeps_computed(ruleset):
    f = _kepala_frames("Istimewa")
    f["unit_kerja"].loc[f["unit_kerja"]["kode_unit"] == "U1", "predikat_organisasi"] = np.nan
    res = score_year_end(f, ruleset, TAHUN)
    head = by_nip(res.hasil, 2)
    assert head["rating_hasil_kerja_hitung"] == "di_bawah"
    assert "tanpa predikat organisasi" in head["catatan_kepala_unit"]


def test_head_rule_can_be_switched_off(ruleset):
    off = ruleset.model_copy(update={"kepala_unit": ruleset.kepala_unit.model_copy(update={"aktif": False})})
    res = score_year_end(_kepala_frames("Istimewa"), off, TAHUN)
    assert by_nip(res.hasil, 2)["rating_hasil_kerja_hitung"] == "di_bawah"


# ------------------------------------------------------------------ perilaku


def _perilaku_case(perilaku, rating_atasan=()):
    units = [unit("U0", "Baik")]
    pegawai = [peg(1, "U0"), peg(2, "U0", atasan=1), peg(3, "U0", atasan=1)]
    skp = [ind("A1", 1), ind("A2", 2), ind("A3", 3)]
    realisasi = [real("A1", 12, 100.0), real("A2", 12, 100.0), real("A3", 12, 100.0)]
    rating = [{"nip": nip(1), "rating_perilaku": "sesuai", "alasan": "kepala"}, *rating_atasan]
    return frames(units, pegawai, skp, realisasi, perilaku, rating)


def test_value_mean_below_two_forces_di_bawah(ruleset):
    # Employee 2: berorientasi_pelayanan 1 (S1) and 2 (S2) -> mean 1.5 < 2.0; the others 5 and 5.
    # nilai = (1.5 + 6*5) / 7 = 31.5/7 = 4.5 -> di_atas by band, but di_bawah by the 2.0 floor.
    # Employee 3: kompeten 1 and 3 -> mean 2.0 (not below 2.0); the others 4 -> nilai 26/7 = 3.714 sesuai.
    perilaku = [
        rate(2, 1, 1, (1, 5, 5, 5, 5, 5, 5)),
        rate(2, 1, 2, (2, 5, 5, 5, 5, 5, 5)),
        rate(3, 1, 1, (4, 4, 1, 4, 4, 4, 4)),
        rate(3, 1, 2, (4, 4, 3, 4, 4, 4, 4)),
    ]
    res = score_year_end(_perilaku_case(perilaku), ruleset, TAHUN)
    e2, e3 = by_nip(res.hasil, 2), by_nip(res.hasil, 3)
    assert e2["nilai_perilaku"] == pytest.approx(4.5)
    assert e2["rerata_berorientasi_pelayanan"] == pytest.approx(1.5)
    assert e2["rating_perilaku"] == "di_bawah"
    assert e3["nilai_perilaku"] == pytest.approx(26 / 7)
    assert e3["rating_perilaku"] == "sesuai"


def test_peer_and_other_year_ratings_ignored_and_band_edge(ruleset):
    # Supervisor (1) gives 4 everywhere -> nilai 4.0 -> di_atas (edge). Peer 3 gives 1s (ignored),
    # last year's supervisor rating of 1s is ignored too.
    perilaku = [rate(2, 1, 1, 4), rate(2, 3, 1, 1), rate(2, 1, 2, 1, tahun=TAHUN - 1), rate(3, 1, 1, 3)]
    res = score_year_end(_perilaku_case(perilaku), ruleset, TAHUN)
    e2 = by_nip(res.hasil, 2)
    assert e2["nilai_perilaku"] == pytest.approx(4.0)
    assert e2["rating_perilaku"] == "di_atas"
    # Employee 3: 3.0 exactly -> sesuai (edge).
    assert by_nip(res.hasil, 3)["rating_perilaku"] == "sesuai"


def test_semester_means_then_year_mean(ruleset):
    # S1 two supervisor rows 4 and 2 -> S1 mean 3; S2 row 5 -> year mean (3 + 5) / 2 = 4.0
    # (a plain row mean would be 11/3 = 3.67 -> sesuai).
    perilaku = [rate(2, 1, 1, 4), rate(2, 1, 1, 2), rate(2, 1, 2, 5), rate(3, 1, 1, 3)]
    res = score_year_end(_perilaku_case(perilaku), ruleset, TAHUN)
    assert by_nip(res.hasil, 2)["nilai_perilaku"] == pytest.approx(4.0)
    assert by_nip(res.hasil, 2)["rating_perilaku"] == "di_atas"


# ------------------------------------------------------------------ overrides and unscorable


def test_overrides_replace_computed_and_keep_reason(ruleset):
    perilaku = [rate(2, 1, 1, 3)]  # employee 3 has no supervisor rating
    rating = [
        {"nip": nip(2), "rating_hasil_kerja": "di_atas", "alasan": "Proyek strategis selesai"},
        {"nip": nip(3), "rating_perilaku": "sesuai", "alasan": "Atasan baru, dinilai lisan"},
    ]
    res = score_year_end(_perilaku_case(perilaku, rating), ruleset, TAHUN)
    e2, e3 = by_nip(res.hasil, 2), by_nip(res.hasil, 3)
    # Employee 2: computed sesuai (100%) -> override di_atas; perilaku 3.0 sesuai -> Baik.
    assert e2["rating_hasil_kerja_hitung"] == "sesuai" and e2["rating_hasil_kerja"] == "di_atas"
    assert e2["alasan_override"] == "Proyek strategis selesai" and e2["predikat"] == "Baik"
    # Employee 3: no supervisor rating but an override -> scored, nilai NA, rating sesuai.
    assert pd.isna(e3["nilai_perilaku"]) and pd.isna(e3["rating_perilaku_hitung"])
    assert e3["rating_perilaku"] == "sesuai" and e3["predikat"] == "Baik"
    assert res.tidak_dinilai.empty


def test_override_row_without_ratings_is_not_an_override(ruleset):
    perilaku = [rate(2, 1, 1, 3), rate(3, 1, 1, 3)]
    rating = [{"nip": nip(2), "alasan": "hanya catatan"}]
    res = score_year_end(_perilaku_case(perilaku, rating), ruleset, TAHUN)
    assert pd.isna(by_nip(res.hasil, 2)["alasan_override"])


def test_unscorable_employees(ruleset):
    units = [unit("U0", "Baik")]
    pegawai = [peg(1, "U0"), peg(2, "U0", atasan=1), peg(3, "U0", atasan=1), peg(4, "U0", atasan=1)]
    # 2: only a tambahan indicator; 3: utama but no supervisor rating (peer only); 4: neither.
    skp = [ind("A1", 1), ind("A2", 2, jenis="tambahan"), ind("A3", 3)]
    perilaku = [rate(2, 1, 1, 3), rate(3, 2, 1, 3)]
    rating = [{"nip": nip(1), "rating_perilaku": "sesuai", "alasan": "kepala"}]
    data = frames(units, pegawai, skp, [], perilaku, rating)
    res = score_year_end(data, ruleset, TAHUN)
    assert res.hasil["nip"].tolist() == [nip(1)]
    td = res.tidak_dinilai
    assert list(zip(td["nip"], td["kode_aturan"], strict=True)) == [
        (nip(2), "penilaian.tanpa_indikator_utama"),
        (nip(3), "penilaian.tanpa_penilaian_perilaku"),
        (nip(4), "penilaian.tanpa_indikator_utama"),
        (nip(4), "penilaian.tanpa_penilaian_perilaku"),
    ]
    assert td["alasan"].str.len().gt(0).all() and td["reason"].str.len().gt(0).all()
    kar = unscored_quarantine(data, res.tidak_dinilai)
    assert kar["berkas"].unique().tolist() == ["pegawai.csv"]
    # pegawai rows start on line 2: employee 2 is line 3.
    assert kar["baris"].tolist()[0] == 3
    # No realisasi at all: every indicator has capaian 0 (employee 1 is still scored).
    assert by_nip(res.hasil, 1)["capaian_hasil_kerja"] == 0.0
    assert res.indikator["capaian"].tolist() == [0.0, 0.0, 0.0]


# ------------------------------------------------------------------ CSV output


def test_hasil_csv_rounds_half_up_and_has_exact_columns():
    hasil = pd.DataFrame(
        {
            "nip": [nip(2), nip(1)],
            "nama": ["B", "A"],
            "kode_unit": ["U1", "U1"],
            # 2.675 is 2.67499999... in binary; half-up must still give 2.68. 100.005 -> 100.01.
            "capaian_hasil_kerja": [100.005, 2.675],
            "rating_hasil_kerja": ["sesuai", "di_bawah"],
            "nilai_perilaku": [np.nan, 3.125],
            "rating_perilaku": ["sesuai", "sesuai"],
            "predikat": ["Baik", "Butuh Perbaikan"],
            "predikat_final": ["Baik", "Butuh Perbaikan"],
            "alasan_kalibrasi": ["", ""],
        }
    )
    out = to_hasil_penilaian_csv(year_end_result(hasil=hasil))
    assert list(out.columns) == [
        "nip",
        "nama",
        "kode_unit",
        "capaian_hasil_kerja",
        "rating_hasil_kerja",
        "nilai_perilaku",
        "rating_perilaku",
        "predikat",
        "predikat_final",
        "alasan_kalibrasi",
    ]
    assert out["nip"].tolist() == [nip(1), nip(2)]
    assert out["capaian_hasil_kerja"].tolist() == ["2.68", "100.01"]
    assert out["nilai_perilaku"].tolist() == ["3.13", ""]


def test_bias_csv_negative_half_up():
    bias = pd.DataFrame(
        {
            "nip_penilai": [nip(1)],
            "jumlah_dinilai": [5],
            "rata_rata": [3.125],
            "selisih_z": [-1.125],
            "pola": ["keras"],
        }
    )
    out = to_bias_penilai_csv(year_end_result(bias=bias))
    assert list(out.columns) == ["nip_penilai", "jumlah_dinilai", "rata_rata", "selisih_z", "pola"]
    # half away from zero: 3.125 -> 3.13, -1.125 -> -1.13.
    assert out.iloc[0].tolist() == [nip(1), 5, "3.13", "-1.13", "keras"]


# ------------------------------------------------------------------ end to end


def test_score_year_end_small_unit(ruleset):
    # Employee 1 heads U0 (no supervisor, override for perilaku); 2 heads U1 (supervisor 1 is in
    # U0); 3..7 work in U1 under 2.
    units = [unit("U0", "Baik"), unit("U1", "Istimewa")]
    pegawai = [peg(1, "U0"), peg(2, "U1", atasan=1)] + [peg(i, "U1", atasan=2) for i in range(3, 8)]
    skp = [ind(f"X{i}", i, target=100.0) for i in range(1, 8)] + [ind("T3", 3, jenis="tambahan")]
    # realisasi: 3..7 at 115 (di_atas) in December; 3 also had 50 in March (ignored: latest counts).
    realisasi = (
        [real("X1", 12, 100.0), real("X2", 12, 100.0), real("X3", 3, 50.0)]
        + [real(f"X{i}", 12, 115.0 + i / 10) for i in range(3, 8)]
        + [real("T3", 12, 1.0)]
    )
    perilaku = [rate(2, 1, 1, 4)] + [rate(i, 2, 1, 5) for i in range(3, 8)]
    rating = [{"nip": nip(1), "rating_perilaku": "sesuai", "alasan": "kepala instansi"}]
    res = score_year_end(frames(units, pegawai, skp, realisasi, perilaku, rating), ruleset, TAHUN)
    assert res.ruleset_label == "permenpan-6-2022 v1.3.0"
    assert res.hasil["nip"].tolist() == [nip(i) for i in range(1, 8)]
    # U1: head 2 -> di_atas (Istimewa) + nilai 4.0 di_atas -> SB; 3..7 capaian 115.3..115.7 and
    # 5.0 -> SB. N = 6, SB allowed floor(4.2) = 4: the two lowest-ranked SB move to Baik. Ranking
    # by capaian: 7 (115.7), 6, 5, 4, 3 (115.3), then 2 (100) -> nips 3 and 2 move.
    final = res.hasil.set_index("nip")["predikat_final"]
    assert final[nip(2)] == "Baik" and final[nip(3)] == "Baik"
    assert (final[[nip(i) for i in (4, 5, 6, 7)]] == "Sangat Baik").all()
    assert res.hasil.set_index("nip").loc[nip(7), "peringkat"] == 1
    assert res.indikator["id_indikator"].tolist()[:2] == ["X1", "X2"]
    ind3 = res.indikator.set_index("id_indikator").loc["X3"]
    assert ind3["realisasi"] == pytest.approx(115.3) and ind3["level"] == "di_atas"
    # tambahan T3 (1%) is shown but not averaged: capaian_hasil_kerja of 3 is 115.3.
    assert res.hasil.set_index("nip").loc[nip(3), "capaian_hasil_kerja"] == pytest.approx(115.3)
    kurva = res.kurva.set_index("kode_unit")
    assert kurva.loc["U1", "n"] == 6 and bool(kurva.loc["U1", "dikalibrasi"])
    assert kurva.loc["U0", "catatan"].startswith("di bawah 5 pegawai")
    csv = to_hasil_penilaian_csv(res)
    assert csv.loc[csv["nip"] == nip(3), "capaian_hasil_kerja"].item() == "115.30"
    assert csv.loc[csv["nip"] == nip(1), "nilai_perilaku"].item() == ""


def test_same_input_in_another_row_order_gives_same_result(ruleset):
    units = [unit("U0", "Baik"), unit("U1", "Kurang")]
    pegawai = [peg(1, "U0"), peg(2, "U1", atasan=1)] + [peg(i, "U1", atasan=2) for i in range(3, 10)]
    skp = [ind(f"X{i}", i) for i in range(1, 10)] + [ind(f"Y{i}", i, arah="turun") for i in range(3, 10)]
    realisasi = [real(f"X{i}", 12, 80.0 + 5 * (i % 4)) for i in range(1, 10)] + [
        real(f"Y{i}", m, 90.0 + i) for i in range(3, 10) for m in (6, 12)
    ]
    perilaku = [rate(2, 1, 1, 4)] + [rate(i, 2, s, 3 + (i % 2)) for i in range(3, 10) for s in (1, 2)]
    rating = [{"nip": nip(1), "rating_perilaku": "sesuai", "alasan": "kepala"}]
    f = frames(units, pegawai, skp, realisasi, perilaku, rating)
    shuffled = {k: v.sample(frac=1.0, random_state=7) for k, v in f.items()}
    a, b = score_year_end(f, ruleset, TAHUN), score_year_end(shuffled, ruleset, TAHUN)
    pd.testing.assert_frame_equal(a.hasil, b.hasil)
    pd.testing.assert_frame_equal(a.kurva, b.kurva)
    pd.testing.assert_frame_equal(a.indikator, b.indikator)
    pd.testing.assert_frame_equal(to_hasil_penilaian_csv(a), to_hasil_penilaian_csv(b))


def test_year_end_key_depends_only_on_the_year_end_inputs():
    checksums = {"PEGAWAI.csv": "p", "skp.csv": "s", "katalog_pelatihan.csv": "k"}
    # File names lower-cased, in name order; the catalogue is a training input, not a year-end one.
    assert year_end_key("2026", "rs", checksums) == (2026, "rs", (("pegawai.csv", "p"), ("skp.csv", "s")))
    other_catalogue = {**checksums, "katalog_pelatihan.csv": "k2"}
    assert year_end_key(2026, "rs", other_catalogue) == year_end_key(2026, "rs", checksums)
    assert year_end_key(2026, "rs", {**checksums, "perilaku.csv": "x"}) != year_end_key(2026, "rs", checksums)
    assert year_end_key(2026, "rs2", checksums) != year_end_key(2026, "rs", checksums)
