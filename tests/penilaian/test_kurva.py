"""Ranking and the distribution curve on tiny hand-made units; every move is worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd

from penilaian.kurva import (
    KUNCI_PREDIKAT,
    PESERTA_KURVA_COLUMNS,
    kalibrasi_kurva,
    periksa_kurva,
    peringkat_unit,
)
from tests.penilaian.input_frames import frame
from tests.penilaian.year_end_inputs import (
    DIPINDAH_16,
    UNIT_KURVA_16,
    URUTAN_PEMEGANG_16,
    nip,
    unit,
)


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
    hasil, kurva, _ = kalibrasi_kurva(ranked, units, ruleset.kurva)
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


def test_curve_several_units_at_once(ruleset):
    # Two Istimewa units of 5 all-SB employees: allowed 3 each -> the two lowest per unit move.
    a = _hasil("UA", [(i, 120 - i, 4.5, "Sangat Baik") for i in range(1, 6)])
    b = _hasil("UB", [(i, 120 - i, 4.5, "Sangat Baik") for i in range(11, 16)])
    ranked = peringkat_unit(pd.concat([b, a], ignore_index=True))
    units = frame("unit_kerja", [unit("UA", "Istimewa"), unit("UB", "Istimewa"), unit("UC", "Baik")])
    hasil, kurva, _ = kalibrasi_kurva(ranked, units, ruleset.kurva)
    moved = sorted(hasil.loc[hasil["predikat_final"] == "Baik", "nip"])
    assert moved == [nip(4), nip(5), nip(14), nip(15)]
    assert kurva["kode_unit"].tolist() == ["UA", "UB", "UC"]
    assert kurva.set_index("kode_unit").loc["UC", "catatan"] == "tidak ada pegawai yang dinilai"


def test_unit_without_predikat_organisasi_is_only_reported(ruleset):
    ranked = peringkat_unit(_hasil("U9", [(i, 115, 4.5, "Sangat Baik") for i in range(1, 7)]))
    units = frame("unit_kerja", [unit("U9", None)])
    hasil, kurva, _ = kalibrasi_kurva(ranked, units, ruleset.kurva)
    assert (hasil["predikat_final"] == "Sangat Baik").all()
    assert not bool(kurva.iloc[0]["dikalibrasi"])
    assert kurva.iloc[0]["catatan"] == "predikat organisasi tidak ada: tidak dikalibrasi"


def test_curve_table_columns_use_kunci_predikat(ruleset):
    _, kurva = _kalibrasi(ruleset, "Istimewa", [(i, 115, 4.5, "Sangat Baik") for i in range(1, 6)])
    assert KUNCI_PREDIKAT == {"Sangat Baik": "sangat_baik", "Baik": "baik",
                              "Butuh Perbaikan": "butuh_perbaikan", "Kurang": "kurang",
                              "Sangat Kurang": "sangat_kurang"}
    assert [k for k in kurva.index if k.startswith("sesudah_")] == [
        "sesudah_sangat_baik", "sesudah_baik", "sesudah_butuh_perbaikan", "sesudah_kurang",
        "sesudah_sangat_kurang"]


def _peserta(ruleset, org, rows):
    ranked = peringkat_unit(_hasil("U1", rows))
    hasil, _, peserta = kalibrasi_kurva(ranked, frame("unit_kerja", [unit("U1", org)]), ruleset.kurva)
    return hasil.set_index("nip"), peserta


def test_participants_of_a_move_are_the_holders_in_rank_order_with_the_rule_and_count(ruleset):
    hasil, peserta = _peserta(ruleset, "Baik", UNIT_KURVA_16)
    assert list(peserta.columns) == list(PESERTA_KURVA_COLUMNS)
    # only the constraint that moved someone (Baik <= 70%); "BP + Kurang >= 1" already holds (1 + 3)
    assert peserta["langkah"].unique().tolist() == [1]
    assert peserta["nip"].tolist() == [nip(i) for i in URUTAN_PEMEGANG_16], "ties: nilai, none last, nip"
    assert peserta["urutan"].tolist() == list(range(1, 15))
    assert peserta.loc[peserta["dipindah"], "nip"].tolist() == [nip(i) for i in DIPINDAH_16]
    moved = hasil.index[hasil["predikat"] != hasil["predikat_final"]]
    assert sorted(moved) == sorted(nip(i) for i in DIPINDAH_16)
    baris = peserta.set_index("nip").loc[nip(14)]
    assert (baris["n"], baris["batas"], baris["jumlah"], baris["jumlah_peserta"], baris["bertahan"]) == (
        16, 11, 14, 14, 11)
    assert baris["aturan"] == "Kurva Baik: Baik maks. 70%"
    assert hasil.loc[nip(14), "alasan_kalibrasi"].startswith(f"{baris['aturan']} (11 dari 16)")
    assert baris["ketentuan"] == "paling banyak 70% pegawai unit yang dinilai boleh berpredikat Baik"
    assert baris["hitungan"] == (
        "batas = floor(70% × 16) = floor(11.2) = 11 (dibulatkan ke bawah) dari 16 pegawai; sebelumnya 14 "
        "berpredikat Baik, lebih 3 → 3 pemegang berperingkat terendah turun ke Butuh Perbaikan"
    )
    assert baris["posisi"] == (
        "peringkat 13 dari 14 pemegang Baik; bertahan: peringkat 1–11; "
        "turun ke Butuh Perbaikan: peringkat 12–14"
    )
    assert (baris["predikat"], baris["predikat_baru"]) == ("Baik", "Butuh Perbaikan")
    tetap = peserta.set_index("nip").loc[nip(11)]
    assert (tetap["urutan"], bool(tetap["dipindah"]), tetap["predikat_baru"]) == (11, False, "Baik")
    assert np.isnan(baris["nilai_perilaku"]) and tetap["capaian_hasil_kerja"] == 90.0
    assert nip(1) not in set(peserta["nip"]) and nip(16) not in set(peserta["nip"])


def test_participants_of_a_minimum_are_the_candidates_better_than_the_group(ruleset):
    # as test_curve_baik_at_least_one_butuh_perbaikan_or_kurang: candidates 1-4 (nip 5 is worse), nip 4 moves
    rows = [
        (1, 115, 4.5, "Sangat Baik"),
        (2, 100, 3.5, "Baik"),
        (3, 99, 3.5, "Baik"),
        (4, 98, 3.5, "Baik"),
        (5, 50, 2.0, "Sangat Kurang"),
    ]
    _, peserta = _peserta(ruleset, "Baik", rows)
    assert peserta["langkah"].unique().tolist() == [2]
    assert peserta["nip"].tolist() == [nip(1), nip(2), nip(3), nip(4)]
    assert peserta["dipindah"].tolist() == [False, False, False, True]
    baris = peserta.iloc[-1]
    assert (baris["batas"], baris["jumlah"], baris["jumlah_peserta"], baris["bertahan"]) == (1, 0, 4, 3)
    assert baris["ketentuan"] == (
        "paling sedikit 1 pegawai unit yang dinilai harus berpredikat Butuh Perbaikan atau Kurang"
    )
    assert baris["hitungan"] == (
        "syarat = 1 pegawai (jumlah tetap) dari 5 pegawai; sebelumnya 0 berpredikat Butuh Perbaikan + "
        "Kurang, kurang 1 → 1 calon berperingkat terendah (predikat lebih baik dari Butuh Perbaikan + "
        "Kurang) turun ke Butuh Perbaikan"
    )
    assert baris["posisi"] == (
        "peringkat 4 dari 4 calon (lebih baik dari Butuh Perbaikan + Kurang); bertahan: peringkat 1–3; "
        "turun ke Butuh Perbaikan: peringkat 4"
    )


def test_participants_of_a_double_move_show_the_predikat_at_each_step(ruleset):
    # as test_curve_butuh_perbaikan_move_twice: step 1 SB allowed 0 -> 4, 5 to Baik; step 2 BP required
    # ceil(3) = 3, have 2: candidates (better than BP) are now 3, 4, 5, all Baik; the lowest (5) moves
    rows = [
        (1, 100, 3.0, "Butuh Perbaikan"),
        (2, 99, 3.0, "Butuh Perbaikan"),
        (3, 98, 3.0, "Baik"),
        (4, 97, 4.5, "Sangat Baik"),
        (5, 96, 4.5, "Sangat Baik"),
    ]
    _, peserta = _peserta(ruleset, "Butuh Perbaikan", rows)
    lima = peserta[peserta["nip"] == nip(5)]
    assert lima["langkah"].tolist() == [1, 2]
    assert lima["predikat"].tolist() == ["Sangat Baik", "Baik"]
    assert lima["predikat_baru"].tolist() == ["Baik", "Butuh Perbaikan"]
    assert lima["posisi"].tolist() == [
        "peringkat 2 dari 2 pemegang Sangat Baik; bertahan: tidak ada; turun ke Baik: peringkat 1–2",
        "peringkat 3 dari 3 calon (lebih baik dari Butuh Perbaikan); bertahan: peringkat 1–2; "
        "turun ke Butuh Perbaikan: peringkat 3",
    ]
    assert lima["hitungan"].iloc[0].startswith(
        "batas = floor(10% × 5) = floor(0.5) = 0 (dibulatkan ke bawah)")
    assert lima["hitungan"].iloc[1].startswith("syarat = ceil(60% × 5) = ceil(3) = 3 (dibulatkan ke atas)")


def test_no_move_no_participants(ruleset):
    # under min_pegawai: only reported, so no constraint moved anyone
    _, peserta = _peserta(ruleset, "Istimewa", [(i, 115, 4.5, "Sangat Baik") for i in range(1, 5)])
    assert peserta.empty and list(peserta.columns) == list(PESERTA_KURVA_COLUMNS)
    assert peserta.dtypes.astype("str").to_dict() == PESERTA_KURVA_COLUMNS, "typed even when empty"



def test_checking_a_distribution_moves_nobody_and_names_each_missed_constraint(ruleset):
    """K1 (Kurang, 10 employees): Sangat Baik at most floor(10% x 10) = 1, has 2; Kurang at least
    ceil(60% x 10) = 6, has 6; Butuh Perbaikan at least ceil(10% x 10) = 1, has 0. K2 (Istimewa, 3):
    Sangat Baik at most floor(70% x 3) = 2, has 2. K3 has no predikat_organisasi: nothing to meet."""
    predikat = {"K1": ["Sangat Baik"] * 2 + ["Baik"] * 2 + ["Kurang"] * 6,
                "K2": ["Sangat Baik", "Sangat Baik", "Kurang"], "K3": ["Sangat Baik"]}
    hasil = pd.DataFrame(
        [(kode, p) for kode, daftar in predikat.items() for p in daftar],
        columns=["kode_unit", "predikat_ditetapkan"],
    )
    units = frame("unit_kerja", [unit("K1", "Kurang"), unit("K2", "Istimewa"), unit("K3", None)])
    dicek = periksa_kurva(hasil, units, ruleset.kurva, kolom="predikat_ditetapkan")
    assert dicek["kode_unit"].tolist() == ["K1", "K2", "K3"]
    assert dicek["n"].tolist() == [10, 3, 1]
    assert dicek["memenuhi"].tolist() == [False, True, True]
    assert dicek["pelanggaran"].tolist() == [
        "Kurva Kurang: Sangat Baik maks. 10% (1 dari 10, ada 2): tidak terpenuhi, lebih 1 pegawai; "
        "Kurva Kurang: Butuh Perbaikan min. 10% (1 dari 10, ada 0): tidak terpenuhi, kurang 1 pegawai",
        "",
        "",
    ]
