"""bench/run.py's variants (BENCH_DB, BENCH_EXECUTOR): how they are named, saved, compared with the
sqlite-lokal run and shown side by side, without running the benchmark."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bench import report, variants, year_view
from bench import run as bench

GIB = 2**30
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def test_unset_or_sqlite_is_the_reference_run():
    assert variants.variant_from_env({}) == variants.REFERENCE
    assert variants.variant_from_env({"BENCH_DB": "sqlite", "BENCH_EXECUTOR": "lokal"}).reference
    assert variants.REFERENCE.name == "sqlite-lokal"


def test_a_postgresql_url_and_dask_make_their_own_variant():
    variant = variants.variant_from_env({"BENCH_DB": PG, "BENCH_EXECUTOR": "dask"})
    assert (variant.db, variant.executor, variant.url) == ("postgresql", "dask", PG)
    assert variant.name == "postgresql-dask" and variant.label == "postgresql/dask"
    assert not variant.reference
    assert variants.variant_from_env({"BENCH_EXECUTOR": "dask"}).name == "sqlite-dask"


@pytest.mark.parametrize("env", [{"BENCH_DB": "mysql://x"}, {"BENCH_EXECUTOR": "spark"}])
def test_an_unknown_database_or_executor_is_refused(env):
    with pytest.raises(SystemExit, match="tidak dikenal"):
        variants.variant_from_env(env)


def test_a_fresh_sqlite_file_per_run(tmp_path):
    for name in ("kinerja.db", "kinerja.db-wal", "kinerja.db-shm"):
        (tmp_path / name).write_text("old")
    assert bench._database(10, tmp_path, variants.REFERENCE) == f"sqlite:///{tmp_path / 'kinerja.db'}"
    assert list(tmp_path.iterdir()) == []


def test_a_fresh_postgresql_database_per_size(postgres_url):
    from sqlalchemy import create_engine, text

    variant = variants.Variant("postgresql", "lokal", postgres_url)
    n = 7_654_321  # a size no benchmark runs
    url = bench._database(n, Path("/nonexistent"), variant)
    try:
        assert url.endswith(f"/kinerja_bench_{n}")
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("create table sisa (x int)"))
        engine.dispose()
        assert bench._database(n, Path("/nonexistent"), variant) == url  # dropped and created again
        engine = create_engine(url)
        with engine.connect() as conn:
            assert conn.execute(text("select count(*) from pg_tables where tablename = 'sisa'")).scalar() == 0
        engine.dispose()
    finally:
        from sqlalchemy.engine import make_url

        admin = create_engine(make_url(postgres_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "kinerja_bench_{n}" WITH (FORCE)')
        admin.dispose()


# ---------------------------------------------------------------- compared with the sqlite-lokal run


def _run_folder(root: Path, nilai: str = "Baik", stage_run_id: int = 1, waktu: str = "09:00:01") -> Path:
    """A run's work folder as run_size leaves it: out/<tahun> and the SQLite file."""
    year = root / "out" / str(bench.TAHUN)
    year.mkdir(parents=True)
    (year / "hasil_penilaian.csv").write_text(f"nip,predikat_final\n1,{nilai}\n")
    (year / "index.html").write_text(f"<td>2026-12-02 {waktu} WIB</td><td>3 dtk</td><p>{nilai}</p>")
    with sqlite3.connect(root / "kinerja.db") as conn:
        conn.execute("create table hasil_penilaian (nip text, predikat_final text, stage_run_id int)")
        conn.execute("insert into hasil_penilaian values ('1', ?, ?)", (nilai, stage_run_id))
    return root


def test_the_same_outputs_and_tables_are_identical_whatever_the_run_times_and_ids(tmp_path):
    reference = _run_folder(tmp_path / "kerja-sqlite-lokal")
    other = _run_folder(tmp_path / "kerja-postgresql-dask", stage_run_id=9, waktu="10:11:12")
    same = bench.identical(reference, other, f"sqlite:///{other / 'kinerja.db'}")
    assert same == {"ya": True, "beda": [], "berkas": 2, "tabel": 1}
    assert not (other / "banding").exists()  # the dumps are removed when nothing differs
    assert report._identical_text({"db": "postgresql", "executor": "dask", "identik": same}) == \
        "ya (2 berkas, 1 tabel)"


def test_a_different_output_or_table_is_named_first_file_first(tmp_path):
    reference = _run_folder(tmp_path / "kerja-sqlite-lokal")
    other = _run_folder(tmp_path / "kerja-postgresql-lokal", nilai="Kurang")
    same = bench.identical(reference, other, f"sqlite:///{other / 'kinerja.db'}")
    assert same["ya"] is False
    assert same["beda"] == ["out/2026/hasil_penilaian.csv", "out/2026/index.html", "tabel/hasil_penilaian"]
    assert (other / "banding" / "acuan" / "hasil_penilaian.csv").exists()  # kept to look at
    text = report._identical_text({"db": "postgresql", "executor": "lokal", "identik": same})
    assert text == "**tidak**: out/2026/hasil_penilaian.csv +2"


def test_without_a_reference_run_nothing_is_compared(tmp_path):
    other = _run_folder(tmp_path / "kerja-postgresql-lokal")
    same = bench.identical(tmp_path / "kerja-sqlite-lokal", other, f"sqlite:///{other / 'kinerja.db'}")
    assert "tidak ada run sqlite/lokal" in same["catatan"]
    assert report._identical_text({"db": "postgresql", "identik": same}) == same["catatan"]


# ---------------------------------------------------------------- saved and shown side by side


def _stage(tahap: str, wall: float, peak_gib: float, workers_gib: float | None = None) -> dict:
    times = dict.fromkeys(bench.measure.COLUMNS, 0.0) | {"hitung": wall / 2, "prefect": 0.1}
    stage = {"tahap": tahap, "wall": wall, "peak_rss": int(peak_gib * GIB), "rows": 1_000, "floor": 0.5,
             "times": times}
    if workers_gib is not None:
        stage["peak_rss_pekerja"] = int(workers_gib * GIB)
    return stage


def _result(n: int, db: str | None, executor: str | None, **extra: object) -> dict:
    res = {"pegawai": n, "stages": [_stage("mid-year", 2.0, 0.5, extra.pop("pekerja", None))]} | extra
    if db is not None:
        res |= {"db": db, "executor": executor}
    return res


def test_saved_results_are_every_variant_of_a_size_reference_first(tmp_path):
    for n, name, db, executor in ((10, "hasil-postgresql-dask", "postgresql", "dask"),
                                  (10, "hasil-sqlite-lokal", "sqlite", "lokal"),
                                  (10, "hasil-postgresql-lokal", "postgresql", "lokal"),
                                  (20, "hasil", None, None)):
        (tmp_path / str(n)).mkdir(exist_ok=True)
        (tmp_path / str(n) / f"{name}.json").write_text(json.dumps(_result(n, db, executor)))
    (tmp_path / "10" / "hasil.json").write_text(json.dumps(_result(10, None, None)))  # older: replaced
    found = [(r["pegawai"], variants.variant_of(r).name) for r in bench.saved_results(tmp_path, None)]
    assert found == [(10, "sqlite-lokal"), (10, "postgresql-lokal"), (10, "postgresql-dask"),
                     (20, "sqlite-lokal")]
    assert [r["pegawai"] for r in bench.saved_results(tmp_path, [20])] == [20]


def test_the_table_names_database_and_executor_worker_peak_and_identity():
    results = [
        _result(10_000, None, None),  # saved before variants
        _result(10_000, "postgresql", "dask", pekerja=0.75, identik={"ya": True, "beda": [], "berkas": 60,
                                                                     "tabel": 27}),
    ]
    head, body = report._rows_table(results)
    assert head[:8] == ["pegawai", "db", "executor", "tahap", "wall s", "peak RSS GiB",
                        "+ salinan laporan GiB", "peak pekerja GiB"]
    assert head[-1] == "identik"
    col = {name: head.index(name) for name in head}
    stage, cycle, dask_stage, dask_cycle = body
    assert stage[:8] == ["10,000", "sqlite", "lokal", "mid-year", "2.0", "0.50", "-", "-"]
    assert stage[col["identik"]] == ""
    assert cycle[col["tahap"]] == "**siklus / cycle**" and cycle[col["identik"]] == "acuan / reference"
    assert dask_stage[:8] == ["10,000", "postgresql", "dask", "mid-year", "2.0", "0.50", "-", "0.75"]
    assert dask_cycle[col["peak pekerja GiB"]] == "0.75"
    assert dask_cycle[col["identik"]] == "ya (60 berkas, 27 tabel)"


def test_markdown_puts_the_variants_of_a_size_side_by_side():
    machine = {"tanggal": "2026-12-02 10:00 UTC", "cpu": "x"}
    results = [_result(100_000, "sqlite", "lokal", beban="1.00 1.00 1.00"),
               _result(100_000, "postgresql", "lokal", beban="1.50 1.00 1.00",
                       tanggal="2026-12-02 10:05 UTC")]
    text = report.markdown(results, machine, {})
    assert "| 100,000 | sqlite | lokal | mid-year |" in text
    assert "| 100,000 | postgresql | lokal | mid-year |" in text
    assert "load when 100,000 postgresql/lokal finished (2026-12-02 10:05 UTC): 1.50 1.00 1.00" in text
    targets = [line for line in text.splitlines() if line.startswith("- 100,000")]
    assert targets[0].startswith("- 100,000: wall 2 s")
    assert targets[1].startswith("- 100,000 (postgresql/lokal): wall 2 s")


def test_year_view_rows_carry_the_variant():
    workbook = {"baris": 80_000, "detik": 2.0, "segar_detik": 0.25, "bytes": 4_000_000, "peak_rss": GIB}
    tampilan = {"workbook": workbook, "indeks": {"catatan": "tidak diukur"}}
    results = [_result(10_000, "sqlite", "lokal", tampilan=tampilan),
               _result(10_000, "postgresql", "dask", tampilan=tampilan)]
    head, body, notes = report._year_view_table(results)
    view_head, view_body, _ = year_view.table(results[:1])
    assert head == ["pegawai", "db", "executor", *view_head[1:]]
    assert body == [["10,000", "sqlite", "lokal", *view_body[0][1:]],
                    ["10,000", "postgresql", "dask", *view_body[0][1:]]]
    assert notes == ["sqlite/lokal 10,000: tidak diukur", "postgresql/dask 10,000: tidak diukur"]
    assert report._year_view_variants_markdown(results[:1]) == []  # only the reference: the table above
    assert "| 10,000 | postgresql | dask |" in "\n".join(report._year_view_variants_markdown(results))


def test_sqlite_only_results_keep_their_markdown_sections():
    """A block written from results saved before variants still has every section."""
    old = _result(10_000, None, None, dokumen={"jumlah": 10_000, "detik": 4.0}, beban="1.00 1.00 1.00")
    text = report.markdown([old], {"tanggal": "t"}, {10_000: 3.0})
    assert "| 10,000 | sqlite | lokal | **siklus / cycle** |" in text
    assert "| 10,000 | 10,000 | 4.0 | 2,500 | terpenuhi / met |" in text
    assert "Tampilan tahun per varian" not in text


def test_targets_per_size_and_database_count_the_workers_memory_and_the_growth_per_stage():
    small = {"pegawai": 100_000, "stages": [_stage("mid-year", 10.0, 1.2), _stage("year-end", 20.0, 1.4)]}
    big = {"pegawai": 1_000_000, "stages": [_stage("mid-year", 100.0, 3.0), _stage("year-end", 240.0, 3.5)]}
    pg_big = {"pegawai": 1_000_000, "db": "postgresql", "executor": "dask",
              "stages": [_stage("mid-year", 150.0, 2.0, workers_gib=4.5), _stage("year-end", 200.0, 2.0)]}
    lines = report._targets([small, big, pg_big])
    assert lines[0].startswith("- 100,000: wall 30 s (target <= 35 s): terpenuhi")
    assert "peak RSS 1.40 GiB (target <= 1.5 GiB): terpenuhi" in lines[0]
    assert lines[2].startswith("- 1,000,000: wall 340 s (target <= 300 s): **tidak")
    assert "peak RSS 3.50 GiB (target <= 4 GiB): terpenuhi" in lines[2]
    # PostgreSQL's own time target; a Dask worker over the memory target is a miss
    assert lines[3].startswith("- 1,000,000 (postgresql/dask): wall 350 s (target <= 400 s): terpenuhi")
    assert "peak RSS 4.50 GiB (target <= 4 GiB): **tidak" in lines[3]
    growth = [line for line in lines if "→" in line]
    assert growth == ["- 100,000 → 1,000,000 (sqlite/lokal): mid-year 10.0×, year-end 12.0×; terbesar / "
                      "largest year-end 12.0× (target <= 10.5×): **tidak / missed**"]


def test_the_report_processes_own_memory_counts_against_the_memory_target():
    """peak RSS is the flow process; what its forked report processes held of their own is added for the
    target."""
    res = _result(100_000, "sqlite", "lokal")
    res["stages"][0] |= {"peak_rss": int(1.2 * GIB), "privat_salinan_laporan": int(0.25 * GIB)}
    head, body = report._rows_table([res])
    stage, cycle = body
    assert stage[head.index("+ salinan laporan GiB")] == cycle[head.index("+ salinan laporan GiB")] == "0.25"
    assert stage[head.index("peak RSS GiB")] == "1.20"
    memory = next(line for line in report._targets([res]) if line.startswith("- 100,000"))
    assert "peak RSS 1.45 GiB (target <= 1.5 GiB): terpenuhi / met" in memory
    res["stages"][0]["privat_salinan_laporan"] = int(0.35 * GIB)
    memory = next(line for line in report._targets([res]) if line.startswith("- 100,000"))
    assert "peak RSS 1.55 GiB (target <= 1.5 GiB): **tidak / missed**" in memory
