"""On PostgreSQL a stage renders its reports while its write runs, and publishes them only once the write
has committed (tasks.write_and_report); on SQLite the two stay one after the other."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from models.db import get_engine
from reports import retired
from tasks.write_and_report import STAGING_PREFIX, move_tree
from tests.flows.stage_calls import TAHUN, count, last_outcome, missing_outputs, run

pytestmark = pytest.mark.slow


def _task_runs(flow_run_id: str) -> dict[str, tuple]:
    """(start, end) of each task run of the flow run, by task name (the run's own records in Prefect)."""
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    async def read() -> list:
        async with get_client() as client:
            only = FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
            return await client.read_task_runs(flow_run_filter=only)

    return {r.name.rsplit("-", 1)[0]: (r.start_time, r.end_time) for r in asyncio.run(read())}


def _flow_run_id(db_url: str, stage_run_id: int) -> str:
    with get_engine(db_url).connect() as conn:
        query = text("select flow_run_id from stage_run where id = :i")
        return conn.execute(query, {"i": stage_run_id}).scalar()


def test_postgresql_reports_render_while_the_write_runs_and_land_after_it(
    prefect_harness: None, demo_input: Path, tmp_path: Path, postgres_url: str
) -> None:
    out = tmp_path / "out"
    run("plan-collection", demo_input, out, postgres_url)
    left = out / f"{STAGING_PREFIX}year-end-{TAHUN}-7"  # a run killed before it could remove its folder
    (left / str(TAHUN)).mkdir(parents=True)
    (left / str(TAHUN) / "hasil_penilaian.csv").write_text("stale\n", encoding="utf-8")

    result = run("year-end", demo_input, out, postgres_url)  # with every document (a subfolder)

    assert result["outcome"] == "berhasil"
    year = out / str(TAHUN)
    assert missing_outputs("year-end", year) == []
    assert not list(out.glob(f"{STAGING_PREFIX}*")), "staging folders (this run's and the left one) are gone"
    _retired_folders_go(out)
    assert all(Path(p).is_relative_to(year) and Path(p).exists() for p in result["reports"])
    assert (year / "hasil_penilaian.csv").read_text(encoding="utf-8") != "stale\n"
    assert len(list((year / "dokumen").glob("*.html"))) == result["counts"]["dinilai"]
    runs = _task_runs(_flow_run_id(postgres_url, result["stage_run_id"]))
    write_start, write_end = runs["simpan-hasil-penilaian"]
    report_start, _ = runs["laporan-akhir-tahun"]
    assert report_start < write_end, "the reports started before the write had finished"
    assert write_start < write_end


def test_a_rerun_keeps_the_pages_it_replaces_for_a_background_delete(
    prefect_harness: None, demo_input: Path, tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second year-end run replaces every unit summary of the first: each old page goes to a retired
    folder (a hard link to the same file), deleted in the background once the pages are written."""
    out = tmp_path / "out"
    run("plan-collection", demo_input, out, sqlite_url)
    run("year-end", demo_input, out, sqlite_url, dokumen="tidak")
    year = out / str(TAHUN)
    first = {p.name: (p.stat().st_ino, p.read_bytes()) for p in year.glob("ringkasan_*.html")}
    queued: list[tuple[Path, dict]] = []
    remove_later = retired.remove_later

    def recorded(folder: Path):  # noqa: ANN202 - a Future, as the real one gives
        queued.append((folder, {p.stat().st_ino: p.read_bytes() for p in folder.iterdir()}))
        return remove_later(folder)

    monkeypatch.setattr(retired, "remove_later", recorded)
    run("year-end", demo_input, out, sqlite_url, dokumen="tidak")

    assert len(first) > 1
    kept = {ino: data for folder, files in queued if folder.parent == out for ino, data in files.items()}
    assert kept == {ino: data for ino, data in first.values()}, "every replaced page, as it was"
    assert {p.name for p in year.glob("ringkasan_*.html")} == set(first)
    retired.wait_for_removals()
    assert not list(out.glob(f"{retired.PREFIX}*"))


def test_sqlite_writes_then_reports(
    prefect_harness: None, demo_input: Path, tmp_path: Path, sqlite_url: str
) -> None:
    out = tmp_path / "out"
    run("plan-collection", demo_input, out, sqlite_url)
    result = run("year-end", demo_input, out, sqlite_url, dokumen="tidak")

    runs = _task_runs(_flow_run_id(sqlite_url, result["stage_run_id"]))
    _, write_end = runs["simpan-hasil-penilaian"]
    report_start, _ = runs["laporan-akhir-tahun"]
    assert write_end <= report_start
    assert not list(out.glob(f"{STAGING_PREFIX}*"))


@pytest.fixture
def pipeline_without_insert_on_perilaku(postgres_url: str) -> Iterator[str]:
    """The URL of a role that may do everything a stage does except insert behaviour ratings (a grant lost
    between two runs), dropped afterwards."""
    import sqlalchemy
    from sqlalchemy.engine import make_url

    role = f"kinerja_pipa_{uuid.uuid4().hex[:8]}"
    with get_engine(postgres_url).begin() as conn:
        database = conn.exec_driver_sql("SELECT current_database()").scalar_one()
        conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
        conn.exec_driver_sql(f'GRANT CONNECT ON DATABASE "{database}" TO "{role}"')
        conn.exec_driver_sql(f'GRANT USAGE ON SCHEMA public TO "{role}"')
        conn.exec_driver_sql(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{role}"')
        conn.exec_driver_sql(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
        conn.exec_driver_sql(f'REVOKE INSERT ON perilaku FROM "{role}"')
    yield make_url(postgres_url).set(username=role).render_as_string(hide_password=False)
    get_engine.cache_clear()
    admin = sqlalchemy.create_engine(postgres_url, poolclass=sqlalchemy.pool.NullPool)
    with admin.begin() as conn:
        conn.exec_driver_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                             (role,))
        conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
        conn.exec_driver_sql(f'DROP ROLE "{role}"')
    admin.dispose()


def test_a_failed_postgresql_write_publishes_no_report(
    prefect_harness: None, demo_input: Path, tmp_path: Path, postgres_url: str, request: pytest.FixtureRequest
) -> None:
    """The database refuses the year-end rows (the pipeline's role lost its INSERT on perilaku, as a full
    disk or a lost grant would refuse them): the stage fails, the year's folder gets none of the reports
    rendered meanwhile."""
    out = tmp_path / "out"
    run("plan-collection", demo_input, out, postgres_url)  # (migrates: the schema owner)
    refused = request.getfixturevalue("pipeline_without_insert_on_perilaku")
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))

    with pytest.raises(Exception, match="may not replace rows of perilaku"):
        run("year-end", demo_input, out, refused, dokumen="tidak")

    assert last_outcome(postgres_url) == "gagal"
    assert count(postgres_url, "hasil_penilaian") == 0, "the write rolled back"
    after = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    # only the gate's report, written when the gate decided (before the write): none of the stage's reports
    assert sorted(set(after) - set(before)) == [f"{TAHUN}/gerbang_year-end.html"]
    assert set(before) <= set(after)
    assert not list(out.glob(f"{STAGING_PREFIX}*")), "the staged reports went with their folder"


def test_move_tree_replaces_and_keeps_subfolders(tmp_path: Path) -> None:
    source, target = tmp_path / "s", tmp_path / "t"
    (source / "dokumen" / "U1").mkdir(parents=True)
    (source / "a.csv").write_text("baru", encoding="utf-8")
    (source / "dokumen" / "U1" / "x.html").write_text("dok", encoding="utf-8")
    (target).mkdir()
    (target / "a.csv").write_text("lama", encoding="utf-8")
    (target / "b.csv").write_text("tetap", encoding="utf-8")

    assert move_tree(source, target) == 2

    assert (target / "a.csv").read_text(encoding="utf-8") == "baru"
    assert (target / "b.csv").read_text(encoding="utf-8") == "tetap"
    assert (target / "dokumen" / "U1" / "x.html").read_text(encoding="utf-8") == "dok"
    assert not any(p.is_file() for p in source.rglob("*"))



def _retired_folders_go(out: Path) -> None:
    """The files the publish replaced are deleted in the background: their folder is gone once that ends."""
    retired.wait_for_removals()
    assert not list(out.glob(f"{retired.PREFIX}*"))


def test_move_tree_retires_each_replaced_file_for_a_later_delete(tmp_path: Path) -> None:
    source, target = tmp_path / "s", tmp_path / "t"
    (source / "u").mkdir(parents=True)
    (target / "u").mkdir(parents=True)
    (source / "a.csv").write_text("baru", encoding="utf-8")
    (source / "u" / "b.html").write_text("baru b", encoding="utf-8")
    (target / "u" / "b.html").write_text("lama b", encoding="utf-8")
    old = (target / "u" / "b.html").stat().st_ino

    with retired.retiring(tmp_path / ".lama-uji") as folder:
        assert move_tree(source, target) == 2
        kept = list(folder.iterdir())
        assert [p.read_text(encoding="utf-8") for p in kept] == ["lama b"], "only the replaced file, once"
        assert kept[0].stat().st_ino == old

    assert (target / "a.csv").read_text(encoding="utf-8") == "baru"
    assert (target / "u" / "b.html").read_text(encoding="utf-8") == "baru b"
    retired.wait_for_removals()
    assert not folder.exists()
