"""Year-end scoring rules on tiny hand-made frames; every expected value is worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from contract.schema import BERAKHLAK
from penilaian.ruleset import load_ruleset
from penilaian.scoring import (
    YearEndResult,
    bias_penilai,
    capaian,
    kalibrasi_kurva,
    kepala_unit,
    level_capaian,
    peringkat_unit,
    predikat_matriks,
    rating_hasil_kerja,
    realisasi_akhir,
    score_year_end,
    to_bias_penilai_csv,
    to_hasil_penilaian_csv,
)
from tests.penilaian.input_frames import frame

TAHUN = 2026


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset()


def nip(i: int) -> str:
    """An 18-digit NIP: born 1990-01-01, CPNS 2015-01, male, sequence i."""
    return f"199001012015011{i:03d}"


def unit(kode, org="Baik", instansi="I1"):
    return {
        "kode_unit": kode,
        "nama_unit": f"Unit {kode}",
        "kode_instansi": instansi,
        "nama_instansi": f"Instansi {instansi}",
        "predikat_organisasi": org,
    }


def peg(i, kode_unit, atasan=None):
    return {
        "nip": nip(i),
        "nama": f"Pegawai {i}",
        "kode_unit": kode_unit,
        "jabatan": "Analis",
        "jenis_jabatan": "fungsional",
        "nip_atasan": None if atasan is None else nip(atasan),
    }


def ind(id_, i, target=100.0, arah="naik", jenis="utama"):
    return {
        "id_indikator": id_,
        "nip": nip(i),
        "tahun": TAHUN,
        "rencana_hasil_kerja": "RHK",
        "indikator": f"Indikator {id_}",
        "aspek": "kuantitas",
        "target": target,
        "satuan": "dokumen",
        "arah": arah,
        "jenis": jenis,
    }


def real(id_, bulan, nilai, tahun=TAHUN):
    return {"id_indikator": id_, "periode": f"{tahun}-{bulan:02d}", "realisasi": nilai}


def rate(i, penilai, semester, nilai, tahun=TAHUN):
    """A perilaku row; `nilai` is one int for all seven values or a 7-tuple."""
    values = (nilai,) * 7 if isinstance(nilai, int) else nilai
    return {
        "nip": nip(i),
        "nip_penilai": nip(penilai),
        "periode": f"{tahun}-S{semester}",
        **dict(zip(BERAKHLAK, values, strict=True)),
    }


def frames(units, pegawai, skp, realisasi=(), perilaku=(), rating_atasan=()):
    return {
        "unit_kerja": frame("unit_kerja", list(units)),
        "pegawai": frame("pegawai", list(pegawai)),
        "skp": frame("skp", list(skp)),
        "realisasi": frame("realisasi", list(realisasi)),
        "perilaku": frame("perilaku", list(perilaku)),
        "rating_atasan": frame("rating_atasan", list(rating_atasan)),
    }


def by_nip(df: pd.DataFrame, i: int) -> pd.Series:
    rows = df.loc[df["nip"] == nip(i)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


# ------------------------------------------------------------------ capaian and levels


def test_capaian_naik_turun_cap_floor_and_missing():
    r = pd.Series([45.0, 130.0, 6.0, 3.0, 9.0, np.nan, 0.0])
    t = pd.Series([50.0, 100.0, 4.0, 4.0, 4.0, 10.0, 5.0])
    arah = pd.Series(["naik", "naik", "turun", "turun", "turun", "naik", "turun"])
    got = capaian(r, t, arah, 120.0).tolist()
    # naik 45/50*100 = 90; naik 130/100*100 = 130 -> cap 120;
    # turun (2 - 6/4)*100 = 50; turun (2 - 3/4)*100 = 125 -> cap 120;
    # turun (2 - 9/4)*100 = -25 -> floor 0; no realisasi -> 0; turun (2 - 0/5)*100 = 200 -> 120.
    assert got == pytest.approx([90.0, 120.0, 50.0, 120.0, 0.0, 0.0, 120.0])


def test_capaian_cap_is_configurable():
    # 130/100*100 = 130 -> capped at 125 under an instansi cap of 125.
    got = capaian(pd.Series([130.0]), pd.Series([100.0]), pd.Series(["naik"]), 125.0)
    assert got.iloc[0] == 125.0


def test_level_band_edges(ruleset):
    c = pd.Series([89.99, 90.0, 109.99, 110.0, 120.0, 0.0])
    assert level_capaian(c, ruleset.capaian).tolist() == [
        "di_bawah",
        "sesuai",
        "sesuai",
        "di_atas",
        "di_atas",
        "di_bawah",
    ]


def test_level_ignores_float_noise(ruleset):
    # 0.09/0.1*100 = 89.99999999999999 in binary floats; 0.11/0.1*100 = 109.99999999999999;
    # turun (2 - 0.33/0.3)*100 = 89.99999999999999. All are exactly 90 / 110 / 90 on paper.
    c = capaian(
        pd.Series([0.09, 0.11, 0.33]), pd.Series([0.1, 0.1, 0.3]), pd.Series(["naik", "naik", "turun"]), 120.0
    )
    assert level_capaian(c, ruleset.capaian).tolist() == ["sesuai", "di_atas", "sesuai"]


def test_rating_hasil_kerja_cases():
    jumlah = pd.Series([3, 3, 4, 3, 4, 1, 2, 1])
    atas = pd.Series([2, 2, 2, 0, 0, 1, 1, 0])
    bawah = pd.Series([0, 1, 0, 2, 2, 0, 0, 1])
    # 2/3 di_atas, none di_bawah -> di_atas; 2/3 di_atas but one di_bawah -> sesuai;
    # 2/4 di_atas is not more than half -> sesuai; 2/3 di_bawah -> di_bawah;
    # 2/4 di_bawah is not more than half -> sesuai; 1/1 di_atas -> di_atas;
    # 1/2 di_atas -> sesuai; 1/1 di_bawah -> di_bawah.
    assert rating_hasil_kerja(jumlah, atas, bawah).tolist() == [
        "di_atas",
        "sesuai",
        "sesuai",
        "di_bawah",
        "sesuai",
        "di_atas",
        "sesuai",
        "di_bawah",
    ]


def test_matrix_all_nine_cells():
    hk = pd.Series(["di_atas"] * 3 + ["sesuai"] * 3 + ["di_bawah"] * 3)
    pk = pd.Series(["di_bawah", "sesuai", "di_atas"] * 3)
    assert predikat_matriks(hk, pk).tolist() == [
        "Kurang",
        "Baik",
        "Sangat Baik",
        "Kurang",
        "Baik",
        "Baik",
        "Sangat Kurang",
        "Butuh Perbaikan",
        "Butuh Perbaikan",
    ]


def test_realisasi_latest_month_not_sum():
    r = frame(
        "realisasi",
        [
            real("A", 3, 10.0),
            real("A", 12, 40.0),
            real("A", 6, 25.0),
            real("B", 2, 5.0),
            real("C", 1, 7.0, tahun=2025),
        ],
    )
    # December cut-off: A -> month 12 value 40 (not 10+25+40); B -> 5; C is another year.
    akhir = realisasi_akhir(r, 12, TAHUN).set_index("id_indikator")["realisasi"].to_dict()
    assert akhir == {"A": 40.0, "B": 5.0}
    # June cut-off: A -> month 6 value 25.
    assert realisasi_akhir(r, 6, TAHUN).set_index("id_indikator")["realisasi"].to_dict() == {
        "A": 25.0,
        "B": 5.0,
    }


# ------------------------------------------------------------------ head of unit


def test_kepala_unit_detection():
    pegawai = frame(
        "pegawai",
        [
            peg(1, "U0"),  # no supervisor -> head
            peg(2, "U1", atasan=1),  # supervisor in U0, employee in U1 -> head of U1
            peg(3, "U1", atasan=2),  # supervisor in the same unit -> not head
            peg(4, "U2", atasan=99),  # supervisor not in pegawai -> head
        ],
    )
    assert kepala_unit(pegawai).tolist() == [True, True, False, True]


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
    res = score_year_end(frames(units, pegawai, skp, [], perilaku, rating), ruleset, TAHUN)
    assert res.hasil["nip"].tolist() == [nip(1)]
    td = res.tidak_dinilai
    assert list(zip(td["nip"], td["kode_aturan"], strict=True)) == [
        (nip(2), "penilaian.tanpa_indikator_utama"),
        (nip(3), "penilaian.tanpa_penilaian_perilaku"),
        (nip(4), "penilaian.tanpa_indikator_utama"),
        (nip(4), "penilaian.tanpa_penilaian_perilaku"),
    ]
    assert td["alasan"].str.len().gt(0).all() and td["reason"].str.len().gt(0).all()
    kar = res.karantina
    assert kar["berkas"].unique().tolist() == ["pegawai.csv"]
    # pegawai rows start on line 2: employee 2 is line 3.
    assert kar["baris"].tolist()[0] == 3
    # No realisasi at all: every indicator has capaian 0 (employee 1 is still scored).
    assert by_nip(res.hasil, 1)["capaian_hasil_kerja"] == 0.0
    assert res.indikator["capaian"].tolist() == [0.0, 0.0, 0.0]


# ------------------------------------------------------------------ ranking and curve


def _hasil(unit_kode, rows):
    """rows: (i, capaian, nilai, predikat)."""
    return pd.DataFrame(
        {
            "nip": [nip(r[0]) for r in rows],
            "kode_unit": unit_kode,
            "capaian_hasil_kerja": [float(r[1]) for r in rows],
            "nilai_perilaku": [np.nan if r[2] is None else float(r[2]) for r in rows],
            "predikat": pd.Series([r[3] for r in rows], dtype="str"),
        }
    )


def _kalibrasi(ruleset, org, rows, kode="U1"):
    ranked = peringkat_unit(_hasil(kode, rows))
    units = frame("unit_kerja", [unit(kode, org)])
    hasil, kurva = kalibrasi_kurva(ranked, units, ruleset.kurva)
    return hasil.set_index("nip"), kurva.iloc[0]


def test_ranking_ties_follow_nip_and_na_last():
    ranked = peringkat_unit(
        _hasil(
            "U1",
            [
                (5, 100.0, 3.5, "Baik"),
                (3, 100.0, 3.5, "Baik"),
                (4, 100.0, None, "Baik"),
                (2, 90.0, 5.0, "Baik"),
                (1, 100.0, 4.0, "Baik"),
            ],
        )
    )
    # 100/4.0 (nip 1) > 100/3.5 ties broken by nip (3 then 5) > 100/NA (4) > 90 (2).
    assert ranked["nip"].tolist() == [nip(1), nip(3), nip(5), nip(4), nip(2)]
    assert ranked["peringkat"].tolist() == [1, 2, 3, 4, 5]


def test_curve_istimewa_sangat_baik_max_70(ruleset):
    # N = 10, 8 Sangat Baik: allowed floor(70*10/100) = 7 -> the lowest-ranked SB (nip 8) -> Baik.
    rows = [(i, 120 - i, 4.5, "Sangat Baik") for i in range(1, 9)] + [
        (9, 100, 3.5, "Baik"),
        (10, 99, 3.5, "Baik"),
    ]
    hasil, kurva = _kalibrasi(ruleset, "Istimewa", rows)
    moved = hasil.index[hasil["predikat"] != hasil["predikat_final"]].tolist()
    assert moved == [nip(8)]
    assert hasil.loc[nip(8), "predikat_final"] == "Baik"
    assert hasil.loc[nip(8), "alasan_kalibrasi"] == (
        "Kurva Istimewa: Sangat Baik maks. 70% (7 dari 10); turun dari Sangat Baik ke Baik"
    )
    assert hasil.loc[nip(1), "alasan_kalibrasi"] == ""
    assert bool(kurva["dikalibrasi"]) and kurva["sebelum_sangat_baik"] == 8
    assert kurva["sesudah_sangat_baik"] == 7 and kurva["sesudah_baik"] == 3


def test_curve_baik_baik_max_70_then_at_least_one_already_met(ruleset):
    # N = 10, 9 Baik + 1 Sangat Baik: Baik allowed 7 -> the two lowest-ranked Baik (nips 9, 10)
    # -> Butuh Perbaikan; then "Butuh Perbaikan + Kurang >= 1" holds (2).
    rows = [(1, 115, 4.5, "Sangat Baik")] + [(i, 110 - i, 3.5, "Baik") for i in range(2, 11)]
    hasil, kurva = _kalibrasi(ruleset, "Baik", rows)
    moved = hasil.index[hasil["predikat"] != hasil["predikat_final"]].tolist()
    assert sorted(moved) == [nip(9), nip(10)]
    assert hasil.loc[nip(10), "alasan_kalibrasi"] == (
        "Kurva Baik: Baik maks. 70% (7 dari 10); turun dari Baik ke Butuh Perbaikan"
    )
    assert kurva["sesudah_baik"] == 7 and kurva["sesudah_butuh_perbaikan"] == 2


def test_curve_baik_at_least_one_butuh_perbaikan_or_kurang(ruleset):
    # N = 5: SB(1), Baik(2,3,4), Sangat Kurang(5, lowest). Baik allowed floor(3.5) = 3: met.
    # BP + Kurang = 0 < 1: the lowest-ranked employee better than BP is nip 4 (Baik) -> BP;
    # nip 5 (Sangat Kurang) is worse than the group, so not eligible.
    rows = [
        (1, 115, 4.5, "Sangat Baik"),
        (2, 100, 3.5, "Baik"),
        (3, 99, 3.5, "Baik"),
        (4, 98, 3.5, "Baik"),
        (5, 50, 2.0, "Sangat Kurang"),
    ]
    hasil, kurva = _kalibrasi(ruleset, "Baik", rows)
    assert hasil.loc[nip(4), "predikat_final"] == "Butuh Perbaikan"
    assert hasil.loc[nip(4), "alasan_kalibrasi"] == (
        "Kurva Baik: Butuh Perbaikan + Kurang min. 1 pegawai (1 dari 5); turun dari Baik ke Butuh Perbaikan"
    )
    assert (hasil["predikat"] != hasil["predikat_final"]).sum() == 1


def test_curve_butuh_perbaikan_both_rules_and_double_move(ruleset):
    # N = 10: SB 1-3, Baik 4-8, BP 9-10 (ranked by nip). SB <= 10% -> allowed 1: nips 2, 3 -> Baik.
    # BP >= 60% -> required 6, have 2, short 4: lowest-ranked better than BP are 8, 7, 6, 5 -> BP.
    rows = (
        [(i, 121 - i, 4.0, "Sangat Baik") for i in (1, 2, 3)]
        + [(i, 121 - i, 3.5, "Baik") for i in (4, 5, 6, 7, 8)]
        + [(i, 121 - i, 3.5, "Butuh Perbaikan") for i in (9, 10)]
    )
    hasil, kurva = _kalibrasi(ruleset, "Butuh Perbaikan", rows)
    final = hasil["predikat_final"].to_dict()
    assert [final[nip(i)] for i in range(1, 11)] == (
        ["Sangat Baik", "Baik", "Baik", "Baik"] + ["Butuh Perbaikan"] * 6
    )
    assert hasil.loc[nip(3), "alasan_kalibrasi"] == (
        "Kurva Butuh Perbaikan: Sangat Baik maks. 10% (1 dari 10); turun dari Sangat Baik ke Baik"
    )
    assert hasil.loc[nip(5), "alasan_kalibrasi"] == (
        "Kurva Butuh Perbaikan: Butuh Perbaikan min. 60% (6 dari 10); turun dari Baik ke Butuh Perbaikan"
    )
    assert kurva["jumlah_dipindah"] == 6


def test_curve_butuh_perbaikan_move_twice(ruleset):
    # N = 5 ranked by nip: BP 1-2, Baik 3, Sangat Baik 4-5 (the two lowest-ranked).
    rows = [
        (1, 100, 3.0, "Butuh Perbaikan"),
        (2, 99, 3.0, "Butuh Perbaikan"),
        (3, 98, 3.0, "Baik"),
        (4, 97, 4.5, "Sangat Baik"),
        (5, 96, 4.5, "Sangat Baik"),
    ]
    hasil, _ = _kalibrasi(ruleset, "Butuh Perbaikan", rows)
    # SB allowed 0: 4, 5 -> Baik. BP required 3, have 2, short 1: lowest-ranked better than BP is 5.
    assert hasil.loc[nip(5), "predikat_final"] == "Butuh Perbaikan"
    assert hasil.loc[nip(5), "alasan_kalibrasi"] == (
        "Kurva Butuh Perbaikan: Sangat Baik maks. 10% (0 dari 5); turun dari Sangat Baik ke Baik; "
        "Kurva Butuh Perbaikan: Butuh Perbaikan min. 60% (3 dari 5); turun dari Baik ke Butuh Perbaikan"
    )
    assert hasil.loc[nip(4), "predikat_final"] == "Baik"
    assert hasil.loc[nip(3), "predikat_final"] == "Baik"


def test_curve_kurang_three_rules(ruleset):
    # N = 10: SB 1-2, Baik 3-6, BP 7-8, Kurang 9-10.
    # SB <= 10% -> 1: nip 2 -> Baik. Kurang >= 60% -> 6, have 2, short 4: lowest-ranked better than
    # Kurang: 8, 7 (BP), 6, 5 (Baik) -> Kurang. BP >= 10% -> 1, have 0: lowest better than BP: 4 -> BP.
    rows = (
        [(i, 121 - i, 4.5, "Sangat Baik") for i in (1, 2)]
        + [(i, 121 - i, 3.5, "Baik") for i in (3, 4, 5, 6)]
        + [(i, 121 - i, 3.5, "Butuh Perbaikan") for i in (7, 8)]
        + [(i, 121 - i, 2.5, "Kurang") for i in (9, 10)]
    )
    hasil, kurva = _kalibrasi(ruleset, "Kurang", rows)
    final = hasil["predikat_final"].to_dict()
    assert [final[nip(i)] for i in range(1, 11)] == [
        "Sangat Baik",
        "Baik",
        "Baik",
        "Butuh Perbaikan",
        "Kurang",
        "Kurang",
        "Kurang",
        "Kurang",
        "Kurang",
        "Kurang",
    ]
    assert hasil.loc[nip(7), "alasan_kalibrasi"] == (
        "Kurva Kurang: Kurang min. 60% (6 dari 10); turun dari Butuh Perbaikan ke Kurang"
    )
    assert kurva["sesudah_kurang"] == 6 and kurva["sesudah_butuh_perbaikan"] == 1


def test_curve_sangat_kurang_three_rules(ruleset):
    # N = 10: SB 1, Baik 2-9, Sangat Kurang 10.
    # SB = 0 -> nip 1 -> Baik. SK >= 60% -> 6, have 1, short 5: lowest better than SK: 9..5 -> SK.
    # Kurang + BP >= 10% -> 1, have 0: lowest better than BP (i.e. SB/Baik): nip 4 -> BP.
    rows = (
        [(1, 120, 4.5, "Sangat Baik")]
        + [(i, 121 - i, 3.5, "Baik") for i in range(2, 10)]
        + [(10, 10, 1.5, "Sangat Kurang")]
    )
    hasil, kurva = _kalibrasi(ruleset, "Sangat Kurang", rows)
    final = hasil["predikat_final"].to_dict()
    assert [final[nip(i)] for i in range(1, 11)] == (
        ["Baik", "Baik", "Baik", "Butuh Perbaikan"] + ["Sangat Kurang"] * 6
    )
    assert hasil.loc[nip(1), "alasan_kalibrasi"] == (
        "Kurva Sangat Kurang: Sangat Baik maks. 0% (0 dari 10); turun dari Sangat Baik ke Baik"
    )
    assert hasil.loc[nip(4), "alasan_kalibrasi"] == (
        "Kurva Sangat Kurang: Kurang + Butuh Perbaikan min. 10% (1 dari 10); turun dari Baik ke "
        "Butuh Perbaikan"
    )
    assert kurva["sebelum_sangat_kurang"] == 1 and kurva["sesudah_sangat_kurang"] == 6


def test_curve_requirement_that_cannot_be_met(ruleset):
    # Kurang unit, N = 5, all Sangat Kurang: Kurang >= 60% needs 3 but nobody is better than Kurang.
    rows = [(i, 50, 1.5, "Sangat Kurang") for i in range(1, 6)]
    hasil, kurva = _kalibrasi(ruleset, "Kurang", rows)
    assert (hasil["predikat_final"] == "Sangat Kurang").all()
    assert (
        "Kurang min. 60% (3 dari 5, ada 0): 0 pegawai diturunkan, tidak dapat dipenuhi: kurang 3 pegawai"
        in kurva["catatan"]
    )


def test_curve_unit_under_five_only_reported(ruleset):
    # N = 4, all Sangat Baik in an Istimewa unit: allowed floor(2.8) = 2 -> unmet, but no move.
    rows = [(i, 115, 4.5, "Sangat Baik") for i in range(1, 5)]
    hasil, kurva = _kalibrasi(ruleset, "Istimewa", rows)
    assert (hasil["predikat_final"] == "Sangat Baik").all()
    assert (hasil["alasan_kalibrasi"] == "").all()
    assert not bool(kurva["dikalibrasi"])
    assert kurva["catatan"] == (
        "di bawah 5 pegawai: hanya dilaporkan; "
        "Sangat Baik maks. 70% (2 dari 4, ada 4): tidak terpenuhi, lebih 2 pegawai"
    )


def test_curve_persen_rounding_floor_and_ceil(ruleset):
    aturan = ruleset.kurva.aturan
    # Istimewa SB <= 70% of 7 = 4.9 -> floor 4; Kurang BP >= 10% of 7 = 0.7 -> ceil 1;
    # BP >= 60% of 5 = 3.0 exactly -> 3 (no float noise pushing it to 4).
    assert aturan["Istimewa"][0].batas(7) == 4
    assert aturan["Kurang"][2].batas(7) == 1
    assert aturan["Butuh Perbaikan"][1].batas(5) == 3
    assert aturan["Baik"][1].batas(40) == 1


def test_curve_several_units_at_once(ruleset):
    # Two Istimewa units of 5 all-SB employees: allowed 3 each -> the two lowest per unit move.
    a = _hasil("UA", [(i, 120 - i, 4.5, "Sangat Baik") for i in range(1, 6)])
    b = _hasil("UB", [(i, 120 - i, 4.5, "Sangat Baik") for i in range(11, 16)])
    ranked = peringkat_unit(pd.concat([b, a], ignore_index=True))
    units = frame("unit_kerja", [unit("UA", "Istimewa"), unit("UB", "Istimewa"), unit("UC", "Baik")])
    hasil, kurva = kalibrasi_kurva(ranked, units, ruleset.kurva)
    moved = sorted(hasil.loc[hasil["predikat_final"] == "Baik", "nip"])
    assert moved == [nip(4), nip(5), nip(14), nip(15)]
    assert kurva["kode_unit"].tolist() == ["UA", "UB", "UC"]
    assert kurva.set_index("kode_unit").loc["UC", "catatan"] == "tidak ada pegawai yang dinilai"


# ------------------------------------------------------------------ rater bias


def _bias_hasil(groups):
    """groups: {(instansi, rater): [nilai, ...]} -> a hasil-like frame."""
    rows = []
    for (instansi, rater), nilai in groups.items():
        for v in nilai:
            rows.append({"kode_instansi": instansi, "nip_atasan": nip(rater), "nilai_perilaku": v})
    return pd.DataFrame(rows)


def test_bias_population_sd_lunak_and_keras(ruleset):
    # I1: rater 1 -> five 4.0, rater 2 -> five 2.0, rater 3 -> four 3.0 (under 5: not reported).
    # Instansi: 14 values, mean (20 + 10 + 12) / 14 = 3.0; squared deviations 5*1 + 5*1 + 0 = 10;
    # population sd = sqrt(10/14) = 0.845154; z(1) = 1/0.845154 = 1.183216 -> lunak;
    # z(2) = -1.183216 -> keras.
    hasil = _bias_hasil({("I1", 1): [4.0] * 5, ("I1", 2): [2.0] * 5, ("I1", 3): [3.0] * 4})
    bias = bias_penilai(hasil, ruleset.bias)
    assert bias["nip_penilai"].tolist() == [nip(1), nip(2)]
    assert bias["selisih_z"].tolist() == pytest.approx([1.183215957, -1.183215957])
    assert bias["pola"].tolist() == ["lunak", "keras"]
    assert bias["jumlah_dinilai"].tolist() == [5, 5]


def test_bias_sample_sd_when_the_ruleset_says_so(ruleset):
    # Same data, sample sd = sqrt(10/13) = 0.877058; z = 1/0.877058 = 1.140175.
    sampel = ruleset.bias.model_copy(update={"simpangan_baku": "sampel"})
    hasil = _bias_hasil({("I1", 1): [4.0] * 5, ("I1", 2): [2.0] * 5, ("I1", 3): [3.0] * 4})
    bias = bias_penilai(hasil, sampel)
    assert bias["selisih_z"].tolist() == pytest.approx([1.140175425, -1.140175425])


def test_bias_terpusat_and_wajar(ruleset):
    # I2: rater 4 -> [3, 3, 3, 3, 3] (sd 0), rater 5 -> [2, 4, 2, 4, 3] (population sd sqrt(4/5)).
    # Instansi mean 3.0, squared deviations 0 + (1+1+1+1+0) = 4, population sd = sqrt(4/10) = 0.6325.
    # Both z = 0. Rater 4: sd 0 < 0.25*0.6325 -> terpusat. Rater 5: sd 0.894 -> wajar.
    hasil = _bias_hasil({("I2", 4): [3.0] * 5, ("I2", 5): [2.0, 4.0, 2.0, 4.0, 3.0]})
    bias = bias_penilai(hasil, ruleset.bias).set_index("nip_penilai")
    assert bias.loc[nip(4), "pola"] == "terpusat" and bias.loc[nip(5), "pola"] == "wajar"
    assert bias.loc[nip(5), "sd_penilai"] == pytest.approx(math.sqrt(4 / 5))
    assert bias.loc[nip(4), "sd_instansi"] == pytest.approx(math.sqrt(4 / 10))


def test_bias_sd_zero_instansi(ruleset):
    # I3: everyone 4.0 -> instansi sd 0 -> selisih_z 0 and pola wajar.
    hasil = _bias_hasil({("I3", 6): [4.0] * 5, ("I3", 7): [4.0] * 6})
    bias = bias_penilai(hasil, ruleset.bias)
    assert bias["selisih_z"].tolist() == [0.0, 0.0]
    assert bias["pola"].tolist() == ["wajar", "wajar"]
    assert to_bias_penilai_csv(_result(bias=bias))["selisih_z"].tolist() == ["0.00", "0.00"]


# ------------------------------------------------------------------ CSV output


def _result(hasil=None, bias=None):
    empty = pd.DataFrame()
    return YearEndResult(
        indikator=empty,
        hasil=hasil if hasil is not None else empty,
        tidak_dinilai=empty,
        bias=bias if bias is not None else empty,
        kurva=empty,
    )


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
    out = to_hasil_penilaian_csv(_result(hasil=hasil))
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
    out = to_bias_penilai_csv(_result(bias=bias))
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
    assert res.ruleset_label == "permenpan-6-2022 v1.1.0"
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


def test_unit_without_predikat_organisasi_is_only_reported(ruleset):
    ranked = peringkat_unit(_hasil("U9", [(i, 115, 4.5, "Sangat Baik") for i in range(1, 7)]))
    units = frame("unit_kerja", [unit("U9", None)])
    hasil, kurva = kalibrasi_kurva(ranked, units, ruleset.kurva)
    assert (hasil["predikat_final"] == "Sangat Baik").all()
    assert not bool(kurva.iloc[0]["dikalibrasi"])
    assert kurva.iloc[0]["catatan"] == "predikat organisasi tidak ada: tidak dikalibrasi"


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
