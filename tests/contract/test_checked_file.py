"""The generic rules of one file under check, each on a frame of a few hand-made rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from contract.checked_file import CheckedFile
from contract.schema import FILES

TAHUN = 2026
NIP = "198001012005011001"


def checked(sheet: str, rows: list[dict], tahun: int = TAHUN) -> CheckedFile:
    frame = pd.DataFrame(rows, columns=list(FILES[sheet].columns)).astype("str")
    return CheckedFile(sheet, frame, tahun, "validation")


def found(f: CheckedFile) -> list[list]:
    return f.karantina()[["baris", "kolom", "kode_aturan"]].values.tolist()


def test_line_numbers_default_to_the_row_after_the_header() -> None:
    f = checked("unit_kerja", [{"kode_unit": "U1"}, {"kode_unit": "U2"}])
    assert f.raw["_baris"].tolist() == [2, 3]


def test_required_cells() -> None:
    f = checked("unit_kerja", [{"kode_unit": "U1", "nama_unit": "A", "kode_instansi": "I",
                                "nama_instansi": "P"}, {"kode_unit": "U2", "nama_unit": "B"}])
    f.required()
    assert found(f) == [[3, "kode_instansi", "WAJIB_KOSONG"], [3, "nama_instansi", "WAJIB_KOSONG"]]
    assert f.broken.tolist() == [False, True]
    assert f.karantina()["tahap"].tolist() == ["validation"] * 2


def test_nip_reports_a_malformed_nip_once_and_returns_the_good_ones() -> None:
    f = checked("pegawai", [{"nip": NIP}, {"nip": NIP[:-1]}, {"nip": None},
                            {"nip": "198001012027011001"}])
    good = f.nip("nip")
    assert good.tolist() == [True, False, False, False]
    assert found(f) == [[3, "nip", "NIP_FORMAT"], [5, "nip", "NIP_TMT"]]  # TMT after tahun
    f = checked("pegawai", [{"nip": "198001012027011001"}], tahun=2027)
    assert f.nip("nip").tolist() == [True] and f.karantina().empty


def test_safe_code() -> None:
    f = checked("unit_kerja", [{"kode_unit": c} for c in ("U-1.a_b", "..", ".", "a/b", None, "ü")])
    f.safe_code("kode_unit")
    assert [b for b, _, _ in found(f)] == [3, 4, 5, 7]


def test_number_parses_and_flags_filled_cells_only() -> None:
    f = checked("survei_masyarakat", [{"jumlah_responden": v} for v in ("4.0", "1.5", "0", None, "x")])
    f.number("jumlah_responden", "RESPONDEN", lambda x: x >= 1, integer=True)
    assert [b for b, _, _ in found(f)] == [3, 4, 6]
    assert f.parsed["jumlah_responden"].iloc[0] == 4.0 and np.isnan(f.parsed["jumlah_responden"].iloc[3])


def test_date_is_a_real_day_written_yyyy_mm_dd() -> None:
    f = checked("umpan_balik", [{"tanggal": v} for v in ("2024-02-29", "2026-02-29", "2026-1-05",
                                                        "05/01/2026", None)])
    f.date()
    assert found(f) == [[3, "tanggal", "TANGGAL"], [4, "tanggal", "TANGGAL"], [5, "tanggal", "TANGGAL"]]


def test_periode_derives_its_number_and_checks_the_year() -> None:
    f = checked("realisasi", [{"periode": v} for v in ("2026-03", "2025-03", "2026-3", None)])
    f.periode(r"^[0-9]{4}-(0[1-9]|1[0-2])$", "PERIODE", slice(5, 7), "bulan")
    assert found(f) == [[4, "periode", "PERIODE"], [3, "periode", "PERIODE_TAHUN"]]  # as found
    bulan = f.parsed["bulan"]
    assert bulan.iloc[0] == 3 and bulan.iloc[1] == 3 and np.isnan(bulan.iloc[2])


def test_duplicates_quarantine_every_row_of_a_filled_key() -> None:
    f = checked("realisasi", [
        {"id_indikator": "I1", "periode": "2026-01"}, {"id_indikator": "I1", "periode": "2026-02"},
        {"id_indikator": "I1", "periode": "2026-01"}, {"id_indikator": "I2", "periode": None},
        {"id_indikator": "I2", "periode": None},
    ])
    f.duplicates(["id_indikator", "periode"], "REALISASI_GANDA")
    out = f.karantina()
    assert out["baris"].tolist() == [2, 4]
    assert set(out["kolom"]) == {"id_indikator,periode"} and set(out["nilai"]) == {"I1, 2026-01"}


def test_duplicates_on_many_distinct_values_do_not_collide() -> None:
    n = 5000
    ids = [f"I{i}" for i in range(n)]
    f = checked("realisasi", [{"id_indikator": i, "periode": f"2026-{1 + k % 12:02d}"}
                              for k, i in enumerate(ids)] + [{"id_indikator": "I7", "periode": "2026-08"}])
    f.duplicates(["id_indikator", "periode"], "REALISASI_GANDA")
    assert f.karantina()["baris"].tolist() == [9, n + 2]


def test_reference_to_a_parent() -> None:
    parent = checked("pegawai", [{"nip": "A"}, {"nip": "B"}])
    parent.flag(np.array([False, True]), "NIP_FORMAT", "nip")
    f = checked("perilaku", [{"nip": v, "nip_penilai": v} for v in ("A", "B", "C", None)])
    ok = f.filled("nip")
    pos = f.reference("nip", ok, parent, "nip", "PEGAWAI_TIDAK_ADA")
    assert pos.tolist() == [0, 1, -1, -1]
    assert found(f) == [[4, "nip", "PEGAWAI_TIDAK_ADA"], [3, "nip", "INDUK_DIKARANTINA"]]
    assert f.karantina().loc[1, "reason"] == "nip 'B' refers to a quarantined row of pegawai.csv"
    g = checked("perilaku", [{"nip_penilai": v} for v in ("A", "B", "C")])
    g.reference("nip_penilai", g.filled("nip_penilai"), parent, "nip", "PEGAWAI_TIDAK_ADA",
                follow_parent=False)
    assert found(g) == [[4, "nip_penilai", "PEGAWAI_TIDAK_ADA"]]


def test_a_finding_that_keeps_its_row() -> None:
    f = checked("unit_kerja", [{"kode_unit": "U1"}])
    f.flag(np.array([True]), "KODE_TIDAK_AMAN", "kode_unit", drop=False)
    assert len(f.karantina()) == 1 and len(f.clean()) == 1


def test_clean_drops_broken_rows_and_types_the_columns() -> None:
    f = checked("skp", [{"id_indikator": "I1", "tahun": "2026", "target": "2.5"},
                        {"id_indikator": "I2", "tahun": "x", "target": "1"}])
    f.number("tahun", "TAHUN", lambda x: x == TAHUN, integer=True)
    f.number("target", "TARGET", lambda x: x > 0)
    clean = f.clean()
    assert clean["id_indikator"].tolist() == ["I1"] and clean["_baris"].tolist() == [2]
    assert clean["tahun"].dtype == "int64" and clean["target"].dtype == "float64"
    assert clean["nip"].dtype == "str" and list(clean.columns)[-1] == "_baris"


def test_factorize_follows_a_replaced_column() -> None:
    f = checked("skp", [{"aspek": "Kuantitas"}, {"aspek": "kuantitas"}])
    assert len(f.factorize("aspek")[1]) == 2
    f.enum("aspek", ("kuantitas", "kualitas"), "ASPEK")
    codes, uniques = f.factorize("aspek")
    assert codes.tolist() == [0, 0] and uniques.tolist() == ["kuantitas"]


def test_a_workbook_number_that_lost_digits_is_its_cells_only_problem() -> None:
    """`_sel_angka` (contract/workbook_parsing.py) marks the cells: SEL_ANGKA, and nothing else in that
    column — not the NIP rules on Excel's zeros, not a reference — while the row's other columns are
    still judged."""
    lost = "198001012005011000"
    filled = {"nama": "A", "kode_unit": "U1", "jabatan": "J", "jenis_jabatan": "pelaksana"}
    rows = [{**filled, "nip": lost, "nip_atasan": NIP, "_sel_angka": "nip"},
            {**filled, "nip": NIP, "nip_atasan": lost, "_sel_angka": "nip_atasan"},
            {**filled, "nip": "198001012005011003", "nip_atasan": lost, "_sel_angka": None}]
    frame = pd.DataFrame(rows).reindex(columns=[*FILES["pegawai"].columns, "_sel_angka"]).astype("str")
    f = CheckedFile("pegawai", frame, TAHUN, "validation")
    f.required()
    good = f.nip("nip")
    atasan_ok = f.nip("nip_atasan")
    assert good.tolist() == [False, True, True] and atasan_ok.tolist() == [True, False, False]
    assert found(f)[:2] == [[2, "nip", "SEL_ANGKA"], [3, "nip_atasan", "SEL_ANGKA"]]
    codes = {(b, k, c) for b, k, c in found(f)}
    # the third row's text nip_atasan is what it says: the NIP rules judge it
    assert (4, "nip_atasan", "NIP_URUT") in codes
    assert not {(b, k) for b, k, c in codes if c.startswith("NIP_")} & {(2, "nip"), (3, "nip_atasan")}
    assert f.known("nip").isna().tolist() == [True, False, False]
    assert f.lost("nip_atasan").tolist() == [False, True, False]
    # a lost cell is looked up nowhere, though the digits left match a row of the parent
    parent = checked("pegawai", [{"nip": lost}])
    pos = f.reference("nip_atasan", np.ones(3, dtype=bool), parent, "nip", "PEGAWAI_TIDAK_ADA")
    assert pos.tolist() == [-1, -1, 0]
    assert f.broken.tolist() == [True, True, True] and f.clean().empty
