"""The stage flows end to end, as real Prefect flow runs under the test harness, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from flows.executor import stage_flow
from kinerja.demo.generator import generate
from kinerja.errors import GateFailed, StageRefused
from models.db import get_engine
from stages import registry

pytestmark = pytest.mark.slow

TAHUN = 2026


@pytest.fixture(scope="module")
def demo_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "input"
    generate(folder, pegawai=160, tahun=TAHUN, seed=11, bad_rows=True)
    return folder


def _run(stage: str, input_dir: Path, output_dir: Path, db_url: str, **extra: object) -> dict:
    return stage_flow(stage)(tahun=TAHUN, input_dir=str(input_dir), output_dir=str(output_dir),
                              db_url=db_url, **extra)


def _count(db_url: str, table: str) -> int:
    with get_engine(db_url).connect() as conn:
        query = text(f"select count(*) from {table} where tahun = :t")
        return int(conn.execute(query, {"t": TAHUN}).scalar())


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _data_rows(path: Path) -> int:
    return len(pd.read_csv(path, dtype=str))


def test_plan_collection_loads_valid_rows_quarantines_bad_ones_and_reruns_idempotently(
    prefect_harness: None, demo_input: Path, tmp_path: Path, db_url: str
) -> None:
    out = tmp_path / "out"
    first = _run("plan-collection", demo_input, out, db_url)

    karantina = _rows(out / str(TAHUN) / "karantina.csv")
    bad_pegawai = {int(r["baris"]) for r in karantina if r["berkas"] == "pegawai.csv"}
    bad_skp = {int(r["baris"]) for r in karantina if r["berkas"] == "skp.csv"}
    assert bad_pegawai and bad_skp, "the demo data carries deliberate bad rows"
    assert all(r["alasan"] and r["reason"] and r["kode_aturan"] for r in karantina)
    # nothing lost: every data row is either stored or quarantined
    assert _count(db_url, "pegawai") == _data_rows(demo_input / "pegawai.csv") - len(bad_pegawai)
    assert _count(db_url, "indikator_skp") == _data_rows(demo_input / "skp.csv") - len(bad_skp)
    assert (out / str(TAHUN) / "gerbang_plan-collection.html").exists()
    assert first["outcome"] == "berhasil"

    before = {t: _count(db_url, t) for t in ("unit_kerja", "pegawai", "indikator_skp")}
    second = _run("plan-collection", demo_input, out, db_url)
    assert {t: _count(db_url, t) for t in before} == before
    assert second["counts"]["sama_dengan_stage_run"] == first["stage_run_id"]
    assert _rows(out / str(TAHUN) / "karantina.csv") == karantina


def test_plan_collection_updates_in_place_with_corrected_files(
    prefect_harness: None, demo_input: Path, tmp_path: Path, db_url: str
) -> None:
    folder = tmp_path / "input"
    folder.mkdir()
    for name in ("unit_kerja.csv", "pegawai.csv", "skp.csv"):
        (folder / name).write_bytes((demo_input / name).read_bytes())
    out = tmp_path / "out"
    _run("plan-collection", folder, out, db_url)
    stored = _count(db_url, "pegawai")

    pegawai = pd.read_csv(folder / "pegawai.csv", dtype=str, keep_default_na=False)
    nip = pegawai.loc[pegawai["nip_atasan"] != "", "nip"].iloc[0]
    pegawai.loc[pegawai["nip"] == nip, "nama"] = "Nama Sudah Dibetulkan"
    pegawai.to_csv(folder / "pegawai.csv", index=False, lineterminator="\n")
    _run("plan-collection", folder, out, db_url)

    assert _count(db_url, "pegawai") == stored
    with get_engine(db_url).connect() as conn:
        nama = conn.execute(text("select nama from pegawai where nip = :n and tahun = :t"),
                            {"n": nip, "t": TAHUN}).scalar()
    assert nama == "Nama Sudah Dibetulkan"


def test_validation_reports_completeness_per_unit(
    prefect_harness: None, demo_input: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'k.db'}"
    result = _run("validation", demo_input, tmp_path / "out", db)
    html = (tmp_path / "out" / str(TAHUN) / "gerbang_validation.html").read_text(encoding="utf-8")
    units = pd.read_csv(demo_input / "unit_kerja.csv", dtype=str)
    assert result["counts"]["unit"] == len(units)
    assert "LULUS" in html
    assert units["kode_unit"].iloc[0] in html
    assert "pegawai.atasan.siklus" in html and "skp.kaskade" in html


def test_a_gate_that_must_fail_stops_the_stage_and_keeps_every_row(
    prefect_harness: None, demo_input: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "input"
    folder.mkdir()
    for name in ("unit_kerja.csv", "skp.csv"):
        (folder / name).write_bytes((demo_input / name).read_bytes())
    pegawai = pd.read_csv(demo_input / "pegawai.csv", dtype=str, keep_default_na=False)
    broken = pegawai.index % 2 == 0
    pegawai.loc[broken, "nip"] = pegawai.loc[broken, "nip"].str[:10]  # half the NIPs too short
    pegawai.to_csv(folder / "pegawai.csv", index=False, lineterminator="\n")
    db = f"sqlite:///{tmp_path / 'k.db'}"

    with pytest.raises(GateFailed) as failure:
        _run("plan-collection", folder, tmp_path / "out", db)

    report = tmp_path / "out" / str(TAHUN) / "gerbang_plan-collection.html"
    assert failure.value.report_path == report and report.exists()
    assert "GAGAL" in report.read_text(encoding="utf-8")
    karantina = _rows(tmp_path / "out" / str(TAHUN) / "karantina.csv")
    short = {int(r["baris"]) for r in karantina
             if r["berkas"] == "pegawai.csv" and r["kode_aturan"] == "NIP_FORMAT"}
    assert short == {i + 2 for i in pegawai.index[broken]}
    assert _count(db, "pegawai") == 0, "a failed gate writes nothing"
    with get_engine(db).connect() as conn:
        outcome = conn.execute(text("select outcome from stage_run order by id desc")).scalar()
    assert outcome == "gerbang_gagal"


def test_training_refuses_to_run_before_year_end(
    prefect_harness: None, demo_input: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'k.db'}"
    with pytest.raises(StageRefused, match="year-end"):
        _run("training", demo_input, tmp_path / "out", db)


def test_training_refuses_when_year_end_inputs_changed_since_scoring(
    prefect_harness: None, demo_input: Path, tmp_path: Path
) -> None:
    db, input_dir = f"sqlite:///{tmp_path / 'k.db'}", tmp_path / "input"
    shutil.copytree(demo_input, input_dir)
    for stage in ("plan-collection", "year-end"):
        _run(stage, input_dir, tmp_path / "out", db, **({"dokumen": "tidak"} if stage == "year-end" else {}))
    perilaku = input_dir / "perilaku.csv"
    perilaku.write_text(perilaku.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(StageRefused, match="perilaku.csv"):
        _run("training", input_dir, tmp_path / "out", db)


def test_training_reuses_the_year_end_result_of_the_same_process_with_identical_output(
    prefect_harness: None, demo_input: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import penilaian.year_end
    from stages.cache import process_cache

    db, out = f"sqlite:///{tmp_path / 'k.db'}", tmp_path / "out"
    for stage in ("plan-collection", "year-end"):
        _run(stage, demo_input, out, db, **({"dokumen": "tidak"} if stage == "year-end" else {}))
    scored: list[int] = []
    real = penilaian.year_end.score_year_end
    monkeypatch.setattr(penilaian.year_end, "score_year_end", lambda *a: scored.append(1) or real(*a))
    year = out / str(TAHUN)

    _run("training", demo_input, out, db)
    assert scored == []  # taken from the year-end stage just run
    reused = {p.name: p.read_bytes() for p in year.glob("*.csv")} | {
        p.name: p.read_bytes() for p in year.glob("ringkasan_*.html")}
    process_cache().year_end.clear()  # as in a new process
    _run("training", demo_input, out, db)
    assert scored == [1]
    fresh = {p.name: p.read_bytes() for p in year.glob("*.csv")} | {
        p.name: p.read_bytes() for p in year.glob("ringkasan_*.html")}
    assert "rekomendasi_pelatihan.csv" in fresh and reused == fresh


def test_whole_cycle_writes_every_output_and_is_byte_identical_on_rerun(
    prefect_harness: None, demo_input: Path, tmp_path: Path, db_url: str
) -> None:
    out_a, out_b = tmp_path / "a", tmp_path / "b"
    for stage in registry.names():
        _run(stage, demo_input, out_a, db_url)
    year = out_a / str(TAHUN)
    for name in ("karantina.csv", "pemantauan_tengah_tahun.csv", "hasil_penilaian.csv", "bias_penilai.csv",
                 "rekomendasi_pelatihan.csv", "gerbang_plan-collection.html", "gerbang_validation.html",
                 "gerbang_mid-year.html", "gerbang_year-end.html", "gerbang_training.html"):
        assert (year / name).exists(), name
    hasil = pd.read_csv(year / "hasil_penilaian.csv", dtype=str)
    assert list(hasil.columns) == ["nip", "nama", "kode_unit", "capaian_hasil_kerja", "rating_hasil_kerja",
                                   "nilai_perilaku", "rating_perilaku", "predikat", "predikat_final",
                                   "alasan_kalibrasi"]
    assert hasil["nip"].is_monotonic_increasing
    assert len(list((year / "dokumen").glob("*.html"))) == len(hasil)
    assert _count(db_url, "hasil_penilaian") == len(hasil)
    units = pd.read_csv(demo_input / "unit_kerja.csv", dtype=str)["kode_unit"]
    assert all((year / f"ringkasan_{kode}.html").exists() for kode in units)

    # A second, independent run on a fresh database gives the same bytes.
    db_b = f"sqlite:///{tmp_path / 'b.db'}"
    for stage in registry.names():
        _run(stage, demo_input, out_b, db_b)
    for path in sorted(p for p in year.rglob("*") if p.is_file()):
        twin = out_b / str(TAHUN) / path.relative_to(year)
        assert path.read_bytes() == twin.read_bytes(), path.name


def test_documents_can_be_limited_to_one_unit_or_skipped(
    prefect_harness: None, demo_input: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'k.db'}"
    out = tmp_path / "out"
    _run("year-end", demo_input, out, db, dokumen="tidak")
    assert not list((out / str(TAHUN)).glob("dokumen/*.html"))
    hasil = pd.read_csv(out / str(TAHUN) / "hasil_penilaian.csv", dtype=str)
    unit = hasil["kode_unit"].iloc[0]
    _run("year-end", demo_input, tmp_path / "out2", db, dokumen=f"unit:{unit}")
    written = {p.stem for p in (tmp_path / "out2" / str(TAHUN) / "dokumen").glob("*.html")}
    assert written == set(hasil.loc[hasil["kode_unit"] == unit, "nip"])


def test_stage_run_records_what_ran(prefect_harness: None, demo_input: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'k.db'}"
    result = _run("plan-collection", demo_input, tmp_path / "out", db)
    with get_engine(db).connect() as conn:
        query = text("select * from stage_run where id = :i")
        row = conn.execute(query, {"i": result["stage_run_id"]}).mappings().one()
    checksums = json.loads(row["input_checksums"])
    assert set(checksums) == {"unit_kerja.csv", "pegawai.csv", "skp.csv"}
    assert all(len(v) == 64 for v in checksums.values())
    assert row["flow_run_name"] == f"plan-collection-{TAHUN}"
    assert row["ruleset_label"].startswith("permenpan-6-2022")
    assert row["outcome"] == "berhasil" and row["finished_at"] is not None


def test_a_decreasing_cumulative_realisation_is_a_warning_not_a_stop(
    prefect_harness: None, demo_input: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "input"
    shutil.copytree(demo_input, folder)
    realisasi = pd.read_csv(folder / "realisasi.csv", dtype=str, keep_default_na=False)
    skp = pd.read_csv(folder / "skp.csv", dtype=str, keep_default_na=False)
    naik = set(skp.loc[skp["arah"] == "naik", "id_indikator"])
    row = realisasi.index[realisasi["id_indikator"].isin(naik) & realisasi["periode"].str.endswith("-12")][0]
    realisasi.loc[row, "realisasi"] = "0"
    realisasi.to_csv(folder / "realisasi.csv", index=False, lineterminator="\n")

    result = _run("validation", folder, tmp_path / "out", f"sqlite:///{tmp_path / 'k.db'}")

    assert result["outcome"] == "berhasil" and result["counts"]["peringatan"] >= 1
    html = (tmp_path / "out" / str(TAHUN) / "gerbang_validation.html").read_text(encoding="utf-8")
    assert "peringatan.realisasi_turun" in html
    karantina = _rows(tmp_path / "out" / str(TAHUN) / "karantina.csv")
    assert not [r for r in karantina if r["berkas"] == "realisasi.csv" and int(r["baris"]) == row + 2]
