"""A stage run's frame: begin opens its record, it is closed with the right outcome however the stage
ends, and finish publishes its summary."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from contract.files import sha256_of_inputs
from kinerja.errors import GateFailed, InputUnreadable, KinerjaError
from models.db import get_engine
from stages import registry
from stages.context import StageContext
from tasks.lifecycle import finish, stage_run, summary_markdown, trigger

TAHUN = 2026


def _record(db_url: str, stage_run_id: int) -> dict:
    with get_engine(db_url).connect() as conn:
        return dict(conn.execute(text("select * from stage_run where id = :i"), {"i": stage_run_id})
                    .mappings().one())


def _runs(db_url: str) -> list[dict]:
    with get_engine(db_url).connect() as conn:
        return [dict(r) for r in conn.execute(text("select * from stage_run order by id")).mappings()]


def test_a_stage_run_opens_its_record_and_finish_closes_and_publishes_it(
    in_flow: Callable, demo_input: Path, tmp_path: Path
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    db = f"sqlite:///{tmp_path / 'k.db'}"
    seen: dict = {}

    def stage() -> dict:
        with stage_run("plan-collection", TAHUN, str(demo_input), str(tmp_path / "out"), db) as (ctx, rules):
            seen["open"] = _record(db, ctx.stage_run_id)
            seen["ctx"] = ctx
            return finish(ctx, {"pegawai": 63, "dikarantina": 4}, [ctx.output_dir / "karantina.csv"])

    result = in_flow(stage)

    opened, ctx = seen["open"], seen["ctx"]
    assert opened["outcome"] == "berjalan" and opened["tahap"] == "plan-collection"
    assert opened["flow_run_name"] == ctx.flow_run_name and opened["flow_run_id"] == ctx.flow_run_id
    expected = sha256_of_inputs(demo_input, registry.get("plan-collection").inputs)
    assert json.loads(opened["input_checksums"]) == expected
    closed = _record(db, result["stage_run_id"])
    assert closed["outcome"] == "berhasil"
    assert json.loads(closed["counts"]) == {"dikarantina": 4, "pegawai": 63}
    assert closed["record_hash"], "a finished stage run is sealed"
    assert result == {"tahap": "plan-collection", "tahun": TAHUN, "stage_run_id": ctx.stage_run_id,
                      "outcome": "berhasil", "counts": {"pegawai": 63, "dikarantina": 4},
                      "output_dir": str(tmp_path / "out" / str(TAHUN)),
                      "reports": [str(tmp_path / "out" / str(TAHUN) / "karantina.csv")]}
    with get_client(sync_client=True) as client:
        artifact = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[f"plan-collection-{TAHUN}"])),
            sort=ArtifactSort.CREATED_DESC, limit=1)[0]
    assert f"stage run: **{ctx.stage_run_id}**" in artifact.data and "| pegawai | 63 |" in artifact.data


@pytest.mark.parametrize(("error", "outcome"), [
    (GateFailed("gerbang uji gagal"), "gerbang_gagal"),
    (InputUnreadable("pegawai.csv: bukan UTF-8"), "input_tidak_terbaca"),
    (RuntimeError("rusak"), "gagal"),
], ids=["gate", "unreadable", "other"])
def test_a_stage_that_stops_is_closed_with_its_outcome_and_message(
    in_flow: Callable, demo_input: Path, tmp_path: Path, error: Exception, outcome: str
) -> None:
    db = f"sqlite:///{tmp_path / 'k.db'}"

    def stage() -> None:
        with stage_run("plan-collection", TAHUN, str(demo_input), str(tmp_path / "out"), db):
            raise error

    with pytest.raises(type(error)):
        in_flow(stage)
    [run] = _runs(db)
    assert run["outcome"] == outcome and run["record_hash"]
    assert str(error) in run["pesan"]
    if not isinstance(error, KinerjaError):
        assert run["pesan"] == "RuntimeError: rusak"


def test_a_missing_input_folder_is_refused_before_anything_runs(in_flow: Callable, tmp_path: Path) -> None:
    def stage() -> None:
        with stage_run("plan-collection", TAHUN, str(tmp_path / "tidak-ada"), str(tmp_path / "out"),
                       f"sqlite:///{tmp_path / 'k.db'}"):
            pytest.fail("the stage body must not run")

    with pytest.raises(InputUnreadable, match="tidak-ada"):
        in_flow(stage)


def test_a_run_started_here_keeps_the_trigger_it_was_given(in_flow: Callable) -> None:
    assert in_flow(lambda: trigger("manual")) == "manual"
    assert trigger("jadwal") == "jadwal"  # outside any flow run


def test_the_summary_lists_counts_in_order_and_links_every_report(tmp_path: Path) -> None:
    ctx = StageContext(tahap="mid-year", tahun=TAHUN, input_dir=tmp_path / "in", output_root=tmp_path / "out",
                       db_url="sqlite://", ruleset_name="uji", stage_run_id=17)
    report = tmp_path / "out" / "2026" / "pemantauan_tengah_tahun.csv"
    markdown = summary_markdown(ctx, {"z": 1, "a": 2}, [report], "berhasil")
    lines = markdown.splitlines()
    assert lines[0] == "# mid-year 2026" and "- stage run: **17**, hasil: **berhasil**" in lines
    assert lines.index("| a | 2 |") < lines.index("| z | 1 |")
    assert f"- [pemantauan_tengah_tahun.csv]({report.resolve().as_uri()})" in lines



def test_the_summary_links_a_few_unit_pages_and_counts_many(tmp_path: Path) -> None:
    """One line per per-unit output once it has more files than LINKS_PER_OUTPUT; the others linked."""
    from tasks.lifecycle import LINKS_PER_OUTPUT

    ctx = StageContext(tahap="year-end", tahun=TAHUN, input_dir=tmp_path / "in", output_root=tmp_path / "out",
                       db_url="sqlite://", ruleset_name="uji", stage_run_id=3)
    year = tmp_path / "out" / "2026"
    summaries = [year / f"ringkasan_U{i:03d}.html" for i in range(LINKS_PER_OUTPUT + 1)]
    documents = [year / "dokumen" / f"19800101200001100{i}.html" for i in range(3)]
    hasil = year / "hasil_penilaian.csv"
    lines = summary_markdown(ctx, {}, [hasil, *summaries, *documents], "berhasil").splitlines()
    assert f"- [hasil_penilaian.csv]({hasil.resolve().as_uri()})" in lines
    assert f"- ringkasan_*.html: {LINKS_PER_OUTPUT + 1:,} berkas / files in [{year.resolve()}]" \
           f"({year.resolve().as_uri()})" in lines
    assert not any("ringkasan_U000.html" in line for line in lines)
    assert all(f"- [{d.name}]({d.resolve().as_uri()})" in lines for d in documents)
    shorter = summary_markdown(ctx, {}, summaries[:LINKS_PER_OUTPUT], "berhasil").splitlines()
    assert sum(line.startswith("- [ringkasan_U") for line in shorter) == LINKS_PER_OUTPUT