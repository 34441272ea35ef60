"""The cycle flow: every registry stage in order, each its own flow run inside the cycle's; a failed gate
stops it there. Called in this process under the test harness, with a stage observer installed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from flows.cycle import cycle
from flows.progress import observing
from kinerja.demo.generator import generate
from kinerja.errors import GateFailed
from models.db import get_engine
from stages import registry
from tasks.year_view import LATER

pytestmark = pytest.mark.slow

TAHUN = 2026


class Recorder:
    """A stage observer that writes down what it is told."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, int]] = []

    def started(self, tahap: str, tahun: int) -> None:
        self.events.append(("mulai", tahap, tahun))

    def finished(self, tahap: str, tahun: int, result: dict) -> None:
        self.events.append(("selesai", tahap, tahun))

    def failed(self, tahap: str, tahun: int, error: BaseException) -> None:
        self.events.append((f"gagal:{type(error).__name__}", tahap, tahun))


@pytest.fixture(scope="module")
def demo_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cycle") / "input"
    generate(folder, pegawai=120, tahun=TAHUN, seed=13, bad_rows=True)
    return folder


def _child_runs(cycle_run_id: object) -> dict[str, object]:
    """The flow runs started inside the cycle's flow run, by flow name."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterParentFlowRunId

    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(
            parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[cycle_run_id])))
        return {client.read_flow(run.flow_id).name: run for run in runs}


def _summaries(children: dict[str, object]) -> dict[str, str]:
    """Each child run's summary artifact (key `<tahap>-<tahun>`), by stage."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterKey,
        FlowRunFilter,
        FlowRunFilterId,
    )

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[f"{n}-{TAHUN}" for n in children])),
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id for run in children.values()])))
    return {artifact.key.removesuffix(f"-{TAHUN}"): artifact.data for artifact in found}


def _year_view_refreshes(children: dict[str, object]) -> int:
    """How many `ringkasan-tahun` task runs the child flow runs made."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterId,
        TaskRunFilter,
        TaskRunFilterName,
    )

    with get_client(sync_client=True) as client:
        return len(client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id for run in children.values()])),
            task_run_filter=TaskRunFilter(name=TaskRunFilterName(like_="ringkasan-tahun"))))


def _outcomes(db_url: str) -> list[tuple[str, str]]:
    with get_engine(db_url).connect() as conn:
        return [tuple(r) for r in conn.execute(text("select tahap, outcome from stage_run order by id"))]


def test_the_cycle_runs_every_registry_stage_in_order_as_its_child_flow_runs(
    prefect_harness: None, demo_input: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'k.db'}"
    with observing(Recorder()) as recorder:
        state = cycle(tahun=TAHUN, input_dir=str(demo_input), output_dir=str(tmp_path / "out"), db_url=db,
                      dokumen="tidak", return_state=True)

    assert state.is_completed(), state.message
    results = state.result()
    names = list(registry.names())
    assert [r["tahap"] for r in results] == names and {r["outcome"] for r in results} == {"berhasil"}
    assert recorder.events == [(event, name, TAHUN) for name in names for event in ("mulai", "selesai")]
    assert _outcomes(db) == [(name, "berhasil") for name in names]
    children = _child_runs(state.state_details.flow_run_id)
    assert set(children) == set(names)
    assert all(children[name].name == f"{name}-{TAHUN}" for name in names)
    documents = [s.name for s in registry.STAGES if s.documents]
    assert documents and all(children[name].parameters["dokumen"] == "tidak" for name in documents)
    assert all(("executor" in children[s.name].parameters) == s.partitioned for s in registry.STAGES)

    # The year view is refreshed once, by the last stage; the others' summaries say so.
    index = tmp_path / "out" / str(TAHUN) / "index.html"
    summaries = _summaries(children)
    assert all(LATER in summaries[name] and "index.html" not in summaries[name] for name in names[:-1])
    assert f"- **ringkasan tahun / year view: [{index}]({index.resolve().as_uri()})**" in summaries[names[-1]]
    assert _year_view_refreshes(children) == 1
    page = index.read_text(encoding="utf-8")
    assert all(f"{name}-{TAHUN}" in page for name in names), "the one refresh shows every stage's run"


def test_a_failed_gate_stops_the_cycle_at_that_stage(
    prefect_harness: None, demo_input: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "input"
    shutil.copytree(demo_input, folder)
    skp = pd.read_csv(folder / "skp.csv", dtype=str)
    skp["target"] = "banyak"
    skp.to_csv(folder / "skp.csv", index=False)
    db = f"sqlite:///{tmp_path / 'k.db'}"

    with observing(Recorder()) as recorder:
        state = cycle(tahun=TAHUN, input_dir=str(folder), output_dir=str(tmp_path / "out"), db_url=db,
                      return_state=True)

    first = registry.names()[0]
    assert state.is_failed()
    assert isinstance(state.result(raise_on_failure=False), GateFailed)
    assert recorder.events == [("mulai", first, TAHUN), ("gagal:GateFailed", first, TAHUN)]
    assert _outcomes(db) == [(first, "gerbang_gagal")]
    assert set(_child_runs(state.state_details.flow_run_id)) == {first}
    assert (tmp_path / "out" / str(TAHUN) / f"gerbang_{first}.html").exists()


def test_a_cycle_stopped_by_an_error_refreshes_the_year_view_for_the_stages_it_ran(
    prefect_harness: None, demo_input: Path, tmp_path: Path
) -> None:
    """The stages before the failing one left the view for later; the cycle writes it as it gives up."""
    folder = tmp_path / "input"
    shutil.copytree(demo_input, folder)
    (folder / "katalog_pelatihan.csv").unlink()  # training cannot run without it; the stages before it can
    db = f"sqlite:///{tmp_path / 'k.db'}"

    state = cycle(tahun=TAHUN, input_dir=str(folder), output_dir=str(tmp_path / "out"), db_url=db,
                  dokumen="tidak", return_state=True)

    assert state.is_failed()
    ran = [name for name, outcome in _outcomes(db) if outcome == "berhasil"]
    assert ran == list(registry.names()[:registry.order("training")])
    page = (tmp_path / "out" / str(TAHUN) / "index.html").read_text(encoding="utf-8")
    assert all(f"{name}-{TAHUN}" in page for name in ran), "the view shows every stage that ran"
