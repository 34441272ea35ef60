"""The year-end flow end to end: scores stored and reported, documents limited by `dokumen`; and a batch
without behaviour ratings that must fail its gate."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from contract.schema import PREDIKAT_ORGANISASI
from kinerja.errors import GateFailed
from models.db import get_engine
from tests.flows.stage_calls import TAHUN, count, header_only, last_outcome, missing_outputs, run

pytestmark = pytest.mark.slow


def test_year_end_scores_stores_and_reports_every_scored_employee(
    prefect_harness: None, demo_input: Path, tmp_path: Path, db_url: str
) -> None:
    result = run("year-end", demo_input, tmp_path / "out", db_url)

    year = tmp_path / "out" / str(TAHUN)
    assert result["outcome"] == "berhasil"
    assert missing_outputs("year-end", year) == []
    hasil = pd.read_csv(year / "hasil_penilaian.csv", dtype=str)
    with get_engine(db_url).connect() as conn:
        stored = dict(conn.execute(text("select nip, predikat_final from hasil_penilaian where tahun = :t"),
                                   {"t": TAHUN}).all())
        realisasi = conn.execute(text("select count(*), count(distinct id_indikator) from realisasi "
                                      "where tahun = :t"), {"t": TAHUN}).one()
    assert stored == dict(zip(hasil["nip"], hasil["predikat_final"], strict=True))
    assert realisasi[0] == realisasi[1] > 0, "one realisation row per indicator"
    counts = result["counts"]
    assert counts["dinilai"] == counts["hasil_penilaian_ditulis"] == len(hasil) > 0
    by_predikat = {k.removeprefix("predikat_final."): v for k, v in counts.items()
                   if k.startswith("predikat_final.")}
    assert by_predikat == hasil["predikat_final"].value_counts().to_dict()
    assert {p.stem for p in (year / "dokumen").glob("*.html")} == set(hasil["nip"])


def test_documents_can_be_limited_to_one_unit_or_skipped(
    prefect_harness: None, demo_input: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'k.db'}"
    out = tmp_path / "out"
    run("year-end", demo_input, out, db, dokumen="tidak")
    assert not list((out / str(TAHUN)).glob("dokumen/*.html"))
    hasil = pd.read_csv(out / str(TAHUN) / "hasil_penilaian.csv", dtype=str)
    unit = hasil["kode_unit"].iloc[0]
    run("year-end", demo_input, tmp_path / "out2", db, dokumen=f"unit:{unit}")
    written = {p.stem for p in (tmp_path / "out2" / str(TAHUN) / "dokumen").glob("*.html")}
    assert written == set(hasil.loc[hasil["kode_unit"] == unit, "nip"])


def test_year_end_without_behaviour_ratings_stops_at_its_gate(
    prefect_harness: None, demo_input: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "input"
    shutil.copytree(demo_input, folder)
    header_only(folder, "perilaku.csv")
    db = f"sqlite:///{tmp_path / 'k.db'}"

    with pytest.raises(GateFailed) as failure:
        run("year-end", folder, tmp_path / "out", db)

    report = tmp_path / "out" / str(TAHUN) / "gerbang_year-end.html"
    assert failure.value.report_path == report
    assert "GAGAL" in report.read_text(encoding="utf-8")
    assert not (report.parent / "hasil_penilaian.csv").exists()
    assert {table: count(db, table) for table in ("hasil_penilaian", "realisasi", "perilaku")} == \
        {"hasil_penilaian": 0, "realisasi": 0, "perilaku": 0}, "a failed gate writes nothing"
    assert last_outcome(db) == "gerbang_gagal"


def test_units_quarantined_for_their_predikat_fail_the_gate_naming_them(
    prefect_harness: None, demo_input: Path, tmp_path: Path, db_url: str
) -> None:
    """Issue 16.1: blanking predikat_organisasi of staffed units used to pass year-end with their staff
    silently set aside (INDUK_DIKARANTINA); the units still count as staffed, their staff as not scored,
    so the gate stops the stage and its message names the units."""
    folder = tmp_path / "input"
    shutil.copytree(demo_input, folder)
    units = pd.read_csv(folder / "unit_kerja.csv", dtype=str, keep_default_na=False)
    pegawai = pd.read_csv(folder / "pegawai.csv", dtype=str, keep_default_na=False)
    sizes = pegawai.loc[pegawai["kode_unit"].isin(units["kode_unit"]), "kode_unit"].value_counts()
    staffed = [str(sizes.index[-1])]  # the smallest staffed unit: the input gate's shares stay within bounds
    units.loc[units["kode_unit"].isin(staffed), "predikat_organisasi"] = ""
    units.to_csv(folder / "unit_kerja.csv", index=False)

    with pytest.raises(GateFailed) as failure:
        run("year-end", folder, tmp_path / "out", db_url, dokumen="tidak")

    message = str(failure.value)
    kode, n = "unit_kerja.predikat_organisasi", len(staffed)
    assert f"{kode} (unit berpegawai memiliki predikat_organisasi; {n} dari" in message
    assert f"{kode} (every unit with staff has a predikat_organisasi; {n} of" in message
    assert all(kode in message for kode in staffed), message
    checks = {c.kode: c for c in failure.value.result.checks}
    predikat = checks["unit_kerja.predikat_organisasi"]
    assert not predikat.lulus and predikat.gagal == len(staffed)
    # what to do, naming the units (Indonesian, English)
    pilihan = ", ".join(PREDIKAT_ORGANISASI)
    assert predikat.perbaikan == (f"isi predikat_organisasi ({pilihan}) untuk unit {staffed[0]} di "
                                  "unit_kerja.csv lalu jalankan ulang tahap")
    assert predikat.fix == (f"fill in predikat_organisasi ({pilihan}) for unit {staffed[0]} in "
                            "unit_kerja.csv, then re-run the stage")
    instansi = units.loc[units["kode_unit"] == staffed[0], "kode_instansi"].iloc[0]
    unscored = checks[f"penilaian.tidak_dinilai.{instansi}"]
    karantina = pd.read_csv(tmp_path / "out" / str(TAHUN) / "karantina.csv", dtype=str, keep_default_na=False)
    set_aside = karantina[(karantina["berkas"] == "pegawai.csv")
                          & (karantina["kode_aturan"] == "INDUK_DIKARANTINA")
                          & karantina["nilai"].isin(staffed)]
    assert len(set_aside) == int(pegawai["kode_unit"].isin(staffed).sum()) > 0
    assert unscored.gagal >= len(set_aside), "the units' staff count as not scored"
    assert unscored.diperiksa > unscored.gagal
    assert count(db_url, "hasil_penilaian") == 0, "a failed gate writes nothing"
    assert last_outcome(db_url) == "gerbang_gagal"
