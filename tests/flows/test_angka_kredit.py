"""Angka kredit in the training stage end to end: functional officials' credit from the predikat that stands
(after an accepted objection, not predikat_final), worked out by hand; the rows set aside in the quarantine
(no standing predikat, not a functional official, a golongan outside the jenjang); the tables, the CSV, the
documents; an identical re-run writes nothing; without angka_kredit.csv the stage passes with a header-only
angka_kredit_hasil.csv and leaves no angka kredit rows of the year."""

from __future__ import annotations

import csv
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from models.db import get_engine
from tests.flows.stage_calls import TAHUN, count, csv_rows, run

pytestmark = pytest.mark.slow

HEADER = ["nip", "jenjang", "golongan", "predikat_ditetapkan", "persentase", "koefisien", "bulan", "ak_tahun",
          "ak_awal", "ak_kumulatif", "langkah_berikutnya", "ambang", "memenuhi", "kekurangan"]
PERSEN = {"Sangat Baik": 150, "Baik": 100, "Butuh Perbaikan": 75, "Kurang": 50, "Sangat Kurang": 25}
# ahli_madya IV/b (the 2nd golongan of IV/a–IV/c), ak_awal 250, a whole year: the next pangkat at 2 × 150;
# ak_tahun = 1.5 / 1 / 0.75 / 0.5 / 0.25 × 37.5 -> (ak_tahun, ak_kumulatif, memenuhi, kekurangan)
AHLI_MADYA_IV_B = {
    "Sangat Baik": ("56.25", "306.25", "ya", "0.00"),
    "Baik": ("37.50", "287.50", "tidak", "12.50"),
    "Butuh Perbaikan": ("28.13", "278.13", "tidak", "21.88"),  # 28.125, 278.125, 21.875: half up
    "Kurang": ("18.75", "268.75", "tidak", "31.25"),
    "Sangat Kurang": ("9.38", "259.38", "tidak", "40.63"),  # 9.375, 259.375, 40.625
}
# terampil II/d (the last of II/b–II/d), ak_awal 55: the next jenjang (mahir) at 60, ak_tahun = p × 5
TERAMPIL_II_D = {
    "Sangat Baik": ("7.50", "62.50", "ya", "0.00"),
    "Baik": ("5.00", "60.00", "ya", "0.00"),  # exactly the threshold meets it
    "Butuh Perbaikan": ("3.75", "58.75", "tidak", "1.25"),
    "Kurang": ("2.50", "57.50", "tidak", "2.50"),
    "Sangat Kurang": ("1.25", "56.25", "tidak", "3.75"),
}


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _write(path: Path, frame: pd.DataFrame) -> None:
    frame.to_csv(path, index=False, lineterminator="\n")


def _2(x: Decimal) -> str:
    return str(x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _prepare(demo_input: Path, folder: Path) -> str:
    """The demo input with every accepted objector made a functional official, and one functional official
    left without any behaviour rating (so not scored: no predikat stands for them); that one's nip."""
    shutil.copytree(demo_input, folder)
    pegawai = _read(folder / "pegawai.csv")
    keberatan = _read(folder / "keberatan.csv")
    diterima = set(keberatan.loc[keberatan["keputusan"] == "diterima", "nip"])
    pegawai.loc[pegawai["nip"].isin(diterima), "jenis_jabatan"] = "fungsional"
    _write(folder / "pegawai.csv", pegawai)
    untouched = set(pegawai["nip"].value_counts().loc[lambda c: c == 1].index)
    spared = diterima | set(keberatan["nip"]) | set(_read(folder / "rating_atasan.csv")["nip"])
    perilaku = _read(folder / "perilaku.csv")
    candidates = pegawai[(pegawai["jenis_jabatan"] == "fungsional") & pegawai["nip"].isin(untouched)
                         & ~pegawai["nip"].isin(spared) & pegawai["nip"].isin(set(perilaku["nip"]))]
    unscored = sorted(candidates["nip"])[0]
    _write(folder / "perilaku.csv", perilaku[perilaku["nip"] != unscored])
    return unscored


def test_angka_kredit_from_the_standing_predikat_quarantine_tables_documents_and_rerun(
    prefect_harness: None, demo_input: Path, tmp_path: Path, db_url: str
) -> None:
    folder, out = tmp_path / "input", tmp_path / "out"
    unscored = _prepare(demo_input, folder)
    year = out / str(TAHUN)
    run("year-end", folder, out, db_url, dokumen="tidak")
    run("objection", folder, out, db_url, dokumen="tidak")

    akhir = _read(year / "hasil_penilaian_akhir.csv").set_index("nip")
    assert unscored not in akhir.index
    pegawai = _read(folder / "pegawai.csv").drop_duplicates("nip").set_index("nip")
    once = _read(folder / "pegawai.csv")["nip"].value_counts().loc[lambda c: c == 1].index
    fungsional = [n for n in akhir.index if n in once and pegawai.loc[n, "jenis_jabatan"] == "fungsional"]
    moved = sorted(n for n in fungsional
                   if akhir.loc[n, "predikat_ditetapkan"] != akhir.loc[n, "predikat_final"])
    assert moved, "an accepted objection changed a functional official's predikat"
    objector = moved[0]
    others = [n for n in fungsional if n not in moved]
    baik = next(n for n in others if akhir.loc[n, "predikat_ditetapkan"] == "Baik")
    madya, terampil, penyelia, salah = [n for n in others if n != baik][:4]
    pelaksana = next(n for n in akhir.index if pegawai.loc[n, "jenis_jabatan"] == "pelaksana")
    # one row per case; lines 2..9
    _write(folder / "angka_kredit.csv", pd.DataFrame([
        (baik, "ahli_pertama", "III/a", "40", "2"),  # BKN's worked example: 2/12 × 100% × 12.5 = 2.08
        (madya, "ahli_madya", "IV/b", "250", ""),  # empty bulan: a whole year
        (terampil, "terampil", "II/d", "55", "12"),
        (penyelia, "penyelia", "III/d", "230.5", "12"),  # the top: no next step
        (objector, "ahli_muda", "III/c", "90", "12"),
        (unscored, "ahli_pertama", "III/b", "60", "12"),  # line 7: no standing predikat
        (pelaksana, "terampil", "II/c", "25", "12"),  # line 8: not a functional official
        (salah, "ahli_muda", "II/a", "10", "12"),  # line 9: ahli_muda is III/c–III/d
    ], columns=["nip", "jenjang", "golongan", "ak_awal", "bulan"]))

    first = run("training", folder, out, db_url)

    assert first["outcome"] == "berhasil"
    with (year / "angka_kredit_hasil.csv").open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == HEADER
    got = {r["nip"]: r for r in csv_rows(year / "angka_kredit_hasil.csv")}
    assert list(got) == sorted([baik, madya, terampil, penyelia, objector])

    def predikat(nip: str) -> str:
        return akhir.loc[nip, "predikat_ditetapkan"]

    def persen(nip: str) -> str:
        return f"{PERSEN[predikat(nip)]}.00"

    expected = {
        baik: [baik, "ahli_pertama", "III/a", "Baik", "100.00", "12.50", "2", "2.08", "40.00", "42.08",
               "pangkat", "50.00", "tidak", "7.92"],
        madya: [madya, "ahli_madya", "IV/b", predikat(madya), persen(madya), "37.50", "12",
                AHLI_MADYA_IV_B[predikat(madya)][0], "250.00", AHLI_MADYA_IV_B[predikat(madya)][1], "pangkat",
                "300.00", *AHLI_MADYA_IV_B[predikat(madya)][2:]],
        terampil: [terampil, "terampil", "II/d", predikat(terampil), persen(terampil), "5.00", "12",
                   TERAMPIL_II_D[predikat(terampil)][0], "55.00", TERAMPIL_II_D[predikat(terampil)][1],
                   "jenjang", "60.00", *TERAMPIL_II_D[predikat(terampil)][2:]],
    }
    for nip, awal, koefisien, langkah, ambang in ((penyelia, "230.5", 25, "puncak", None),
                                                  (objector, "90", 25, "pangkat", Decimal(100))):
        tahun_ini = Decimal(PERSEN[predikat(nip)]) / 100 * koefisien
        kumulatif = Decimal(awal) + tahun_ini
        jenjang, golongan = ("penyelia", "III/d") if nip == penyelia else ("ahli_muda", "III/c")
        expected[nip] = [nip, jenjang, golongan, predikat(nip), persen(nip), f"{koefisien}.00", "12",
                         _2(tahun_ini), _2(Decimal(awal)), _2(kumulatif), langkah,
                         "" if ambang is None else _2(ambang),
                         "ya" if ambang is not None and kumulatif >= ambang else "tidak",
                         "" if ambang is None else _2(max(Decimal(0), ambang - kumulatif))]
    for nip, row in expected.items():
        assert [got[nip][c] for c in HEADER] == row, nip
    # the objection's predikat converts, not the year-end one
    assert got[objector]["predikat_ditetapkan"] != akhir.loc[objector, "predikat_final"]
    before = Decimal(PERSEN[akhir.loc[objector, "predikat_final"]]) / 100 * 25
    assert got[objector]["ak_tahun"] != _2(before)

    # the rows set aside, each with its rule, under training
    quarantined = {(int(r["baris"]), r["kode_aturan"], r["tahap"]) for r in csv_rows(year / "karantina.csv")
                   if r["berkas"] == "angka_kredit.csv"}
    assert quarantined == {(7, "AK_TANPA_PREDIKAT", "training"), (8, "BUKAN_FUNGSIONAL", "training"),
                           (9, "GOLONGAN_JENJANG", "training")}
    report = (year / "gerbang_training.html").read_text(encoding="utf-8")
    assert "angka_kredit.tanpa_predikat" in report

    reached = [r for r in expected.values() if r[12] == "ya"]
    counts = first["counts"]
    assert (counts["ak_dihitung"], counts["ak_dikarantina"]) == (5, 3)
    assert counts["naik_pangkat"] == sum(r[10] == "pangkat" for r in reached)
    assert counts["naik_jenjang"] == sum(r[10] == "jenjang" for r in reached)

    # stored: the rows as filed that passed the value rules (with their line), and the conversion
    with get_engine(db_url).connect() as conn:
        filed = conn.execute(text("select baris, nip, bulan from angka_kredit where tahun = :t "
                                  "order by baris"), {"t": TAHUN}).all()
        stored = conn.execute(text("select nip, ak_kumulatif, memenuhi, stage_run_id from angka_kredit_hasil "
                                   "where tahun = :t order by nip"), {"t": TAHUN}).all()
    assert [(b, n) for b, n, _ in filed] == [(2, baik), (3, madya), (4, terampil), (5, penyelia),
                                             (6, objector), (7, unscored), (9, salah)]
    assert filed[1][2] is None and filed[0][2] == 2  # an empty bulan is stored empty
    assert [n for n, *_ in stored] == sorted(expected)
    assert {n: (pytest.approx(k, abs=0.0051), m) for n, k, m, _ in stored} == {
        n: (float(r[9]), r[12]) for n, r in expected.items()}
    assert {s for *_, s in stored} == {first["stage_run_id"]}
    assert stored[[n for n, *_ in stored].index(baik)][1] == pytest.approx(40 + 2 / 12 * 12.5, abs=1e-12)

    # documents of the converted officials only (year-end and objection wrote none here), with the section
    documents = sorted(p.stem for p in (year / "dokumen").glob("*.html"))
    assert documents == sorted(expected)
    assert "Angka Kredit" in (year / "dokumen" / f"{baik}.html").read_text(encoding="utf-8")

    files = {p.name: p.read_bytes() for p in year.glob("*.csv")}
    again = run("training", folder, out, db_url)
    assert again["counts"]["sama_dengan_stage_run"] == first["stage_run_id"]
    assert {k: v for k, v in again["counts"].items() if k.startswith("angka_kredit") and k.endswith(
        "_ditulis")} == {"angka_kredit_ditulis": 0, "angka_kredit_hasil_ditulis": 0}
    assert {p.name: p.read_bytes() for p in year.glob("*.csv")} == files
    assert (count(db_url, "angka_kredit"), count(db_url, "angka_kredit_hasil")) == (7, 5)


def test_without_angka_kredit_csv_training_passes_with_a_header_only_result_and_no_rows(
    prefect_harness: None, demo_input: Path, tmp_path: Path, sqlite_url: str
) -> None:
    folder, out = tmp_path / "input", tmp_path / "out"
    shutil.copytree(demo_input, folder)
    year = out / str(TAHUN)
    for stage in ("year-end", "objection"):
        run(stage, folder, out, sqlite_url, dokumen="tidak")
    with_file = run("training", folder, out, sqlite_url, dokumen="tidak")
    assert with_file["counts"]["ak_dihitung"] > 0 and count(sqlite_url, "angka_kredit_hasil") > 0

    (folder / "angka_kredit.csv").unlink()  # an optional file: objection does not read it
    without = run("training", folder, out, sqlite_url)

    assert without["outcome"] == "berhasil"
    assert (year / "angka_kredit_hasil.csv").read_text(encoding="utf-8") == ",".join(HEADER) + "\n"
    assert {k: without["counts"][k] for k in ("ak_dihitung", "naik_pangkat", "naik_jenjang",
                                               "ak_dikarantina")} == dict.fromkeys(
        ("ak_dihitung", "naik_pangkat", "naik_jenjang", "ak_dikarantina"), 0)
    # the year's angka kredit rows of the earlier run are replaced by none; no document re-rendered
    assert (count(sqlite_url, "angka_kredit"), count(sqlite_url, "angka_kredit_hasil")) == (0, 0)
    assert not (year / "dokumen").exists()
    assert not [r for r in csv_rows(year / "karantina.csv") if r["berkas"] == "angka_kredit.csv"]
