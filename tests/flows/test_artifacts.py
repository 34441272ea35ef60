"""A stage run explains itself in the run history: summary, gate table, links to its reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.plan_collection import plan_collection
from kinerja.demo.generator import generate

pytestmark = pytest.mark.slow


def test_stage_run_publishes_summary_and_gate_artifacts(prefect_harness: None, tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterKey,
        FlowRunFilter,
        FlowRunFilterId,
    )

    generate(tmp_path / "in", pegawai=60, tahun=2026, seed=9, bad_rows=True)
    result = plan_collection(tahun=2026, input_dir=str(tmp_path / "in"), output_dir=str(tmp_path / "out"),
                             db_url=f"sqlite:///{tmp_path / 'k.db'}")

    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(name={"any_": ["plan-collection-2026"]}))
        run = max(runs, key=lambda r: r.created)
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["plan-collection-2026",
                                                                       "gerbang-plan-collection-2026"])),
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id])),
        )
    by_key = {a.key: a for a in artifacts}
    summary, gate = by_key["plan-collection-2026"], by_key["gerbang-plan-collection-2026"]
    assert summary.type == "markdown" and gate.type == "table"
    assert f"stage run: **{result['stage_run_id']}**" in summary.data
    assert f"dikarantina | {result['counts']['dikarantina']}" in summary.data
    report = (tmp_path / "out" / "2026" / "gerbang_plan-collection.html").resolve().as_uri()
    assert f"[gerbang_plan-collection.html]({report})" in summary.data and "karantina.csv" in summary.data
    rows = gate.data if isinstance(gate.data, list) else __import__("json").loads(gate.data)
    assert {"pegawai.nip.format", "pegawai.atasan.siklus"} <= {row["kode"] for row in rows}
    assert run.state.is_completed()
    index = tmp_path / "out" / "2026" / "index.html"
    assert index.is_file(), "every stage refreshes the year view"
    first = summary.data.splitlines()[2]
    assert first == f"- **ringkasan tahun / year view: [{index}]({index.resolve().as_uri()})**"
    assert f"- gerbang mutu data / gate: **LULUS / passed** — {len(rows)} pemeriksaan / checks, " \
           f"{sum(not row['lulus'] for row in rows)} tidak lulus / failed" in summary.data


def test_a_stage_its_gate_stopped_still_publishes_its_summary_and_refreshes_the_index(
    prefect_harness: None, tmp_path: Path
) -> None:
    import pandas as pd
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from kinerja.errors import GateFailed

    generate(tmp_path / "in", pegawai=60, tahun=2026, seed=9, bad_rows=False)
    skp = pd.read_csv(tmp_path / "in" / "skp.csv", dtype=str)
    skp["target"] = "banyak"
    skp.to_csv(tmp_path / "in" / "skp.csv", index=False)
    with pytest.raises(GateFailed):
        plan_collection(tahun=2026, input_dir=str(tmp_path / "in"), output_dir=str(tmp_path / "out"),
                        db_url=f"sqlite:///{tmp_path / 'k.db'}")

    year_dir = tmp_path / "out" / "2026"
    with get_client(sync_client=True) as client:
        [summary] = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["plan-collection-2026"])),
            limit=1, sort="CREATED_DESC")
    assert "hasil: **gerbang_gagal**" in summary.data and "**GAGAL / failed**" in summary.data
    assert str(year_dir / "index.html") in summary.data
    assert (year_dir / "gerbang_plan-collection.html").resolve().as_uri() in summary.data
    page = (year_dir / "index.html").read_text(encoding="utf-8")
    assert 'href="gerbang_plan-collection.html"' in page
