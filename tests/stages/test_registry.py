"""The stage registry: the one list of stages, in cycle order, naming real flows and known input files."""

from __future__ import annotations

import importlib

import pytest
from prefect import Flow

from contract.schema import FILES
from stages import registry

# The cycle of DOMAIN.md ("The cycle and the stages"), in the order the regulation runs it.
DOMAIN_CYCLE = ("plan-collection", "validation", "mid-year", "year-end", "objection", "training")
# Stages that run early in the next year on the year that has just ended: Penilaian (year-end scoring,
# January), Keberatan (objection review, February, after the 14-day window) and its Tindak lanjut
# (training recommendations, after objections); Perencanaan runs for the new year.
DOMAIN_PREVIOUS_YEAR = {"year-end", "objection", "training"}


def _cron_month_day(stage: registry.Stage) -> tuple[int, int]:
    _minute, _hour, day, month, _weekday = stage.schedule.cron.split()
    return int(month), int(day)


def test_names_are_unique_and_in_cycle_order() -> None:
    names = registry.names()
    assert len(set(names)) == len(names) == len(registry.STAGES)
    assert names == DOMAIN_CYCLE
    assert registry.CYCLE not in names


def test_schedules_run_the_stages_in_cycle_order() -> None:
    """Sorted by the calendar (a previous-year stage runs in the next year), the stages keep their order."""
    calendar = sorted(registry.STAGES, key=lambda s: (s.previous_year, *_cron_month_day(s)))
    assert tuple(s.name for s in calendar) == registry.names()


def test_get_finds_each_stage_and_rejects_unknown_names() -> None:
    for stage in registry.STAGES:
        assert registry.get(stage.name) is stage
    with pytest.raises(KeyError):
        registry.get("year_end")
    with pytest.raises(KeyError):
        registry.get(registry.CYCLE)


@pytest.mark.parametrize("stage", registry.STAGES, ids=lambda s: s.name)
def test_flow_entrypoint_resolves_to_the_stage_flow(stage: registry.Stage) -> None:
    path, function = stage.flow.split(":")
    assert path == stage.flow_module.replace(".", "/") + ".py" and function == stage.flow_function
    flow = getattr(importlib.import_module(stage.flow_module), stage.flow_function)
    assert isinstance(flow, Flow)
    assert flow.name == stage.name


def test_cycle_flow_resolves_to_the_cycle() -> None:
    module, function = registry.CYCLE_FLOW.split(":")
    flow = getattr(importlib.import_module(module.removesuffix(".py").replace("/", ".")), function)
    assert isinstance(flow, Flow) and flow.name == registry.CYCLE


@pytest.mark.parametrize("stage", registry.STAGES, ids=lambda s: s.name)
def test_inputs_are_known_files(stage: registry.Stage) -> None:
    for sheet in (*stage.required, *stage.optional, *stage.must_have_rows):
        assert sheet in FILES, f"{stage.name}: {sheet} is not an input file of contract.schema"
    assert len(set(stage.inputs)) == len(stage.inputs), "a file is both required and optional"
    assert stage.inputs == stage.required + stage.optional
    assert set(stage.must_have_rows) <= set(stage.inputs)


def test_every_stage_reads_the_plan_files() -> None:
    for stage in registry.STAGES:
        assert {"unit_kerja", "pegawai", "skp"} <= set(stage.required), stage.name


def test_order_sorts_by_cycle_with_unknown_names_last() -> None:
    for position, name in enumerate(registry.names()):
        assert registry.order(name) == position
    assert registry.order("tidak-ada") == len(registry.STAGES)
    assert registry.order(registry.CYCLE) == len(registry.STAGES)
    shuffled = ["tidak-ada", "training", "plan-collection", "objection", "year-end", "mid-year", "validation"]
    assert sorted(shuffled, key=registry.order) == [*DOMAIN_CYCLE, "tidak-ada"]


def test_previous_year_stages_are_the_early_year_stages_for_the_year_that_ended() -> None:
    previous = {s.name for s in registry.STAGES if s.previous_year}
    assert previous == DOMAIN_PREVIOUS_YEAR
    for stage in registry.STAGES:
        month, _day = _cron_month_day(stage)
        if stage.previous_year:
            assert month in (1, 2), stage.name
            assert "tahun sebelumnya" in stage.schedule.description, stage.name
        else:
            assert "tahun sebelumnya" not in stage.schedule.description, stage.name


def test_schedules_are_in_jakarta_time_with_unique_deployments() -> None:
    deployments = [s.schedule.deployment for s in registry.STAGES]
    assert len(set(deployments)) == len(deployments)
    assert {s.schedule.timezone for s in registry.STAGES} == {"Asia/Jakarta"}
    for stage in registry.STAGES:
        assert stage.schedule.deployment.startswith(stage.name + "-")


def test_objection_builds_on_year_end_and_training_on_objection_each_running_after_it():
    assert registry.get("objection").builds_on == "year-end"
    assert registry.get("training").builds_on == "objection"
    for name in ("objection", "training"):
        assert registry.order(registry.get(name).builds_on) < registry.order(name)
    assert all(s.builds_on is None for s in registry.STAGES if s.name not in ("objection", "training"))
    # the objection review reads what year-end scored from, plus the objections; training reads them too
    year_end, objection = registry.get("year-end"), registry.get("objection")
    assert set(objection.inputs) == {*year_end.inputs, "keberatan"} and "keberatan" in objection.optional
    assert "keberatan" in registry.get("training").optional
    # training after the 14-day window and the review (DOMAIN.md: February, after objections)
    assert _cron_month_day(year_end) < _cron_month_day(objection) < _cron_month_day(registry.get("training"))
