"""Every deployment in prefect.yaml resolves to a flow whose parameters match (no stale schedule)."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from prefect import Flow

from kinerja.errors import InputUnreadable
from kinerja.serve import build_deployments, load_deployment_specs
from kinerja.settings import get_settings
from stages import registry
from stages.context import resolve_tahun

SPECS = load_deployment_specs()


def test_there_is_a_deployment_per_stage_plus_the_cycle() -> None:
    entrypoints = {spec["entrypoint"].rsplit(":", 1)[1] for spec in SPECS}
    assert entrypoints == {"plan_collection", "validation", "mid_year", "year_end", "objection", "training",
                           "cycle"}
    assert sorted(spec["entrypoint"] for spec in SPECS) == sorted(
        [stage.flow for stage in registry.STAGES] + [registry.CYCLE_FLOW])


@pytest.mark.parametrize("stage", registry.STAGES, ids=registry.names())
def test_each_stage_is_deployed_on_its_registry_schedule(stage: registry.Stage) -> None:
    [spec] = [spec for spec in SPECS if spec["entrypoint"] == stage.flow]
    assert spec["name"] == stage.schedule.deployment
    assert spec["description"] == stage.schedule.description
    assert spec["schedules"] == [{"cron": stage.schedule.cron, "timezone": stage.schedule.timezone}]
    assert spec["parameters"]["pemicu"] == "jadwal"
    assert ("dokumen" in spec["parameters"]) == stage.documents


def test_the_cycle_is_deployed_for_manual_runs_only() -> None:
    [spec] = [spec for spec in SPECS if spec["entrypoint"] == registry.CYCLE_FLOW]
    assert spec["name"] == f"{registry.CYCLE}-manual" and not spec.get("schedules")
    assert spec["parameters"]["pemicu"] == "manual" and spec["parameters"]["dokumen"] == "semua"


@pytest.mark.parametrize("entrypoint", [stage.flow for stage in registry.STAGES] + [registry.CYCLE_FLOW])
def test_every_registry_entrypoint_resolves_to_the_flow_of_that_name(entrypoint: str) -> None:
    from prefect.flows import load_flow_from_entrypoint

    from kinerja.settings import PROJECT_DIR

    flow = load_flow_from_entrypoint(str(PROJECT_DIR / entrypoint))
    names = {stage.flow: stage.name for stage in registry.STAGES} | {registry.CYCLE_FLOW: registry.CYCLE}
    assert isinstance(flow, Flow) and flow.name == names[entrypoint]


@pytest.mark.parametrize("spec", SPECS, ids=[s["name"] for s in SPECS])
def test_entrypoint_resolves_to_a_flow_with_matching_parameters(spec: dict) -> None:
    from prefect.flows import load_flow_from_entrypoint

    from kinerja.settings import PROJECT_DIR

    flow = load_flow_from_entrypoint(str(PROJECT_DIR / spec["entrypoint"]))
    assert isinstance(flow, Flow)
    signature = inspect.signature(flow.fn)
    assert set(spec.get("parameters") or {}) <= set(signature.parameters)
    missing = [name for name, p in signature.parameters.items()
               if p.default is inspect.Parameter.empty and name not in (spec.get("parameters") or {})]
    assert not missing, f"a scheduled run could not supply {missing}"
    for schedule in spec.get("schedules") or []:
        assert schedule["timezone"] == "Asia/Jakarta"
        assert len(schedule["cron"].split()) == 5
    assert "{{" not in str(spec.get("parameters")), "placeholders are resolved"


def test_schedules_follow_the_regulation_calendar() -> None:
    months = {spec["entrypoint"].rsplit(":", 1)[1]: spec["schedules"][0]["cron"].split()[3]
              for spec in SPECS if spec.get("schedules")}
    assert months == {"plan_collection": "1", "validation": "1", "mid_year": "7", "year_end": "1",
                      "objection": "2", "training": "2"}


def test_deployments_build_with_cron_schedules_in_jakarta_time() -> None:
    deployments = {d.name: d for d in build_deployments()}
    year_end = deployments["year-end-januari"]
    assert year_end.schedules and year_end.schedules[0].schedule.timezone == "Asia/Jakarta"
    assert year_end.concurrency_limit == 1


def test_year_defaults_to_the_run_date() -> None:
    january = datetime(2027, 1, 20, 1, 0, tzinfo=UTC)
    july = datetime(2026, 7, 10, 1, 0, tzinfo=UTC)
    assert resolve_tahun("year-end", None, january) == 2026  # scoring the year that just ended
    assert resolve_tahun("training", None, january) == 2026
    assert resolve_tahun("objection", None, datetime(2027, 2, 10, 0, 0, tzinfo=UTC)) == 2026
    assert resolve_tahun("plan-collection", None, january) == 2027
    assert resolve_tahun("mid-year", None, july) == 2026
    assert resolve_tahun("year-end", 2024, january) == 2024


@pytest.fixture
def fresh_clone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A data folder as a fresh clone has it (nothing in input/), no folder or database variables."""
    for name in ("KINERJA_INPUT_DIR", "KINERJA_OUTPUT_DIR", "KINERJA_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KINERJA_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    (tmp_path / "data" / "input").mkdir(parents=True)
    yield tmp_path / "data"
    get_settings.cache_clear()


def _deployment(name: str) -> tuple[Flow, dict]:
    """A deployment's flow and the parameters `make serve` gives it."""
    from prefect.flows import load_flow_from_entrypoint

    from kinerja.settings import PROJECT_DIR

    [spec] = [spec for spec in load_deployment_specs() if spec["name"] == name]
    return load_flow_from_entrypoint(str(PROJECT_DIR / spec["entrypoint"])), spec["parameters"]


@pytest.mark.slow
def test_after_the_demo_the_first_deployment_run_with_its_defaults_passes(
    prefect_harness: None, fresh_clone: Path
) -> None:
    """README: `make demo`, `make serve`, then *Run* on validation-januari with the defaults."""
    from kinerja.demo.generator import generate

    generate(fresh_clone / "demo" / "input", pegawai=150, tahun=2025)
    (fresh_clone / "demo" / "output" / "2025").mkdir(parents=True)  # the demo's cycle ran for 2025
    flow, parameters = _deployment("validation-januari")
    assert parameters["tahun"] == 2025 and parameters["input_dir"] == str(fresh_clone / "demo" / "input")
    result = flow(**parameters)
    assert result["outcome"] == "berhasil"
    assert (fresh_clone / "demo" / "output" / "2025" / "gerbang_validation.html").is_file()


def test_a_deployment_run_on_a_missing_file_fails_with_one_line_naming_the_folder(
    prefect_harness: None, fresh_clone: Path
) -> None:
    """A fresh clone without the demo: the run fails, and its log says which file is missing where,
    without a traceback (the serve console and the run history get the same records)."""
    formatted: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            formatted.append(logging.Formatter("%(levelname)s %(message)s").format(record))

    handler = Collect(level=logging.ERROR)
    loggers = [logging.getLogger(name) for name in ("prefect.flow_runs", "prefect.task_runs")]
    for logger in loggers:
        logger.addHandler(handler)
    flow, parameters = _deployment("validation-januari")
    inbox = fresh_clone / "input"
    assert parameters["input_dir"] == str(inbox) and "tahun" not in parameters
    try:
        with pytest.raises(InputUnreadable) as failed:
            flow(**parameters)
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    assert str(failed.value) == (f"unit_kerja.csv: berkas wajib tidak ada di {inbox} / "
                                 f"required file missing in {inbox}")
    assert formatted, "the failure is logged"
    assert all(str(failed.value) in line and "\n" not in line for line in formatted), formatted
    assert any(line.startswith("ERROR Encountered exception during execution") for line in formatted)
